/**
 * Turns the recorder's integer totals into a RunResult and hashes it. The hash is SHA-256 over the
 * canonical JSON of the result (series included), so equal runs give equal hashes byte for byte.
 */
import { createHash } from 'node:crypto';
import type { AreaTree } from '../grid/area-tree.js';
import type { FeederGrid, FeederStats } from '../grid/feeder/feeder-grid.js';
import type { MetricsRecorder } from './metrics-recorder.js';
import type { AreaMetrics, GridMetrics, RationingMetrics, RunMetrics, RunResult } from './results-types.js';
import { rationingFigures } from '../control/island/rationing-figures.js';
import type { MarketMetrics, MarketSeries } from '../market/market-metrics.js';
import type { ControlMetrics, ControlSeries } from '../control/control-metrics.js';
import type { TrustMetrics } from '../trust/trust-metrics.js';

export type RunInfo = Pick<RunResult, 'scenario' | 'seed' | 'mode' | 'start' | 'slotMinutes' | 'slots' | 'sites'> & {
  evUnmetWh: number;
};

const kwh = (wh: number): number => Math.round(wh) / 1000;
const pct = (part: number, whole: number): number => (whole > 0 ? round3((100 * part) / whole) : 0);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function buildResult(info: RunInfo, rec: MetricsRecorder, tree: AreaTree, grid: FeederGrid, market?: { metrics: MarketMetrics; series: MarketSeries; trust?: TrustMetrics | undefined; control?: { metrics: ControlMetrics; series: ControlSeries } | undefined }): RunResult {
  const withoutHash = {
    scenario: info.scenario, seed: info.seed, mode: info.mode, start: info.start, slotMinutes: info.slotMinutes,
    slots: info.slots, sites: info.sites,
    metrics: { ...runMetrics(info, rec, grid), ...(market === undefined ? {} : { market: market.metrics }), ...(market?.trust === undefined ? {} : { trust: market.trust }), ...(market?.control === undefined ? {} : { control: market.control.metrics }) },
    areas: areaMetrics(info, rec, tree, grid),
    series: roundSeries({ ...rec.series, ...(market === undefined ? {} : market.series), ...(market?.control === undefined ? {} : market.control.series) }),
  };
  return { ...withoutHash, resultsHash: hashOf(withoutHash) };
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function runMetrics(info: RunInfo, rec: MetricsRecorder, grid: FeederGrid): RunMetrics {
  const t = rec.totals;
  const slotHours = info.slotMinutes / 60;
  const unserved = t.unservedWh[0] + t.unservedWh[1] + t.unservedWh[2];
  const levels = rec.levelWh;
  const levelTotal = levels.reduce((sum, x) => sum + x, 0);
  const share = (k: number): number => pct(levels[k] as number, levelTotal);
  // Energy that entered the distribution network from the TSO (plants, interconnector).
  const tsoSupplyWh = rec.areaImportWh[0] as number;
  const islandedMinutes = rec.islands.reduce((s, p) => s + p.minutes, 0);
  return {
    energyDemandKwh: kwh(t.demandWh),
    energyServedKwh: kwh(t.servedWh),
    energyNotServedKwh: kwh(unserved),
    energyNotServedByPriorityKwh: { critical: kwh(t.unservedWh[0]), essential: kwh(t.unservedWh[1]), normal: kwh(t.unservedWh[2]) },
    criticalEnergyNotServedKwh: kwh(t.unservedWh[0]),
    customerMinutesInterrupted: t.customerMinutes,
    interruptions: t.interruptions,
    saidiMinutes: info.sites > 0 ? round3(t.customerMinutes / info.sites) : 0,
    saifi: info.sites > 0 ? round3(t.interruptions / info.sites) : 0,
    selfSufficiencyPct: pct(Math.max(0, t.consumedWh - tsoSupplyWh), t.consumedWh),
    localBalancePct: { site: share(0), street: share(1), neighbourhood: share(2), city: share(3), dso: share(4), tso: share(5) },
    peakImportKw: round3(t.peakTsoImportWh / 1000 / slotHours),
    generationKwh: kwh(t.pvWh + t.windWh + t.chpWh),
    curtailmentKwh: kwh(t.curtailedWh),
    lossesKwh: kwh(t.lossWh),
    evUnmetKwh: kwh(info.evUnmetWh),
    networkLossesKwh: kwh(t.networkLossWh),
    ...(grid.any ? { grid: gridMetrics(grid.stats.filter((s): s is FeederStats => s !== undefined), info.slotMinutes) } : {}),
    brownoutSlots: t.brownoutSlots,
    islandingEvents: rec.islands.length,
    islandedMinutes,
    islands: rec.islands.map((p) => ({ ...p })),
    lineFaults: rec.lineFaults.map((f) => ({ ...f, steps: f.steps.map((s) => ({ ...s })) })),
    cascades: rec.cascades.map((c) => ({ ...c })),
    ...(rec.islands.length > 0 && rec.islandStage !== undefined ? { rationing: rationingMetrics(rec) } : {}),
  };
}

/** Islanded operation: survival and energy not served from the island periods, and the controllers' coordination. */
function rationingMetrics(rec: MetricsRecorder): RationingMetrics {
  const { periods: _periods, ...figures } = rationingFigures(rec.islands);
  const stage = rec.islandStage;
  const coordination = stage?.coordination() ?? { peerMessages: 0, planDisagreements: 0 };
  return { strategy: stage?.rationing ?? 'forecast', ...figures, peerMessages: coordination.peerMessages, planDisagreements: coordination.planDisagreements };
}

function areaMetrics(info: RunInfo, rec: MetricsRecorder, tree: AreaTree, grid: FeederGrid): AreaMetrics[] {
  const prefix = (values: Float64Array): Float64Array => {
    const out = new Float64Array(values.length + 1);
    for (let i = 0; i < values.length; i++) out[i + 1] = (out[i] as number) + (values[i] as number);
    return out;
  };
  const demand = prefix(rec.siteDemandWh);
  const served = prefix(rec.siteServedWh);
  const consumed = prefix(rec.siteConsumedWh);
  const unserved = prefix(rec.siteUnservedWh);
  const minutes = prefix(rec.siteCustomerMinutes);
  const slotHours = info.slotMinutes / 60;
  return tree.ids.map((id, a) => {
    const s = tree.siteStart[a] as number;
    const e = tree.siteEnd[a] as number;
    const range = (p: Float64Array): number => (p[e] as number) - (p[s] as number);
    const servedWh = range(served);
    const consumedWh = range(consumed);
    return {
      id, level: tree.levels[a] as AreaMetrics['level'], microgrid: tree.microgrid[a] === true, sites: e - s,
      energyDemandKwh: kwh(range(demand)), energyServedKwh: kwh(servedWh), energyNotServedKwh: kwh(range(unserved)),
      customerMinutesInterrupted: range(minutes),
      selfSufficiencyPct: pct(Math.max(0, consumedWh - (rec.areaImportWh[a] as number)), consumedWh),
      peakImportKw: round3((rec.areaPeakImportWh[a] as number) / 1000 / slotHours),
      islandedMinutes: (rec.areaIslandedSlots[a] as number) * info.slotMinutes,
      ...feederOf(grid.stats[a], info.slotMinutes),
    };
  });
}

function gridMetrics(stats: FeederStats[], slotMinutes: number): GridMetrics {
  const worst = (values: number[], pick: (a: number, b: number) => number, none: number): number =>
    round3(values.length === 0 ? none : values.reduce((x, y) => pick(x, y)));
  const converged = stats.filter((s) => Number.isFinite(s.worstVminPu));
  return {
    feeders: stats.length,
    voltageViolations: stats.reduce((s, x) => s + x.voltageViolations, 0),
    thermalViolations: stats.reduce((s, x) => s + x.thermalViolations, 0),
    violationMinutes: stats.reduce((s, x) => s + x.violationSlots, 0) * slotMinutes,
    nonConverged: stats.reduce((s, x) => s + x.nonConverged, 0),
    worstVminPu: worst(converged.map((s) => s.worstVminPu), Math.min, 1),
    worstVmaxPu: worst(converged.map((s) => s.worstVmaxPu), Math.max, 1),
    worstLoadingPct: worst(stats.map((s) => s.worstLoadingPct), Math.max, 0),
  };
}

function feederOf(stats: FeederStats | undefined, slotMinutes: number): Pick<AreaMetrics, 'feeder'> {
  if (stats === undefined) return {};
  return { feeder: { ...gridMetrics([stats], slotMinutes), lossesKwh: kwh(stats.lossWh) } };
}

function roundSeries(series: MetricsRecorder['series']): MetricsRecorder['series'] {
  const out = {} as Record<string, number[]>;
  for (const [key, values] of Object.entries(series)) out[key] = key === 'timeMs' ? [...values] : values.map(round3);
  return out as unknown as MetricsRecorder['series'];
}
