import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import type { PowerFlowSolution, PowerNetwork } from '../network.js';
import { branchFlows } from './branch-flows.js';
import { aBranch, aBus, aNetwork } from './radial-feeder.fixture.js';
import { solveSweep } from './sweep.js';

type C = readonly [number, number];
const polar = (m: number, deg: number): C => [m * Math.cos((deg * Math.PI) / 180), m * Math.sin((deg * Math.PI) / 180)];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const conj = (a: C): C => [a[0], -a[1]];
const inv = (a: C): C => [a[0] / (a[0] ** 2 + a[1] ** 2), -a[1] / (a[0] ** 2 + a[1] ** 2)];

function aSolution(voltages: readonly [number, number][]): PowerFlowSolution {
  return {
    method: 'sweep', converged: true, iterations: 1, maxMismatchPu: 0, worstBus: 0,
    vmPu: Float64Array.from(voltages, ([m]) => m),
    vaRad: Float64Array.from(voltages, ([, deg]) => (deg * Math.PI) / 180),
  };
}

function twoBuses(branch: Parameters<typeof aBranch>[2]): PowerNetwork {
  return aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2)], branches: [aBranch(0, 1, branch)] });
}

describe('branchFlows', () => {
  it('a line delivers the load at its to end and adds the series I²z at its from end', () => {
    const [p, q, r, x] = [0.5, 0.2, 0.01, 0.03];
    const network = aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: p, qdPu: q })], branches: [aBranch(0, 1, { rPu: r, xPu: x })] });
    const s = solveSweep(network, { tolerancePu: 1e-13 });
    const f = branchFlows(network, s);
    const i2 = (p * p + q * q) / (s.vmPu[1] as number) ** 2;
    expect(f.pToPu[0]).toBeCloseTo(-p, 9);
    expect(f.qToPu[0]).toBeCloseTo(-q, 9);
    expect(f.lossPPu[0]).toBeCloseTo(i2 * r, 9);
    expect(f.lossQPu[0]).toBeCloseTo(i2 * x, 9);
    expect(f.pFromPu[0]).toBeCloseTo(p + i2 * r, 9);
    expect(f.qFromPu[0]).toBeCloseTo(q + i2 * x, 9);
  });

  it('end flows follow MATPOWER\'s π model with a from-end tap and phase shift', () => {
    const br = { rPu: 0.004, xPu: 0.05, bPu: 0.02, tap: 1.05, shiftDeg: 10 };
    const [vf, vt] = [polar(1.01, 0), polar(0.95, -12)];
    const f = branchFlows(twoBuses(br), aSolution([[1.01, 0], [0.95, -12]]));
    // Yff = (y + j·b/2)/tap², Yft = −y/conj(t), Ytf = −y/t, Ytt = y + j·b/2.
    const y = inv([br.rPu, br.xPu]);
    const t = polar(br.tap, br.shiftDeg);
    const ytt = add(y, [0, br.bPu / 2]);
    const yff = mul(ytt, [1 / br.tap ** 2, 0]);
    const iFrom = add(mul(yff, vf), mul(mul([-1, 0], y), mul(vt, inv(conj(t)))));
    const iTo = add(mul(mul([-1, 0], y), mul(vf, inv(t))), mul(ytt, vt));
    const sFrom = mul(vf, conj(iFrom));
    const sTo = mul(vt, conj(iTo));
    expect(f.pFromPu[0]).toBeCloseTo(sFrom[0], 12);
    expect(f.qFromPu[0]).toBeCloseTo(sFrom[1], 12);
    expect(f.pToPu[0]).toBeCloseTo(sTo[0], 12);
    expect(f.qToPu[0]).toBeCloseTo(sTo[1], 12);
  });

  it('losses are the series element\'s; line charging is not a loss', () => {
    const br = { rPu: 0.02, xPu: 0.04, bPu: 0.1, tap: 0.98, shiftDeg: -3 };
    const f = branchFlows(twoBuses(br), aSolution([[1, 0], [0.97, -2]]));
    const drop = add(mul(polar(1, 0), inv(polar(br.tap, br.shiftDeg))), mul([-1, 0], polar(0.97, -2)));
    const drop2 = drop[0] ** 2 + drop[1] ** 2;
    const z2 = br.rPu ** 2 + br.xPu ** 2;
    expect(f.lossPPu[0]).toBeCloseTo((drop2 * br.rPu) / z2, 14);
    expect(f.lossQPu[0]).toBeCloseTo((drop2 * br.xPu) / z2, 14);
    expect((f.pFromPu[0] as number) + (f.pToPu[0] as number)).toBeCloseTo(f.lossPPu[0] as number, 14);
    // Charging at the series element's ends: b/2·|V_from/tap|² and b/2·|V_to|².
    const charging = (br.bPu / 2) * (1 / br.tap ** 2 + 0.97 ** 2);
    expect((f.qFromPu[0] as number) + (f.qToPu[0] as number)).toBeCloseTo((f.lossQPu[0] as number) - charging, 14);
  });

  it('loading is the larger end |S| over rateA; NaN when unrated; an open branch carries nothing', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2), aBus(3)],
      branches: [aBranch(0, 1, { rateAMva: 5 }), aBranch(0, 2), aBranch(1, 2, { rateAMva: 5, inService: false })],
    });
    const f = branchFlows(network, aSolution([[1, 0], [0.98, -1], [0.99, -0.5]]));
    const sMax = Math.max(Math.hypot(f.pFromPu[0] as number, f.qFromPu[0] as number), Math.hypot(f.pToPu[0] as number, f.qToPu[0] as number));
    expect(f.loadingPct[0]).toBeCloseTo(((sMax * network.baseMva) / 5) * 100, 10);
    expect(f.loadingPct[1]).toBeNaN();
    expect([f.pFromPu[2], f.qFromPu[2], f.pToPu[2], f.qToPu[2], f.lossPPu[2], f.lossQPu[2], f.loadingPct[2]]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(f.totalLossPPu).toBeCloseTo((f.lossPPu[0] as number) + (f.lossPPu[1] as number), 15);
    expect(f.totalLossQPu).toBeCloseTo((f.lossQPu[0] as number) + (f.lossQPu[1] as number), 15);
  });

  it('finds the voltage extremes among energised buses only', () => {
    const network = aNetwork({
      buses: [aBus(10, { type: 'REF' }), aBus(20), aBus(30), aBus(40, { type: 'ISOLATED' }), aBus(50)],
      branches: [aBranch(0, 1), aBranch(1, 2)],
    });
    const f = branchFlows(network, aSolution([[1.02, 0], [0.97, -1], [0.95, -2], [0.5, 0], [0, 0]]));
    expect(f.vmin).toEqual({ pu: 0.95, bus: 2, busId: 30 });
    expect(f.vmax).toEqual({ pu: 1.02, bus: 0, busId: 10 });
  });

  it('without an energised bus there are no extremes', () => {
    const network = aNetwork({ buses: [aBus(1)], branches: [] });
    expect(branchFlows(network, aSolution([[0, 0]])).vmin).toEqual({ pu: NaN, bus: -1, busId: NaN });
  });

  it('a solution for another network is a bug', () => {
    expect(() => branchFlows(twoBuses({}), aSolution([[1, 0]]))).toThrow(InvariantError);
  });
});
