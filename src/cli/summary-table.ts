/** The table printed at the end of `gridmesh simulate`: key metrics, one column per mode. */
import type { RunResult } from '../core/sim/results-types.js';

type Row = [label: string, value: (r: RunResult) => string];

const n = (x: number, digits = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const ROWS: Row[] = [
  ['energy demand (kWh)', (r) => n(r.metrics.energyDemandKwh)],
  ['energy served (kWh)', (r) => n(r.metrics.energyServedKwh)],
  ['energy not served (kWh)', (r) => n(r.metrics.energyNotServedKwh)],
  ['  critical (kWh)', (r) => n(r.metrics.energyNotServedByPriorityKwh.critical)],
  ['  essential (kWh)', (r) => n(r.metrics.energyNotServedByPriorityKwh.essential)],
  ['  normal (kWh)', (r) => n(r.metrics.energyNotServedByPriorityKwh.normal)],
  ['customer-minutes interrupted', (r) => n(r.metrics.customerMinutesInterrupted, 0)],
  ['SAIDI (min/customer)', (r) => n(r.metrics.saidiMinutes)],
  ['SAIFI (interruptions/customer)', (r) => n(r.metrics.saifi, 2)],
  ['self-sufficiency (%)', (r) => n(r.metrics.selfSufficiencyPct)],
  ['balanced behind the meter (%)', (r) => n(r.metrics.localBalancePct.site)],
  ['balanced in street (%)', (r) => n(r.metrics.localBalancePct.street)],
  ['balanced in neighbourhood (%)', (r) => n(r.metrics.localBalancePct.neighbourhood)],
  ['balanced in city (%)', (r) => n(r.metrics.localBalancePct.city)],
  ['balanced at DSO (%)', (r) => n(r.metrics.localBalancePct.dso)],
  ['supplied via TSO (%)', (r) => n(r.metrics.localBalancePct.tso)],
  ['peak import via TSO (kW)', (r) => n(r.metrics.peakImportKw)],
  ['curtailment (kWh)', (r) => n(r.metrics.curtailmentKwh)],
  ['network losses (kWh)', (r) => n(r.metrics.networkLossesKwh)],
  ['feeder voltage violations', (r) => (r.metrics.grid === undefined ? '-' : String(r.metrics.grid.voltageViolations))],
  ['feeder thermal violations', (r) => (r.metrics.grid === undefined ? '-' : String(r.metrics.grid.thermalViolations))],
  ['lowest feeder voltage (pu)', (r) => (r.metrics.grid === undefined ? '-' : n(r.metrics.grid.worstVminPu, 3))],
  ['EV energy unmet (kWh)', (r) => n(r.metrics.evUnmetKwh)],
  ['islanding events', (r) => String(r.metrics.islandingEvents)],
  ['islanded (microgrid-hours)', (r) => n(r.metrics.islandedMinutes / 60)],
];

export function summaryTable(runs: readonly RunResult[]): string {
  const header = ['metric', ...runs.map((r) => r.mode)];
  const body = ROWS.map(([label, value]) => [label, ...runs.map(value)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
