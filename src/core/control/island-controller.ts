/**
 * The microgrid controller of an island (autonomous mode), run every slot while its upstream link
 * is out. It forms the grid from a grid-forming source, balances local generation, CHP and storage
 * against load, keeps a storage reserve for critical load over the expected outage, sheds whole
 * sites by priority (normal first, critical last, rotating), and curtails surplus.
 *
 * Within an island the network is treated as one bus (internal link limits are not applied; the
 * grid-physics issue adds feeder constraints).
 *
 * The reserve follows `autonomy.rationing` (docs/islanding.md):
 * - `simple` (the spine's rule): R = max(0, critical demand − CHP capacity) per slot × slots left of
 *   the expected outage (the announced duration, or `rationingHorizonHours` when none was announced
 *   or communication is cut). Each battery keeps the same fraction R / (usable energy of the island)
 *   for critical load.
 * - `forecast` (issue 6, island/forecast-rationing.ts): the island's microgrid controllers forecast
 *   critical load net of generation, agree peer to peer on the reserve that carries critical load
 *   through the expected outage, and release storage above it to essential and normal load spread
 *   until the next forecast surplus; re-planned every slot.
 */
import { assert } from '../assert.js';
import { allocateProRata } from '../sim/pro-rata.js';
import type { RationingStrategy } from '../sim/results-types.js';
import type { SimModel, SlotContext } from '../sim/slot-context.js';
import type { SlotBuffers } from '../sim/slot-buffers.js';
import { curtailExports } from './curtailment.js';
import { ForecastRationing } from './island/forecast-rationing.js';
import type { IslandLoadForecast } from './island/island-load-forecast.js';
import type { RationingPlan } from './island/rationing-plan.js';
import { SAFETY_MARGIN_PCT } from './island/reserve-need.js';
import { selfConsume } from './self-consumption.js';

export type { RationingStrategy };

export interface IslandControllerOptions {
  /** Default `forecast`, the scenario default. */
  readonly rationing?: RationingStrategy;
  /** Forecast rule: deficits taken this much larger and surpluses this much smaller, percent. */
  readonly safetyMarginPct?: number;
  /** Forecast rule: replaces the seasonal forecast (e.g. a learned model, see island-load-forecast.ts). */
  readonly forecast?: IslandLoadForecast;
}

/** Peer coordination of the forecast rule over the run so far. */
export interface CoordinationCounts {
  readonly peerMessages: number;
  readonly planDisagreements: number;
}

/** What the slot engine runs for islands (`EngineStages.islands` replaces the default controller). */
export interface IslandStage {
  readonly rationing: RationingStrategy;
  /** Every slot, after sense: controllers record what their sites sensed (forecast history). */
  observe(ctx: SlotContext): void;
  /** Balances one island for the slot; returns false when it cannot form (no grid-forming source). */
  run(ctx: SlotContext, root: number, sites: Int32Array): boolean;
  coordination(): CoordinationCounts;
}

export class IslandController implements IslandStage {
  readonly rationing: RationingStrategy;
  private readonly safetyMarginPct: number;
  private readonly forecast: IslandLoadForecast | undefined;
  /** The forecast rule's state (history, peer bus), made on first use. */
  private forecastRule: ForecastRationing | undefined;

  constructor(options: IslandControllerOptions = {}) {
    this.rationing = options.rationing ?? 'forecast';
    this.safetyMarginPct = options.safetyMarginPct ?? SAFETY_MARGIN_PCT;
    this.forecast = options.forecast;
  }

  observe(ctx: SlotContext): void {
    if (this.rationing === 'forecast' && ctx.model.mode === 'autonomous') this.forecastRuleFor(ctx.model).observe(ctx);
  }

  coordination(): CoordinationCounts {
    return { peerMessages: this.forecastRule?.peerMessages ?? 0, planDisagreements: this.forecastRule?.planDisagreements ?? 0 };
  }

  /** Forecast rule: the latest rationing plan of each microgrid controller (by area index). */
  latestPlans(): ReadonlyMap<number, RationingPlan> {
    return this.forecastRule?.lastPlans ?? new Map();
  }

  run(ctx: SlotContext, root: number, sites: Int32Array): boolean {
    const { model } = ctx;
    const b = model.buffers;
    const n = sites.length;
    const former = this.gridFormer(model, sites);
    if (former < 0) return false;
    ctx.gridFormers.set(root, former);
    if (this.rationing === 'simple') {
      this.setReserve(ctx, root, sites);
      this.recordStorage(model, root, sites);
    } else {
      const planned = this.forecastRuleFor(model).plan(ctx, root, sites);
      model.islandStorage.record(root, planned.usableWh, planned.reserveWh);
    }
    for (let k = 0; k < n; k++) selfConsume(b, sites[k] as number, true);
    this.pool(ctx, root, sites);
    if (!this.carryNetworkLosses(ctx, root, sites)) {
      ctx.brownouts.push(root);
      return false;
    }
    return true;
  }

