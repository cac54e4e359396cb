/**
 * The weather forecast the forecasters see: calendar and weather features of every slot of a run,
 * built from the simulation's actual weather plus seeded errors of day-ahead numerical weather
 * prediction (NWP) quality. In a real deployment an NWP service (a national weather service's model
 * output, a commercial API) fills the same `ExogenousSeries` through an adapter.
 *
 * Error model (each an AR(1) Gaussian in time, so errors persist for hours as a forecast that has a
 * front a few hours late does; each from its own forked stream of the given Rng):
 * - temperature: + σ 1.5 K, correlation time 6 h;
 * - sky: clear-sky index + σ 0.15, correlation time 3 h, kept within [0.05, 1]; GHI = index × clear-sky GHI;
 * - wind speed: × exp(σ e − σ²/2) with σ 15 %, correlation time 4 h (unbiased, never negative).
 * Calendar and clear-sky GHI are exact (astronomy is known). The forecast of a slot does not depend on
 * when it is issued: one day-ahead run per slot, a simplification documented in docs/forecasting.md.
 *
 * `rng` should be a stream of its own, `new Rng(seed).fork('weather-forecast')` in a run, so the
 * forecast errors never shift the random numbers of the weather or the assets; the three error
 * processes fork from it by name and do not advance it.
 */
import type { WeatherModel } from '../../assets/weather.js';
import { UsageError } from '../../errors.js';
import { ar1, type Rng } from '../../rng.js';
import type { ExogenousSeries } from './forecaster.js';

export const WEATHER_FORECAST_ERRORS = {
  temperatureSigmaK: 1.5,
  temperatureCorrelationHours: 6,
  clearSkyIndexSigma: 0.15,
  clearSkyIndexCorrelationHours: 3,
  windSpeedSigmaRel: 0.15,
  windSpeedCorrelationHours: 4,
} as const;

const CLEAR_SKY_INDEX_MIN = 0.05;

export function weatherForecastFeatures(weather: WeatherModel, slots: number, rng: Rng): ExogenousSeries {
  if (!Number.isInteger(slots) || slots < 0 || slots > weather.slots) {
    throw new UsageError(`a weather forecast needs 0..${weather.slots} slots (the weather's length), got ${slots}`);
  }
  const e = WEATHER_FORECAST_ERRORS;
  const slotHours = slots > 0 ? weather.environment(0).slotHours : 1;
  const temperatureError = ar1(rng.fork('temperature'), Math.exp(-slotHours / e.temperatureCorrelationHours));
  const skyError = ar1(rng.fork('sky'), Math.exp(-slotHours / e.clearSkyIndexCorrelationHours));
  const windError = ar1(rng.fork('wind'), Math.exp(-slotHours / e.windSpeedCorrelationHours));
  const series = {
    hourOfDay: new Float64Array(slots),
    dayOfWeek: new Uint8Array(slots),
    temperatureC: new Float64Array(slots),
    ghiWm2: new Float64Array(slots),
    clearSkyGhiWm2: new Float64Array(slots),
    windSpeedMs: new Float64Array(slots),
  };
  const windBias = (e.windSpeedSigmaRel * e.windSpeedSigmaRel) / 2;
  for (let slot = 0; slot < slots; slot++) {
    const env = weather.environment(slot);
    // Every slot draws all three errors, so the streams stay aligned whatever the sky does.
    const dt = temperatureError();
    const dk = skyError();
    const dw = windError();
    const clear = env.clearSkyIndex > 0 ? env.irradiance.ghiWm2 / env.clearSkyIndex : 0;
    const index = Math.min(1, Math.max(CLEAR_SKY_INDEX_MIN, env.clearSkyIndex + e.clearSkyIndexSigma * dk));
    series.hourOfDay[slot] = env.hourOfDay;
    series.dayOfWeek[slot] = env.dayOfWeek;
    series.temperatureC[slot] = env.temperatureC + e.temperatureSigmaK * dt;
    series.clearSkyGhiWm2[slot] = clear;
    series.ghiWm2[slot] = clear * index;
    series.windSpeedMs[slot] = env.windSpeedMs * Math.exp(e.windSpeedSigmaRel * dw - windBias);
  }
  return series;
}

