/** The per-run tables: islanding periods, energy not served by priority, and the areas. */
import type { AreaMetrics, IslandPeriod, RunResult } from '../../core/sim/results-types.js';
import type { PriorityClass } from '../../core/sim/scenario-schema.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';
import { formatScenarioTime, type ScenarioTime } from './scenario-time.js';

/** Tables longer than this show their first rows and say how many were left out. */
export const TABLE_ROWS_MAX = 200;

export function islandPeriodsTable(run: RunResult, time: ScenarioTime): string {
  const islands = run.metrics.islands;
  if (islands.length === 0) return '<p class="note">No microgrid islanded in this run.</p>';
  const columns = [
    { label: 'Microgrid' }, { label: `Start (${escapeHtml(time.label)})` }, { label: `End (${escapeHtml(time.label)})` },
    { label: 'Slots', numeric: true }, { label: 'Minutes', numeric: true }, { label: 'Grid formed by' },
  ];
  const rows = islands.slice(0, TABLE_ROWS_MAX).map((island) => ({ cells: islandCells(run, island, time) }));
  return htmlTable(columns, rows, 'islands') + truncationNote(islands.length, 'islanding periods');
}

function islandCells(run: RunResult, island: IslandPeriod, time: ScenarioTime): string[] {
  const stillIslanded = island.endSlot >= run.slots;
  return [
    escapeHtml(island.area),
    formatScenarioTime(slotStartMs(run, island.startSlot), time),
    stillIslanded ? 'still islanded at the end' : formatScenarioTime(slotStartMs(run, island.endSlot), time),
    `${island.startSlot}–${island.endSlot}`,
    formatInteger(island.minutes),
    escapeHtml(island.gridFormer ?? 'none (dark)'),
  ];
}

/** Start of a slot; the slot after the last one is computed from the slot length. */
function slotStartMs(run: RunResult, slot: number): number {
  const first = run.series.timeMs[0] ?? Date.parse(run.start);
  return run.series.timeMs[slot] ?? first + slot * run.slotMinutes * 60_000;
}

const PRIORITIES: readonly PriorityClass[] = ['critical', 'essential', 'normal'];

/**
 * Total energy not served per priority, with a bar scaled to `scaleKwh` (the largest value across
 * the runs in the report, so bars of two runs compare directly).
 */
export function notServedByPriorityTable(run: RunResult, scaleKwh: number): string {
  const columns = [{ label: 'Priority' }, { label: 'Not served, kWh', numeric: true }, { label: '' }];
  const rows = PRIORITIES.map((priority) => {
    const kwh = run.metrics.energyNotServedByPriorityKwh[priority];
    const widthPct = scaleKwh > 0 ? Math.max(0, Math.min(100, (kwh / scaleKwh) * 100)) : 0;
    const bar = `<span class="bar ${priority}" style="width:${widthPct.toFixed(1)}%"></span>`;
    return { cells: [priority, formatNumber(kwh, 1), `<span class="bar-track">${bar}</span>`] };
  });
  return htmlTable(columns, rows, 'priorities');
}

export function largestNotServedByPriorityKwh(runs: readonly RunResult[]): number {
  return Math.max(0, ...runs.flatMap((run) => PRIORITIES.map((p) => run.metrics.energyNotServedByPriorityKwh[p])));
}

export function areasTable(run: RunResult): string {
  const columns = [
    { label: 'Area' }, { label: 'Level' }, { label: 'Microgrid' }, { label: 'Sites', numeric: true },
    { label: 'Demand, kWh', numeric: true }, { label: 'Served, kWh', numeric: true },
    { label: 'Not served, kWh', numeric: true }, { label: 'Customer-min interrupted', numeric: true },
    { label: 'Self-sufficiency, %', numeric: true }, { label: 'Peak import, kW', numeric: true },
    { label: 'Islanded, min', numeric: true },
  ];
  const rows = run.areas.slice(0, TABLE_ROWS_MAX).map((area) => ({ cells: areaCells(area) }));
  return htmlTable(columns, rows, 'areas') + truncationNote(run.areas.length, 'areas');
}

function areaCells(area: AreaMetrics): string[] {
  return [
    escapeHtml(area.id),
    escapeHtml(area.level),
    area.microgrid ? 'yes' : '–',
    formatInteger(area.sites),
    formatNumber(area.energyDemandKwh, 1),
    formatNumber(area.energyServedKwh, 1),
    formatNumber(area.energyNotServedKwh, 1),
    formatInteger(area.customerMinutesInterrupted),
    formatNumber(area.selfSufficiencyPct, 1),
    formatNumber(area.peakImportKw, 1),
    formatInteger(area.islandedMinutes),
  ];
}

function truncationNote(total: number, what: string): string {
  if (total <= TABLE_ROWS_MAX) return '';
  return `<p class="note">Showing the first ${TABLE_ROWS_MAX} of ${formatInteger(total)} ${what}; results.json has them all.</p>`;
}
