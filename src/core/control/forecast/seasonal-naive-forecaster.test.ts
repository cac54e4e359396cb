import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { aDailySeries, anExogenous, anInput } from './forecast.fixture.js';
import { SeasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

describe('SeasonalNaiveForecaster', () => {
  const ex = anExogenous(10);

  it('is exact on a series with its period', () => {
    const observed = aDailySeries(ex);
    const out = new Float64Array(96);
    SeasonalNaiveForecaster.daily(96).predict(anInput(observed, ex), 300, out);
    out.forEach((v, j) => expect(v).toBeCloseTo(observed[300 + j] as number, 9));
  });

  it('repeats the last observed period for leads beyond one period', () => {
    const observed = Float64Array.from({ length: 10 * 96 }, (_, s) => s);
    const out = new Float64Array(48);
    new SeasonalNaiveForecaster(10).predict(anInput(observed, ex), 200, out);
    // Slot 200 + j takes 200 + j − 10·(⌊j/10⌋ + 1): always one of the 10 slots before 200.
    out.forEach((v, j) => expect(v).toBe(190 + (j % 10)));
  });

  it('weekly takes the same slot seven days earlier', () => {
    const observed = Float64Array.from({ length: 10 * 96 }, (_, s) => s);
    const out = new Float64Array(3);
    SeasonalNaiveForecaster.weekly(96).predict(anInput(observed, ex), 8 * 96, out);
    expect(Array.from(out)).toEqual([96, 97, 98]);
  });

  it('falls back to the last observation before the first full period', () => {
    const observed = Float64Array.from({ length: 10 * 96 }, (_, s) => s);
    const out = new Float64Array(4);
    SeasonalNaiveForecaster.daily(96).predict(anInput(observed, ex), 20, out);
    expect(Array.from(out)).toEqual([19, 19, 19, 19]);
  });

  it('error: a period that is not a whole number of slots is a bug', () => {
    expect(() => new SeasonalNaiveForecaster(0)).toThrow(InvariantError);
    expect(() => new SeasonalNaiveForecaster(1.5)).toThrow(InvariantError);
  });
});
