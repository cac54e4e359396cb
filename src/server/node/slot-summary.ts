/**
 * What a node shows of one settled slot (node-view.ts `SlotSummary`), read from the run's recorder,
 * its markets' series, the area states and the slot's trust records. Kept apart from the runtime so
 * that the figures are easy to check: kW are slot means, money in minor units per kWh.
 */
import { computeRegions, CONNECTED, DARK } from '../../core/grid/islands.js';
import type { PreparedRun } from '../../core/sim/simulate.js';
import type { TrustSlotRecord } from '../../core/trust/trust-run.js';
import type { AreaStatus, AreaView, SlotSummary } from './node-view.js';

export interface SummaryInputs {
  readonly slot: number;
  readonly settledAtMs: number;
  readonly latencyMs: number;
  /** The slot's trust records (undefined when the trust layer is off). */
  readonly trust: TrustSlotRecord | undefined;
  readonly externalReadings: number;
  /** Queue counts, and how many of the slot's statements reached their quorum so far. */
  readonly statements: { readonly final: number; readonly queued: number; readonly committed: number };
}

/** Cumulative per-area import at the previous slot, to turn the recorder's totals into this slot's. */
export class AreaImportTracker {
  private readonly previousWh: Float64Array;

  constructor(areas: number) {
    this.previousWh = new Float64Array(areas);
  }

  /** This slot's import per area (Wh) and remembers the totals for the next slot. */
  slotImportWh(totalWh: Float64Array): Float64Array {
    const out = new Float64Array(totalWh.length);
    for (let a = 0; a < totalWh.length; a++) {
      out[a] = (totalWh[a] as number) - (this.previousWh[a] as number);
      this.previousWh[a] = totalWh[a] as number;
    }
    return out;
  }
}

export function areaViews(run: PreparedRun, importWh: Float64Array | undefined): AreaView[] {
  const { tree, states, clock } = run.model;
  const regions = computeRegions(tree, states, true);
  const views: AreaView[] = [];
  for (let a = 0; a < tree.count; a++) {
    const parent = tree.parent[a] as number;
    views.push({
      id: tree.ids[a] as string,
      level: tree.levels[a] as string,
      parent: a === 0 || parent < 0 ? null : (tree.ids[parent] as string),
      status: statusOf(regions.areaRegion[a] as number),
      sites: (tree.siteEnd[a] as number) - (tree.siteStart[a] as number),
      netImportKw: importWh === undefined ? 0 : round3((importWh[a] as number) / 1000 / clock.slotHours),
    });
  }
  return views;
}

export function slotSummary(run: PreparedRun, areas: readonly AreaView[], i: SummaryInputs): SlotSummary {
  const { model, recorder, market } = run;
  const s = recorder.series;
  const b = model.buffers;
  const h = model.clock.slotHours;
  let drawWh = 0;
  let feedWh = 0;
  let evPaused = 0;
  for (let k = 0; k < model.sites.length; k++) {
    const net = b.netWh[k] as number;
    if (net < 0) drawWh -= net;
    else feedWh += net;
    const site = model.sites[k];
    if (site !== undefined && site.evs.length > 0 && (b.deferrableWh[k] as number) - (b.deferrableServedWh[k] as number) > 0.5) evPaused++;
  }
  const series = market.markets.series;
  const islandPrice = finiteOrNull(series.priceIslandMinorPerKwh[i.slot]) ?? finiteOrNull(series.islandScarcityMinorPerKwh[i.slot]);
  const trust = i.trust;
  return {
    slot: i.slot,
    twinIso: new Date(model.clock.slotStartMs(i.slot)).toISOString(),
    settledAtMs: i.settledAtMs,
    demandKw: round3(s.demandKw[i.slot] ?? 0),
    pvKw: round3(s.pvKw[i.slot] ?? 0),
    windKw: round3(s.windKw[i.slot] ?? 0),
    importKw: round3(drawWh / 1000 / h),
    exportKw: round3(feedWh / 1000 / h),
    unservedKw: round3((s.notServedCriticalKw[i.slot] ?? 0) + (s.notServedEssentialKw[i.slot] ?? 0) + (s.notServedNormalKw[i.slot] ?? 0)),
    priceMinorPerKwh: round3(finiteOrNull(series.priceTsoMinorPerKwh[i.slot]) ?? 0),
    islandPriceMinorPerKwh: islandPrice === null ? null : round3(islandPrice),
    batterySocPct: recorder.series.batterySocPct[i.slot] === undefined || run.model.sites.every((x) => x.batteries.length === 0) ? null : round3(s.batterySocPct[i.slot] as number),
    evPaused,
    areas,
    islands: areas.filter((a) => a.status === 'islanded').map((a) => a.id),
    readings: {
      accepted: trust?.units.reduce((n, u) => n + u.readings.length, 0) ?? 0,
      rejected: trust?.rejections.length ?? 0,
      missing: trust?.missing.length ?? 0,
      external: i.externalReadings,
    },
    statements: { final: i.statements.final, queued: i.statements.queued, committed: i.statements.committed },
    latencyMs: Math.round(i.latencyMs),
  };
}

function statusOf(region: number): AreaStatus {
  if (region === CONNECTED) return 'connected';
  if (region === DARK) return 'dark';
  return 'islanded';
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
