/**
 * `gridmesh forecast evaluate SCENARIO [--json] [--days N] [--warmup-days N] [--horizon-hours H]
 *   [--issue-every-hours H] [--seed N] [--no-progress]`
 *
 * Simulates the scenario for warm-up + evaluation days (autonomous mode), then scores the learned
 * forecaster and the baselines on the city's load, PV, wind and TSO price (docs/forecasting.md):
 * MAE, RMSE and skill against seasonal naive per target. `--json` prints one JSON object,
 * `{ "targets": { "load": { "model", "mae", "rmse", "skill", … }, "pv", "wind", "price" }, … }`.
 */
import type { Command } from 'commander';
import { loadFeederNetworks } from '../../adapters/feeder-networks.js';
import { loadScenarioFile } from '../../adapters/scenario-file.js';
import type { ForecastTarget } from '../../core/control/control-metrics.js';
import { evaluateForecasts, evaluationProtocol, FORECAST_TARGETS, type ForecastEvaluation, type TargetEvaluation } from '../../core/control/forecast/forecast-evaluation.js';
import { simulateForecastHistory, type ForecastHistory } from '../../core/control/forecast/forecast-history.js';
import { MAX_HORIZON_HOURS } from '../../core/control/forecast/forecaster.js';
import { UsageError } from '../../core/errors.js';
import { createProgress } from '../progress.js';

export interface ForecastEvaluateFlags {
  json?: boolean;
  days?: string;
  warmupDays?: string;
  horizonHours?: string;
  issueEveryHours?: string;
  seed?: string;
  /** false with `--no-progress`. */
  progress?: boolean;
}

/** What the command prints: the report on stdout, notes on stderr. */
export interface ForecastEvaluateOutput {
  stdout: string;
  stderr: string;
}

export function registerForecastCommands(program: Command): void {
  const forecast = program.command('forecast').description('forecasting of load, PV, wind and prices (learned model and baselines)');
  forecast
    .command('evaluate')
    .description('simulate a scenario, then score the learned forecaster against seasonal naive and persistence (MAE, RMSE, skill per target)')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--days <n>', 'evaluation days, after the warm-up', '28')
    .option('--warmup-days <n>', 'days simulated first and not scored (lags and first fits need history)', '7')
    .option('--horizon-hours <h>', `hours ahead of each forecast (at most ${MAX_HORIZON_HOURS})`, '24')
    .option('--issue-every-hours <h>', 'hours between forecasts', '1')
    .option('--seed <n>', 'random seed instead of the scenario\'s (integer 0..4294967295)')
    .option('--json', 'print the evaluation as one JSON object')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .action(async (file: string, flags: ForecastEvaluateFlags) => {
      const out = await forecastEvaluateCommand(file, flags);
      process.stderr.write(out.stderr);
      process.stdout.write(out.stdout);
    });
}

