import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import type { PowerFlowSolution, PowerNetwork } from '../network.js';
import { branchEndFlows, branchFlows } from './branch-flows.js';
import { aBranch, aBus, aNetwork, aRadialFeeder } from './radial-feeder.fixture.js';
import { PowerFlowError, solveSweep, SweepSolver } from './sweep.js';

/**
 * Largest |ΔP| or |ΔQ| over non-REF energised buses between MATPOWER's injection (branch end flows
 * from the π-model admittances, plus shunts) at the solution's voltages and gen − load. Independent
 * of the sweep's own tree formulation.
 */
function independentMismatch(network: PowerNetwork, s: PowerFlowSolution): number {
  const n = network.buses.length;
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  const vr = (i: number): number => (s.vmPu[i] as number) * Math.cos(s.vaRad[i] as number);
  const vi = (i: number): number => (s.vmPu[i] as number) * Math.sin(s.vaRad[i] as number);
  for (const br of network.branches) {
    if (!br.inService) continue;
    const e = branchEndFlows(br, vr(br.from), vi(br.from), vr(br.to), vi(br.to));
    p[br.from] = (p[br.from] as number) + e.pFrom;
    q[br.from] = (q[br.from] as number) + e.qFrom;
    p[br.to] = (p[br.to] as number) + e.pTo;
    q[br.to] = (q[br.to] as number) + e.qTo;
  }
  for (const g of network.gens) {
    if (!g.inService) continue;
    p[g.bus] = (p[g.bus] as number) - g.pgPu;
    q[g.bus] = (q[g.bus] as number) - g.qgPu;
  }
  let worst = 0;
  network.buses.forEach((b, i) => {
    if (b.type === 'REF' || (s.vmPu[i] as number) === 0) return;
    const v2 = (s.vmPu[i] as number) ** 2;
    const dp = (p[i] as number) + v2 * b.gsPu + b.pdPu;
    const dq = (q[i] as number) - v2 * b.bsPu + b.qdPu;
    worst = Math.max(worst, Math.abs(dp), Math.abs(dq));
  });
  return worst;
}

function twoBusLine(load: { pdPu: number; qdPu: number }, line: { rPu: number; xPu: number }): PowerNetwork {
  return aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2, load)], branches: [aBranch(0, 1, line)] });
}

/** A REF bus behind a transformer (tap 0.975, shift 5°) feeding a line with charging, loads, a shunt and a PQ generator. */
function threeBusWithTransformer(reversed: boolean): PowerNetwork {
  const xfmr = { rPu: 0.002, xPu: 0.06, tap: 0.975, shiftDeg: 5 };
  return aNetwork({
    buses: [
      aBus(1, { type: 'REF' }),
      aBus(2, { pdPu: 0.2, qdPu: 0.1 }),
      aBus(3, { pdPu: 0.8, qdPu: 0.3, bsPu: 0.1, gsPu: 0.01 }),
    ],
    branches: [reversed ? aBranch(1, 0, xfmr) : aBranch(0, 1, xfmr), aBranch(1, 2, { rPu: 0.02, xPu: 0.04, bPu: 0.05 })],
    gens: [
      { bus: 0, pgPu: 0, qgPu: 0, vgPu: 1.02, inService: true },
      { bus: 2, pgPu: 0.1, qgPu: 0.05, vgPu: 1, inService: true },
    ],
  });
}

function caseFile(name: string): PowerNetwork {
  const url = new URL(`../../../../test/fixtures/matpower/${name}.m`, import.meta.url);
  return parseMatpowerCase(readFileSync(url, 'utf8'), name);
}

function withLoads(network: PowerNetwork, pd: Float64Array, qd: Float64Array): PowerNetwork {
  return { ...network, buses: network.buses.map((b, i) => ({ ...b, pdPu: pd[i] as number, qdPu: qd[i] as number })) };
}

