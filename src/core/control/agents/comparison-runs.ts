/**
 * The counterfactual runs an autonomous run is compared with (issue 6), run inside `simulate` so the
 * comparison is as deterministic as the run itself and part of its results hash:
 * - without EMS: the same scenario with the EMS sites running their devices naively (measured on the
 *   same sites), when the EMS planned and `control.ems.compareWithoutEms` is on.
 * - the simple rationing rule: the same scenario with `autonomy.rationing: simple`, when the run had
 *   islands and rationed by forecast (`metrics.rationing.simpleRule`).
 * The comparison runs skip the trust layer (it does not change the energy or the markets).
 */
import type { RunResult } from '../../sim/results-types.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import { hashOf } from '../../sim/results.js';
import type { SimulateOptions } from '../../sim/simulate.js';
import { simpleRuleFigures } from '../island/rationing-comparison.js';

export type Simulate = (scenario: Scenario, options: SimulateOptions) => RunResult;

export function withComparisons(result: RunResult, scenario: Scenario, options: SimulateOptions, simulate: Simulate): RunResult {
  // Comparison runs themselves compare with nothing.
  if (result.mode !== 'autonomous' || options.control?.ems === 'measure' || options.stages?.islands !== undefined) return result;
  const base: SimulateOptions = {
    mode: 'autonomous', ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.days === undefined ? {} : { days: options.days }),
    ...(options.feederNetworks === undefined ? {} : { feederNetworks: options.feederNetworks }),
  };
  const metrics = { ...result.metrics };
  let changed = false;
  const ems = metrics.control?.ems;
  if (ems !== undefined && scenario.control.ems.compareWithoutEms) {
    const naive = simulate(scenario, { ...base, control: { ems: 'measure' } }).metrics.control?.ems;
    if (naive !== undefined) {
      const { costMinor, peakImportKw, selfConsumptionPct, importKwh, exportKwh, comfortViolationKh, evUnmetKwh, washingMissedDeadlines } = naive;
      const withoutEms = { costMinor, peakImportKw, selfConsumptionPct, importKwh, exportKwh, comfortViolationKh, evUnmetKwh, washingMissedDeadlines };
      metrics.control = { ...metrics.control, ems: { ...ems, withoutEms } };
      changed = true;
    }
  }
  if (metrics.rationing !== undefined && metrics.rationing.strategy === 'forecast') {
    const control = options.control === undefined ? {} : { control: options.control };
    metrics.rationing = { ...metrics.rationing, simpleRule: simpleRuleFigures(scenario, { ...base, ...control }, simulate) };
    changed = true;
  }
  if (!changed) return result;
  const { resultsHash: _old, ...rest } = result;
  const merged = { ...rest, metrics };
  return { ...merged, resultsHash: hashOf(merged) };
}
