import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GridmeshError } from '../../errors.js';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import type { NetworkBranch, NetworkBus, NetworkGen, PowerFlowSolution, PowerNetwork } from '../network.js';
import { NewtonSolver, solveNewton } from './newton.js';

// ── builders ──────────────────────────────────────────────────────────────────────────────────────

function aBus(id: number, overrides: Partial<NetworkBus> = {}): NetworkBus {
  return { id, type: 'PQ', pdPu: 0, qdPu: 0, gsPu: 0, bsPu: 0, vmPu: 1, vaDeg: 0, baseKv: 12.66, vmaxPu: 1.1, vminPu: 0.9, ...overrides };
}

function aBranch(from: number, to: number, overrides: Partial<NetworkBranch> = {}): NetworkBranch {
  return { from, to, rPu: 0.01, xPu: 0.05, bPu: 0, rateAMva: 0, tap: 1, shiftDeg: 0, inService: true, ...overrides };
}

function aGen(bus: number, overrides: Partial<NetworkGen> = {}): NetworkGen {
  return { bus, pgPu: 0, qgPu: 0, vgPu: 1, inService: true, ...overrides };
}

function aNetwork(buses: NetworkBus[], branches: NetworkBranch[], gens: NetworkGen[]): PowerNetwork {
  return { name: 'test', baseMva: 100, buses, branches, gens };
}

// ── an independent reference: complex numbers, dense Ybus, finite-difference Newton ──────────────

type C = readonly [number, number];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const conj = (a: C): C => [a[0], -a[1]];
const div = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const polar = (m: number, a: number): C => [m * Math.cos(a), m * Math.sin(a)];

function denseYbus(net: PowerNetwork): C[][] {
  const y: C[][] = net.buses.map((b, i) => net.buses.map((_, j) => (i === j ? [b.gsPu, b.bsPu] : [0, 0])));
  const addAt = (i: number, j: number, v: C): void => {
    (y[i] as C[])[j] = add((y[i] as C[])[j] as C, v);
  };
  for (const br of net.branches.filter((b) => b.inService)) {
    const ys = div([1, 0], [br.rPu, br.xPu]);
    const t = polar(br.tap === 0 ? 1 : br.tap, (br.shiftDeg * Math.PI) / 180);
    const ytt = add(ys, [0, br.bPu / 2]);
    addAt(br.from, br.from, div(ytt, mul(t, conj(t))));
    addAt(br.from, br.to, div(mul([-1, 0], ys), conj(t)));
    addAt(br.to, br.from, div(mul([-1, 0], ys), t));
    addAt(br.to, br.to, ytt);
  }
  return y;
}

/** Newton on [θ(non-REF); |V|(PQ)] with a finite-difference Jacobian and a dense solve. */
function referenceSolve(net: PowerNetwork): { vm: number[]; va: number[] } {
  const y = denseYbus(net);
  const n = net.buses.length;
  const vm = net.buses.map((b) => (b.type === 'PQ' ? 1 : (net.gens.find((g) => g.bus === net.buses.indexOf(b))?.vgPu ?? b.vmPu)));
  const va = net.buses.map(() => 0);
  const sbus = net.buses.map((b, i): C => {
    const gen = net.gens.filter((g) => g.bus === i && g.inService).reduce<C>((s, g) => add(s, [g.pgPu, g.qgPu]), [0, 0]);
    return add(gen, [-b.pdPu, -b.qdPu]);
  });
  const thetas = net.buses.flatMap((b, i) => (b.type === 'REF' ? [] : [i]));
  const mags = net.buses.flatMap((b, i) => (b.type === 'PQ' ? [i] : []));
  const setX = (x: number[]): void => {
    thetas.forEach((i, k) => (va[i] = x[k] as number));
    mags.forEach((i, k) => (vm[i] = x[thetas.length + k] as number));
  };
  const residual = (): number[] => {
    const v = vm.map((m, i) => polar(m, va[i] as number));
    const s = v.map((vi, i) => mul(vi, conj((y[i] as C[]).reduce<C>((acc, yij, j) => add(acc, mul(yij, v[j] as C)), [0, 0]))));
    return [...thetas.map((i) => (s[i] as C)[0] - (sbus[i] as C)[0]), ...mags.map((i) => (s[i] as C)[1] - (sbus[i] as C)[1])];
  };
  let x = [...thetas.map((i) => va[i] as number), ...mags.map((i) => vm[i] as number)];
  for (let it = 0; it < 30; it++) {
    setX(x);
    const f = residual();
    if (Math.max(...f.map(Math.abs)) < 1e-12) break;
    const h = 1e-7;
    const jac = x.map((_, c) => {
      const xp = [...x];
      xp[c] = (xp[c] as number) + h;
      setX(xp);
      const fp = residual();
      xp[c] = (xp[c] as number) - 2 * h;
      setX(xp);
      const fm = residual();
      return fp.map((v, r) => (v - (fm[r] as number)) / (2 * h));
    });
    const a = f.map((_, r) => x.map((__, c) => (jac[c] as number[])[r] as number));
    const dx = gauss(a, f);
    x = x.map((v, k) => v - (dx[k] as number));
  }
  setX(x);
  expect(n).toBe(vm.length);
  return { vm, va };
}

