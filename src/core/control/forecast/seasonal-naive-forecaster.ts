/**
 * Seasonal naive: a slot ahead equals the same slot one period earlier (period = one day: same slot
 * yesterday; seven days: same slot last week). For leads beyond one period the last observed period
 * repeats: slot now + j takes the value of now + j − k·period with the smallest k ≥ 1 that lies before
 * now. Where that reaches before slot 0 (the first period of a run) it falls back to persistence.
 */
import { assert } from '../../assert.js';
import type { ForecastInput, Forecaster } from './forecaster.js';

export class SeasonalNaiveForecaster implements Forecaster {
  readonly model: string;

  constructor(readonly periodSlots: number, model?: string) {
    assert(Number.isInteger(periodSlots) && periodSlots >= 1, `the period must be a whole number of slots >= 1, got ${periodSlots}`);
    this.model = model ?? `seasonal-naive-${periodSlots}-slots`;
  }

  /** Same slot yesterday. */
  static daily(slotsPerDay: number): SeasonalNaiveForecaster {
    return new SeasonalNaiveForecaster(slotsPerDay, 'seasonal-naive-1d');
  }

  /** Same slot last week. */
  static weekly(slotsPerDay: number): SeasonalNaiveForecaster {
    return new SeasonalNaiveForecaster(7 * slotsPerDay, 'seasonal-naive-7d');
  }

  fit(): void {
    // Nothing to learn.
  }

  predict(input: ForecastInput, now: number, out: Float64Array): void {
    seasonalNaive(input.observed, now, this.periodSlots, out);
  }
}

/** The seasonal-naive forecast of slots now.. into out (shared with the learned model's fallback). */
export function seasonalNaive(observed: ArrayLike<number>, now: number, periodSlots: number, out: Float64Array): void {
  const last = now > 0 ? (observed[now - 1] as number) : 0;
  for (let j = 0; j < out.length; j++) {
    const source = now + j - (Math.floor(j / periodSlots) + 1) * periodSlots;
    out[j] = source >= 0 ? (observed[source] as number) : last;
  }
}
