/**
 * The learned forecaster: ridge regression on calendar, weather-forecast and lag features
 * (forecast-features.ts), refitted on a rolling window of the most recent `trainingDays` days
 * (ADR 0012, docs/forecasting.md).
 *
 * Leads are split into day bands: band b serves leads [b·day, (b+1)·day) with its own model whose
 * lags start b + 1 days back, so no lag of any lead reaches past the issue time. Each band picks the
 * richest lag tier that has `minTrainingDays` of complete rows and, for targets with weekend
 * profiles, rows of every kind of day (weekday, Saturday, Sunday) the window holds: lags cost their
 * length in rows, and a model that has seen no Saturday forecasts Saturday as a weekday. A band with
 * too little history (the first days of a run) forecasts seasonal naive instead, and `model` says so.
 *
 * The fit minimises the absolute error (iteratively reweighted ridge, ridge-regression.ts): MAE is
 * the score, and abnormal days in the window (an outage) pull a median far less than a mean.
 * Forecasts of load, PV and wind are clamped at 0; PV is 0 whenever the clear-sky GHI is 0 (night),
 * and only daylight slots are trained on.
 */
import { assert } from '../../assert.js';
import type { ForecastTarget } from '../control-metrics.js';
import { featuresFor, LAG_TIERS, type FeatureSet, type LagTier } from './forecast-features.js';
import { exogenousSlots, MAX_HORIZON_HOURS, type ForecastInput, type Forecaster } from './forecaster.js';
import { fitLeastAbsolute, fitRidge, predictLinear, type LinearModel, type RegressionRows } from './ridge-regression.js';
import { seasonalNaive } from './seasonal-naive-forecaster.js';

export interface RidgeOptions {
  readonly target: ForecastTarget;
  /** The longest lead the forecaster serves, hours (1..48); one model per started day. Default 24. */
  readonly horizonHours?: number;
  /** Rolling training window, days. Default 28. */
  readonly trainingDays?: number;
  /** Days of complete rows below which a band does not fit (seasonal naive instead). Default 2. */
  readonly minTrainingDays?: number;
  /** Ridge penalty on standardised features. Default 0.003. */
  readonly lambda?: number;
  /** Loss of the fit. Default absolute (see the module comment). */
  readonly loss?: 'squared' | 'absolute';
}

interface BandModel {
  readonly tier: LagTier;
  readonly features: FeatureSet;
  readonly model: LinearModel;
}

export const RIDGE_DEFAULTS = { horizonHours: 24, trainingDays: 28, minTrainingDays: 2, lambda: 0.003 } as const;

export class RidgeForecaster implements Forecaster {
  readonly target: ForecastTarget;
  readonly horizonHours: number;
  readonly trainingDays: number;
  readonly minTrainingDays: number;
  private readonly lambda: number;
  private readonly loss: 'squared' | 'absolute';
  private bands: (BandModel | undefined)[] = [];
  private scratch = new Float64Array(0);
  private readonly row = new Float64Array(64);

  constructor(options: RidgeOptions) {
    this.target = options.target;
    this.horizonHours = options.horizonHours ?? RIDGE_DEFAULTS.horizonHours;
    this.trainingDays = options.trainingDays ?? RIDGE_DEFAULTS.trainingDays;
    this.minTrainingDays = options.minTrainingDays ?? RIDGE_DEFAULTS.minTrainingDays;
    this.lambda = options.lambda ?? RIDGE_DEFAULTS.lambda;
    this.loss = options.loss ?? 'absolute';
    assert(this.horizonHours > 0 && this.horizonHours <= MAX_HORIZON_HOURS, `horizonHours must be in (0, ${MAX_HORIZON_HOURS}], got ${this.horizonHours}`);
    assert(this.minTrainingDays >= 1 && this.trainingDays >= this.minTrainingDays, `trainingDays (${this.trainingDays}) must be >= minTrainingDays (${this.minTrainingDays}) >= 1`);
  }