function gauss(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]?.[k] as number) > Math.abs(m[p]?.[k] as number)) p = i;
    [m[k], m[p]] = [m[p] as number[], m[k] as number[]];
    for (let i = k + 1; i < n; i++) {
      const f = (m[i]?.[k] as number) / (m[k]?.[k] as number);
      for (let j = k; j <= n; j++) (m[i] as number[])[j] = (m[i]?.[j] as number) - f * (m[k]?.[j] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]?.[n] as number;
    for (let j = i + 1; j < n; j++) s -= (m[i]?.[j] as number) * (x[j] as number);
    x[i] = s / (m[i]?.[i] as number);
  }
  return x;
}

function expectSameVoltages(s: PowerFlowSolution, ref: { vm: number[]; va: number[] }, tol = 1e-8): void {
  ref.vm.forEach((v, i) => expect(Math.abs((s.vmPu[i] as number) - v), `|V| at bus index ${i}`).toBeLessThan(tol));
  ref.va.forEach((v, i) => expect(Math.abs((s.vaRad[i] as number) - v), `θ at bus index ${i}`).toBeLessThan(tol));
}

// ── losses from voltages, for the published references (independent of branch-flows.ts) ─────────

function totalLossesPu(net: PowerNetwork, s: PowerFlowSolution): number {
  let loss = 0;
  for (const br of net.branches.filter((b) => b.inService)) {
    const ys = div([1, 0], [br.rPu, br.xPu]);
    const t = polar(br.tap === 0 ? 1 : br.tap, (br.shiftDeg * Math.PI) / 180);
    const ytt = add(ys, [0, br.bPu / 2]);
    const vf = polar(s.vmPu[br.from] as number, s.vaRad[br.from] as number);
    const vt = polar(s.vmPu[br.to] as number, s.vaRad[br.to] as number);
    const iFrom = add(mul(div(ytt, mul(t, conj(t))), vf), mul(div([-1, 0], conj(t)), mul(ys, vt)));
    const iTo = add(mul(div([-1, 0], t), mul(ys, vf)), mul(ytt, vt));
    loss += mul(vf, conj(iFrom))[0] + mul(vt, conj(iTo))[0];
  }
  return loss;
}

function vmin(net: PowerNetwork, s: PowerFlowSolution): { pu: number; bus: number } {
  let at = 0;
  s.vmPu.forEach((v, i) => {
    if (v < (s.vmPu[at] as number)) at = i;
  });
  return { pu: s.vmPu[at] as number, bus: net.buses[at]?.id as number };
}

// ── small networks ────────────────────────────────────────────────────────────────────────────────

