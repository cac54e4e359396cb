/**
 * The site energy management stage (issue 6, docs/ems.md): every EMS site plans its flexible
 * devices by model-predictive control over a rolling horizon (`control.ems.horizonHours`), re-planned
 * every `replanEveryHours` and whenever a car plugs in or a washing job becomes ready, and follows the
 * current slot of its plan (apply-plan.ts). Plans come from `planSite` (LP/MILP with HiGHS when a
 * solver is given, otherwise, or on any solver failure, the heuristic plan).
 *
 * Runs in the engine's plan stage, before the VPP and flexibility markets (an activation bought by
 * the DSO or TSO overrides the plan for its slot), on grid-connected sites only: an island's sites
 * follow the island controller. Forecasts: each site's inflexible load and generation from its own
 * forecasting agent; prices from the run's price forecast (the TSO market's clearing price) plus the
 * grid fees up to the TSO, the feed-in price as the floor for exports.
 */
import { CONNECTED } from '../../grid/islands.js';
import { cumulativeFees } from '../../market/market-levels.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import type { SiteModel } from '../../sim/site-model.js';
import type { SimModel, SlotContext } from '../../sim/slot-context.js';
import { siteRatedPowerW } from '../../trust/trust-setup.js';
import type { EmsMetrics } from '../control-metrics.js';
import { planSite, type LpSolver } from '../ems/site-plan.js';
import { applyPlan, type ActivePlan } from './apply-plan.js';
import { EmsTally } from './ems-tally.js';
import { buildPlanInput, type PlanContext } from './plan-input.js';
import { siteDevices, type SiteDevices } from './site-devices.js';
import type { SeriesForecast, SeriesForecastFactory } from './series-forecast.js';

export interface SiteEmsDeps {
  /** false: the sites are only measured (the comparison run without EMS). */
  readonly planning: boolean;
  /** A forecasting agent per site and series (`<site>/load`; `<site>/generation` with PV features, or wind's for a wind-only site). */
  readonly forecasts: SeriesForecastFactory;
  /** The TSO market's clearing price forecast, minor units per kWh (observed by the run's agents). */
  readonly price: SeriesForecast;
  /** Forecast outdoor temperature of every slot of the run, °C. */
  readonly outdoorForecastC: Float64Array;
  readonly solver?: LpSolver;
}

interface EmsSite {
  readonly i: number;
  readonly site: SiteModel;
  readonly devices: SiteDevices;
  readonly load: SeriesForecast;
  readonly generation: SeriesForecast;
  readonly plannedJob: Int32Array;
  readonly importLimitWh: number;
  readonly importAllowanceWh: number;
  /** Plugged-in state of each EV at the last plan (a car that arrives triggers a re-plan). */
  readonly plugged: Uint8Array;
  active: ActivePlan | undefined;
}

export class SiteEms {
  private readonly sites: EmsSite[];
  private readonly horizon: number;
  private readonly replanSlots: number;
  private readonly tally: EmsTally;
  private readonly scratch: { load: Float64Array; generation: Float64Array; price: Float64Array };
  private readonly feeToTso: number;
  private plans = 0;
  private solved = 0;
  private readonly fallbackReasons = new Map<string, number>();

  constructor(private readonly model: SimModel, private readonly scenario: Scenario, sitePositions: Int32Array, private readonly deps: SiteEmsDeps) {
    const { clock } = model;
    const spec = scenario.control.ems;
    this.horizon = Math.max(1, clock.slotsInHours(spec.horizonHours));
    this.replanSlots = Math.max(1, clock.slotsInHours(spec.replanEveryHours));
    this.tally = new EmsTally(sitePositions, clock.slotMinutes);
    this.feeToTso = cumulativeFees(scenario.market.gridFeeMinorPerKwh).tso;
    const h = this.horizon;
    this.scratch = { load: new Float64Array(h), generation: new Float64Array(h), price: new Float64Array(h) };
    const specs = new Map(scenario.sites.map((s) => [s.id, s]));
    this.sites = Array.from(sitePositions, (i) => {
      const site = model.sites[i] as SiteModel;
      const devices = siteDevices(site);
      const siteSpec = specs.get(site.id);
      const ratedW = siteSpec === undefined ? Infinity : siteRatedPowerW(siteSpec);
      const kwhPerDay = scenario.trust.enabled ? (scenario.trust.siteAuthorisedImportKwhPerDay[site.id] ?? scenario.trust.authorisedImportKwhPerDay) : undefined;
      return {
        i, site, devices,
        load: deps.forecasts(`${site.id}/load`, 'load'),
        generation: deps.forecasts(`${site.id}/generation`, site.generators.some((g) => g.kind === 'pv') || site.generators.length === 0 ? 'pv' : 'wind'),
        plannedJob: new Int32Array(devices.washers.length).fill(-1),
        importLimitWh: (ratedW * clock.slotHours),
        importAllowanceWh: kwhPerDay === undefined ? Infinity : (kwhPerDay * 1000 * spec.horizonHours) / 24,
        plugged: new Uint8Array(devices.evs.length),
        active: undefined,
      };
    });
  }

