/**
 * The record stage: accumulates the run's metrics (totals, per area, per site for SAIDI/SAIFI) and
 * the per-slot time series. Everything is summed in integer Wh and turned into kWh only at the end.
 */
import type { Battery } from '../assets/capabilities.js';
import type { IslandStage } from '../control/island-controller.js';
import { DARK, ISLAND } from '../grid/islands.js';
import { whToKw } from '../units.js';
import type { EnergyAccounting } from './energy-accounting.js';
import type { CascadeRecord, IslandPeriod, LineFaultRecord, TimeSeries } from './results-types.js';
import type { SlotContext } from './slot-context.js';

export class MetricsRecorder {
  totals = {
    demandWh: 0, servedWh: 0, consumedWh: 0, unservedWh: [0, 0, 0] as [number, number, number], pvWh: 0, windWh: 0, chpWh: 0, curtailedWh: 0, lossWh: 0,
    plantsWh: 0, interconnectorImportWh: 0, customerMinutes: 0, interruptions: 0, peakTsoImportWh: 0,
    networkLossWh: 0, brownoutSlots: 0,
  };
  readonly levelWh = new Float64Array(6);
  readonly siteDemandWh: Float64Array;
  readonly siteUnservedWh: Float64Array;
  readonly siteServedWh: Float64Array;
  /** Served load plus storage charging: what the level shares and self-sufficiency divide. */
  readonly siteConsumedWh: Float64Array;
  readonly siteCustomerMinutes: Float64Array;
  private readonly siteInterrupted: Uint8Array;
  readonly areaImportWh: Float64Array;
  readonly areaPeakImportWh: Float64Array;
  readonly areaIslandedSlots: Float64Array;
  readonly islands: IslandPeriod[] = [];
  readonly lineFaults: LineFaultRecord[] = [];
  readonly cascades: CascadeRecord[] = [];
  private readonly cascadesSeen = new Set<number>();
  private readonly faultsSeen = new Set<number>();
  private readonly openIslands = new Map<number, IslandPeriod>();
  /** Per open island: energy not served by class (Wh) and the first slot critical load was not served. */
  private readonly islandTallies = new Map<number, { unservedWh: [number, number, number]; firstFailSlot: number }>();
  /** The island controller of the run (its rationing rule and peer coordination), once recorded. */
  islandStage: Pick<IslandStage, 'rationing' | 'coordination'> | undefined;
  readonly series: TimeSeries;
  private readonly batteries: Battery[];
  private readonly capacityWh: number;

  constructor(private readonly ctxInfo: { sites: number; areas: number; slots: number; slotMinutes: number; batteries: Battery[]; areaIds: readonly string[] }) {
    const { sites, areas, slots } = ctxInfo;
    this.siteDemandWh = new Float64Array(sites);
    this.siteUnservedWh = new Float64Array(sites);
    this.siteServedWh = new Float64Array(sites);
    this.siteConsumedWh = new Float64Array(sites);
    this.siteCustomerMinutes = new Float64Array(sites);
    this.siteInterrupted = new Uint8Array(sites);
    this.areaImportWh = new Float64Array(areas);
    this.areaPeakImportWh = new Float64Array(areas);
    this.areaIslandedSlots = new Float64Array(areas);
    const col = (): number[] => new Array<number>(slots).fill(0);
    this.series = {
      timeMs: col(), demandKw: col(), servedKw: col(), pvKw: col(), windKw: col(), chpKw: col(), plantsKw: col(),
      curtailedKw: col(), batteryChargeKw: col(), batteryDischargeKw: col(), batterySocPct: col(),
      notServedCriticalKw: col(), notServedEssentialKw: col(), notServedNormalKw: col(), islandedSites: col(), darkSites: col(),
    };
    this.batteries = ctxInfo.batteries;
    this.capacityWh = ctxInfo.batteries.reduce((s, bat) => s + bat.capacityWh, 0);
  }