  get model(): string {
    const tier = this.bands[0]?.tier;
    if (tier === undefined) return 'seasonal-naive-1d (ridge warming up)';
    return tier === 'weekly' ? 'ridge' : tier === 'daily' ? 'ridge (1-day lags only)' : 'ridge (no lags yet)';
  }

  /** The lag tier of each day band (undefined: not fitted, seasonal naive). */
  get tiers(): readonly (LagTier | undefined)[] {
    return this.bands.map((b) => b?.tier);
  }

  fit(input: ForecastInput, now: number): void {
    const bandCount = Math.ceil(this.horizonHours / 24);
    this.bands = Array.from({ length: bandCount }, (_, b) => this.fitBand(input, now, b + 1));
  }

  predict(input: ForecastInput, now: number, out: Float64Array): void {
    const perDay = input.slotsPerDay;
    assert(out.length <= Math.round((this.horizonHours * perDay) / 24), `forecast of ${out.length} slots is longer than the ${this.horizonHours} h horizon`);
    seasonalNaive(input.observed, now, perDay, out);
    const known = exogenousSlots(input.exogenous);
    const daylightOnly = this.target === 'pv';
    const nonNegative = this.target !== 'price';
    for (let j = 0; j < out.length; j++) {
      const slot = now + j;
      const band = this.bands[Math.floor(j / perDay)];
      // Without a fitted band, or past the end of the weather forecast, seasonal naive stands.
      if (band === undefined || slot >= known) continue;
      if (daylightOnly && !((input.exogenous.clearSkyGhiWm2[slot] as number) > 0)) {
        out[j] = 0;
        continue;
      }
      band.features.fill(this.row, 0, input, slot);
      const value = predictLinear(band.model, this.row);
      out[j] = nonNegative ? Math.max(0, value) : value;
    }
  }

  private fitBand(input: ForecastInput, now: number, firstLagDays: number): BandModel | undefined {
    const perDay = input.slotsPerDay;
    const windowStart = Math.max(0, now - this.trainingDays * perDay);
    const kindsInWindow = kindsOfDay(input, windowStart, now);
    for (const tier of LAG_TIERS) {
      const features = featuresFor(this.target, firstLagDays, tier);
      const start = Math.max(windowStart, features.lagDays * perDay);
      if (now - start < this.minTrainingDays * perDay) continue;
      if (features.usesDayTypes && tier !== 'none' && kindsOfDay(input, start, now) !== kindsInWindow) continue;
      const rows = this.buildRows(input, features, start, now);
      if (rows.rows === 0) continue;
      const model = this.loss === 'absolute' ? fitLeastAbsolute(rows, this.lambda) : fitRidge(rows, this.lambda);
      return { tier, features, model };
    }
    return undefined;
  }

  private buildRows(input: ForecastInput, features: FeatureSet, start: number, end: number): RegressionRows {
    const width = features.names.length;
    assert(width <= this.row.length, `feature row of ${width} is wider than ${this.row.length}`);
    const capacity = end - start;
    if (this.scratch.length < capacity * width) this.scratch = new Float64Array(capacity * width);
    const targets = new Float64Array(capacity);
    const clear = input.exogenous.clearSkyGhiWm2;
    let n = 0;
    for (let slot = start; slot < end; slot++) {
      if (features.daylightOnly && !((clear[slot] as number) > 0)) continue;
      features.fill(this.scratch, n * width, input, slot);
      targets[n] = input.observed[slot] as number;
      n++;
    }
    return { features: this.scratch, targets, rows: n, width };
  }
}

/** Bit mask of the kinds of day among slots start..end − 1: 1 weekday, 2 Saturday, 4 Sunday. */
function kindsOfDay(input: ForecastInput, start: number, end: number): number {
  const days = input.exogenous.dayOfWeek;
  let mask = 0;
  for (let s = start; s < end && mask !== 7; s++) {
    const d = days[s] as number;
    mask |= d === 5 ? 2 : d === 6 ? 4 : 1;
  }
  return mask;
}