/** Slack 1∠0 feeding P + jQ through r + jx: |V2|² from the quadratic, and the angle from V1 = V2 + Z·I. */
function twoBusAnalytic(r: number, x: number, p: number, q: number): { vm: number; va: number } {
  const c = 1 - 2 * (r * p + x * q);
  const v2 = Math.sqrt((c + Math.sqrt(c * c - 4 * (r * r + x * x) * (p * p + q * q))) / 2);
  return { vm: v2, va: -Math.atan2((x * p - r * q) / v2, v2 + (r * p + x * q) / v2) };
}

const twoBus = (p: number, q: number, r = 0.02, x = 0.06): PowerNetwork =>
  aNetwork([aBus(1, { type: 'REF' }), aBus(2, { pdPu: p, qdPu: q })], [aBranch(0, 1, { rPu: r, xPu: x })], [aGen(0)]);

/** A meshed 3-bus network: slack at 1.02, a PV bus at 1.01 exporting 0.5 pu, charging and a shunt. */
const threeBus = (overrides: Partial<NetworkBranch> = {}): PowerNetwork =>
  aNetwork(
    [aBus(1, { type: 'REF' }), aBus(2, { type: 'PV', pdPu: 0.2, qdPu: 0.05 }), aBus(3, { pdPu: 0.9, qdPu: 0.3, bsPu: 0.05 })],
    [
      aBranch(0, 1, { rPu: 0.01, xPu: 0.05, bPu: 0.04 }),
      aBranch(1, 2, { rPu: 0.02, xPu: 0.1, ...overrides }),
      aBranch(0, 2, { rPu: 0.015, xPu: 0.06, bPu: 0.02 }),
    ],
    [aGen(0, { vgPu: 1.02 }), aGen(1, { pgPu: 0.5, vgPu: 1.01 })],
  );