  record(ctx: SlotContext, accounting: EnergyAccounting, islands?: Pick<IslandStage, 'rationing' | 'coordination'>): void {
    const { model, env, slot, flows, regionSites } = ctx;
    if (islands !== undefined) this.islandStage = islands;
    const b = model.buffers;
    const t = this.totals;
    const slotMinutes = env.slotMinutes;
    let demand = 0, served = 0, pv = 0, wind = 0, chp = 0, curtailed = 0, loss = 0, charge = 0, discharge = 0;
    let islanded = 0, dark = 0;
    const unserved = [0, 0, 0];
    const siteRegion = regionSites.siteRegion;
    for (let i = 0; i < b.size; i++) {
      const d = b.totalDemandWh(i) + (b.deferrableServedWh[i] as number);
      const u0 = b.unservedWh[0][i] as number, u1 = b.unservedWh[1][i] as number, u2 = b.unservedWh[2][i] as number;
      const u = u0 + u1 + u2;
      demand += d;
      served += d - u;
      unserved[0] = (unserved[0] as number) + u0;
      unserved[1] = (unserved[1] as number) + u1;
      unserved[2] = (unserved[2] as number) + u2;
      pv += b.pvWh[i] as number;
      wind += b.windWh[i] as number;
      chp += b.chpWh[i] as number;
      curtailed += b.curtailedWh[i] as number;
      loss += b.lossWh[i] as number;
      charge += b.chargeWh[i] as number;
      discharge += b.dischargeWh[i] as number;
      this.siteDemandWh[i] = (this.siteDemandWh[i] as number) + d;
      this.siteServedWh[i] = (this.siteServedWh[i] as number) + d - u;
      this.siteConsumedWh[i] = (this.siteConsumedWh[i] as number) + d - u + (b.chargeWh[i] as number);
      this.siteUnservedWh[i] = (this.siteUnservedWh[i] as number) + u;
      if (u > 0) {
        this.siteCustomerMinutes[i] = (this.siteCustomerMinutes[i] as number) + slotMinutes;
        t.customerMinutes += slotMinutes;
        if (this.siteInterrupted[i] === 0) t.interruptions++;
        this.siteInterrupted[i] = 1;
      } else {
        this.siteInterrupted[i] = 0;
      }
      const region = siteRegion[i];
      if (region === ISLAND) islanded++;
      else if (region === DARK) dark++;
    }
    for (const root of ctx.collapsedIslands) {
      const count = regionSites.islands.get(root)?.length ?? 0;
      dark += count;
      islanded -= count;
    }

    t.demandWh += demand;
    t.servedWh += served;
    t.consumedWh += served + charge;
    t.unservedWh[0] += unserved[0] as number;
    t.unservedWh[1] += unserved[1] as number;
    t.unservedWh[2] += unserved[2] as number;
    t.pvWh += pv; t.windWh += wind; t.chpWh += chp; t.curtailedWh += curtailed; t.lossWh += loss;
    t.plantsWh += flows.plantsWh;
    for (const loss of model.grid.areaNetworkLossWh) t.networkLossWh += loss;
    t.brownoutSlots += ctx.brownouts.length;
    t.interconnectorImportWh += flows.interconnectorImportWh;
    const tsoImport = accounting.areaImportWh[0] as number;
    t.peakTsoImportWh = Math.max(t.peakTsoImportWh, tsoImport);
    for (let l = 0; l < 6; l++) this.levelWh[l] = (this.levelWh[l] as number) + (accounting.levelMatchedWh[l] as number);
    this.recordAreas(ctx, accounting);
    this.recordIslands(ctx);
    this.tallyIslands(ctx);
    this.recordLineFaults(ctx);
    this.recordCascades(ctx);

    const h = env.slotHours;
    const s = this.series;
    s.timeMs[slot] = env.startMs;
    s.demandKw[slot] = whToKw(demand, h);
    s.servedKw[slot] = whToKw(served, h);
    s.pvKw[slot] = whToKw(pv, h);
    s.windKw[slot] = whToKw(wind, h);
    s.chpKw[slot] = whToKw(chp, h);
    s.plantsKw[slot] = whToKw(flows.plantsWh + flows.interconnectorImportWh, h);
    s.curtailedKw[slot] = whToKw(curtailed, h);
    s.batteryChargeKw[slot] = whToKw(charge, h);
    s.batteryDischargeKw[slot] = whToKw(discharge, h);
    s.batterySocPct[slot] = this.socPct();
    s.notServedCriticalKw[slot] = whToKw(unserved[0] as number, h);
    s.notServedEssentialKw[slot] = whToKw(unserved[1] as number, h);
    s.notServedNormalKw[slot] = whToKw(unserved[2] as number, h);
    s.islandedSites[slot] = islanded;
    s.darkSites[slot] = dark;
  }

  private socPct(): number {
    if (this.capacityWh === 0) return 0;
    let stored = 0;
    for (const bat of this.batteries) stored += bat.storedWh;
    return (100 * stored) / this.capacityWh;
  }

  private recordAreas(ctx: SlotContext, accounting: EnergyAccounting): void {
    const areaRegion = ctx.regionSites.regions.areaRegion;
    for (let a = 0; a < this.areaImportWh.length; a++) {
      const im = accounting.areaImportWh[a] as number;
      this.areaImportWh[a] = (this.areaImportWh[a] as number) + im;
      if (im > (this.areaPeakImportWh[a] as number)) this.areaPeakImportWh[a] = im;
      if (areaRegion[a] === ISLAND) this.areaIslandedSlots[a] = (this.areaIslandedSlots[a] as number) + 1;
    }
  }

