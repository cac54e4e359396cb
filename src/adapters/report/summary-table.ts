/**
 * The key metrics of each run in one table, a column per run (autonomous and baseline side by side
 * when both are present).
 */
import type { LevelShares, RunMetrics, RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable, type TableRow } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';
import { MODE_LABELS } from './run-labels.js';

interface MetricRow {
  label: string;
  value: (metrics: RunMetrics) => string;
}

type MetricGroup = { heading: string; rows: MetricRow[] };

const kwh = (pick: (m: RunMetrics) => number) => (m: RunMetrics) => formatNumber(pick(m), 1);
const pct = (pick: (m: RunMetrics) => number) => (m: RunMetrics) => formatNumber(pick(m), 1);
const count = (pick: (m: RunMetrics) => number) => (m: RunMetrics) => formatInteger(pick(m));

const LEVEL_LABELS: Record<keyof LevelShares, string> = {
  site: 'site (behind the meter)',
  street: 'street',
  neighbourhood: 'neighbourhood',
  city: 'city',
  dso: 'DSO',
  tso: 'TSO (central plants, interconnector)',
};

const METRIC_GROUPS: MetricGroup[] = [
  {
    heading: 'Energy',
    rows: [
      { label: 'Demand, kWh', value: kwh((m) => m.energyDemandKwh) },
      { label: 'Served, kWh', value: kwh((m) => m.energyServedKwh) },
      { label: 'Not served, kWh', value: kwh((m) => m.energyNotServedKwh) },
      { label: '… critical loads, kWh', value: kwh((m) => m.energyNotServedByPriorityKwh.critical) },
      { label: '… essential loads, kWh', value: kwh((m) => m.energyNotServedByPriorityKwh.essential) },
      { label: '… normal loads, kWh', value: kwh((m) => m.energyNotServedByPriorityKwh.normal) },
      { label: 'EV charging unmet, kWh', value: kwh((m) => m.evUnmetKwh) },
    ],
  },
  {
    heading: 'Reliability',
    rows: [
      { label: 'Customer-minutes interrupted', value: count((m) => m.customerMinutesInterrupted) },
      { label: 'Interruptions', value: count((m) => m.interruptions) },
      { label: 'SAIDI, minutes per site', value: (m) => formatNumber(m.saidiMinutes, 1) },
      { label: 'SAIFI, interruptions per site', value: (m) => formatNumber(m.saifi, 2) },
    ],
  },
  {
    heading: 'Local balance',
    rows: [
      { label: 'Self-sufficiency, %', value: pct((m) => m.selfSufficiencyPct) },
      ...(Object.keys(LEVEL_LABELS) as (keyof LevelShares)[]).map((level) => ({
        label: `Balanced at ${LEVEL_LABELS[level]}, %`,
        value: pct((m) => m.localBalancePct[level]),
      })),
    ],
  },
  {
    heading: 'Generation and grid',
    rows: [
      { label: 'Generation, kWh', value: kwh((m) => m.generationKwh) },
      { label: 'Curtailment, kWh', value: kwh((m) => m.curtailmentKwh) },
      { label: 'Storage losses, kWh', value: kwh((m) => m.lossesKwh) },
      { label: 'Peak import via TSO, kW', value: (m) => formatNumber(m.peakImportKw, 1) },
      { label: 'Network losses (feeders), kWh', value: kwh((m) => m.networkLossesKwh) },
      { label: 'Feeder voltage violations (feeder-slots)', value: (m) => (m.grid === undefined ? '–' : formatInteger(m.grid.voltageViolations)) },
      { label: 'Feeder thermal violations (feeder-slots)', value: (m) => (m.grid === undefined ? '–' : formatInteger(m.grid.thermalViolations)) },
      { label: 'Lowest feeder voltage, pu', value: (m) => (m.grid === undefined ? '–' : formatNumber(m.grid.worstVminPu, 3)) },
      { label: 'Highest feeder loading, %', value: (m) => (m.grid === undefined ? '–' : formatNumber(m.grid.worstLoadingPct, 1)) },
      { label: 'Island brownouts (island-slots)', value: count((m) => m.brownoutSlots) },
    ],
  },
  {
    heading: 'Islanding',
    rows: [
      { label: 'Islanding events', value: count((m) => m.islandingEvents) },
      { label: 'Islanded minutes', value: count((m) => m.islandedMinutes) },
    ],
  },
];

export function summaryTable(runs: readonly RunResult[]): string {
  const columns = [
    { label: 'Metric' },
    ...runs.map((run) => ({ label: escapeHtml(MODE_LABELS[run.mode]), numeric: true })),
  ];
  const rows: TableRow[] = METRIC_GROUPS.flatMap((group) => [
    { heading: group.heading },
    ...group.rows.map((row) => ({ cells: [escapeHtml(row.label), ...runs.map((run) => row.value(run.metrics))] })),
  ]);
  return htmlTable(columns, rows, 'summary');
}
