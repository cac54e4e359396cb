import { describe, expect, it } from 'vitest';
import type { ExogenousSeries, ForecastInput, Forecaster } from '../forecast/forecaster.js';
import { OnlineForecast } from '../forecast/online-forecast.js';
import { TrailingBestForecast } from './trailing-best-forecast.js';

const DAY = 24;
const DAYS = 6;
const SLOTS = DAY * DAYS;
const exogenous = {} as ExogenousSeries;
/** A daily pattern that repeats exactly, plus a step on day 3 onwards that seasonal naive misses for one day. */
const truth = (t: number): number => 10 + Math.sin((2 * Math.PI * (t % DAY)) / DAY) * 5 + (t >= 3 * DAY ? 4 : 0);

/** A "learned" model that knows the truth (or is always wrong by `bias`). */
function aModel(bias: number): Forecaster {
  return {
    model: 'ridge',
    fit: (_input: ForecastInput, _now: number) => undefined,
    predict: (_input: ForecastInput, now: number, out: Float64Array) => { out.forEach((_, j) => { out[j] = truth(now + j) + bias; }); },
  };
}

function run(bias: number): TrailingBestForecast {
  const f = new TrailingBestForecast(new OnlineForecast(aModel(bias), exogenous, DAY, SLOTS, { refitEverySlots: DAY }), DAY, SLOTS);
  for (let t = 0; t < SLOTS - 1; t++) f.observe(t, truth(t));
  return f;
}

describe('trailing-best forecast of a site', () => {
  it('uses seasonal naive until the learned model has been scored on a whole day', () => {
    const f = new TrailingBestForecast(new OnlineForecast(aModel(0), exogenous, DAY, SLOTS, { refitEverySlots: DAY }), DAY, SLOTS);
    for (let t = 0; t < DAY - 1; t++) f.observe(t, truth(t));
    expect(f.model).toBe('seasonal-naive');
    f.observe(DAY - 1, truth(DAY - 1));
    f.observe(DAY, truth(DAY)); // day 0 scored: the learned model forecast it exactly
    expect(f.model).toBe('learned');
  });

  it('follows the learned model once it forecast the recent days better', () => {
    const f = run(0);
    expect(f.model).toBe('learned');
    const out = new Float64Array(2);
    f.forecast(SLOTS - 1, out);
    expect(out[0]).toBeCloseTo(truth(SLOTS - 1), 9);
  });

  it('keeps seasonal naive when the learned model does worse', () => {
    expect(run(3).model).toBe('seasonal-naive');
  });
});
