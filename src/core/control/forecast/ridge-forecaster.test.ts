import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { meanAbsoluteError } from './forecast-metrics.js';
import { aDailySeries, anExogenous, anInput, SLOTS_PER_DAY } from './forecast.fixture.js';
import { RidgeForecaster } from './ridge-forecaster.js';
import { SeasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

const DAY = SLOTS_PER_DAY;

describe('RidgeForecaster', () => {
  const ex = anExogenous(21);

  it('beats seasonal naive on a daily sine with noise', () => {
    const observed = aDailySeries(ex, { noise: 8 });
    const input = anInput(observed, ex);
    const ridge = new RidgeForecaster({ target: 'load' });
    const naive = SeasonalNaiveForecaster.daily(DAY);
    const out = new Float64Array(DAY);
    let ridgeMae = 0;
    let naiveMae = 0;
    for (let day = 10; day < 20; day++) {
      const now = day * DAY;
      const actual = observed.subarray(now, now + DAY);
      ridge.fit(input, now);
      ridge.predict(input, now, out);
      ridgeMae += meanAbsoluteError(out, actual);
      naive.predict(input, now, out);
      naiveMae += meanAbsoluteError(out, actual);
    }
    expect(ridge.model).toBe('ridge');
    // Yesterday's noise adds to today's for seasonal naive (≈ √2 · 8 · 0.8); the fit averages it out.
    expect(ridgeMae).toBeLessThan(0.8 * naiveMae);
  });

  it('learns PV from the irradiance forecast, 0 at night and never negative', () => {
    const pv = Float64Array.from(ex.ghiWm2, (g) => 0.5 * g);
    const input = anInput(pv, ex);
    const ridge = new RidgeForecaster({ target: 'pv' });
    const now = 14 * DAY;
    ridge.fit(input, now);
    const out = new Float64Array(DAY);
    ridge.predict(input, now, out);
    out.forEach((v, j) => {
      expect(v).toBeGreaterThanOrEqual(0);
      if ((ex.clearSkyGhiWm2[now + j] as number) === 0) expect(v).toBe(0);
      // Within 2 % of the 400 kW peak: the penalty shrinks the fit a little.
      else expect(Math.abs(v - (pv[now + j] as number))).toBeLessThan(8);
    });
  });

  it('no future leak: observations from now on do not change the fit or the forecast', () => {
    for (const horizonHours of [24, 48]) {
      const observed = aDailySeries(ex, { noise: 5 });
      const now = 12 * DAY + 37;
      const tampered = Float64Array.from(observed, (v, s) => (s >= now ? v * 3 + 1000 : v));
      const forecast = (series: Float64Array): number[] => {
        const f = new RidgeForecaster({ target: 'price', horizonHours });
        f.fit(anInput(series, ex), now);
        const out = new Float64Array(horizonHours * 4);
        f.predict(anInput(series, ex), now, out);
        return Array.from(out);
      };
      expect(forecast(tampered)).toEqual(forecast(observed));
    }
  });

  it('serves 48 h with a second model whose lags start two days back', () => {
    const ridge = new RidgeForecaster({ target: 'load', horizonHours: 48 });
    ridge.fit(anInput(aDailySeries(ex), ex), 15 * DAY);
    expect(ridge.tiers).toEqual(['weekly', 'weekly']);
  });

  it('falls back to seasonal naive with too little history, then adds lags as history grows', () => {
    const observed = aDailySeries(ex, { noise: 3 });
    const input = anInput(observed, ex);
    const ridge = new RidgeForecaster({ target: 'load' });
    const modelAt = (days: number): string => {
      ridge.fit(input, days * DAY);
      return ridge.model;
    };
    expect(modelAt(1)).toBe('seasonal-naive-1d (ridge warming up)');
    const out = new Float64Array(DAY);
    const naive = new Float64Array(DAY);
    ridge.predict(input, DAY, out);
    SeasonalNaiveForecaster.daily(DAY).predict(input, DAY, naive);
    expect(Array.from(out)).toEqual(Array.from(naive));
    expect(modelAt(2)).toBe('ridge (no lags yet)');
    expect(modelAt(3)).toBe('ridge (1-day lags only)');
    // Weekly lags leave rows from day 7 on: until they include a Saturday and a Sunday (day 14),
    // the model keeps the tier that has seen weekends.
    expect(modelAt(9)).toBe('ridge (1-day lags only)');
    expect(modelAt(13)).toBe('ridge (1-day lags only)');
    expect(modelAt(14)).toBe('ridge');
  });

  it('PV has no weekend profile, so it takes weekly lags as soon as it has two days of rows', () => {
    const ridge = new RidgeForecaster({ target: 'pv' });
    ridge.fit(anInput(Float64Array.from(ex.ghiWm2, (g) => 0.5 * g), ex), 9 * DAY);
    expect(ridge.model).toBe('ridge');
  });

  it('past the end of the weather forecast, forecasts seasonal naive', () => {
    const short = anExogenous(10);
    const observed = aDailySeries(short, { noise: 5 });
    const input = anInput(observed, short);
    const ridge = new RidgeForecaster({ target: 'load' });
    const now = 10 * DAY - 10;
    ridge.fit(input, now);
    const out = new Float64Array(DAY);
    ridge.predict(input, now, out);
    for (let j = 10; j < DAY; j++) expect(out[j]).toBe(observed[now + j - DAY]);
    expect(out[0]).not.toBe(observed[now - DAY]);
  });

  it('is deterministic', () => {
    const run = (): number[] => {
      const input = anInput(aDailySeries(ex, { noise: 5 }), ex);
      const ridge = new RidgeForecaster({ target: 'wind' });
      ridge.fit(input, 15 * DAY);
      const out = new Float64Array(DAY);
      ridge.predict(input, 15 * DAY, out);
      return Array.from(out);
    };
    expect(run()).toEqual(run());
  });

  it('error: a forecast longer than the horizon or a horizon over 48 h is a bug', () => {
    const ridge = new RidgeForecaster({ target: 'load' });
    expect(() => ridge.predict(anInput(aDailySeries(ex), ex), 5 * DAY, new Float64Array(DAY + 1))).toThrow(InvariantError);
    expect(() => new RidgeForecaster({ target: 'load', horizonHours: 49 })).toThrow(InvariantError);
  });
});
