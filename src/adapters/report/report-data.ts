/**
 * The data the page's chart script draws, embedded as JSON. Only the time series go in: the tables
 * are rendered as HTML on the server. Values are rounded to 3 decimals (1 W) to keep long runs small.
 */
import type { RunResult, SimulationMode, TimeSeries } from '../../core/sim/results-types.js';
import type { ScenarioTime } from './scenario-time.js';

type SeriesColumn = Exclude<keyof TimeSeries, 'timeMs'>;

export const CHART_COLUMNS = [
  'demandKw', 'servedKw', 'pvKw', 'windKw', 'chpKw', 'plantsKw', 'curtailedKw', 'batterySocPct',
  'notServedCriticalKw', 'notServedEssentialKw', 'notServedNormalKw', 'islandedSites', 'darkSites',
] as const satisfies readonly SeriesColumn[];

export type ChartColumn = (typeof CHART_COLUMNS)[number];

export interface ChartRun {
  mode: SimulationMode;
  /**
   * Slot start times in seconds, shifted by the scenario's UTC offset: the chart script shows them as
   * wall-clock times read in UTC, which is the scenario's time whatever the viewer's time zone.
   */
  xSec: number[];
  columns: Record<ChartColumn | 'notServedKw' | 'priceTsoMinorPerKwh' | 'priceLocalMinorPerKwh' | 'priceIslandMinorPerKwh' | 'islandScarcityMinorPerKwh' | 'forecastDemandKw' | 'forecastPvKw', (number | null)[]>;
}

export interface ReportData {
  scenario: string;
  timeLabel: string;
  runs: ChartRun[];
}

export function reportData(runs: readonly RunResult[], time: ScenarioTime): ReportData {
  const scenario = runs[0]?.scenario ?? '';
  return { scenario, timeLabel: time.label, runs: runs.map((run) => chartRun(run, time)) };
}

function chartRun(run: RunResult, time: ScenarioTime): ChartRun {
  const { series } = run;
  const columns = {} as ChartRun['columns'];
  for (const column of CHART_COLUMNS) columns[column] = series[column].map(rounded);
  columns.notServedKw = series.notServedCriticalKw.map((critical, slot) =>
    rounded(critical + (series.notServedEssentialKw[slot] ?? 0) + (series.notServedNormalKw[slot] ?? 0)),
  );
  columns.priceTsoMinorPerKwh = (series.priceTsoMinorPerKwh ?? []).map(rounded);
  columns.priceLocalMinorPerKwh = (series.priceLocalMinorPerKwh ?? []).map(rounded);
  columns.priceIslandMinorPerKwh = (series.priceIslandMinorPerKwh ?? []).map(rounded);
  columns.islandScarcityMinorPerKwh = (series.islandScarcityMinorPerKwh ?? []).map(rounded);
  columns.forecastDemandKw = (series.forecastDemandKw ?? []).map(rounded);
  columns.forecastPvKw = (series.forecastPvKw ?? []).map(rounded);
  return {
    mode: run.mode,
    xSec: series.timeMs.map((ms) => Math.round((ms + time.offsetMs) / 1000)),
    columns,
  };
}

/** Non-finite values become gaps (`null`), which uPlot leaves undrawn. */
function rounded(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const r = Math.round(value * 1000) / 1000;
  return r === 0 ? 0 : r;
}