  /** Each cascade once, when it starts, with its size. */
  private recordCascades(ctx: SlotContext): void {
    const { model, slot } = ctx;
    for (const [event, endSlot] of model.states.activeCascades) {
      const plan = model.cascadePlans.get(event);
      const spec = model.cascadeEvents.get(event);
      if (plan === undefined || spec === undefined || this.cascadesSeen.has(event)) continue;
      this.cascadesSeen.add(event);
      const s = plan.result.summary;
      this.cascades.push({
        area: model.tree.ids[plan.area] as string, trip: spec.trip, startSlot: slot, endSlot,
        linesTripped: s.linesTripped, busesLost: s.customersLost, busesShed: s.customersShed,
        loadLostKw: Math.round(s.loadLostKw * 1000) / 1000, loadShedKw: Math.round(s.loadShedKw * 1000) / 1000,
        darkSites: plan.lost.length + plan.shed.length, islandedSites: plan.island.length, rounds: s.rounds,
      });
    }
  }

  /** Each line fault once, when it starts: what self-healing did, or the dark feeder in baseline. */
  private recordLineFaults(ctx: SlotContext): void {
    const { model, slot } = ctx;
    for (const [event, endSlot] of model.states.activeLineFaults) {
      const plan = model.lineFaults.get(event);
      if (plan === undefined || this.faultsSeen.has(event)) continue;
      this.faultsSeen.add(event);
      const all = plan.isolated.length + plan.upstream.length + plan.viaTies.length + plan.island.length + plan.unserved.length;
      const healing = model.mode === 'autonomous';
      this.lineFaults.push({
        area: model.tree.ids[plan.area] as string, section: plan.section, branch: plan.branch, startSlot: slot, endSlot,
        isolatedSites: plan.isolated.length,
        restoredSites: healing ? plan.upstream.length + plan.viaTies.length : 0,
        restoredViaTieSites: healing ? plan.viaTies.length : 0,
        islandedSites: healing ? plan.island.length : 0,
        darkSites: healing ? plan.isolated.length + plan.unserved.length : all,
        restorationTimeS: healing ? plan.restorationTimeS : null,
        steps: healing
          ? plan.steps.map((s) => ({ timeS: s.timeS, action: s.action, note: s.note }))
          : [{ timeS: 0, action: 'trip', note: 'feeder breaker trips; the feeder stays dark until the repair (no automatic switching)' }],
      });
    }
  }

  /** Islanding periods: an island root appearing opens a period, disappearing closes it. */
  private recordIslands(ctx: SlotContext): void {
    const { slot, regionSites } = ctx;
    const now = new Set(regionSites.islands.keys());
    for (const [root, period] of this.openIslands) {
      if (!now.has(root)) this.closeIsland(root, period, slot);
    }
    for (const root of now) {
      if (!this.openIslands.has(root)) {
        const former = ctx.gridFormers.get(root);
        const gridFormer = former === undefined ? null : (ctx.model.sites[former]?.id ?? null);
        const area = regionSites.faultIslands.get(root)?.name ?? (this.ctxInfo.areaIds[root] as string);
        const period: IslandPeriod = {
          area, startSlot: slot, endSlot: slot + 1, minutes: 0, gridFormer,
          criticalSurvivalHours: 0, survivedWholePeriod: true, notServedByPriorityKwh: { critical: 0, essential: 0, normal: 0 },
        };
        this.openIslands.set(root, period);
        this.islandTallies.set(root, { unservedWh: [0, 0, 0], firstFailSlot: -1 });
        this.islands.push(period);
      }
    }
  }

  /** Energy not served in each island this slot, and whether its critical load was fully served. */
  private tallyIslands(ctx: SlotContext): void {
    const b = ctx.model.buffers;
    for (const [root, sites] of ctx.regionSites.islands) {
      const tally = this.islandTallies.get(root);
      if (tally === undefined) continue;
      const u = tally.unservedWh;
      let critical = 0;
      for (let k = 0; k < sites.length; k++) {
        const i = sites[k] as number;
        critical += b.unservedWh[0][i] as number;
        u[1] += b.unservedWh[1][i] as number;
        u[2] += b.unservedWh[2][i] as number;
      }
      u[0] += critical;
      if (critical > 0 && tally.firstFailSlot < 0) tally.firstFailSlot = ctx.slot;
    }
  }

  private closeIsland(root: number, period: IslandPeriod, endSlot: number): void {
    period.endSlot = endSlot;
    period.minutes = (endSlot - period.startSlot) * this.ctxInfo.slotMinutes;
    const tally = this.islandTallies.get(root);
    if (tally !== undefined) {
      const survivedTo = tally.firstFailSlot >= 0 ? tally.firstFailSlot : endSlot;
      const kwh = (wh: number): number => Math.round(wh) / 1000;
      period.criticalSurvivalHours = Math.round(((survivedTo - period.startSlot) * this.ctxInfo.slotMinutes * 1000) / 60) / 1000;
      period.survivedWholePeriod = tally.firstFailSlot < 0;
      period.notServedByPriorityKwh = { critical: kwh(tally.unservedWh[0]), essential: kwh(tally.unservedWh[1]), normal: kwh(tally.unservedWh[2]) };
    }
    this.islandTallies.delete(root);
    this.openIslands.delete(root);
  }

  /** Closes islands still running at the end of the run. */
  finish(slots: number): void {
    for (const [root, period] of this.openIslands) this.closeIsland(root, period, slots);
  }
}
