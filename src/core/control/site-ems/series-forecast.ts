/**
 * What the site EMS needs from a forecasting agent for one series: it is told each slot's observed
 * value and asked for the slots ahead. The learned forecasters (src/core/control/forecast/) provide it.
 */
import type { ForecastTarget } from '../control-metrics.js';

export interface SeriesForecast {
  /** Records the value observed in `slot` (slots arrive in order). */
  observe(slot: number, value: number): void;
  /** Forecasts slots now .. now+out.length-1 from what was observed before `now`. */
  forecast(now: number, out: Float64Array): void;
}

/** An agent for series `name` (e.g. `h-01/load`) of kind `target` (its features: load, PV or wind). */
export type SeriesForecastFactory = (name: string, target: ForecastTarget) => SeriesForecast;
