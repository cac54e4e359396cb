/**
 * The weather of one location: a seeded, reproducible series of per-slot environments (sun, sky,
 * wind, temperature), all computed at construction so `environment(slot)` returns a stored, frozen
 * object. Values are for the middle of each slot.
 *
 * Models (each process draws from its own forked random stream, so changing one does not shift the
 * others):
 * - Sun: NREL SPA, ΔT = 69 s, refraction with the standard-atmosphere pressure at the site and the
 *   modelled air temperature.
 * - Clear sky: Ineichen-Perez with Linke turbidity 3; actual sky = clear-sky index k × clear GHI,
 *   split into beam and diffuse with Erbs (see solar/clear-sky.ts).
 * - Clouds: a latent Gaussian = a day-level AR(1) regime (day-to-day correlation 0.6) mixed with an
 *   intraday AR(1) (0.9 per 15 min); cloud cover = Φ(μ + s·latent) with s = 1.5, which makes the cover
 *   of most days lean to clear or overcast, and μ chosen so the mean cover is exactly
 *   `cloudCoverMean`. k = 1 − 0.75 · cover^3.4 (Kasten & Czeplak 1980), kept within [0.05, 1].
 * - Wind at 10 m: an AR(1) Gaussian (0.97 per 15 min) mapped through Φ and the inverse Weibull CDF,
 *   so each value is Weibull(shape, scale) with the configured mean while consecutive slots stay
 *   correlated over hours.
 * - Temperature: mean + seasonal cosine (8 K, warmest around 19 July in the north, 19 January in
 *   the south, fading towards the equator) + diurnal cosine (peak-to-peak swing, warmest 15:00 local)
 *   + an AR(1) anomaly (σ 2 K, correlation time 2 days).
 */
import { assert } from '../assert.js';
import { ar1, type Rng } from '../rng.js';
import type { Scenario } from '../sim/scenario-schema.js';
import { localCalendar } from '../time.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../units.js';
import type { SlotEnvironment } from './environment.js';
import { clearSkyIrradiance, cloudySkyIrradiance, pressureAtElevationMbar } from './solar/clear-sky.js';
import { sunPosition, type SpaObserver } from './solar/spa.js';

export interface WeatherOptions {
  readonly location: Scenario['location'];
  readonly weather: Scenario['weather'];
  /** UTC start of slot 0, ms since the epoch. */
  readonly startMs: number;
  readonly slotMinutes: number;
  readonly slots: number;
  readonly rng: Rng;
}

export interface WeatherModel {
  readonly slots: number;
  /** The frozen environment of a slot (0..slots-1); the same object on every call. */
  environment(slot: number): SlotEnvironment;
}

const DELTA_T_SECONDS = 69;
const CLEAR_SKY_INDEX_MIN = 0.05;
const CLOUD_DAY_CORRELATION = 0.6;
const CLOUD_INTRADAY_CORRELATION_PER_15_MIN = 0.9;
/** Share (as a standard deviation) of the cloud latent that changes within a day. */
const CLOUD_INTRADAY_SHARE = 0.5;
const CLOUD_LATENT_SPREAD = 1.5;
const WIND_CORRELATION_PER_15_MIN = 0.97;
const SEASONAL_AMPLITUDE_K = 8;
const WARMEST_DAY_OF_YEAR_NORTH = 200;
const WARMEST_HOUR = 15;
const TEMPERATURE_ANOMALY_SIGMA_K = 2;
const TEMPERATURE_ANOMALY_TIME_CONSTANT_HOURS = 48;

