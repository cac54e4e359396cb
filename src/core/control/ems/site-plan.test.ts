import { describe, expect, it } from 'vitest';
import { checkPlan } from './check-plan.js';
import { SitePlanInputError } from './site-plan-input-check.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher } from './site-plan-input.fixture.js';
import { planSite, type LpResult, type LpSolver } from './site-plan.js';

const OPTIONS = { timeLimitMs: 500 };

/** Every variable name in LP text (identifiers that are not keywords or row names). */
function variablesOf(lp: string): string[] {
  const keywords = new Set(['Minimize', 'Subject', 'To', 'Bounds', 'Binaries', 'End', 'free', 'inf', 'obj']);
  const rows = new Set([...lp.matchAll(/^ (\w+):/gm)].map((m) => m[1]));
  const names = new Set(lp.match(/\b[A-Za-z_]\w*\b/g));
  return [...names].filter((n) => !keywords.has(n) && !rows.has(n) && !/^e\d+$/.test(n));
}

/** A solver that answers `optimal` with values chosen per name (0 unless `value` says otherwise). */
function fakeOptimal(value: (name: string) => number | undefined = () => 0): LpSolver & { lastLp: string; lastTimeLimitSeconds: number } {
  const solver = {
    lastLp: '',
    lastTimeLimitSeconds: NaN,
    solve(lp: string, options: { timeLimitSeconds: number }): LpResult {
      solver.lastLp = lp;
      solver.lastTimeLimitSeconds = options.timeLimitSeconds;
      const values = new Map<string, number>();
      for (const n of variablesOf(lp)) values.set(n, value(n) ?? 0);
      return { status: 'optimal', values };
    },
  };
  return solver;
}

const answering = (result: LpResult | (() => never)): LpSolver => ({
  solve: () => (typeof result === 'function' ? result() : result),
});

const site = aSitePlanInput({ horizon: 4, battery: aBattery(), evs: [anEv({ departureOffset: 3 })], heaters: [aHeater(4)] });

describe('planSite', () => {
  describe('fallback path', () => {
    it('plans heuristically without a solver', () => {
      const plan = planSite(site, undefined, OPTIONS);
      expect(plan).toMatchObject({ source: 'heuristic', fallbackReason: 'no-solver' });
      expect(checkPlan(site, plan)).toEqual([]);
    });

    it.each(['infeasible', 'time-limit', 'unbounded'] as const)('falls back when the solver reports %s', (status) => {
      const plan = planSite(site, answering({ status, values: new Map() }), OPTIONS);
      expect(plan).toMatchObject({ source: 'heuristic', fallbackReason: status });
    });

    it('falls back on a solver error or exception, with its message', () => {
      expect(planSite(site, answering({ status: 'error', message: 'boom', values: new Map() }), OPTIONS).fallbackReason).toBe('solver-error: boom');
      expect(planSite(site, answering(() => { throw new Error('kaput'); }), OPTIONS).fallbackReason).toBe('solver-error: kaput');
    });

    it('falls back on a solution with a missing or non-finite value', () => {
      const missing = fakeOptimal((n) => (n === 'soc_2' ? NaN : 0));
      expect(planSite(site, missing, OPTIONS).fallbackReason).toBe('bad-solution: no finite value for soc_2 (got NaN)');
      const solver: LpSolver = { solve: () => ({ status: 'optimal', values: new Map([['imp_0', 1]]) }) };
      expect(planSite(site, solver, OPTIONS).fallbackReason).toMatch(/^bad-solution: no finite value for soc_0/);
    });

    it('falls back when a washer gets no start or two', () => {
      const input = aSitePlanInput({ horizon: 4, washers: [aWasher({ latestStartOffset: 2 })] });
      expect(planSite(input, fakeOptimal(), OPTIONS).fallbackReason).toBe('bad-solution: washer 0: 0 options chosen, expected 1');
      const two = fakeOptimal((n) => (n === 'ws0_0' || n === 'ws0_1' ? 1 : 0));
      expect(planSite(input, two, OPTIONS).fallbackReason).toBe('bad-solution: washer 0: 2 options chosen, expected 1');
    });

    it('falls back when the solution breaks a hard constraint that rounding cannot repair', () => {
      // The washer's 500 Wh on top of 200 Wh of base load is above the 300 Wh limit.
      const input = aSitePlanInput({ horizon: 2, importLimitWh: 300, washers: [aWasher({ latestStartOffset: 1, cycleWh: [500] })] });
      const plan = planSite(input, fakeOptimal((n) => (n === 'ws0_0' ? 1 : 0)), OPTIONS);
      expect(plan.source).toBe('heuristic');
      expect(plan.fallbackReason).toBe('bad-solution: slot 0: imports 700 Wh above the limit 300 Wh');
      expect(checkPlan(input, plan)).toEqual([]);
    });
  });

  it('turns an optimal solution into a plan in whole Wh, with the flows from the balance', () => {
    const input = aSitePlanInput({ horizon: 4, evs: [anEv({ departureOffset: 3, energyNeededWh: 3000 })] });
    const solver = fakeOptimal((n) => (n.startsWith('ev0_') ? 500.4 : 0));
    const plan = planSite(input, solver, OPTIONS);
    expect(plan.source).toBe('optimal');
    expect(plan.fallbackReason).toBeUndefined();
    // 500.4 a slot, rounded along the running total: 500, 500, 501, 500.
    expect(Array.from(plan.evWh[0] ?? [])).toEqual([500, 500, 501, 500]);
    expect(Array.from(plan.importWh)).toEqual([700, 700, 701, 700]);
    expect(solver.lastTimeLimitSeconds).toBe(0.5);
    expect(solver.lastLp).toMatch(/^Minimize\n obj: /);
    expect(solver.lastLp).toContain(' evneed0: ev0_0 + ev0_1 + ev0_2 + ev0_3 + evu0 >= 3000\n');
  });

  it('asks for a MILP only when there is something to decide in whole numbers', () => {
    const lp = (input: Parameters<typeof planSite>[0]): string => {
      const solver = fakeOptimal();
      planSite(input, solver, OPTIONS);
      return solver.lastLp;
    };
    expect(lp(site)).not.toContain('Binaries');
    expect(lp(aSitePlanInput({ horizon: 4, washers: [aWasher()] }))).toContain('Binaries\n ws0_0 ws0_1 ws0_2 ws0_3 wx0\n');
    // Selling above the buy price: each such slot gets a direction binary.
    expect(lp(aSitePlanInput({ horizon: 2, battery: aBattery(), sellMinorPerKwh: Float64Array.of(8, 40) }))).toContain('Binaries\n dir_1\n');
  });

  it('error: rejects bad input and a bad time limit instead of falling back', () => {
    expect(() => planSite({ ...site, horizon: 0 }, undefined, OPTIONS)).toThrow(SitePlanInputError);
    expect(() => planSite(site, undefined, { timeLimitMs: 0 })).toThrow(SitePlanInputError);
  });
});