describe('solveNewton', () => {
  it('solves a 2-bus feeder as the analytic solution', () => {
    const s = solveNewton(twoBus(0.8, 0.4), { tolerancePu: 1e-12 });
    const exact = twoBusAnalytic(0.02, 0.06, 0.8, 0.4);
    expect(s).toMatchObject({ method: 'newton', converged: true });
    expect(s.iterations).toBeLessThanOrEqual(6);
    expect(s.maxMismatchPu).toBeLessThanOrEqual(1e-12);
    expect(s.vmPu[1]).toBeCloseTo(exact.vm, 12);
    expect(s.vaRad[1]).toBeCloseTo(exact.va, 12);
    expect(s.vmPu[0]).toBe(1);
  });

  it('solves a meshed 3-bus network with a PV bus like a dense reference', () => {
    const net = threeBus();
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    expect(s.vmPu[1]).toBe(1.01);
    expect(s.vmPu[0]).toBe(1.02);
    expectSameVoltages(s, referenceSolve(net));
  });

  it('solves with an off-nominal tap and a phase shift like a dense reference', () => {
    const net = threeBus({ tap: 0.97, shiftDeg: -5, bPu: 0.01 });
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    expectSameVoltages(s, referenceSolve(net));
  });

  it('solves a purely resistive line, whose dP/dθ diagonal starts at zero (needs pivoting)', () => {
    const s = solveNewton(twoBus(0.3, 0, 0.05, 0), { tolerancePu: 1e-12 });
    expect(s.converged).toBe(true);
    expect(s.vmPu[1]).toBeCloseTo(twoBusAnalytic(0.05, 0, 0.3, 0).vm, 12);
  });

  it('starts each island at its REF bus angle and solves islands independently', () => {
    // Island A: buses 0–1 (REF 0 at 10°). Island B: buses 2–3 (REF 3 at 1.03 pu). Buses 4–5: no REF.
    // Bus 6 is ISOLATED with a branch that must not ground bus 1.
    const net = aNetwork(
      [
        aBus(10, { type: 'REF', vaDeg: 10 }), aBus(11, { pdPu: 0.3, qdPu: 0.1 }),
        aBus(12, { pdPu: 0.2 }), aBus(13, { type: 'REF' }),
        aBus(14, { pdPu: 0.1 }), aBus(15),
        aBus(16, { type: 'ISOLATED' }),
      ],
      [aBranch(0, 1), aBranch(2, 3), aBranch(4, 5), aBranch(1, 6)],
      [aGen(0), aGen(3, { vgPu: 1.03 })],
    );
    const solver = new NewtonSolver(net);
    const s = solver.solve(net.buses.map((b) => b.pdPu), net.buses.map((b) => b.qdPu));
    expect(s.converged).toBe(true);
    expect(solver.deenergisedBuses).toEqual([4, 5, 6]);
    expect(Array.from(s.vmPu.slice(4))).toEqual([0, 0, 0]);
    const a = twoBusAnalytic(0.01, 0.05, 0.3, 0.1);
    expect(s.vmPu[1]).toBeCloseTo(a.vm, 10);
    expect(s.vaRad[1]).toBeCloseTo(a.va + (10 * Math.PI) / 180, 10);
    expect(s.vmPu[3]).toBe(1.03);
    expect(s.vaRad[0]).toBeCloseTo((10 * Math.PI) / 180, 15);
  });

  it('accepts several REF buses in one network, as slack buses', () => {
    const net = aNetwork(
      [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.5, qdPu: 0.2 }), aBus(3, { type: 'REF' })],
      [aBranch(0, 1), aBranch(1, 2)],
      [aGen(0), aGen(2)],
    );
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    // Symmetric: each source carries half the load.
    expect(s.vmPu[1]).toBeCloseTo(twoBusAnalytic(0.01 / 2, 0.05 / 2, 0.5, 0.2).vm, 10);
  });

  it('treats a PV bus without an in-service generator as PQ', () => {
    const net = aNetwork(
      [aBus(1, { type: 'REF' }), aBus(2, { type: 'PV', pdPu: 0.4, qdPu: 0.1 })],
      [aBranch(0, 1)],
      [aGen(0), aGen(1, { vgPu: 1.05, inService: false })],
    );
    const s = solveNewton(net);
    expect(s.vmPu[1]).toBeCloseTo(twoBusAnalytic(0.01, 0.05, 0.4, 0.1).vm, 10);
  });

  it('reports non-convergence with the worst bus beyond the voltage-collapse point', () => {
    // The 2-bus line can deliver at most ~ 1 / (2|z|) ≈ 7.9 pu; ask for 12.
    const s = solveNewton(twoBus(12, 0), { maxIterations: 20 });
    expect(s.converged).toBe(false);
    expect(s.iterations).toBe(20);
    expect(s.worstBus).toBe(1);
    expect(s.maxMismatchPu).toBeGreaterThan(1e-8);
  });

  it('error: a singular Jacobian names the bus', () => {
    // A PV bus behind a purely resistive line: dP/dθ = V1·V2·g·sin θ is 0 at the flat start.
    const net = aNetwork(
      [aBus(1, { type: 'REF' }), aBus(7, { type: 'PV' })],
      [aBranch(0, 1, { rPu: 0.05, xPu: 0 })],
      [aGen(0), aGen(1, { pgPu: 0.2, vgPu: 1.05 })],
    );
    expect(() => solveNewton(net)).toThrow(GridmeshError);
    expect(() => solveNewton(net)).toThrow(/Jacobian is singular at bus 7/);
  });

  it('error: rejects bad options and load vectors of the wrong length', () => {
    expect(() => new NewtonSolver(twoBus(0.1, 0), { tolerancePu: 0 })).toThrow(GridmeshError);
    expect(() => new NewtonSolver(twoBus(0.1, 0), { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => new NewtonSolver(twoBus(0.1, 0)).solve([0], [0])).toThrow(/1 active and 1 reactive loads for 2 buses/);
    expect(() => new NewtonSolver(twoBus(0.1, 0)).solve([0, NaN], [0, 0])).toThrow(/bus 2 is not a finite number/);
  });
});

