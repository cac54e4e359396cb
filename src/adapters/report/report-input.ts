import type { RunResult } from '../../core/sim/results-types.js';
import { ReportError } from './report-error.js';

/** A report shows one run, or an autonomous and a baseline run of the same scenario side by side. */
export const REPORT_RUNS_MAX = 2;

/**
 * Checks the runs can share one report and orders them autonomous first. Two runs must come from the
 * same scenario, seed and time grid, or a side-by-side comparison would mislead.
 */
export function reportRuns(runs: readonly RunResult[]): RunResult[] {
  if (runs.length === 0) throw new ReportError('a report needs at least one run');
  if (runs.length > REPORT_RUNS_MAX) {
    throw new ReportError(`a report shows at most ${REPORT_RUNS_MAX} runs (one per mode)`, {
      details: [`got ${runs.length} runs`],
    });
  }
  const ordered = [...runs].sort((a, b) => modeOrder(a) - modeOrder(b));
  const [first, second] = ordered;
  if (first !== undefined && second !== undefined) checkComparable(first, second);
  return ordered;
}

function modeOrder(run: RunResult): number {
  return run.mode === 'autonomous' ? 0 : 1;
}

function checkComparable(a: RunResult, b: RunResult): void {
  const details: string[] = [];
  if (a.mode === b.mode) details.push(`both runs are mode '${a.mode}'`);
  for (const key of ['scenario', 'seed', 'start', 'slotMinutes', 'slots'] as const) {
    if (a[key] !== b[key]) details.push(`${key}: ${JSON.stringify(a[key])} vs ${JSON.stringify(b[key])}`);
  }
  if (details.length > 0) {
    throw new ReportError('two runs in one report must be one autonomous and one baseline run of the same scenario', {
      details,
    });
  }
}
