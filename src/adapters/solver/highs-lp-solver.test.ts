import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, mapHighsStatus, type HighsLpSolver, type HighsRuntime } from './highs-lp-solver.js';

const LIMIT = { timeLimitSeconds: 10 };

describe('HiGHS LP solver', () => {
  let solver: HighsLpSolver;
  beforeAll(async () => {
    solver = await loadHighsSolver();
  });

  it('solves an LP and returns every variable by name', () => {
    const r = solver.solve('Minimize\n obj: 2 x + 3 y\nSubject To\n c1: x + y >= 4\n c2: x - y <= 1\nBounds\n 0 <= x <= 10\nEnd\n', LIMIT);
    expect(r.status).toBe('optimal');
    expect(r.values.get('x')).toBeCloseTo(2.5, 9);
    expect(r.values.get('y')).toBeCloseTo(1.5, 9);
  });

  it('solves a MILP', () => {
    const r = solver.solve('Minimize\n obj: 3 a + 2 b + 4 c\nSubject To\n one: a + b + c = 1\nBinaries\n a b c\nEnd\n', LIMIT);
    expect(r.status).toBe('optimal');
    expect([r.values.get('a'), r.values.get('b'), r.values.get('c')]).toEqual([0, 1, 0]);
  });

  it('reports infeasible and unbounded models', () => {
    expect(solver.solve('Minimize\n obj: x\nSubject To\n c: x >= 5\nBounds\n x <= 2\nEnd\n', LIMIT).status).toBe('infeasible');
    expect(solver.solve('Minimize\n obj: - x\nSubject To\n c: x >= 5\nEnd\n', LIMIT).status).toBe('unbounded');
  });

  it('reports text it cannot read as an error with the HiGHS status', () => {
    expect(solver.solve('this is not an LP', LIMIT)).toMatchObject({ status: 'error', message: 'HiGHS status: Empty' });
  });

  it('maps the HiGHS statuses', () => {
    expect(mapHighsStatus('Optimal')).toBe('optimal');
    expect(mapHighsStatus('Time limit reached')).toBe('time-limit');
    expect(mapHighsStatus('Infeasible')).toBe('infeasible');
    expect(mapHighsStatus('Primal infeasible or unbounded')).toBe('infeasible');
    expect(mapHighsStatus('Unbounded')).toBe('unbounded');
    expect(mapHighsStatus('Iteration limit reached')).toBe('work-limit');
    expect(mapHighsStatus('Unknown')).toBe('error');
    expect(mapHighsStatus('Unknown', true)).toBe('work-limit');
    expect(mapHighsStatus('Solve error')).toBe('error');
  });
});

describe('HiGHS on a reproducible work budget', () => {
  /** A knapsack-like MILP that needs branch and bound. */
  const milp = (): string => {
    const n = 40;
    const x = Array.from({ length: n }, (_, i) => `x${i}`);
    const rows = Array.from({ length: 15 }, (_, k) => ` c${k}: ${x.map((v, i) => `${((i * k + 3) % 13) + 1} ${v}`).join(' + ')} <= ${50 + k}`);
    return `Maximize\n obj: ${x.map((v, i) => `${3 + ((i * 7) % 11)} ${v}`).join(' + ')}\nSubject To\n${rows.join('\n')}\nBounds\n${x.map((v) => ` 0 <= ${v} <= 3`).join('\n')}\nGenerals\n ${x.join(' ')}\nEnd\n`;
  };

  it('solves within the budget as without one, ignoring the caller\'s wall-clock limit', async () => {
    const solver = await loadHighsSolver({ budget: { simplexIterations: 1_000_000, mipNodes: 100_000, safetySeconds: 60 } });
    const r = solver.solve(milp(), { timeLimitSeconds: 1e-9 });
    expect(r.status).toBe('optimal');
  });

  it('stops at the node limit with work-limit, the same way on every call', async () => {
    const solver = await loadHighsSolver({ budget: { simplexIterations: 1_000_000, mipNodes: 2, safetySeconds: 60 } });
    const statuses = [solver.solve(milp(), LIMIT).status, solver.solve(milp(), LIMIT).status];
    expect(statuses).toEqual(['work-limit', 'work-limit']);
  });
});

describe('HiGHS crash handling', () => {
  /** Instances that solve everything as optimal x = n (the n-th instance loaded), or crash when told. */
  function fakeLoader(): { load: () => Promise<HighsRuntime>; crashNext: Set<number>; loaded: () => number } {
    let count = 0;
    const crashNext = new Set<number>();
    const load = async (): Promise<HighsRuntime> => {
      const n = ++count;
      return {
        solve: () => {
          if (crashNext.delete(n)) throw new WebAssembly.RuntimeError('Aborted(test)');
          return { Status: 'Optimal', Columns: { x: { Primal: n } } };
        },
      };
    };
    return { load, crashNext, loaded: () => count };
  }

  it('retires a crashed instance, answers with an error, and solves the next call on the spare', async () => {
    const fake = fakeLoader();
    const solver = await loadHighsSolver({ load: fake.load });
    expect(solver.solve('x', LIMIT).values.get('x')).toBe(1);
    fake.crashNext.add(1);
    const crashed = solver.solve('x', LIMIT);
    expect(crashed.status).toBe('error');
    expect(crashed.message).toBe('HiGHS crashed, instance replaced: Aborted(test)');
    expect(solver.crashes).toBe(1);
    expect(solver.solve('x', LIMIT).values.get('x')).toBe(2);
    await solver.whenReady();
    expect(fake.loaded()).toBe(3);
  });

  it('answers with an error while no instance is left, and recovers once the reload lands', async () => {
    const fake = fakeLoader();
    const solver = await loadHighsSolver({ load: fake.load });
    fake.crashNext.add(1);
    fake.crashNext.add(2);
    solver.solve('x', LIMIT);
    solver.solve('x', LIMIT);
    expect(solver.solve('x', LIMIT)).toMatchObject({ status: 'error', message: 'HiGHS is reloading after a crash' });
    await solver.whenReady();
    expect(solver.solve('x', LIMIT)).toMatchObject({ status: 'optimal' });
    expect(solver.crashes).toBe(2);
  });
});
