/**
 * A site's forecasting agent for the EMS: the learned model (ridge, trained online) or seasonal
 * naive, whichever forecast the recent days better. A learned model trained on a few days of a
 * site's history can do worse than "same slot yesterday"; an agent that keeps score of both and
 * follows the better one never trusts it before it has earned it.
 *
 * Scoring: at the start of every day both models forecast the day ahead (from what was observed
 * before it); as the day's values arrive, each model's absolute error is summed; at the end of the
 * day each model's trailing error is updated (exponentially, half from the day just scored). Until
 * the learned model has been scored on a whole day, seasonal naive is used.
 */
import { assert } from '../../assert.js';
import type { OnlineForecast } from '../forecast/online-forecast.js';
import { seasonalNaive } from '../forecast/seasonal-naive-forecaster.js';
import type { SeriesForecast } from '../site-ems/series-forecast.js';

/** Weight of the day just scored in the trailing error. */
export const TRAILING_WEIGHT = 0.5;

export class TrailingBestForecast implements SeriesForecast {
  private readonly observed: Float64Array;
  private readonly learnedDay: Float64Array;
  private readonly naiveDay: Float64Array;
  private dayStart = -1;
  private dayLearnedErr = 0;
  private dayNaiveErr = 0;
  private learnedErr = NaN;
  private naiveErr = NaN;
  private learnedWasFitted = false;

  constructor(private readonly learned: OnlineForecast, private readonly slotsPerDay: number, totalSlots: number) {
    this.observed = new Float64Array(totalSlots);
    this.learnedDay = new Float64Array(slotsPerDay);
    this.naiveDay = new Float64Array(slotsPerDay);
  }

  /** The model the next forecast comes from. */
  get model(): 'learned' | 'seasonal-naive' {
    return Number.isFinite(this.learnedErr) && this.learnedErr < this.naiveErr ? 'learned' : 'seasonal-naive';
  }

  observe(slot: number, value: number): void {
    if (slot % this.slotsPerDay === 0) this.startDay(slot);
    const j = slot - this.dayStart;
    if (this.dayStart >= 0 && j >= 0 && j < this.slotsPerDay) {
      this.dayLearnedErr += Math.abs((this.learnedDay[j] as number) - value);
      this.dayNaiveErr += Math.abs((this.naiveDay[j] as number) - value);
    }
    this.observed[slot] = value;
    this.learned.observe(slot, value);
  }

  forecast(now: number, out: Float64Array): void {
    assert(now <= this.learned.observedCount, `forecast at slot ${now} needs the slots before it observed`);
    if (this.model === 'learned') this.learned.forecast(now, out);
    else seasonalNaive(this.observed, now, this.slotsPerDay, out);
  }

  /** Scores the day that ended, then both models forecast the day that starts at `slot`. */
  private startDay(slot: number): void {
    if (this.dayStart >= 0 && this.learnedWasFitted) {
      this.learnedErr = trail(this.learnedErr, this.dayLearnedErr);
      this.naiveErr = trail(this.naiveErr, this.dayNaiveErr);
    }
    this.dayStart = slot;
    this.dayLearnedErr = 0;
    this.dayNaiveErr = 0;
    this.learned.forecast(slot, this.learnedDay);
    this.learnedWasFitted = this.learned.model.startsWith('ridge');
    seasonalNaive(this.observed, slot, this.slotsPerDay, this.naiveDay);
  }
}

function trail(previous: number, day: number): number {
  return Number.isFinite(previous) ? (1 - TRAILING_WEIGHT) * previous + TRAILING_WEIGHT * day : day;
}