export function createWeather(opts: WeatherOptions): WeatherModel {
  const { location, weather, startMs, slotMinutes, slots } = opts;
  assert(Number.isSafeInteger(slots) && slots >= 0, `slots must be a whole number >= 0, got ${slots}`);
  assert(slotMinutes > 0, `slotMinutes must be positive, got ${slotMinutes}`);
  const slotMs = slotMinutes * MS_PER_MINUTE;
  const slotHours = slotMinutes / 60;
  const nextClearSkyIndex = cloudProcess(opts.rng.fork('cloud'), weather.cloudCoverMean, slotMinutes);
  const nextWindMs = windProcess(opts.rng.fork('wind'), weather.windMeanMs, weather.windWeibullShape, slotMinutes);
  const temperatureAt = temperatureModel(opts.rng.fork('temperature'), weather, location.latDeg, slotMinutes);
  const pressureMbar = pressureAtElevationMbar(location.elevationM);

  const environments: SlotEnvironment[] = new Array<SlotEnvironment>(slots);
  for (let slot = 0; slot < slots; slot++) {
    const slotStartMs = startMs + slot * slotMs;
    const middleMs = slotStartMs + slotMs / 2;
    const calendar = localCalendar(middleMs, location.utcOffsetHours);
    const localDay = Math.floor((middleMs + location.utcOffsetHours * MS_PER_HOUR) / MS_PER_DAY);
    const clearSkyIndex = nextClearSkyIndex(localDay);
    const windSpeedMs = nextWindMs();
    const temperatureC = temperatureAt(calendar.dayOfYear, calendar.hourOfDay);
    const observer: SpaObserver = { ...location, pressureMbar, temperatureC };
    const sun = Object.freeze(sunPosition(middleMs, observer, DELTA_T_SECONDS));
    const clear = clearSkyIrradiance(sun.zenithDeg, location.elevationM, calendar.dayOfYear);
    const irradiance = Object.freeze(cloudySkyIrradiance(clear, clearSkyIndex, sun.zenithDeg, calendar.dayOfYear));
    environments[slot] = Object.freeze({
      slot, startMs: slotStartMs, slotMinutes, slotHours,
      hourOfDay: calendar.hourOfDay, dayOfWeek: calendar.dayOfWeek, dayOfYear: calendar.dayOfYear, sun, irradiance, clearSkyIndex, windSpeedMs, temperatureC,
    });
  }

  return {
    slots,
    environment(slot: number): SlotEnvironment {
      const env = Number.isInteger(slot) ? environments[slot] : undefined;
      if (env === undefined) throw new RangeError(`weather has slots 0..${slots - 1}, asked for ${slot}`);
      return env;
    },
  };
}

/** Clear-sky index per slot from the day regime and intraday clouds (see the file comment). */
function cloudProcess(rng: Rng, cloudCoverMean: number, slotMinutes: number): (localDay: number) => number {
  const nextDayLatent = ar1(rng.fork('day'), CLOUD_DAY_CORRELATION);
  const nextIntradayLatent = ar1(rng.fork('intraday'), CLOUD_INTRADAY_CORRELATION_PER_15_MIN ** (slotMinutes / 15));
  // E[Φ(μ + sZ)] = Φ(μ / √(1 + s²)) for Z ~ N(0, 1), which fixes μ for the wanted mean cover.
  const spread = CLOUD_LATENT_SPREAD;
  const offset = Math.sqrt(1 + spread * spread) * normalQuantile(cloudCoverMean);
  const dayShare = Math.sqrt(1 - CLOUD_INTRADAY_SHARE ** 2);
  let day = NaN;
  let dayLatent = 0;
  return (localDay) => {
    if (localDay !== day) {
      day = localDay;
      dayLatent = nextDayLatent();
    }
    const latent = dayShare * dayLatent + CLOUD_INTRADAY_SHARE * nextIntradayLatent();
    const cover = normalCdf(offset + spread * latent);
    return Math.min(1, Math.max(CLEAR_SKY_INDEX_MIN, 1 - 0.75 * cover ** 3.4));
  };
}

/** Wind speed per slot: a correlated Gaussian with a Weibull marginal of the given mean and shape. */
function windProcess(rng: Rng, meanMs: number, shape: number, slotMinutes: number): () => number {
  const nextLatent = ar1(rng, WIND_CORRELATION_PER_15_MIN ** (slotMinutes / 15));
  const scaleMs = meanMs / gamma(1 + 1 / shape);
  return () => {
    // Weibull quantile of u = Φ(g), written with 1 − u = Φ(−g) to keep precision in the upper tail.
    const survival = Math.max(Number.MIN_VALUE, normalCdf(-nextLatent()));
    return scaleMs * Math.pow(-Math.log(survival), 1 / shape);
  };
}

/** Air temperature at a local day of year and hour, with a slowly varying random anomaly. */
function temperatureModel(rng: Rng, weather: Scenario['weather'], latDeg: number, slotMinutes: number):
  (dayOfYear: number, hourOfDay: number) => number {
  const nextAnomaly = ar1(rng, Math.exp(-slotMinutes / (TEMPERATURE_ANOMALY_TIME_CONSTANT_HOURS * 60)));
  // Seasons flip between hemispheres and fade within about 35° of the equator.
  const seasonalK = Math.sign(latDeg) * SEASONAL_AMPLITUDE_K * Math.min(1, Math.abs(latDeg) / 35);
  return (dayOfYear, hourOfDay) => weather.temperatureMeanC
    + seasonalK * Math.cos((2 * Math.PI * (dayOfYear - WARMEST_DAY_OF_YEAR_NORTH)) / 365.25)
    + (weather.temperatureDailySwingC / 2) * Math.cos((2 * Math.PI * (hourOfDay - WARMEST_HOUR)) / 24)
    + TEMPERATURE_ANOMALY_SIGMA_K * nextAnomaly();
}


/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
    + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Inverse of `normalCdf` by bisection (used once per model, so simplicity beats speed). */
function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** Gamma function for x ≥ 1 (Lanczos, g = 7), enough for the Weibull mean Γ(1 + 1/k). */
function gamma(x: number): number {
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * sum;
}
