/**
 * A forecaster run online, as the simulation (or a runtime node) goes: observations arrive slot by
 * slot in order, and `forecast(now, out)` refits the model when a refit is due (the first call, then
 * every `refitEverySlots`) and predicts the slots from `now` on.
 *
 * Memory: one float per slot of the run (`totalSlots`, e.g. 35,040 slots = 280 kB for a year of
 * 15-minute slots) plus the forecaster's own state; the forecaster reads only its training window.
 */
import { assert } from '../../assert.js';
import type { ExogenousSeries, ForecastInput, Forecaster } from './forecaster.js';

export interface OnlineForecastOptions {
  /** Refit the model when this many slots have passed since the last fit (≥ 1). */
  readonly refitEverySlots: number;
}

export class OnlineForecast {
  private readonly observed: Float64Array;
  private readonly input: ForecastInput;
  private readonly refitEverySlots: number;
  private observedSlots = 0;
  private fittedAt: number | undefined;
  private fits = 0;

  constructor(readonly forecaster: Forecaster, exogenous: ExogenousSeries, slotsPerDay: number, readonly totalSlots: number, options: OnlineForecastOptions) {
    assert(Number.isInteger(totalSlots) && totalSlots >= 0, `totalSlots must be a whole number >= 0, got ${totalSlots}`);
    assert(Number.isInteger(options.refitEverySlots) && options.refitEverySlots >= 1, `refitEverySlots must be a whole number >= 1, got ${options.refitEverySlots}`);
    this.observed = new Float64Array(totalSlots);
    this.input = { observed: this.observed, exogenous, slotsPerDay };
    this.refitEverySlots = options.refitEverySlots;
  }

  get model(): string {
    return this.forecaster.model;
  }

  /** Slots observed so far (0..observedCount − 1). */
  get observedCount(): number {
    return this.observedSlots;
  }

  /** Fits so far. */
  get fitCount(): number {
    return this.fits;
  }

  /** Records the value of `slot`; slots arrive in order, each once. */
  observe(slot: number, value: number): void {
    assert(slot === this.observedSlots, `observations arrive in slot order: expected slot ${this.observedSlots}, got ${slot}`);
    assert(slot < this.totalSlots, `slot ${slot} is past the run's ${this.totalSlots} slots`);
    assert(Number.isFinite(value), `observation of slot ${slot} is not finite: ${value}`);
    this.observed[slot] = value;
    this.observedSlots++;
  }

  /** Forecast of slots now..now + out.length − 1, refitting first when due; every slot before `now` must be observed. */
  forecast(now: number, out: Float64Array): void {
    assert(Number.isInteger(now) && now >= 0 && now <= this.observedSlots, `forecast at slot ${now} needs slots 0..${now - 1} observed (${this.observedSlots} are)`);
    if (this.fittedAt === undefined || now < this.fittedAt || now - this.fittedAt >= this.refitEverySlots) {
      this.forecaster.fit(this.input, now);
      this.fittedAt = now;
      this.fits++;
    }
    this.forecaster.predict(this.input, now, out);
  }
}
