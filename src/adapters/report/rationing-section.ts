/**
 * Islanded operation in the report (issue 6, docs/islanding.md): how long each island kept its
 * critical load served (hours of critical-load survival, like NREL REopt's outage survivability) and
 * the energy it could not serve by priority class, under the run's rationing rule and, when the run
 * computed it, under the simple rule on the same scenario; per island and in total. Also how the
 * islands' controllers coordinated (messages, plan disagreements).
 */
import type { IslandSurvival, RationingFigures, RationingMetrics, RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable, type TableRow } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';

const RULE_LABELS: Record<RationingMetrics['strategy'], string> = {
  forecast: 'forecast',
  simple: 'simple',
};

const COLUMNS = [
  { label: 'Island' }, { label: 'rule' }, { label: 'islanded (h)', numeric: true }, { label: 'critical load survived (h)', numeric: true },
  { label: 'whole period' }, { label: 'not served: critical (kWh)', numeric: true }, { label: 'essential (kWh)', numeric: true },
  { label: 'normal (kWh)', numeric: true },
];

/** Island periods listed at most. */
const ISLANDS_LISTED = 50;

export function rationingSection(run: Pick<RunResult, 'metrics' | 'slotMinutes'>): string {
  const r = run.metrics.rationing;
  if (r === undefined) return '';
  const own: RationingFigures = { ...r, periods: run.metrics.islands };
  return `<section class="rationing">
<h3>Islanded operation: critical-load survival</h3>
${summary(r, run.metrics.islands)}
<div class="table-scroll">${htmlTable(COLUMNS, rows(own, r.strategy, r.simpleRule, run.slotMinutes), 'rationing')}</div>
</section>`;
}

function summary(r: RationingMetrics, periods: readonly IslandSurvival[]): string {
  const hours = r.criticalSurvivalHoursMin === null ? '–' : formatNumber(r.criticalSurvivalHoursMin, 2);
  const simple = r.simpleRule;
  const compare = simple === undefined ? '' : ` With the simple rule on the same scenario: ${survived(simple)}${simple.criticalSurvivalHoursMin === null ? '' : `, shortest survival ${formatNumber(simple.criticalSurvivalHoursMin, 2)} h`}, critical load not served ${formatNumber(simple.criticalNotServedKwh, 1)} kWh.`;
  const coordination = r.strategy === 'forecast'
    ? ` The islands' microgrid controllers exchanged ${formatInteger(r.peerMessages)} messages peer to peer; ${r.planDisagreements === 0 ? 'every controller that held the same summaries computed the same plan' : `<strong>${formatInteger(r.planDisagreements)} plans disagreed</strong>`}.`
    : '';
  const shortest = periods.length === 0 ? '' : ` Shortest survival: ${hours} h.`;
  return `<p class="rationing-summary">Storage rationed by the <strong>${escapeHtml(RULE_LABELS[r.strategy])} rule</strong>: ${survived(r)}, critical load not served <strong>${formatNumber(r.criticalNotServedKwh, 1)} kWh</strong>.${shortest}${compare}${coordination}</p>`;
}

function survived(f: Pick<RationingFigures, 'islands' | 'islandsSurvived'>): string {
  return `${formatInteger(f.islandsSurvived)} of ${formatInteger(f.islands)} island period${f.islands === 1 ? '' : 's'} kept critical load served throughout`;
}

function rows(own: RationingFigures, strategy: RationingMetrics['strategy'], simple: RationingFigures | undefined, slotMinutes: number): TableRow[] {
  const out: TableRow[] = [];
  own.periods.slice(0, ISLANDS_LISTED).forEach((p, k) => {
    out.push({ cells: periodCells(p, RULE_LABELS[strategy], slotMinutes) });
    const twin = simple?.periods[k];
    if (twin !== undefined && twin.area === p.area && twin.startSlot === p.startSlot) out.push({ cells: periodCells(twin, RULE_LABELS.simple, slotMinutes) });
  });
  out.push({ heading: 'All islands' });
  out.push({ cells: totalCells(own, RULE_LABELS[strategy]) });
  if (simple !== undefined) out.push({ cells: totalCells(simple, RULE_LABELS.simple) });
  return out;
}

function periodCells(p: IslandSurvival, rule: string, slotMinutes: number): string[] {
  const n = p.notServedByPriorityKwh;
  return [
    escapeHtml(p.area), escapeHtml(rule), formatNumber(((p.endSlot - p.startSlot) * slotMinutes) / 60, 2), formatNumber(p.criticalSurvivalHours, 2),
    p.survivedWholePeriod ? 'yes' : '<strong>no</strong>', formatNumber(n.critical, 1), formatNumber(n.essential, 1), formatNumber(n.normal, 1),
  ];
}

function totalCells(f: RationingFigures, rule: string): string[] {
  const n = f.notServedByPriorityKwh;
  return [
    `${formatInteger(f.islands)} island period${f.islands === 1 ? '' : 's'}`, escapeHtml(rule), '', f.criticalSurvivalHoursMin === null ? '–' : `shortest ${formatNumber(f.criticalSurvivalHoursMin, 2)}`,
    `${formatInteger(f.islandsSurvived)} of ${formatInteger(f.islands)}`, formatNumber(n.critical, 1), formatNumber(n.essential, 1), formatNumber(n.normal, 1),
  ];
}