  /** The island's storage and reserve (simple rule), for the scarcity prices of its market next slot (island-scarcity.ts). */
  private recordStorage(model: SimModel, root: number, sites: Int32Array): void {
    const b = model.buffers;
    let usable = 0;
    let reserve = 0;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      usable += b.batteryUsableWh[i] as number;
      reserve += b.batteryReserveWh[i] as number;
    }
    model.islandStorage.record(root, usable, reserve);
  }

  /**
   * Power flow on the island's feeders; the grid-forming sources are the slack and supply the losses
   * (less charging, more discharge, more CHP). When they cannot, or a feeder's power flow has no
   * solution (voltage collapse), the island browns out.
   */
  private carryNetworkLosses(ctx: SlotContext, root: number, sites: Int32Array): boolean {
    const { model, env } = ctx;
    const { tree, grid, buffers: b } = model;
    // Fault islands (part of one feeder) are not solved: their losses are not modelled (ADR 0005).
    if (!grid.any || root >= tree.count) return true;
    const inIsland = ctx.regionSites.siteIsland;
    const net = (i: number): number => (inIsland[i] === root ? b.exchangeWh(i) : 0);
    const residual = model.areaResidualWh;
    const end = tree.subtreeEnd[root] as number;
    for (let a = root; a < end; a++) residual[a] = 0;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const a = tree.siteArea[i] as number;
      residual[a] = (residual[a] as number) + b.exchangeWh(i);
    }
    let losses = 0;
    for (let a = end - 1; a >= root; a--) {
      if (ctx.regionSites.regions.areaIsland[a] !== root) continue;
      const loss = grid.solve(a, net, residual, env.slotHours);
      if (!grid.lastConverged) return this.brownOut(grid, root, end); // voltage collapse
      losses += loss;
      residual[a] = (residual[a] as number) - loss;
      if (a > root) {
        const p = tree.parent[a] as number;
        residual[p] = (residual[p] as number) + (residual[a] as number);
      }
    }
    for (let k = 0; k < sites.length && losses > 0; k++) {
      const i = sites[k] as number;
      if (model.sites[i]?.gridForming !== true) continue;
      const lessCharge = Math.min(losses, b.chargeWh[i] as number);
      b.chargeWh[i] = (b.chargeWh[i] as number) - lessCharge;
      losses -= lessCharge;
      if ((b.chargeWh[i] as number) === 0) {
        const more = Math.min(losses, (b.batteryMaxDischargeWh[i] as number) - (b.dischargeWh[i] as number));
        b.dischargeWh[i] = (b.dischargeWh[i] as number) + more;
        losses -= more;
      }
      const chp = Math.min(losses, (b.chpMaxWh[i] as number) - (b.chpWh[i] as number));
      b.chpWh[i] = (b.chpWh[i] as number) + chp;
      losses -= chp;
    }
    return losses > 0 ? this.brownOut(grid, root, end) : true;
  }

  /** The island goes dark this slot: no losses are booked for its feeders. */
  private brownOut(grid: SimModel['grid'], root: number, end: number): false {
    for (let a = root; a < end; a++) grid.areaNetworkLossWh[a] = 0;
    return false;
  }

  /** The grid-forming site with the most power available this slot, or -1 when there is none. */
  private gridFormer(model: SimModel, sites: Int32Array): number {
    const b = model.buffers;
    let best = -1;
    let bestWh = 0;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const site = model.sites[i];
      if (site === undefined || !site.gridForming || site.assetsDestroyed) continue;
      const wh = (b.batteryMaxDischargeWh[i] as number) + (b.chpMaxWh[i] as number);
      if (wh > bestWh) {
        best = i;
        bestWh = wh;
      }
    }
    return best;
  }

  private forecastRuleFor(model: SimModel): ForecastRationing {
    this.forecastRule ??= new ForecastRationing(model, { safetyMarginPct: this.safetyMarginPct, ...(this.forecast === undefined ? {} : { forecast: this.forecast }) });
    assert(this.forecastRule.model === model, 'an island controller serves one run: make a new one for each');
    return this.forecastRule;
  }

  /** The simple rule (the spine's): see the module comment. */
  private setReserve(ctx: SlotContext, root: number, sites: Int32Array): void {
    const { model, slot } = ctx;
    const b = model.buffers;
    let critical = 0;
    let chp = 0;
    let usable = 0;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      critical += b.demandWh[0][i] as number;
      chp += b.chpMaxWh[i] as number;
      usable += b.batteryUsableWh[i] as number;
    }
    const slotsLeft = this.expectedSlotsLeft(ctx, root, slot);
    const reserve = Math.max(0, critical - chp) * slotsLeft;
    const fraction = usable > 0 ? Math.min(1, reserve / usable) : 0;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      b.batteryReserveWh[i] = Math.floor((b.batteryUsableWh[i] as number) * fraction);
    }
  }

  private expectedSlotsLeft(ctx: SlotContext, root: number, slot: number): number {
    const { model, regionSites } = ctx;
    const fault = regionSites.faultIslands.get(root);
    if (fault !== undefined) {
      // A fault island: the repair crew's estimate reaches it unless communication is cut.
      for (let a = fault.area; a !== -1; a = model.tree.parent[a] as number) {
        if (model.states.commCut[a] === 1) return model.rationingHorizonSlots;
      }
      return Math.max(1, fault.endSlot - slot);
    }
    const cut = regionSites.regions.islandCut[root] as number;
    const states = model.states;
    let informed = cut >= 0 && (states.announcedOutageSlots[cut] as number) > 0;
    for (let a = root; a !== -1 && informed; a = model.tree.parent[a] as number) {
      if (states.commCut[a] === 1) informed = false;
    }
    if (!informed) return model.rationingHorizonSlots;
    const left = (states.announcedOutageSlots[cut] as number) - (slot - (states.outageStartSlot[cut] as number));
    return left > 0 ? left : model.rationingHorizonSlots;
  }

  /** Shares surplus, CHP headroom and storage across the island; sheds what cannot be served. */
  private pool(ctx: SlotContext, root: number, sites: Int32Array): void {
    const { model, slot } = ctx;
    const b = model.buffers;
    const room = model.scratchSites;
    const n = sites.length;
    let exports = 0;
    let chpRoom = 0;
    let batteryAll = 0;
    let batteryNonCritical = 0;
    const need = [0, 0, 0];
    for (let k = 0; k < n; k++) {
      const i = sites[k] as number;
      exports += b.exportWh[i] as number;
      chpRoom += (b.chpMaxWh[i] as number) - (b.chpWh[i] as number);
      const dis = b.dischargeWh[i] as number;
      const remaining = (b.chargeWh[i] as number) > 0 ? 0 : (b.batteryMaxDischargeWh[i] as number) - dis;
      batteryAll += remaining;
      const aboveReserve = Math.max(0, (b.batteryUsableWh[i] as number) - (b.batteryReserveWh[i] as number) - dis);
      batteryNonCritical += Math.min(remaining, aboveReserve);
      for (let c = 0; c < 3; c++) need[c] = (need[c] as number) + ((b.importWh[c] as Float64Array)[i] as number);
    }

    // Critical may use every source; essential and normal only storage above the reserve.
    const local = exports + chpRoom;
    const criticalServed = Math.min(need[0] as number, local + batteryAll);
    const criticalFromBattery = Math.max(0, criticalServed - local);
    let available = Math.max(0, local - criticalServed) + Math.min(batteryNonCritical, batteryAll - criticalFromBattery);
    const shortage = [(need[0] as number) - criticalServed, 0, 0];
    for (let c = 1; c < 3; c++) {
      const served = Math.min(need[c] as number, available);
      shortage[c] = (need[c] as number) - served;
      available -= served;
    }
    for (let c = 2; c >= 0; c--) {
      if ((shortage[c] as number) > 0) {
        need[c] = (need[c] as number) - model.shedder.shed(b, `island:${root}`, sites, n, c, shortage[c] as number, slot);
      }
    }

    // Serve the remaining need: surplus exports first, then CHP headroom, then storage.
    const total = (need[0] as number) + (need[1] as number) + (need[2] as number);
    const fromExports = Math.min(total, exports);
    const fromChp = Math.min(total - fromExports, chpRoom);
    const fromBattery = total - fromExports - fromChp;
    assert(fromBattery <= batteryAll, 'island storage asked beyond its power', { fromBattery, batteryAll });
    for (let k = 0; k < n; k++) {
      const i = sites[k] as number;
      room[i] = (b.chpMaxWh[i] as number) - (b.chpWh[i] as number);
    }
    allocateProRata(fromChp, sites, n, room, b.chpWh);
    for (let k = 0; k < n; k++) {
      const i = sites[k] as number;
      room[i] = (b.chargeWh[i] as number) > 0 ? 0 : (b.batteryMaxDischargeWh[i] as number) - (b.dischargeWh[i] as number);
      b.importWh[0][i] = 0;
      b.importWh[1][i] = 0;
      b.importWh[2][i] = 0;
    }
    allocateProRata(fromBattery, sites, n, room, b.dischargeWh);
    this.absorbSurplus(b, sites, exports - fromExports, room);
  }

  /** Surplus charges storage, then deferrable loads (EVs, washing machines), and the rest is curtailed. */
  private absorbSurplus(b: SlotBuffers, sites: Int32Array, surplusWh: number, room: Float64Array): void {
    const n = sites.length;
    let surplus = surplusWh;
    if (surplus <= 0) return;
    for (let k = 0; k < n; k++) {
      const i = sites[k] as number;
      room[i] = (b.dischargeWh[i] as number) > 0 ? 0 : (b.batteryMaxChargeWh[i] as number) - (b.chargeWh[i] as number);
    }
    surplus -= allocateProRata(surplus, sites, n, room, b.chargeWh);
    for (let k = 0; k < n; k++) {
      const i = sites[k] as number;
      room[i] = b.deferrableImportWh[i] as number;
    }
    surplus -= allocateProRata(surplus, sites, n, room, b.deferrableServedWh);
    const curtailed = curtailExports(b, sites, n, surplus, room);
    assert(curtailed === surplus, 'island surplus could not be curtailed', { surplus, curtailed });
  }
}
