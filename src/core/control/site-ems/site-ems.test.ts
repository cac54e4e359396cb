import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, SIMULATION_BUDGET } from '../../../adapters/solver/highs-lp-solver.js';
import { aScenario } from '../../sim/scenario.fixture.js';
import { prepareRun, simulate } from '../../sim/simulate.js';
import type { LpSolver } from '../ems/site-plan.js';

let highs: LpSolver;
beforeAll(async () => {
  highs = await loadHighsSolver({ budget: SIMULATION_BUDGET });
});

const withEms = (ems: Record<string, unknown> = {}) => aScenario({ days: 2, control: { ems: { enabled: true, ...ems } } });

describe('site EMS in a run', () => {
  it('plans every flexible site not in a scheduling VPP by MPC, solved by HiGHS', () => {
    const result = simulate(withEms(), { control: { solver: highs } });
    const ems = result.metrics.control?.ems;
    expect(ems?.sites).toBe(16); // 14 of the 16 households have flexible devices, and the 2 community batteries
    expect(ems?.plans).toBeGreaterThan(2 * 24 * ems!.sites - 1);
    expect(ems?.solved).toBe(ems?.plans);
    expect(ems?.fallbacks).toBe(0);
  });

  it('compares with the same sites running naively: cheaper with the EMS, EVs still charged', () => {
    const result = simulate(withEms(), { control: { solver: highs } });
    const ems = result.metrics.control?.ems;
    expect(ems?.withoutEms).toBeDefined();
    expect(ems!.costMinor).toBeLessThan(ems!.withoutEms!.costMinor);
    expect(result.metrics.evUnmetKwh).toBeLessThan(1);
  });

  it('fallback path: without a solver every plan is the heuristic, reason no-solver', () => {
    const ems = simulate(withEms({ compareWithoutEms: false }), {}).metrics.control?.ems;
    expect(ems?.solved).toBe(0);
    expect(ems?.fallbacks).toBe(ems?.plans);
    expect(ems?.fallbackReasons).toEqual({ 'no-solver': ems?.plans });
  });

  it('fallback path: a solver that fails gives the heuristic with the reason, and the run goes on', () => {
    const broken: LpSolver = { solve: () => { throw new Error('wasm abort'); } };
    const result = simulate(withEms({ compareWithoutEms: false }), { control: { solver: broken } });
    const ems = result.metrics.control?.ems;
    expect(ems?.fallbackReasons).toEqual({ 'solver-error': ems?.plans });
    expect(result.metrics.energyNotServedKwh).toBe(0);
  });

  it('only the named sites when control.ems.sites lists them; an unknown id is a scenario error', () => {
    const ems = simulate(withEms({ sites: ['n1-h0', 'n1-h1'], compareWithoutEms: false }), { control: { solver: highs } }).metrics.control?.ems;
    expect(ems?.sites).toBe(2);
    expect(() => prepareRun(withEms({ sites: ['nope'] }))).toThrow(/control\.ems\.sites\[0\].*'nope'/);
  });

  it('--no-ems (ems off) plans nothing, and the baseline mode has no control at all', () => {
    expect(simulate(withEms(), { control: { ems: 'off' } }).metrics.control?.ems).toBeUndefined();
    expect(simulate(withEms(), { mode: 'baseline' }).metrics.control).toBeUndefined();
  });

  it('is deterministic with the seed', () => {
    const a = simulate(withEms({ compareWithoutEms: false }), { control: { solver: highs } });
    const b = simulate(withEms({ compareWithoutEms: false }), { control: { solver: highs } });
    expect(a.resultsHash).toBe(b.resultsHash);
  });
});
