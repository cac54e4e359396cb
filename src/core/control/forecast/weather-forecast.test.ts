import { describe, expect, it } from 'vitest';
import { createWeather } from '../../assets/weather.js';
import { UsageError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { aScenario } from '../../sim/scenario.fixture.js';
import { WEATHER_FORECAST_ERRORS, weatherForecastFeatures } from './weather-forecast.js';

const scenario = aScenario();
const SLOTS = 30 * 96;
const weather = createWeather({
  location: scenario.location, weather: scenario.weather, startMs: Date.parse(scenario.start), slotMinutes: 15, slots: SLOTS, rng: new Rng(7).fork('weather'),
});

function stats(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
}

describe('weatherForecastFeatures', () => {
  const forecast = weatherForecastFeatures(weather, SLOTS, new Rng(7).fork('weather-forecast'));

  it('is the same for the same seed and differs for another', () => {
    const again = weatherForecastFeatures(weather, SLOTS, new Rng(7).fork('weather-forecast'));
    const other = weatherForecastFeatures(weather, SLOTS, new Rng(8).fork('weather-forecast'));
    expect(Array.from(again.temperatureC)).toEqual(Array.from(forecast.temperatureC));
    expect(Array.from(again.ghiWm2)).toEqual(Array.from(forecast.ghiWm2));
    expect(Array.from(other.windSpeedMs)).not.toEqual(Array.from(forecast.windSpeedMs));
  });

  it('keeps the calendar and the clear-sky GHI exact', () => {
    for (const slot of [0, 50, 1234, SLOTS - 1]) {
      const env = weather.environment(slot);
      expect(forecast.hourOfDay[slot]).toBe(env.hourOfDay);
      expect(forecast.dayOfWeek[slot]).toBe(env.dayOfWeek);
      expect(forecast.clearSkyGhiWm2[slot]).toBeCloseTo(env.irradiance.ghiWm2 / env.clearSkyIndex, 9);
    }
  });

  it('has errors of day-ahead quality: unbiased, σ as configured, correlated over hours', () => {
    const dt: number[] = [];
    const dk: number[] = [];
    const dw: number[] = [];
    for (let s = 0; s < SLOTS; s++) {
      const env = weather.environment(s);
      dt.push((forecast.temperatureC[s] as number) - env.temperatureC);
      dw.push((forecast.windSpeedMs[s] as number) / env.windSpeedMs - 1);
      const clear = forecast.clearSkyGhiWm2[s] as number;
      if (clear > 0) dk.push((forecast.ghiWm2[s] as number) / clear - env.clearSkyIndex);
    }
    const t = stats(dt);
    expect(Math.abs(t.mean)).toBeLessThan(0.5);
    expect(t.sd).toBeGreaterThan(0.7 * WEATHER_FORECAST_ERRORS.temperatureSigmaK);
    expect(t.sd).toBeLessThan(1.3 * WEATHER_FORECAST_ERRORS.temperatureSigmaK);
    expect(stats(dw).sd).toBeGreaterThan(0.1);
    expect(stats(dw).sd).toBeLessThan(0.2);
    const k = stats(dk);
    expect(k.sd).toBeGreaterThan(0.05);
    expect(k.sd).toBeLessThan(0.2);
    // Lag-1 autocorrelation of the temperature error: exp(−0.25 h / 6 h) ≈ 0.96.
    let num = 0;
    for (let s = 1; s < dt.length; s++) num += ((dt[s] as number) - t.mean) * ((dt[s - 1] as number) - t.mean);
    expect(num / (dt.length - 1) / (t.sd * t.sd)).toBeGreaterThan(0.9);
  });

  it('keeps the forecast clear-sky index within [0.05, 1] and wind non-negative', () => {
    for (let s = 0; s < SLOTS; s++) {
      const clear = forecast.clearSkyGhiWm2[s] as number;
      if (clear > 0) {
        const k = (forecast.ghiWm2[s] as number) / clear;
        expect(k).toBeGreaterThanOrEqual(0.05 - 1e-12);
        expect(k).toBeLessThanOrEqual(1 + 1e-12);
      } else expect(forecast.ghiWm2[s]).toBe(0);
      expect(forecast.windSpeedMs[s]).toBeGreaterThanOrEqual(0);
    }
  });

  it('error: more slots than the weather has is a usage error', () => {
    expect(() => weatherForecastFeatures(weather, SLOTS + 1, new Rng(1))).toThrow(UsageError);
  });
});
