import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { Scenario } from '../sim/scenario-schema.js';
import { localCalendar } from '../time.js';
import type { SlotEnvironment } from './environment.js';
import { createWeather, type WeatherOptions } from './weather.js';

const berlin: Scenario['location'] = { latDeg: 52.52, lonDeg: 13.405, elevationM: 34, utcOffsetHours: 1 };
const defaults: Scenario['weather'] = {
  cloudCoverMean: 0.5, windMeanMs: 6, windWeibullShape: 2, temperatureMeanC: 12, temperatureDailySwingC: 8,
};

function aWeather(overrides: Partial<WeatherOptions> = {}, seed = 7): WeatherOptions {
  return {
    location: berlin, weather: defaults, startMs: Date.UTC(2026, 0, 1), slotMinutes: 15, slots: 96 * 7,
    rng: new Rng(seed), ...overrides,
  };
}

function allEnvironments(opts: WeatherOptions): SlotEnvironment[] {
  const model = createWeather(opts);
  return Array.from({ length: model.slots }, (_, slot) => model.environment(slot));
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('createWeather', () => {
  it('reproduces the same environments from the same seed', () => {
    expect(allEnvironments(aWeather({}, 11))).toEqual(allEnvironments(aWeather({}, 11)));
  });

  it('gives different weather for a different seed', () => {
    const a = allEnvironments(aWeather({}, 11));
    const b = allEnvironments(aWeather({}, 12));
    expect(a.map((e) => e.windSpeedMs)).not.toEqual(b.map((e) => e.windSpeedMs));
    expect(a.map((e) => e.clearSkyIndex)).not.toEqual(b.map((e) => e.clearSkyIndex));
  });

  it('returns the same frozen object for a slot on every call', () => {
    const model = createWeather(aWeather());
    expect(model.environment(5)).toBe(model.environment(5));
    expect(Object.isFrozen(model.environment(5))).toBe(true);
    expect(Object.isFrozen(model.environment(5).sun)).toBe(true);
  });

  it('error: throws a RangeError for a slot outside the run', () => {
    const model = createWeather(aWeather({ slots: 10 }));
    expect(() => model.environment(-1)).toThrow(RangeError);
    expect(() => model.environment(10)).toThrow(RangeError);
    expect(() => model.environment(1.5)).toThrow(RangeError);
  });

  it('stamps each slot with its timing and the local calendar of its middle', () => {
    const opts = aWeather({ slotMinutes: 30, slots: 100 });
    const env = createWeather(opts).environment(37);
    expect(env).toMatchObject({ slot: 37, startMs: opts.startMs + 37 * 30 * 60_000, slotMinutes: 30, slotHours: 0.5 });
    const calendar = localCalendar(env.startMs + 15 * 60_000, berlin.utcOffsetHours);
    expect(env).toMatchObject(calendar);
    expect(env.hourOfDay).toBeCloseTo(19.75, 9); // 18:30 UTC + 15 min, UTC+1
  });
});

describe('sun and sky', () => {
  const june = allEnvironments(aWeather({ startMs: Date.UTC(2026, 5, 1), slots: 96 * 30 }));

  it('has no irradiance at night', () => {
    const night = june.filter((e) => e.sun.zenithDeg >= 90);
    expect(night.length).toBeGreaterThan(96 * 30 * 0.25);
    for (const e of night) expect(e.irradiance).toEqual({ ghiWm2: 0, dniWm2: 0, dhiWm2: 0 });
  });

  it('has the sun high near 13:00 local (UTC+1) in a Berlin June', () => {
    const noon = june.filter((e) => Math.abs(e.hourOfDay - 13.125) < 0.01);
    for (const e of noon) expect(e.sun.zenithDeg).toBeLessThan(35);
  });

  it('keeps the clear-sky index within [0.05, 1] and GHI within the clear sky', () => {
    for (const e of june) {
      expect(e.clearSkyIndex).toBeGreaterThanOrEqual(0.05);
      expect(e.clearSkyIndex).toBeLessThanOrEqual(1);
      expect(e.irradiance.ghiWm2).toBeLessThan(1100);
      expect(e.irradiance.dhiWm2).toBeGreaterThanOrEqual(0);
    }
  });

  it('has clear days and overcast days', () => {
    const model = allEnvironments(aWeather({ startMs: Date.UTC(2026, 3, 1), slots: 96 * 60 }));
    const noonIndex = model.filter((e) => Math.abs(e.hourOfDay - 13.125) < 0.01).map((e) => e.clearSkyIndex);
    expect(noonIndex.filter((k) => k > 0.9).length).toBeGreaterThan(5);
    expect(noonIndex.filter((k) => k < 0.5).length).toBeGreaterThan(5);
  });

  it('is darker on average for a cloudier climate', () => {
    const sunny = allEnvironments(aWeather({ weather: { ...defaults, cloudCoverMean: 0.2 }, slots: 96 * 60 }));
    const cloudy = allEnvironments(aWeather({ weather: { ...defaults, cloudCoverMean: 0.8 }, slots: 96 * 60 }));
    expect(mean(cloudy.map((e) => e.clearSkyIndex))).toBeLessThan(mean(sunny.map((e) => e.clearSkyIndex)) - 0.2);
  });
});

describe('wind', () => {
  it('has a non-negative speed whose long-run mean is near the configured mean', () => {
    for (const seed of [1, 2, 3]) {
      for (const shape of [1.5, 2, 3]) {
        const envs = allEnvironments(aWeather({ weather: { ...defaults, windWeibullShape: shape }, slots: 96 * 60 }, seed));
        const speeds = envs.map((e) => e.windSpeedMs);
        expect(Math.min(...speeds)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(mean(speeds) - 6) / 6).toBeLessThan(0.15);
      }
    }
  });

  it('changes gradually from slot to slot', () => {
    const speeds = allEnvironments(aWeather({ slots: 96 * 30 })).map((e) => e.windSpeedMs);
    const steps = speeds.slice(1).map((s, i) => Math.abs(s - (speeds[i] ?? 0)));
    expect(mean(steps)).toBeLessThan(1);
  });
});

describe('temperature', () => {
  it('is warmer by day than by night on average', () => {
    const envs = allEnvironments(aWeather({ slots: 96 * 30 }));
    const day = envs.filter((e) => e.hourOfDay >= 12 && e.hourOfDay < 18).map((e) => e.temperatureC);
    const night = envs.filter((e) => e.hourOfDay < 6).map((e) => e.temperatureC);
    expect(mean(day) - mean(night)).toBeGreaterThan(4);
  });

  it('is warmer in July than in January in the north, and the other way round in the south', () => {
    const monthMean = (location: Scenario['location'], month: number): number =>
      mean(allEnvironments(aWeather({ location, startMs: Date.UTC(2026, month, 1), slots: 96 * 28 })).map((e) => e.temperatureC));
    expect(monthMean(berlin, 6) - monthMean(berlin, 0)).toBeGreaterThan(10);
    const sydney = { latDeg: -33.87, lonDeg: 151.21, elevationM: 20, utcOffsetHours: 10 };
    expect(monthMean(sydney, 0) - monthMean(sydney, 6)).toBeGreaterThan(8);
  });
});
