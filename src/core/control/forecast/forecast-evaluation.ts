/**
 * Offline evaluation of the forecasters on a history (docs/forecasting.md, "Evaluation protocol").
 *
 * After a warm-up (no scoring: lags and the first fits need history), a forecast is issued every
 * `issueEveryHours` for the next `horizonHours`, by the learned model and by three baselines (seasonal
 * naive over one day and over seven days, persistence). Every (issue, lead) pair whose target slot
 * lies in the history is scored against what happened. Each forecaster runs online: it sees the
 * observations before the issue time only, and the learned model refits every `refitEveryHours` on
 * its rolling window. Skill is measured against seasonal naive (one day).
 */
import { UsageError } from '../../errors.js';
import type { ForecastAccuracy, ForecastTarget } from '../control-metrics.js';
import { ErrorAccumulator, skillScore } from './forecast-metrics.js';
import { MAX_HORIZON_HOURS, type ExogenousSeries, type Forecaster } from './forecaster.js';
import { OnlineForecast } from './online-forecast.js';
import { PersistenceForecaster } from './persistence-forecaster.js';
import { RidgeForecaster, RIDGE_DEFAULTS } from './ridge-forecaster.js';
import { SeasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

export const FORECAST_TARGETS: readonly ForecastTarget[] = ['load', 'pv', 'wind', 'price'];
export const TARGET_UNITS: Readonly<Record<ForecastTarget, string>> = { load: 'kW', pv: 'kW', wind: 'kW', price: 'minor/kWh' };

export interface EvaluationInput {
  readonly series: Readonly<Record<ForecastTarget, ArrayLike<number>>>;
  readonly exogenous: ExogenousSeries;
  readonly slotsPerDay: number;
}

export interface EvaluationOptions {
  /** Days at the start that are not scored. Default 7. */
  readonly warmupDays?: number;
  /** Days scored after the warm-up (the history must cover warm-up + evaluation). Default 28. */
  readonly evaluationDays?: number;
  /** Hours between issues. Default 1. */
  readonly issueEveryHours?: number;
  /** Hours ahead of each issue (max 48). Default 24. */
  readonly horizonHours?: number;
  /** Rolling training window of the learned model, days. Default 28. */
  readonly trainingDays?: number;
  /** Hours between refits of the learned model. Default 24. */
  readonly refitEveryHours?: number;
}

export type BaselineName = 'seasonal-naive-1d' | 'seasonal-naive-7d' | 'persistence';

export interface BaselineAccuracy {
  model: BaselineName;
  mae: number;
  rmse: number;
  /** Against seasonal naive (one day), as for the learned model. */
  skill: number | null;
}

export interface TargetEvaluation extends ForecastAccuracy {
  baselines: BaselineAccuracy[];
  /** Issues per model name the learned forecaster reported (it names its fallback while warming up). */
  issuesByModel: Record<string, number>;
}

export interface ForecastEvaluation {
  targets: Record<ForecastTarget, TargetEvaluation>;
  /** The protocol, for the report. */
  protocol: {
    slotsPerDay: number; warmupDays: number; evaluationDays: number; issueEveryHours: number;
    horizonHours: number; trainingDays: number; refitEveryHours: number; issues: number;
  };
}

export function evaluateForecasts(input: EvaluationInput, options: EvaluationOptions = {}): ForecastEvaluation {
  const protocol = evaluationProtocol(input.slotsPerDay, options);
  const needed = (protocol.warmupDays + protocol.evaluationDays) * input.slotsPerDay;
  const short = [...FORECAST_TARGETS.map((t) => [t, input.series[t].length] as const), ['weather forecast', input.exogenous.hourOfDay.length] as const]
    .filter(([, length]) => length < needed)
    .map(([what, length]) => `${what}: ${needed} slots of history for ${protocol.warmupDays} + ${protocol.evaluationDays} days (got ${length})`);
  if (short.length > 0) throw new UsageError('cannot evaluate the forecasts', { details: short });
  const targets = Object.fromEntries(FORECAST_TARGETS.map((t) => [t, evaluateTarget(input, t, protocol)])) as Record<ForecastTarget, TargetEvaluation>;
  const issues = issueSlots(protocol, input.slotsPerDay).length;
  return { targets, protocol: { ...protocol, slotsPerDay: input.slotsPerDay, issues } };
}

export type EvaluationProtocol = Required<EvaluationOptions>;
type Protocol = EvaluationProtocol;

/** The options with their defaults, checked against the slot length (a UsageError lists what is wrong). */
export function evaluationProtocol(slotsPerDay: number, o: EvaluationOptions = {}): EvaluationProtocol {
  const p: Protocol = {
    warmupDays: o.warmupDays ?? 7,
    evaluationDays: o.evaluationDays ?? 28,
    issueEveryHours: o.issueEveryHours ?? 1,
    horizonHours: o.horizonHours ?? 24,
    trainingDays: o.trainingDays ?? RIDGE_DEFAULTS.trainingDays,
    refitEveryHours: o.refitEveryHours ?? 24,
  };
  const slotHours = 24 / slotsPerDay;
  const problems: string[] = [];
  const check = (ok: boolean, text: string): void => {
    if (!ok) problems.push(text);
  };
  check(Number.isInteger(p.warmupDays) && p.warmupDays >= 1, `warm-up days: a whole number >= 1 (got ${p.warmupDays})`);
  check(Number.isInteger(p.evaluationDays) && p.evaluationDays >= 1, `evaluation days: a whole number >= 1 (got ${p.evaluationDays})`);
  check(p.horizonHours >= slotHours && p.horizonHours <= MAX_HORIZON_HOURS, `horizon: ${slotHours} to ${MAX_HORIZON_HOURS} hours (got ${p.horizonHours})`);
  check(p.issueEveryHours >= slotHours && p.issueEveryHours <= 24 * p.evaluationDays, `issue interval: at least one slot (${slotHours} h) and within the evaluation (got ${p.issueEveryHours})`);
  check(Number.isInteger(p.trainingDays) && p.trainingDays >= 2, `training days: a whole number >= 2 (got ${p.trainingDays})`);
  check(p.refitEveryHours >= slotHours, `refit interval: at least one slot (got ${p.refitEveryHours} h)`);
  if (problems.length > 0) throw new UsageError('cannot evaluate the forecasts', { details: problems });
  return p;
}

function issueSlots(p: Protocol, perDay: number): number[] {
  const every = Math.max(1, Math.round((p.issueEveryHours * perDay) / 24));
  const slots: number[] = [];
  for (let s = p.warmupDays * perDay; s < (p.warmupDays + p.evaluationDays) * perDay; s += every) slots.push(s);
  return slots;
}

interface Contender {
  readonly online: OnlineForecast;
  readonly errors: ErrorAccumulator;
}

function evaluateTarget(input: EvaluationInput, target: ForecastTarget, p: Protocol): TargetEvaluation {
  const perDay = input.slotsPerDay;
  const end = (p.warmupDays + p.evaluationDays) * perDay;
  const horizon = Math.round((p.horizonHours * perDay) / 24);
  const refitEverySlots = Math.max(1, Math.round((p.refitEveryHours * perDay) / 24));
  const contender = (f: Forecaster): Contender => ({
    online: new OnlineForecast(f, input.exogenous, perDay, end, { refitEverySlots }), errors: new ErrorAccumulator(),
  });
  const learned = contender(new RidgeForecaster({ target, horizonHours: p.horizonHours, trainingDays: p.trainingDays }));
  const baselines: Record<BaselineName, Contender> = {
    'seasonal-naive-1d': contender(SeasonalNaiveForecaster.daily(perDay)),
    'seasonal-naive-7d': contender(SeasonalNaiveForecaster.weekly(perDay)),
    persistence: contender(new PersistenceForecaster()),
  };
  const all = [learned, ...Object.values(baselines)];
  const actual = input.series[target];
  const out = new Float64Array(horizon);
  const issuesByModel: Record<string, number> = {};
  for (const now of issueSlots(p, perDay)) {
    for (const c of all) {
      while (c.online.observedCount < now) c.online.observe(c.online.observedCount, actual[c.online.observedCount] as number);
      const leads = Math.min(horizon, end - now);
      const view = out.subarray(0, leads);
      c.online.forecast(now, view);
      for (let j = 0; j < leads; j++) c.errors.add(view[j] as number, actual[now + j] as number);
    }
    issuesByModel[learned.online.model] = (issuesByModel[learned.online.model] ?? 0) + 1;
  }
  const reference = baselines['seasonal-naive-1d'].errors.mae;
  return {
    model: 'ridge',
    mae: learned.errors.mae,
    rmse: learned.errors.rmse,
    skill: skillScore(learned.errors.mae, reference),
    unit: TARGET_UNITS[target],
    seasonalNaiveMae: reference,
    evaluatedSlots: learned.errors.pairs,
    baselines: (Object.keys(baselines) as BaselineName[]).map((model) => {
      const e = baselines[model].errors;
      return { model, mae: e.mae, rmse: e.rmse, skill: skillScore(e.mae, reference) };
    }),
    issuesByModel,
  };
}
