/**
 * The history the forecasters learn from and are scored on, from a simulation run: per slot, the
 * city's load, PV and wind (kW, slot means) and the TSO clearing price (minor units per kWh), with the
 * weather forecast of every slot (weather-forecast.ts).
 *
 * - load: every site's requested demand, all priority classes plus deferrable requests (EV charging,
 *   washing machines), before any shedding: what the city wanted, which is what a forecast is for;
 * - pv, wind: available generation before curtailment (0 for destroyed assets);
 * - price: the TSO market's clearing price of the slot. A slot where nothing traded at the TSO
 *   carries the last known price; slots before the first clearing take the first known price
 *   (`priceClearedSlots` counts the slots with a price of their own; 0 = the series is all 0).
 *
 * The run is autonomous mode without the trust layer (trust does not change energy or prices).
 */
import type { PowerNetwork } from '../../grid/network.js';
import { Rng } from '../../rng.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import { prepareRun } from '../../sim/simulate.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import type { ForecastTarget } from '../control-metrics.js';
import type { ExogenousSeries } from './forecaster.js';
import { weatherForecastFeatures } from './weather-forecast.js';

export interface ForecastHistory {
  readonly scenario: string;
  readonly seed: number;
  readonly slots: number;
  readonly slotsPerDay: number;
  readonly sites: number;
  /** Observed value per slot: kW for load, pv and wind; minor units per kWh for price. */
  readonly series: Readonly<Record<ForecastTarget, Float64Array>>;
  readonly exogenous: ExogenousSeries;
  /** Slots with a TSO clearing price of their own (the others carry one, see the module comment). */
  readonly priceClearedSlots: number;
}

export interface ForecastHistoryOptions {
  readonly days: number;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  readonly feederNetworks?: ReadonlyMap<string, PowerNetwork>;
  readonly onProgress?: (doneSlots: number, totalSlots: number) => void;
  readonly progressEverySlots?: number;
}

export function simulateForecastHistory(scenario: Scenario, options: ForecastHistoryOptions): ForecastHistory {
  const seed = options.seed ?? scenario.seed;
  const run = prepareRun(scenario, {
    mode: 'autonomous', days: options.days, seed, ...(options.feederNetworks === undefined ? {} : { feederNetworks: options.feederNetworks }),
  });
  const slots = run.slots;
  const slotHours = run.model.clock.slotHours;
  const series = { load: new Float64Array(slots), pv: new Float64Array(slots), wind: new Float64Array(slots), price: new Float64Array(slots).fill(NaN) };
  const every = Math.max(1, options.progressEverySlots ?? 96);
  for (let slot = 0; slot < slots; slot++) {
    run.engine.step(slot);
    recordEnergy(run.model.buffers, slot, slotHours, series);
    series.price[slot] = run.market.prices.priceAt('tso', slot, slot + 1) ?? NaN;
    if (options.onProgress !== undefined && ((slot + 1) % every === 0 || slot + 1 === slots)) options.onProgress(slot + 1, slots);
  }
  const priceClearedSlots = fillPriceGaps(series.price);
  return {
    scenario: scenario.name, seed, slots, slotsPerDay: run.model.clock.slotsPerDay(), sites: run.model.sites.length,
    series, exogenous: weatherForecastFeatures(run.weather, slots, new Rng(seed).fork('weather-forecast')), priceClearedSlots,
  };
}

function recordEnergy(b: SlotBuffers, slot: number, slotHours: number, series: Record<'load' | 'pv' | 'wind', Float64Array>): void {
  let loadWh = 0;
  let pvWh = 0;
  let windWh = 0;
  for (let i = 0; i < b.size; i++) {
    loadWh += b.totalDemandWh(i) + (b.deferrableWh[i] as number);
    pvWh += b.pvWh[i] as number;
    windWh += b.windWh[i] as number;
  }
  const toKw = 1 / (slotHours * 1000);
  series.load[slot] = loadWh * toKw;
  series.pv[slot] = pvWh * toKw;
  series.wind[slot] = windWh * toKw;
}

/** Carries the last known price forward and the first one backward; returns the slots that had a price. */
export function fillPriceGaps(price: Float64Array): number {
  let known = 0;
  let last = NaN;
  for (let s = 0; s < price.length; s++) {
    if (Number.isNaN(price[s] as number)) price[s] = last;
    else {
      last = price[s] as number;
      known++;
    }
  }
  const first = price.findIndex((p) => !Number.isNaN(p));
  price.fill(first < 0 ? 0 : (price[first] as number), 0, first < 0 ? price.length : first);
  return known;
}