describe('NewtonSolver time series', () => {
  it('re-solves with new loads exactly like a fresh solve', () => {
    const net = threeBus();
    const solver = new NewtonSolver(net);
    for (const scale of [0.5, 1.3, 0.8]) {
      const pd = net.buses.map((b) => b.pdPu * scale);
      const qd = net.buses.map((b) => b.qdPu * scale);
      const scaled = { ...net, buses: net.buses.map((b, i) => ({ ...b, pdPu: pd[i] as number, qdPu: qd[i] as number })) };
      const again = solver.solve(pd, qd);
      const fresh = solveNewton(scaled);
      expect(Array.from(again.vmPu)).toEqual(Array.from(fresh.vmPu));
      expect(Array.from(again.vaRad)).toEqual(Array.from(fresh.vaRad));
    }
  });

  it('warm-starts from the previous solution when asked', () => {
    const net = threeBus();
    const solver = new NewtonSolver(net);
    const pd = net.buses.map((b) => b.pdPu);
    const qd = net.buses.map((b) => b.qdPu);
    const flat = solver.solve(pd, qd);
    const warm = solver.solve(pd, qd, { start: 'previous' });
    expect(warm.iterations).toBeLessThan(flat.iterations);
    expectSameVoltages(warm, { vm: Array.from(flat.vmPu), va: Array.from(flat.vaRad) }, 1e-9);
  });
});

// ── MATPOWER cases: published references ─────────────────────────────────────────────────────────

const FIXTURES = new URL('../../../../test/fixtures/matpower/', import.meta.url);
const loadCase = (name: string): PowerNetwork => parseMatpowerCase(readFileSync(new URL(`${name}.m`, FIXTURES), 'utf8'));

describe('solveNewton on MATPOWER cases', () => {
  it('case33bw: 202.677 kW losses, Vmin 0.91309 pu at bus 18 (Baran & Wu)', () => {
    const net = loadCase('case33bw');
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    expect(Math.abs(totalLossesPu(net, s) * net.baseMva * 1000 - 202.677)).toBeLessThanOrEqual(0.01);
    const v = vmin(net, s);
    expect(v.bus).toBe(18);
    expect(Math.abs(v.pu - 0.91309)).toBeLessThanOrEqual(1e-5);
  });

  it('case69: 224.992 kW losses, Vmin 0.90919 pu at bus 65', () => {
    const net = loadCase('case69');
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    expect(Math.abs(totalLossesPu(net, s) * net.baseMva * 1000 - 224.992)).toBeLessThanOrEqual(0.01);
    const v = vmin(net, s);
    expect(v.bus).toBe(65);
    expect(Math.abs(v.pu - 0.90919)).toBeLessThanOrEqual(1e-5);
  });

  it.each(['case16ci', 'case70da'])('%s (meshed, several sources) converges', (name) => {
    const s = solveNewton(loadCase(name));
    expect(s.converged).toBe(true);
    expect(s.maxMismatchPu).toBeLessThanOrEqual(1e-8);
  });

  it('case4_dist (a PV bus behind a transformer) matches the dense reference', () => {
    const net = loadCase('case4_dist');
    expectSameVoltages(solveNewton(net), referenceSolve(net));
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.m')).map((f) => f.slice(0, -2)))('%s converges', (name) => {
    const net = loadCase(name);
    const solver = new NewtonSolver(net);
    const s = solver.solve(net.buses.map((b) => b.pdPu), net.buses.map((b) => b.qdPu));
    expect(s.converged).toBe(true);
    expect(s.iterations).toBeLessThanOrEqual(6);
    expect(solver.deenergisedBuses).toEqual([]);
  });

  it('case16am converges although a 1e-8 Ω section puts its mismatch floor above 1e-8 pu', () => {
    const net = loadCase('case16am');
    const s = solveNewton(net);
    expect(s.converged).toBe(true);
    expect(s.maxMismatchPu).toBeLessThan(1e-6);
    expect(Math.abs((s.vmPu[1] as number) - (s.vmPu[0] as number))).toBeLessThan(1e-8);
  });
});
