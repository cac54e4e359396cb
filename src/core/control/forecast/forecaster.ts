/**
 * The forecaster contract (issue 6, docs/forecasting.md): a model is fitted on the history observed
 * so far and predicts the slots from `now` on, at slot resolution. The same contract serves the
 * simulation (OnlineForecast refits as the run goes) and the offline evaluation.
 *
 * Time is a slot index: `observed[t]` is the value of slot t (kW for power targets, minor units per
 * kWh for prices); a forecaster called at `now` reads `observed` only at slots < now, so whatever the
 * array holds at `now` and later (future values in an evaluation, zeros in a run) cannot leak in.
 * Exogenous series (calendar, weather forecast) are known ahead for every slot and may be read at any
 * slot of the forecast.
 */

/** Inputs known ahead for every slot of the run (index = slot). */
export interface ExogenousSeries {
  /** Local time of the slot's middle, fractional hour 0..24. */
  readonly hourOfDay: Float64Array;
  /** Local day of the week, Monday = 0 … Sunday = 6. */
  readonly dayOfWeek: Uint8Array;
  /** Forecast air temperature (not the actual), °C. */
  readonly temperatureC: Float64Array;
  /** Forecast global horizontal irradiance, W/m². */
  readonly ghiWm2: Float64Array;
  /** Clear-sky global horizontal irradiance (astronomy, exact), W/m²; 0 at night. */
  readonly clearSkyGhiWm2: Float64Array;
  /** Forecast wind speed at the 10 m reference height, m/s. */
  readonly windSpeedMs: Float64Array;
}

export interface ForecastInput {
  /** Observed value per slot; only slots < now are read. Values must be finite. */
  readonly observed: ArrayLike<number>;
  readonly exogenous: ExogenousSeries;
  readonly slotsPerDay: number;
}

export interface Forecaster {
  /** The model that produces the forecasts now (a learned model names its fallback while it cannot fit). */
  readonly model: string;
  /** Learns from the observations before `now` (a baseline has nothing to learn). */
  fit(input: ForecastInput, now: number): void;
  /** Writes the forecast of slot now + j into out[j], for j = 0..out.length − 1. */
  predict(input: ForecastInput, now: number, out: Float64Array): void;
}

/** The longest horizon the forecasters support (the learned model's lags are chosen for it). */
export const MAX_HORIZON_HOURS = 48;

/** Number of slots in the series of an exogenous input. */
export function exogenousSlots(exogenous: ExogenousSeries): number {
  return exogenous.hourOfDay.length;
}
