/**
 * The VPP aggregator's scheduling (issue 4): for each VPP with `schedule: true`, it moves its
 * members' washing machines into the cheapest slots their deadlines allow and shifts their heaters'
 * setpoints inside the comfort band by price; for every VPP it meters the pool's output as one plant.
 *
 * Timing. `plan` runs in the engine's plan stage, after sense (the devices' requests of this slot
 * are already in the buffers) and before clearing:
 * - washing: a job that is ready and not started is planned once, when first seen. If its cheapest
 *   start is later, the machine is held until then (`holdUntil`, so later requests are 0) and this
 *   slot's already sensed request is withdrawn (`withholdDeferrable`): the decision takes effect in
 *   the slot being planned. A held job is not re-planned (no chasing a moving forecast).
 * - heating: the setpoint shift decided now takes effect from the next slot (a heater's request of
 *   this slot is already in the balance); each slot decides it again. No pre-heating in warm weather
 *   (`PREHEAT_OUTDOOR_MAX_C`, judged by the slot being planned).
 * `settle` runs after metering and tallies the slot.
 *
 * Price forecast: `prices.forecast(level, slot, now)`, the same slot yesterday at the VPP's level,
 * looking at most `VPP_LOOKAHEAD_HOURS_MAX` ahead. Without a forecast for the slot being planned,
 * the scheduler leaves washing machines alone and returns heaters to their own thermostat.
 * Only sites connected to the grid are scheduled (islands balance by their own rules).
 */
import type { FlexibleLoad } from '../../assets/capabilities.js';
import { isHeatPump, type HeatPump } from '../../assets/heat-pump.js';
import { isWashingMachine, type WashingMachine } from '../../assets/washing-machine.js';
import { ScenarioError } from '../../errors.js';
import { CONNECTED } from '../../grid/islands.js';
import type { PriceSignal } from '../../market/price-signal.js';
import type { AreaLevel, Scenario } from '../../sim/scenario-schema.js';
import { withholdDeferrable } from '../../sim/site-model.js';
import type { SimModel, SlotContext } from '../../sim/slot-context.js';
import { heatingShiftFor } from './heating-schedule.js';
import { PriceHorizon } from './price-horizon.js';
import { VppTally, type VppMetrics } from './vpp-metrics.js';
import { cheapestStart, cycleShape, latestStartOffset } from './washing-schedule.js';

/** How far ahead the scheduler looks (bounds the work per slot; deadlines are at most 48 h out). */
export const VPP_LOOKAHEAD_HOURS_MAX = 48;
/** The window whose prices rank the current slot for heating. */
export const HEATING_WINDOW_HOURS = 12;
/**
 * No pre-heating at or above this outdoor temperature (a building's heating limit): there is little
 * heating to move, and heat stored before a warm afternoon would push rooms over the band.
 */
export const PREHEAT_OUTDOOR_MAX_C = 12;

type VppSpec = Scenario['market']['vpps'][number];

interface Washer {
  readonly site: number;
  readonly k: number;
  readonly device: WashingMachine;
}

interface Heater {
  readonly site: number;
  readonly device: HeatPump;
}

interface Vpp {
  readonly spec: VppSpec;
  /** Member site positions, ascending. */
  readonly members: Int32Array;
  readonly washers: readonly Washer[];
  readonly heaters: readonly Heater[];
  /** Per washer: the job (its `completedJobs` count) last planned, -1 for none. */
  readonly plannedJob: Int32Array;
  readonly tally: VppTally;
}

export class VppScheduler {
  /** VPP index per internal site position, -1 when not in a VPP. */
  readonly vppOfSite: Int32Array;
  private readonly vpps: readonly Vpp[];
  private readonly horizons = new Map<AreaLevel, PriceHorizon>();
  /** The slot each level's horizon was filled for. */
  private readonly horizonSlot = new Map<AreaLevel, number>();
  private readonly horizonSlots: number;
  private readonly heatingWindowSlots: number;
  private prices: PriceSignal | undefined;

  constructor(private readonly model: SimModel, vpps: Scenario['market']['vpps'], siteIndexById: ReadonlyMap<string, number>) {
    this.vppOfSite = new Int32Array(model.sites.length).fill(-1);
    this.vpps = vpps.map((spec, v) => this.buildVpp(spec, v, siteIndexById));
    this.horizonSlots = Math.max(1, model.clock.slotsInHours(VPP_LOOKAHEAD_HOURS_MAX));
    this.heatingWindowSlots = Math.max(1, Math.min(this.horizonSlots, model.clock.slotsInHours(HEATING_WINDOW_HOURS)));
  }