  /** The plan stage: observe, re-plan where due, follow the plan. */
  plan(ctx: SlotContext): void {
    if (!this.deps.planning) return;
    const { model } = this;
    const b = model.buffers;
    const siteRegion = ctx.regionSites.siteRegion;
    for (const s of this.sites) {
      s.load.observe(ctx.slot, baseLoadWh(s.site, b, s.i));
      s.generation.observe(ctx.slot, (b.pvWh[s.i] as number) + (b.windWh[s.i] as number) + (b.chpMinWh[s.i] as number));
      if (siteRegion[s.i] !== CONNECTED) {
        s.active = undefined;
        continue;
      }
      if (this.due(s, ctx.slot)) this.replan(s, ctx);
      if (s.active !== undefined) applyPlan(s.site, s.devices, b, s.i, s.active, ctx.slot, ctx.env.slotMinutes * 60_000, ctx.env.startMs);
    }
  }

  /** After metering and the markets' settlement: the EMS sites' figures of the slot. */
  settle(paidMinor: Float64Array, receivedMinor: Float64Array): void {
    this.tally.record(this.model.buffers, paidMinor, receivedMinor);
  }

  metrics(): EmsMetrics {
    const reasons = Object.fromEntries([...this.fallbackReasons].sort(([a], [b]) => a.localeCompare(b)));
    let comfortKh = 0, evUnmetWh = 0, missed = 0;
    for (const s of this.sites) {
      for (const h of s.devices.heaters) comfortKh += h.comfortViolationDegreeHours;
      for (const { device } of s.devices.evs) evUnmetWh += device.unmetAtDepartureWh;
      for (const { device } of s.devices.washers) missed += device.missedDeadlines;
    }
    return {
      sites: this.sites.length, plans: this.plans, solved: this.solved, fallbacks: this.plans - this.solved, fallbackReasons: reasons, ...this.tally.figures(),
      comfortViolationKh: Math.round(comfortKh * 1000) / 1000, evUnmetKwh: Math.round(evUnmetWh) / 1000, washingMissedDeadlines: missed,
    };
  }

  private due(s: EmsSite, slot: number): boolean {
    let due = s.active === undefined || slot - s.active.startSlot >= this.replanSlots;
    s.devices.evs.forEach(({ device }, e) => {
      const now = device.pluggedIn ? 1 : 0;
      if (now === 1 && s.plugged[e] === 0) due = true;
      s.plugged[e] = now;
    });
    s.devices.washers.forEach(({ device }, w) => {
      if (device.pendingJobs > 0 && !device.running && s.plannedJob[w] !== device.completedJobs && device.jobReadyMs <= this.model.clock.slotStartMs(slot)) due = true;
    });
    return due;
  }

  private replan(s: EmsSite, ctx: SlotContext): void {
    const { env, slot } = ctx;
    const h = this.horizon;
    const b = this.model.buffers;
    const { load, generation, price } = this.scratch;
    s.load.forecast(slot + 1, load.subarray(1));
    s.generation.forecast(slot + 1, generation.subarray(1));
    load[0] = baseLoadWh(s.site, b, s.i);
    generation[0] = (b.pvWh[s.i] as number) + (b.windWh[s.i] as number) + (b.chpMinWh[s.i] as number);
    this.deps.price.forecast(slot, price);
    const market = this.scenario.market;
    const buy = new Float64Array(h);
    const sell = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      const p = price[j] as number;
      buy[j] = Number.isFinite(p) ? p + this.feeToTso : market.bidPriceMinorPerKwh.normal;
      sell[j] = Math.min(buy[j] as number, Number.isFinite(p) ? Math.max(market.feedInMinorPerKwh, p) : market.feedInMinorPerKwh);
    }
    const outdoor = this.deps.outdoorForecastC;
    const outdoorC = Float64Array.from({ length: h }, (_, j) => outdoor[Math.min(outdoor.length - 1, slot + j)] ?? env.temperatureC);
    const c: PlanContext = {
      env, horizon: h, baseLoadWh: Float64Array.from(load, nonNegative), generationWh: Float64Array.from(generation, nonNegative),
      buyMinorPerKwh: buy, sellMinorPerKwh: sell, outdoorC, importLimitWh: s.importLimitWh, importAllowanceWh: s.importAllowanceWh,
      batteryWearMinorPerKwh: this.scenario.control.ems.batteryWearMinorPerKwh, peakMinorPerKwh: this.scenario.control.ems.peakMinorPerKwh, plannedJob: s.plannedJob,
    };
    const problem = buildPlanInput(s.site, s.devices, c);
    const plan = planSite(problem.input, this.deps.solver, { timeLimitMs: this.scenario.control.ems.timeLimitMs });
    this.plans++;
    if (plan.source === 'optimal') this.solved++;
    else {
      const reason = (plan.fallbackReason ?? 'unknown').split(':')[0] as string;
      this.fallbackReasons.set(reason, (this.fallbackReasons.get(reason) ?? 0) + 1);
    }
    for (const w of problem.washers) s.plannedJob[w] = s.devices.washers[w]?.device.completedJobs ?? -1;
    s.active = { plan, startSlot: slot, evs: problem.evs, washers: problem.washers };
  }
}

/** The site's demand that the EMS does not steer this slot: loads (heating and deferrable devices excluded). */
function baseLoadWh(site: SiteModel, b: SlotContext['model']['buffers'], i: number): number {
  let heating = 0;
  for (const wh of site.heatingRequestWh) heating += wh;
  return Math.max(0, b.totalDemandWh(i) - heating);
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.round(x) : 0;
}
