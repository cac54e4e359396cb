/**
 * The message a microgrid controller sends its island peers every slot: a bounded summary of its own
 * sites (storage, demand by class, generation, the announced outage duration it heard, and its
 * forecasts). Every controller computes the island's rationing plan from the summaries it holds
 * (rationing-plan.ts), so no central service is needed. In the simulation the messages go over the
 * in-process peer bus (peer-bus.ts); in the runtime (issue 7) they go over the network between
 * gridmesh nodes.
 *
 * Energies in Wh: storage as stored energy above the SoC floor, power limits and forecasts bus side.
 */
import type { SimModel } from '../../sim/slot-context.js';
import type { IslandLoadForecast } from './island-load-forecast.js';

export interface ControllerSummary {
  /** The controller's area (its id on the bus). */
  readonly controller: number;
  readonly slot: number;
  readonly sites: number;
  /** Stored energy above the SoC floor of the controller's batteries. */
  readonly usableWh: number;
  /** What the batteries can take per slot at their rated power. */
  readonly maxChargeWh: number;
  /** Battery capacity, and capacity weighted by one-way efficiency (their ratio is the efficiency). */
  readonly capacityWh: number;
  readonly efficiencyCapacityWh: number;
  /** This slot's demand: critical, essential, normal. */
  readonly demandWh: readonly [number, number, number];
  /** This slot's PV and wind, and CHP capacity. */
  readonly generationWh: number;
  /** Slots left of the outage as announced to this controller; 0 = none heard. */
  readonly announcedSlotsLeft: number;
  /** Forecasts from this slot (island-load-forecast.ts), all summaries of a run equally long. */
  readonly netCriticalWh: Float64Array;
  readonly nonCriticalWh: Float64Array;
}

export interface SummaryInput {
  readonly model: SimModel;
  readonly controller: number;
  readonly slot: number;
  /** The controller's sites in the island. */
  readonly sites: Int32Array;
  readonly forecast: IslandLoadForecast;
  readonly forecastSlots: number;
  readonly announcedSlotsLeft: number;
}

export function summariseController(input: SummaryInput): ControllerSummary {
  const { model, controller, slot, sites, forecast, forecastSlots, announcedSlotsLeft } = input;
  const b = model.buffers;
  const slotHours = model.clock.slotHours;
  let usable = 0;
  let maxCharge = 0;
  let capacity = 0;
  let weighted = 0;
  let generation = 0;
  const demand: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < sites.length; k++) {
    const i = sites[k] as number;
    usable += b.batteryUsableWh[i] as number;
    generation += (b.pvWh[i] as number) + (b.windWh[i] as number) + (b.chpMaxWh[i] as number);
    for (let c = 0; c < 3; c++) demand[c] = (demand[c] as number) + ((b.demandWh[c] as Float64Array)[i] as number);
    const site = model.sites[i];
    if (site === undefined || site.assetsDestroyed) continue;
    for (const bat of site.batteries) {
      maxCharge += Math.floor(bat.maxChargeKw * slotHours * 1000);
      capacity += bat.capacityWh;
      weighted += bat.capacityWh * Math.sqrt(bat.roundTripEfficiencyPct / 100);
    }
  }
  const netCriticalWh = new Float64Array(forecastSlots);
  const nonCriticalWh = new Float64Array(forecastSlots);
  forecast.netCriticalWh(sites, slot, forecastSlots, netCriticalWh);
  forecast.nonCriticalWh(sites, slot, forecastSlots, nonCriticalWh);
  return {
    controller, slot, sites: sites.length, usableWh: usable, maxChargeWh: maxCharge, capacityWh: capacity, efficiencyCapacityWh: weighted,
    demandWh: demand, generationWh: generation, announcedSlotsLeft, netCriticalWh, nonCriticalWh,
  };
}

/** Size of a summary on the bus, in forecast values (what the bus bounds). */
export function summarySize(summary: ControllerSummary): number {
  return summary.netCriticalWh.length + summary.nonCriticalWh.length;
}