  /** Plan stage: schedules the members of every VPP with `schedule: true` (see the file comment). */
  plan(ctx: SlotContext, prices: PriceSignal): void {
    this.prices = prices;
    for (const vpp of this.vpps) {
      if (!vpp.spec.schedule) continue;
      const horizon = this.horizonFor(vpp.spec.level, ctx.slot, prices);
      const hasForecast = !Number.isNaN(horizon.priceAt(0));
      const byPrice = heatingShiftFor(horizon, this.heatingWindowSlots);
      const shift = byPrice === 'preheat' && ctx.env.temperatureC >= PREHEAT_OUTDOOR_MAX_C ? 'normal' : byPrice;
      const region = ctx.regionSites.siteRegion;
      for (const h of vpp.heaters) h.device.shiftSetpoint(region[h.site] === CONNECTED ? shift : 'normal');
      if (!hasForecast) continue;
      vpp.washers.forEach((w, m) => {
        if (region[w.site] === CONNECTED) this.planWashing(ctx, vpp, w, m, horizon);
      });
    }
  }

  /** Settle stage: tallies the members' metered exchange and their washing and heating energy. */
  settle(ctx: SlotContext): void {
    const net = ctx.model.buffers.netWh;
    for (const vpp of this.vpps) {
      let exportWh = 0;
      let importWh = 0;
      for (let k = 0; k < vpp.members.length; k++) {
        const wh = net[vpp.members[k] as number] as number;
        if (wh > 0) exportWh += wh;
        else importWh -= wh;
      }
      vpp.tally.addExchange(exportWh, importWh);
      const price = this.prices?.priceAt(vpp.spec.level, ctx.slot, ctx.slot + 1);
      for (const w of vpp.washers) vpp.tally.addWashing(w.device.lastDeliveredWh, price);
      for (const h of vpp.heaters) vpp.tally.addHeating(h.device.lastDeliveredWh, h.device.lastDeliveredShift, price);
    }
  }

  metrics(): VppMetrics[] {
    const slotHours = this.model.clock.slotHours;
    return this.vpps.map((vpp) => vpp.tally.toMetrics(vpp.spec.id, vpp.members.length, slotHours,
      vpp.washers.reduce((s, w) => s + w.device.missedDeadlines, 0)));
  }

  /** Holds a ready, unstarted job until its cheapest start when that is later than now. */
  private planWashing(ctx: SlotContext, vpp: Vpp, w: Washer, m: number, horizon: PriceHorizon): void {
    const { device } = w;
    const { clock, buffers, sites } = ctx.model;
    const nowMs = clock.slotStartMs(ctx.slot);
    if (device.pendingJobs === 0 || device.running || nowMs < device.holdUntilMs) return;
    if (vpp.plannedJob[m] === device.completedJobs) return;
    const site = sites[w.site] as (typeof sites)[number];
    // Another planner withheld it this slot: not ours to decide now.
    if ((site.deferrableRequestWh[w.k] as number) <= 0) return;
    const cycle = cycleShape(device.cycleRemainingWh, device.cycleSlotWh(clock.slotHours));
    const latest = latestStartOffset(nowMs, clock.slotMs, device.jobDeadlineMs, cycle.slots);
    const best = cheapestStart(horizon, cycle, latest);
    if (best === -1 && latest >= 0) return; // no forecast over any feasible window: try next slot
    vpp.plannedJob[m] = device.completedJobs;
    if (best <= 0) return;
    device.holdUntil(clock.slotStartMs(ctx.slot + best));
    withholdDeferrable(site, buffers, w.site, w.k);
    vpp.tally.washingCyclesShifted++;
    vpp.tally.washingShiftSlots += best;
  }

  private horizonFor(level: AreaLevel, slot: number, prices: PriceSignal): PriceHorizon {
    let horizon = this.horizons.get(level);
    if (horizon === undefined) {
      horizon = new PriceHorizon(this.horizonSlots);
      this.horizons.set(level, horizon);
    }
    if (this.horizonSlot.get(level) !== slot) {
      horizon.fillFrom(prices, level, slot);
      this.horizonSlot.set(level, slot);
    }
    return horizon;
  }

  private buildVpp(spec: VppSpec, v: number, siteIndexById: ReadonlyMap<string, number>): Vpp {
    const members = spec.sites.map((id, k) => {
      const i = siteIndexById.get(id);
      if (i === undefined || this.model.sites[i] === undefined) {
        throw new ScenarioError(`market.vpps[${v}].sites[${k}]: a site id (got ${id})`);
      }
      if (this.vppOfSite[i] !== -1) {
        throw new ScenarioError(`market.vpps[${v}].sites[${k}]: site ${id} is already in VPP ${this.vppOfSite[i]}`, {
          details: ['a site belongs to one VPP at most'],
        });
      }
      this.vppOfSite[i] = v;
      return i;
    }).sort((a, b) => a - b);
    const washers: Washer[] = [];
    const heaters: Heater[] = [];
    for (const i of members) {
      const site = this.model.sites[i] as (typeof this.model.sites)[number];
      site.deferrables.forEach((d: FlexibleLoad, k) => { if (isWashingMachine(d)) washers.push({ site: i, k, device: d }); });
      site.heating.forEach((d) => { if (isHeatPump(d)) heaters.push({ site: i, device: d }); });
    }
    return { spec, members: Int32Array.from(members), washers, heaters, plannedJob: new Int32Array(washers.length).fill(-1), tally: new VppTally() };
  }
}
