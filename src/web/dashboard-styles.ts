/** The dashboard's own stylesheet: a dense operator view; islanded areas stand out in amber, dark ones in grey. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1d2329; --muted: #5b6670; --rule: #d9dee3; --band: #f4f6f8; --accent: #1f77b4;
  --island: #b35c00; --island-bg: #fff1db; --dark: #3b3f44; --dark-bg: #e3e5e8; --ok: #2a7d2e; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1500px; margin: 0 auto; padding: 16px 24px 40px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 8px; }
.title-row { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
h1 { font-size: 22px; margin: 0; line-height: 1.25; overflow-wrap: anywhere; }
h1 .brand { color: var(--accent); font-weight: 600; }
h2 { font-size: 16px; margin: 20px 0 6px; padding-bottom: 3px; border-bottom: 1px solid var(--rule); }
.meta { color: var(--muted); margin: 4px 0 0; overflow-wrap: anywhere; }
.meta > span + span::before { content: " · "; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0; }
.problem { color: var(--bad); font-weight: 600; margin: 6px 0 0; }
.section-problem { color: var(--bad); font-size: 13px; margin: 4px 0; }
.section-problem:empty { display: none; }
#connection { padding: 2px 10px; border-radius: 10px; font-size: 13px; font-weight: 600; background: var(--band); color: var(--muted); }
#connection[data-state="live"] { background: #e3f4e4; color: var(--ok); }
#connection[data-state="reconnecting"] { background: #fde7e7; color: var(--bad); }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); gap: 6px; margin: 12px 0 0; }
.figure { background: var(--band); border-radius: 4px; padding: 6px 10px; min-width: 0; }
.figure dt { font-size: 12px; color: var(--muted); }
.figure dd { margin: 0; font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.figure.islanded { background: var(--island-bg); box-shadow: inset 3px 0 0 var(--island); }
.layout { display: grid; grid-template-columns: minmax(300px, 1fr) minmax(0, 2.4fr); gap: 24px; align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } }
#area-tree, #area-tree ul { list-style: none; margin: 0; padding: 0; }
#area-tree { max-height: 62vh; overflow-y: auto; border: 1px solid var(--rule); padding: 4px; }
#area-tree ul { padding-left: 18px; border-left: 1px dotted var(--rule); margin-left: 6px; }
.area-row { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: baseline; padding: 3px 6px; margin: 2px 0; border-radius: 3px; }
.area-id { font-weight: 600; overflow-wrap: anywhere; }
.area-level, .area-sites { color: var(--muted); font-size: 12px; }
.area-kw { margin-left: auto; font-variant-numeric: tabular-nums; white-space: nowrap; }
.area-status { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; padding: 0 5px; border-radius: 3px; color: var(--ok); }
#area-tree li.islanded > .area-row { background: var(--island-bg); box-shadow: inset 4px 0 0 var(--island); }
#area-tree li.islanded > .area-row .area-status { background: var(--island); color: #fff; }
#area-tree li.dark > .area-row { background: var(--dark-bg); box-shadow: inset 4px 0 0 var(--dark); }
#area-tree li.dark > .area-row .area-status { background: var(--dark); color: #fff; }
#area-tree li.this-node > .area-row .area-id::after { content: " (this node)"; font-weight: normal; color: var(--accent); font-size: 12px; }
.outage { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: end; }
.outage label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.outage select, .outage input { font: inherit; padding: 2px 4px; min-width: 0; }
.outage input { width: 90px; }
button { font: inherit; padding: 3px 10px; cursor: pointer; }
button:disabled { cursor: not-allowed; }
#outage-result[data-outcome="accepted"] { color: var(--ok); }
#outage-result[data-outcome="error"] { color: var(--bad); }
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px; align-content: start; }
figure.chart { margin: 0; min-width: 0; }
figure.chart figcaption { color: var(--muted); font-size: 13px; }
figure.chart figcaption strong { color: var(--ink); }
.chart-area { min-height: 220px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; }
#alerts { list-style: none; margin: 0; padding: 0; max-height: 320px; overflow-y: auto; border: 1px solid var(--rule); }
#alerts li { padding: 3px 8px; border-bottom: 1px solid var(--band); overflow-wrap: anywhere; }
#alerts:empty { display: none; }
.alert-slot { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 6px; }
.alert-kind { font-size: 11px; text-transform: uppercase; padding: 0 5px; border-radius: 3px; background: var(--band); margin-right: 6px; }
#alerts li[data-kind="islanded"] .alert-kind { background: var(--island); color: #fff; }
#alerts li[data-kind="reconnected"] .alert-kind { background: var(--ok); color: #fff; }
#alerts li[data-kind="rejected-reading"] .alert-kind, #alerts li[data-kind="dissent"] .alert-kind, #alerts li[data-kind="violation"] .alert-kind { background: var(--bad); color: #fff; }
.table-scroll { overflow: auto; max-height: 420px; border: 1px solid var(--rule); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 3px 8px; text-align: left; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--band); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.yes { color: var(--ok); }
.no { color: var(--bad); }
#proof { background: var(--band); padding: 8px; max-height: 360px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
#proof:empty { display: none; }
.lower { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); gap: 24px; align-items: start; }
@media (max-width: 900px) { .lower { grid-template-columns: minmax(0, 1fr); } }
footer { margin-top: 32px; padding-top: 6px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
`;