describe('solveSweep', () => {
  it('matches the exact solution of a two-bus line', () => {
    const [p, q, r, x] = [0.5, 0.2, 0.01, 0.03];
    const s = solveSweep(twoBusLine({ pdPu: p, qdPu: q }, { rPu: r, xPu: x }));
    // |V2|⁴ − (1 − 2(pr + qx))|V2|² + (p² + q²)(r² + x²) = 0, upper root; V1·conj(V2) = |V2|² + z·conj(S).
    const a = 1 - 2 * (p * r + q * x);
    const v2sq = (a + Math.sqrt(a * a - 4 * (p * p + q * q) * (r * r + x * x))) / 2;
    expect(s.converged).toBe(true);
    expect(s.method).toBe('sweep');
    expect(s.vmPu[0]).toBe(1);
    expect(s.vmPu[1]).toBeCloseTo(Math.sqrt(v2sq), 10);
    expect(s.vaRad[1]).toBeCloseTo(-Math.atan2(x * p - r * q, v2sq + r * p + x * q), 10);
    expect(s.maxMismatchPu).toBeLessThanOrEqual(1e-8);
    expect(s.worstBus).toBe(1);
  });

  it('a transformer at no load sets the voltage to 1/(tap·e^{j·shift}) of its from end', () => {
    const network = (reversed: boolean): PowerNetwork => aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2)],
      branches: [reversed ? aBranch(1, 0, { tap: 1.05, shiftDeg: 30 }) : aBranch(0, 1, { tap: 1.05, shiftDeg: 30 })],
    });
    const down = solveSweep(network(false));
    expect(down.vmPu[1]).toBeCloseTo(1 / 1.05, 12);
    expect(down.vaRad[1]).toBeCloseTo(-Math.PI / 6, 12);
    // The REF bus at the to end: the from-end voltage is tap·e^{j·shift} times it.
    const up = solveSweep(network(true));
    expect(up.vmPu[1]).toBeCloseTo(1.05, 12);
    expect(up.vaRad[1]).toBeCloseTo(Math.PI / 6, 12);
    expect(down.iterations + up.iterations).toBe(0);
  });

  it.each([false, true])('balances every bus of a radial network with a transformer tap and phase shift (reversed: %s)', (reversed) => {
    const network = threeBusWithTransformer(reversed);
    const s = solveSweep(network);
    expect(s.converged).toBe(true);
    expect(s.vmPu[0]).toBe(1.02);
    // The sweep's own mismatch is MATPOWER's, up to rounding.
    expect(independentMismatch(network, s)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(independentMismatch(network, s) - s.maxMismatchPu)).toBeLessThan(1e-13);
  });

  it('holds the REF bus at its generator set-point and angle', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF', vmPu: 1, vaDeg: -10 }), aBus(2, { pdPu: 0.1 })],
      branches: [aBranch(0, 1)],
      gens: [{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1.03, inService: true }],
    });
    const s = solveSweep(network);
    expect(s.vmPu[0]).toBeCloseTo(1.03, 15);
    expect(s.vaRad[0]).toBeCloseTo((-10 * Math.PI) / 180, 15);
  });

  it('solves each island from its own source and leaves an island without one at 0 V', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.3 }), aBus(3, { type: 'REF' }), aBus(4, { pdPu: 0.2 }), aBus(5), aBus(6, { pdPu: 0.1 })],
      branches: [aBranch(0, 1), aBranch(2, 3), aBranch(4, 5)],
    });
    const s = solveSweep(network);
    expect(s.converged).toBe(true);
    expect(independentMismatch(network, s)).toBeLessThan(1e-9);
    expect(Array.from(s.vmPu.slice(4))).toEqual([0, 0]);
    expect(s.vmPu[1]).toBeGreaterThan(0.9);
    expect(s.vmPu[3]).toBeGreaterThan(0.9);
  });

  it('reports a network without a solution as not converged, naming the worst bus', () => {
    const s = solveSweep(twoBusLine({ pdPu: 5, qdPu: 2 }, { rPu: 0.1, xPu: 0.2 }));
    expect(s.converged).toBe(false);
    expect(s.worstBus).toBe(1);
    expect(s.iterations).toBeLessThanOrEqual(200);
    expect(s.maxMismatchPu).toBeGreaterThan(1e-8);
  });

  it('stops at maxIterations without claiming convergence', () => {
    const s = solveSweep(caseFile('case33bw'), { maxIterations: 1 });
    expect(s.converged).toBe(false);
    expect(s.iterations).toBe(1);
    expect(s.worstBus).toBeGreaterThan(0);
    expect(s.maxMismatchPu).toBeGreaterThan(1e-8);
  });

  it('error: a meshed network needs Newton-Raphson', () => {
    const triangle = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.1 }), aBus(3, { pdPu: 0.1 })],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(2, 0)],
    });
    expect(() => solveSweep(triangle)).toThrow(PowerFlowError);
    expect(() => solveSweep(triangle)).toThrow('the sweep needs a radial network; use newton');
  });

  it('error: a PV bus (a generator regulating voltage) needs Newton-Raphson', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { type: 'PV' })],
      branches: [aBranch(0, 1)],
      gens: [{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }, { bus: 1, pgPu: 0.2, qgPu: 0, vgPu: 1.01, inService: true }],
    });
    const error = ((): unknown => { try { solveSweep(network); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(PowerFlowError);
    expect((error as PowerFlowError).message).toMatch(/PV buses.*use newton/);
    expect((error as PowerFlowError).details).toEqual(['bus 2 is a PV bus with an in-service generator']);
  });

  it('error: two sources in one island need Newton-Raphson', () => {
    const network = aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2), aBus(3, { type: 'REF' })], branches: [aBranch(0, 1), aBranch(1, 2)] });
    expect(() => solveSweep(network)).toThrow(/one source \(REF bus\) per island; use newton/);
  });

  it('error: a branch of zero impedance', () => {
    expect(() => solveSweep(twoBusLine({ pdPu: 0.1, qdPu: 0 }, { rPu: 0, xPu: 0 }))).toThrow(/zero impedance/);
  });

  it('solves a generated 10,000-bus feeder; the source supplies the loads plus the losses', () => {
    const network = aRadialFeeder({ buses: 10_000, seed: 42 });
    const s = solveSweep(network);
    expect(s.converged).toBe(true);
    expect(independentMismatch(network, s)).toBeLessThan(1e-8);
    const flows = branchFlows(network, s);
    const source = network.branches.reduce((sum, br, k) => sum + (br.from === 0 ? (flows.pFromPu[k] as number) : 0), 0);
    const load = network.buses.reduce((sum, b) => sum + b.pdPu, 0);
    // Up to the sum of 10,000 bus mismatches of ≤ 1e-8 pu each.
    expect(Math.abs(source - load - flows.totalLossPPu)).toBeLessThan(1e-6);
    expect(flows.vmin.pu).toBeGreaterThan(0.9);
  });

  it('converges and balances on random feeders', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (buses, seed) => {
        const network = aRadialFeeder({ buses, seed });
        const s = solveSweep(network);
        expect(s.converged).toBe(true);
        expect(independentMismatch(network, s)).toBeLessThan(1e-8);
      }),
      { numRuns: 40 },
    );
  });
});

