/**
 * Persistence: every slot ahead equals the last observed value. The simplest baseline; hard to beat a
 * few minutes ahead, useless a day ahead for anything with a daily cycle.
 */
import type { ForecastInput, Forecaster } from './forecaster.js';

export class PersistenceForecaster implements Forecaster {
  readonly model = 'persistence';

  fit(): void {
    // Nothing to learn.
  }

  /** With no observation yet (now = 0) nothing is known and the forecast is 0. */
  predict(input: ForecastInput, now: number, out: Float64Array): void {
    out.fill(now > 0 ? (input.observed[now - 1] as number) : 0);
  }
}
