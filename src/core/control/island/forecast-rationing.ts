/**
 * The forecast rule (`autonomy.rationing: forecast`, issue 6) for the islands of one run, re-planned
 * every slot by the island's microgrid controllers, peer to peer:
 *
 * 1. Every slot, every tracked site's sensed demand and generation go into the site history.
 * 2. In each island, each controller summarises its own sites (controller-summary.ts) with the
 *    forecast (seasonal by default) and sends the summary to its peers over the peer bus, which
 *    delivers only over communication links that are up.
 * 3. Each controller computes the plan (rationing-plan.ts) from its own summary and those it
 *    received, and applies it to its own sites: each battery may release its share (by usable
 *    energy) of the plan's release to essential and normal load; the rest is the critical reserve
 *    (`batteryReserveWh`, read by the self-consumption rule and the island's pool). A controller that
 *    cannot hear a peer plans without it: the peer's sites and storage are not counted.
 * 4. Controllers that heard the same set of summaries must compute the same plan; any difference is
 *    counted as a plan disagreement (a bug: it must stay 0).
 *
 * The island's energy is then balanced as one bus by the island controller (island-controller.ts):
 * the droop of the grid-forming inverters shares power without communication.
 */
import { assert } from '../../assert.js';
import type { SimModel, SlotContext } from '../../sim/slot-context.js';
import { controllerOfSites } from './controller-areas.js';
import { summariseController, summarySize, type ControllerSummary } from './controller-summary.js';
import { announcedSlotsLeft } from './expected-outage.js';
import type { IslandLoadForecast } from './island-load-forecast.js';
import { PeerBus } from './peer-bus.js';
import { planRationing, samePlan, type PlanParameters, type RationingPlan } from './rationing-plan.js';
import { SeasonalIslandForecast } from './seasonal-island-forecast.js';
import { SiteHistory } from './site-history.js';

/** Forecasts in the controllers' messages cover this many hours; past it they repeat their last day. */
export const FORECAST_HOURS = 48;

export interface ForecastRationingOptions {
  readonly safetyMarginPct: number;
  /** Replaces the seasonal forecast (e.g. a learned model). */
  readonly forecast?: IslandLoadForecast;
}

/** An island's sites grouped by controller. */
interface IslandControllers {
  readonly ids: readonly number[];
  readonly sitesOf: readonly Int32Array[];
}

export class ForecastRationing {
  readonly history: SiteHistory;
  private readonly forecast: IslandLoadForecast;
  private readonly bus: PeerBus<ControllerSummary>;
  private readonly controllerOfSite: Int32Array;
  private readonly params: PlanParameters;
  private readonly forecastSlots: number;
  private readonly groupings = new WeakMap<Int32Array, IslandControllers>();
  /** Rationing plans computed (one per controller and island-slot). */
  plans = 0;
  planDisagreements = 0;
  /** The latest plan of each controller (by controller area), for inspection. */
  readonly lastPlans = new Map<number, RationingPlan>();

  constructor(readonly model: SimModel, options: ForecastRationingOptions) {
    const { tree, clock, buffers } = model;
    this.controllerOfSite = controllerOfSites(tree);
    const tracked = Uint8Array.from(this.controllerOfSite, (c) => (c >= 0 ? 1 : 0));
    const slotsPerDay = clock.slotsPerDay();
    this.history = new SiteHistory(tracked, slotsPerDay);
    this.forecast = options.forecast ?? new SeasonalIslandForecast(this.history, buffers);
    this.bus = new PeerBus(tree, model.states.commCut, summarySize);
    this.forecastSlots = Math.max(slotsPerDay, clock.slotsInHours(FORECAST_HOURS));
    this.params = { rationingHorizonSlots: model.rationingHorizonSlots, periodSlots: slotsPerDay, safetyMarginPct: options.safetyMarginPct };
  }

  /** Messages delivered between controllers so far. */
  get peerMessages(): number {
    return this.bus.delivered;
  }

  /** The sense step: records every tracked site's sensed values. */
  observe(ctx: SlotContext): void {
    this.history.record(ctx.slot, ctx.model.buffers);
  }

  /**
   * Sets the reserve of every site of island `key` from its controllers' plans; returns the island's
   * stored energy and critical reserve as planned (each group of controllers that heard each other
   * counted once), the island market's scarcity signal.
   */
  plan(ctx: SlotContext, key: number, sites: Int32Array): { usableWh: number; reserveWh: number } {
    const island = this.controllersOf(ctx, key, sites);
    const summaries = island.ids.map((controller, j) => summariseController({
      model: this.model, controller, slot: ctx.slot, sites: island.sitesOf[j] as Int32Array, forecast: this.forecast,
      forecastSlots: this.forecastSlots, announcedSlotsLeft: announcedSlotsLeft(ctx, key, controller),
    }));
    this.bus.open(island.ids);
    for (const s of summaries) this.bus.send(s);
    const agreed = new Map<string, RationingPlan>();
    island.ids.forEach((controller, j) => {
      const own = summaries[j] as ControllerSummary;
      const plan = planRationing([own, ...this.bus.inbox(controller)], this.params);
      this.plans++;
      this.lastPlans.set(controller, plan);
      const heard = plan.controllers.join(',');
      const first = agreed.get(heard);
      if (first === undefined) agreed.set(heard, plan);
      else if (!samePlan(first, plan)) this.planDisagreements++;
      this.apply(plan, island.sitesOf[j] as Int32Array);
    });
    let usableWh = 0;
    let reserveWh = 0;
    for (const plan of agreed.values()) {
      usableWh += plan.usableWh;
      reserveWh += plan.reserveWh;
    }
    return { usableWh, reserveWh };
  }

  /** Each battery keeps back all but its share of the release (by usable energy). */
  private apply(plan: RationingPlan, sites: Int32Array): void {
    const b = this.model.buffers;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const usable = b.batteryUsableWh[i] as number;
      const release = plan.usableWh > 0 ? Math.floor((plan.releaseWh * usable) / plan.usableWh) : 0;
      b.batteryReserveWh[i] = Math.max(0, usable - release);
    }
  }

  /**
   * The island's controllers and their sites, ascending by controller area. Sites in no microgrid (a
   * fault island outside any) are looked after by the controller of the island's feeder area.
   */
  private controllersOf(ctx: SlotContext, key: number, sites: Int32Array): IslandControllers {
    const cached = this.groupings.get(sites);
    if (cached !== undefined) return cached;
    const { tree } = this.model;
    const own = key < tree.count ? key : (ctx.regionSites.faultIslands.get(key)?.area ?? -1);
    assert(own >= 0, 'an island key names neither an area nor a fault island', { key });
    const bySite = new Map<number, number[]>();
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const c = this.controllerOfSite[i] as number;
      const id = c >= 0 ? c : own;
      const list = bySite.get(id) ?? [];
      list.push(i);
      bySite.set(id, list);
    }
    const ids = [...bySite.keys()].sort((x, y) => x - y);
    const grouping = { ids, sitesOf: ids.map((id) => Int32Array.from(bySite.get(id) ?? [])) };
    this.groupings.set(sites, grouping);
    return grouping;
  }
}