describe('SweepSolver', () => {
  const network = aRadialFeeder({ buses: 301, seed: 7 });
  const pd0 = Float64Array.from(network.buses, (b) => b.pdPu);
  const qd0 = Float64Array.from(network.buses, (b) => b.qdPu);

  it.each([false, true])('re-solves with new loads as a fresh solve would (warm start: %s)', (warmStart) => {
    const solver = new SweepSolver(network, { warmStart });
    for (const factor of [0.5, 1.3, 0.9]) {
      const pd = pd0.map((p, i) => p * factor * (1 + 0.2 * Math.sin(i)));
      const qd = qd0.map((q) => q * factor);
      const again = solver.solve(pd, qd);
      const fresh = solveSweep(withLoads(network, pd, qd));
      expect(again.converged).toBe(true);
      for (let i = 0; i < network.buses.length; i++) {
        expect(Math.abs((again.vmPu[i] as number) - (fresh.vmPu[i] as number))).toBeLessThan(1e-7);
        expect(Math.abs((again.vaRad[i] as number) - (fresh.vaRad[i] as number))).toBeLessThan(1e-7);
      }
    }
  });

  it('a warm start from the last solution takes fewer iterations', () => {
    const cold = new SweepSolver(network);
    const warm = new SweepSolver(network, { warmStart: true });
    warm.solve();
    const pd = pd0.map((p) => p * 1.02);
    expect(warm.solve(pd, qd0).iterations).toBeLessThan(cold.solve(pd, qd0).iterations);
  });

  it('error: load arrays must have one entry per bus', () => {
    const solver = new SweepSolver(network);
    expect(() => solver.solve(new Float64Array(3), qd0)).toThrow(PowerFlowError);
  });

  it('error: a load that is not a finite number', () => {
    const solver = new SweepSolver(network);
    const pd = pd0.slice();
    pd[5] = NaN;
    expect(() => solver.solve(pd, qd0)).toThrow('the load at bus 6 is not a finite number');
  });

  it('error: options out of range', () => {
    expect(() => new SweepSolver(network, { tolerancePu: 0 })).toThrow(PowerFlowError);
    expect(() => new SweepSolver(network, { maxIterations: 1.5 })).toThrow(PowerFlowError);
  });
});

describe('validation against published results (flat start, constant-power loads)', () => {
  it('case33bw (Baran & Wu): 202.677 kW and 135.141 kvar of losses, Vmin 0.91309 pu at bus 18', () => {
    const network = caseFile('case33bw');
    const s = solveSweep(network);
    const flows = branchFlows(network, s);
    const kw = network.baseMva * 1000;
    expect(s.converged).toBe(true);
    expect(Math.abs(flows.totalLossPPu * kw - 202.677)).toBeLessThan(0.01);
    expect(Math.abs(flows.totalLossQPu * kw - 135.141)).toBeLessThan(0.01);
    expect(Math.abs(flows.vmin.pu - 0.91309)).toBeLessThan(1e-5);
    expect(flows.vmin.busId).toBe(18);
  });

  it('case69: 224.992 kW of losses, Vmin 0.90919 pu at bus 65', () => {
    const network = caseFile('case69');
    const s = solveSweep(network);
    const flows = branchFlows(network, s);
    expect(s.converged).toBe(true);
    expect(Math.abs(flows.totalLossPPu * network.baseMva * 1000 - 224.992)).toBeLessThan(0.01);
    expect(Math.abs(flows.vmin.pu - 0.90919)).toBeLessThan(1e-5);
    expect(flows.vmin.busId).toBe(65);
  });

  it('case18 (a transformer and shunt capacitors) balances at every bus', () => {
    const network = caseFile('case18');
    const s = solveSweep(network);
    expect(s.converged).toBe(true);
    expect(independentMismatch(network, s)).toBeLessThan(1e-8);
  });
});
