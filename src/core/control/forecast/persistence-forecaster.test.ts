import { describe, expect, it } from 'vitest';
import { anExogenous, anInput } from './forecast.fixture.js';
import { PersistenceForecaster } from './persistence-forecaster.js';

describe('PersistenceForecaster', () => {
  const ex = anExogenous(3);

  it('is exact on a constant series', () => {
    const input = anInput(new Float64Array(3 * 96).fill(42), ex);
    const out = new Float64Array(96);
    new PersistenceForecaster().predict(input, 100, out);
    expect(out.every((v) => v === 42)).toBe(true);
  });

  it('repeats the last observed value, not anything from now on', () => {
    const observed = Float64Array.from({ length: 3 * 96 }, (_, s) => s);
    const out = new Float64Array(8);
    new PersistenceForecaster().predict(anInput(observed, ex), 50, out);
    expect(Array.from(out)).toEqual(new Array(8).fill(49));
  });

  it('forecasts 0 before the first observation', () => {
    const out = new Float64Array(4).fill(9);
    new PersistenceForecaster().predict(anInput(new Float64Array(10).fill(5), ex), 0, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });
});
