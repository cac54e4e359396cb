/**
 * Test builders for the forecasters: a calendar and weather forecast of `days` days
 * (`anExogenous`), series with a daily cycle (`aDailySeries`), and an input bundling them.
 */
import { Rng } from '../../rng.js';
import type { ExogenousSeries, ForecastInput } from './forecaster.js';

export const SLOTS_PER_DAY = 96;

/** Days start on a Monday at midnight; the sun is up 06:00–18:00 with a half-sine clear sky. */
export function anExogenous(days: number, slotsPerDay = SLOTS_PER_DAY, seed = 1): ExogenousSeries {
  const slots = days * slotsPerDay;
  const rng = new Rng(seed);
  const ex = {
    hourOfDay: new Float64Array(slots), dayOfWeek: new Uint8Array(slots), temperatureC: new Float64Array(slots),
    ghiWm2: new Float64Array(slots), clearSkyGhiWm2: new Float64Array(slots), windSpeedMs: new Float64Array(slots),
  };
  let dayIndex = 1;
  for (let s = 0; s < slots; s++) {
    const hour = ((s % slotsPerDay) + 0.5) * (24 / slotsPerDay);
    if (s % slotsPerDay === 0) dayIndex = 0.3 + 0.7 * rng.next();
    ex.hourOfDay[s] = hour;
    ex.dayOfWeek[s] = Math.floor(s / slotsPerDay) % 7;
    ex.temperatureC[s] = 12 + 5 * Math.cos((2 * Math.PI * (hour - 15)) / 24) + rng.normal();
    const clear = hour > 6 && hour < 18 ? 800 * Math.sin((Math.PI * (hour - 6)) / 12) : 0;
    ex.clearSkyGhiWm2[s] = clear;
    ex.ghiWm2[s] = clear * dayIndex;
    ex.windSpeedMs[s] = 2 + 8 * rng.next();
  }
  return ex;
}

/** base + amplitude · sin(daily angle) + Gaussian noise of `noise` σ. */
export function aDailySeries(ex: ExogenousSeries, opts: { base?: number; amplitude?: number; noise?: number; seed?: number } = {}): Float64Array {
  const { base = 100, amplitude = 40, noise = 0, seed = 2 } = opts;
  const rng = new Rng(seed);
  return Float64Array.from(ex.hourOfDay, (h) => base + amplitude * Math.sin((2 * Math.PI * h) / 24) + noise * rng.normal());
}

export function anInput(observed: ArrayLike<number>, exogenous: ExogenousSeries, slotsPerDay = SLOTS_PER_DAY): ForecastInput {
  return { observed, exogenous, slotsPerDay };
}
