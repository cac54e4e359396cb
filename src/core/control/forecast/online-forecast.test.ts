import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import type { ForecastInput, Forecaster } from './forecaster.js';
import { aDailySeries, anExogenous, SLOTS_PER_DAY } from './forecast.fixture.js';
import { OnlineForecast } from './online-forecast.js';
import { RidgeForecaster } from './ridge-forecaster.js';

/** Records when it was fitted and forecasts the number of observations it could see. */
class SpyForecaster implements Forecaster {
  readonly model = 'spy';
  readonly fits: number[] = [];
  fit(_input: ForecastInput, now: number): void {
    this.fits.push(now);
  }
  predict(input: ForecastInput, now: number, out: Float64Array): void {
    out.fill(now > 0 ? (input.observed[now - 1] as number) : -1);
  }
}

describe('OnlineForecast', () => {
  const ex = anExogenous(10);

  it('refits on the first forecast, then every refitEverySlots', () => {
    const spy = new SpyForecaster();
    const online = new OnlineForecast(spy, ex, SLOTS_PER_DAY, 10 * SLOTS_PER_DAY, { refitEverySlots: 4 });
    const out = new Float64Array(2);
    for (let slot = 0; slot < 12; slot++) {
      online.forecast(slot, out);
      online.observe(slot, slot * 10);
    }
    expect(spy.fits).toEqual([0, 4, 8]);
    expect(online.fitCount).toBe(3);
    online.forecast(12, out);
    expect(Array.from(out)).toEqual([110, 110]);
  });

  it('drives a learned model slot by slot as a run does', () => {
    const observed = aDailySeries(ex, { noise: 2 });
    const online = new OnlineForecast(new RidgeForecaster({ target: 'load' }), ex, SLOTS_PER_DAY, observed.length, { refitEverySlots: SLOTS_PER_DAY });
    const out = new Float64Array(SLOTS_PER_DAY);
    for (let slot = 0; slot < 4 * SLOTS_PER_DAY; slot++) online.observe(slot, observed[slot] as number);
    online.forecast(4 * SLOTS_PER_DAY, out);
    expect(online.model).toBe('ridge (1-day lags only)');
    expect(Math.abs((out[24] as number) - (observed[4 * SLOTS_PER_DAY + 24] as number))).toBeLessThan(10);
  });

  it('error: observations out of order, not finite or missing before a forecast are bugs', () => {
    const online = new OnlineForecast(new SpyForecaster(), ex, SLOTS_PER_DAY, 20, { refitEverySlots: 1 });
    expect(() => online.observe(1, 5)).toThrow(InvariantError);
    expect(() => online.observe(0, NaN)).toThrow(InvariantError);
    online.observe(0, 5);
    expect(() => online.forecast(2, new Float64Array(1))).toThrow(/needs slots 0..1 observed/);
    expect(() => new OnlineForecast(new SpyForecaster(), ex, SLOTS_PER_DAY, 20, { refitEverySlots: 0 })).toThrow(InvariantError);
  });

  it('error: an observation past the run is a bug', () => {
    const online = new OnlineForecast(new SpyForecaster(), ex, SLOTS_PER_DAY, 1, { refitEverySlots: 1 });
    online.observe(0, 1);
    expect(() => online.observe(1, 1)).toThrow(/past the run/);
  });
});
