/**
 * The site EMS: model-predictive control of a site's flexible devices over a rolling horizon
 * (issue 6). `planSite` writes the site's problem as an LP/MILP (site-lp.ts), hands the text to an
 * injected solver (HiGHS in src/adapters/solver), reads the solution back in whole Wh, and checks it.
 * Anything short of a checked optimal plan — no solver, a time limit, infeasible, a solver error, a
 * solution that breaks a hard constraint — falls back to `heuristicPlan`, with the reason.
 *
 * Pure and deterministic: the solver is a synchronous function of the LP text and its options, and
 * the time limit is the solver's to keep (no clock here). docs/ems.md has the formulation.
 */
import { checkPlan } from './check-plan.js';
import { heuristicPlan } from './heuristic-plan.js';
import { scheduleFromLpValues } from './lp-solution.js';
import { assemblePlan } from './plan-assembly.js';
import { planBounds } from './plan-bounds.js';
import { buildSiteLp } from './site-lp.js';
import { checkSitePlanInput, SitePlanInputError } from './site-plan-input-check.js';
import type { SitePlanInput } from './site-plan-input.js';

export { checkPlan } from './check-plan.js';
export { heuristicPlan } from './heuristic-plan.js';
export { planObjective } from './plan-objective.js';

export interface SitePlan {
  readonly source: 'optimal' | 'heuristic';
  /** Why the heuristic planned: 'no-solver', 'time-limit', 'work-limit', 'infeasible', 'unbounded', 'solver-error: …', 'bad-solution: …'. */
  readonly fallbackReason?: string;
  /** At the meter per slot, Wh (never both import and export in one slot); float when the forecasts are. */
  readonly importWh: Float64Array;
  readonly exportWh: Float64Array;
  readonly curtailWh: Float64Array;
  /** Battery, bus side, whole Wh (never both in one slot). */
  readonly chargeWh: Float64Array;
  readonly dischargeWh: Float64Array;
  /** Stored at the END of each slot, Wh. */
  readonly storedWh: Float64Array;
  /** Per device, whole Wh per slot. */
  readonly evWh: readonly Float64Array[];
  readonly heaterWh: readonly Float64Array[];
  /** Per heater, at the end of each slot, °C. */
  readonly indoorC: readonly Float64Array[];
  /** −1 = not inside the horizon. */
  readonly washerStartOffset: readonly number[];
  /** Energy cost of the plan at the meter (no wear, no penalties), minor units; an estimate, not settled money. */
  readonly costMinor: number;
}

/** A synchronous LP/MILP solver that reads CPLEX LP format text. */
export interface LpSolver {
  solve(lp: string, options: { timeLimitSeconds: number }): LpResult;
}

export interface LpResult {
  /** `work-limit`: a deterministic budget (simplex iterations, branch-and-bound nodes) ran out before optimality. */
  readonly status: 'optimal' | 'time-limit' | 'work-limit' | 'infeasible' | 'unbounded' | 'error';
  readonly message?: string;
  /** Primal value of each variable by name (complete when status is 'optimal'). */
  readonly values: ReadonlyMap<string, number>;
}

function solveOrReason(solver: LpSolver, lp: string, timeLimitMs: number): LpResult | string {
  let result: LpResult;
  try {
    result = solver.solve(lp, { timeLimitSeconds: timeLimitMs / 1000 });
  } catch (e) {
    return `solver-error: ${e instanceof Error ? e.message : String(e)}`;
  }
  switch (result.status) {
    case 'optimal': return result;
    case 'error': return `solver-error: ${result.message ?? 'no message'}`;
    default: return result.status;
  }
}

export function planSite(input: SitePlanInput, solver: LpSolver | undefined, options: { timeLimitMs: number }): SitePlan {
  checkSitePlanInput(input);
  if (!(Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0)) {
    throw new SitePlanInputError('planSite: bad time limit', { details: [`timeLimitMs: expected a finite number > 0, got ${options.timeLimitMs}`] });
  }
  if (solver === undefined) return heuristicPlan(input, 'no-solver');
  const bounds = planBounds(input);
  const result = solveOrReason(solver, buildSiteLp(input, bounds).toLpText(), options.timeLimitMs);
  if (typeof result === 'string') return heuristicPlan(input, result);
  const schedule = scheduleFromLpValues(input, bounds, result.values);
  if (typeof schedule === 'string') return heuristicPlan(input, schedule);
  const plan = assemblePlan(input, schedule, 'optimal');
  const violations = checkPlan(input, plan);
  if (violations.length > 0) return heuristicPlan(input, `bad-solution: ${violations[0]}${violations.length > 1 ? ` (+${violations.length - 1} more)` : ''}`);
  return plan;
}
