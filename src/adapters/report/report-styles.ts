/** The report's own stylesheet: plain, readable, printable. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2329; --muted: #5b6670; --rule: #d9dee3; --band: #f4f6f8; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; line-height: 1.25; overflow-wrap: anywhere; }
h1 .brand { color: var(--accent); font-weight: 600; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 24px 0 6px; }
p { margin: 6px 0; }
.meta { color: var(--muted); margin: 0; }
.meta span + span::before { content: " · "; }
.runs { margin: 8px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 13px; }
.runs code { font-size: 12px; }
.note { color: var(--muted); font-style: italic; }
.mode-intro { color: var(--muted); margin-top: -4px; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 14px; }
th, td { padding: 4px 10px; text-align: left; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { background: var(--band); border-bottom: 2px solid var(--rule); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: normal; }
tr.group th { background: #fff; font-weight: 600; color: var(--accent); padding-top: 12px; border-bottom: 1px solid var(--accent); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.summary { min-width: 560px; }
table.summary td.num { min-width: 180px; }
.table-scroll { overflow-x: auto; }
table.areas td, table.areas th { font-size: 13px; }
table.areas thead th { white-space: normal; vertical-align: bottom; }
table.areas tbody th, table.islands tbody th { white-space: nowrap; }
.bar-track { display: inline-block; width: 240px; height: 12px; background: var(--band); vertical-align: middle; }
.bar { display: block; height: 100%; }
.bar.critical { background: #d62728; }
.bar.essential { background: #ff7f0e; }
.bar.normal { background: #7f7f7f; }
figure.chart { margin: 16px 0 8px; }
figure.chart figcaption { margin-bottom: 4px; color: var(--muted); }
figure.chart figcaption strong { color: var(--ink); }
.chart-area { min-height: 260px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 13px; }
section.run { margin-top: 12px; }
footer { margin-top: 48px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
@media print { main { max-width: none; padding: 0; } figure.chart, table { break-inside: avoid; } }
`;
