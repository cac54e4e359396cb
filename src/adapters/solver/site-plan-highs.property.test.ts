/**
 * Property tests of the site EMS with the real solver on random sites (random devices, prices,
 * forecasts and limits; site-plan-input.fixture.ts): the optimal plan and the heuristic plan both
 * keep every hard constraint, and the optimal plan is at least as good by the one shared objective,
 * up to what the rounding margins can cost (plan-tolerance.fixture.ts).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlan, heuristicPlan, planObjective, planSite } from '../../core/control/ems/site-plan.js';
import { arbSitePlanInput } from '../../core/control/ems/site-plan-input.fixture.js';
import { loadHighsSolver, type HighsLpSolver } from './highs-lp-solver.js';
import { planToleranceMinor } from './plan-tolerance.fixture.js';

const RUNS = { seed: 2026, numRuns: 50 };

let solver: HighsLpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

describe('site EMS properties (HiGHS)', () => {
  it('the optimal and the heuristic plan keep every hard constraint, and the optimal one costs no more', () => {
    fc.assert(fc.property(arbSitePlanInput({ maxHorizon: 24 }), (input) => {
      const optimal = planSite(input, solver, { timeLimitMs: 10_000 });
      const heuristic = heuristicPlan(input, 'test');
      expect(optimal.fallbackReason).toBeUndefined();
      expect(optimal.source).toBe('optimal');
      expect(checkPlan(input, optimal)).toEqual([]);
      expect(checkPlan(input, heuristic)).toEqual([]);
      const heuristicMinor = planObjective(input, heuristic);
      expect(planObjective(input, optimal)).toBeLessThanOrEqual(heuristicMinor + planToleranceMinor(input, heuristicMinor));
    }), RUNS);
  });
});