export async function forecastEvaluateCommand(file: string, flags: ForecastEvaluateFlags): Promise<ForecastEvaluateOutput> {
  const evaluationDays = wholeNumber('--days', flags.days ?? '28', 1);
  const warmupDays = wholeNumber('--warmup-days', flags.warmupDays ?? '7', 1);
  const horizonHours = positiveNumber('--horizon-hours', flags.horizonHours ?? '24');
  if (horizonHours > MAX_HORIZON_HOURS) throw new UsageError(`--horizon-hours must be at most ${MAX_HORIZON_HOURS}, got ${horizonHours}`);
  const issueEveryHours = positiveNumber('--issue-every-hours', flags.issueEveryHours ?? '1');
  const seed = flags.seed === undefined ? undefined : wholeNumber('--seed', flags.seed, 0);
  const scenario = await loadScenarioFile(file);
  const days = warmupDays + evaluationDays;
  if (days > scenario.limits.maxDays) {
    throw new UsageError(`warm-up + evaluation is ${days} days, more than the scenario's limits.maxDays (${scenario.limits.maxDays})`, {
      details: ['raise limits.maxDays in the scenario, or shorten --days / --warmup-days'],
    });
  }
  // Check the whole protocol before the (long) simulation.
  const protocol = evaluationProtocol(Math.round((24 * 60) / scenario.slotMinutes), {
    warmupDays, evaluationDays, horizonHours, issueEveryHours,
    trainingDays: scenario.control.forecast.trainingDays, refitEveryHours: scenario.control.forecast.refitEveryHours,
  });
  const feederNetworks = await loadFeederNetworks(scenario, file);
  const progress = createProgress('simulate'.padEnd(10), flags.progress !== false && process.stderr.isTTY === true);
  let history: ForecastHistory;
  try {
    history = simulateForecastHistory(scenario, {
      days, feederNetworks, ...(seed === undefined ? {} : { seed }), onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
  }
  const evaluation = evaluateForecasts(history, protocol);
  const stderr = history.priceClearedSlots === 0 ? 'warning: the TSO market never cleared in the run: the price series is 0 throughout\n' : '';
  if (flags.json === true) return { stdout: JSON.stringify(jsonReport(history, evaluation), null, 2) + '\n', stderr };
  return { stdout: textReport(history, evaluation), stderr };
}

function jsonReport(history: ForecastHistory, evaluation: ForecastEvaluation): object {
  const targets = Object.fromEntries(FORECAST_TARGETS.map((t) => [t, roundTarget(evaluation.targets[t])]));
  return { scenario: history.scenario, seed: history.seed, sites: history.sites, slots: history.slots, protocol: evaluation.protocol, targets };
}

function roundTarget(t: TargetEvaluation): TargetEvaluation {
  return {
    ...t, mae: round(t.mae), rmse: round(t.rmse), skill: roundOrNull(t.skill), seasonalNaiveMae: round(t.seasonalNaiveMae),
    baselines: t.baselines.map((b) => ({ ...b, mae: round(b.mae), rmse: round(b.rmse), skill: roundOrNull(b.skill) })),
  };
}

function textReport(history: ForecastHistory, evaluation: ForecastEvaluation): string {
  const p = evaluation.protocol;
  const slotMinutes = Math.round((24 * 60) / p.slotsPerDay);
  const lines = [
    `${history.scenario}: ${history.sites} sites, seed ${history.seed}, ${p.warmupDays} warm-up + ${p.evaluationDays} evaluated days of ${slotMinutes}-min slots`,
    `${p.issues} forecasts, every ${p.issueEveryHours} h for the next ${p.horizonHours} h; ridge refits every ${p.refitEveryHours} h on the last ${p.trainingDays} days`,
    'skill = 1 − MAE / MAE of seasonal naive (same slot yesterday); > 0 beats it',
  ];
  for (const target of FORECAST_TARGETS) lines.push('', ...targetTable(target, evaluation.targets[target]));
  return lines.join('\n') + '\n';
}

function targetTable(target: ForecastTarget, t: TargetEvaluation): string[] {
  const rows = [
    ['model', `MAE (${t.unit})`, `RMSE (${t.unit})`, 'skill'],
    [t.model, fixed(t.mae), fixed(t.rmse), skillText(t.skill)],
    ...t.baselines.map((b) => [b.model, fixed(b.mae), fixed(b.rmse), skillText(b.skill)]),
  ];
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (row: string[]): string => '  ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  const used = Object.entries(t.issuesByModel).filter(([model]) => model !== t.model);
  const fallback = used.length === 0 ? [] : [`  (issues not from the full model: ${used.map(([m, n]) => `${n} × ${m}`).join(', ')})`];
  return [`${target}: ${t.evaluatedSlots.toLocaleString('en-US')} forecast slots, seasonal-naive MAE ${fixed(t.seasonalNaiveMae)} ${t.unit}`, ...rows.map(line), ...fallback];
}

const fixed = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const skillText = (s: number | null): string => (s === null ? '-' : s.toFixed(3));
const round = (x: number): number => Math.round(x * 10_000) / 10_000;
const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x));

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > 2 ** 32 - 1) {
    throw new UsageError(`${name} must be a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return value;
}
