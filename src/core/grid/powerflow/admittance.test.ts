import { describe, expect, it } from 'vitest';
import { GridmeshError } from '../../errors.js';
import type { NetworkBranch, NetworkBus, PowerNetwork } from '../network.js';
import { branchAdmittance, buildYbus, csrIndexOf, type ComplexCsr } from './admittance.js';

function aBus(overrides: Partial<NetworkBus> = {}): NetworkBus {
  return { id: 1, type: 'PQ', pdPu: 0, qdPu: 0, gsPu: 0, bsPu: 0, vmPu: 1, vaDeg: 0, baseKv: 12.66, vmaxPu: 1.1, vminPu: 0.9, ...overrides };
}

function aBranch(from: number, to: number, overrides: Partial<NetworkBranch> = {}): NetworkBranch {
  return { from, to, rPu: 0.01, xPu: 0.1, bPu: 0, rateAMva: 0, tap: 1, shiftDeg: 0, inService: true, ...overrides };
}

function aNetwork(buses: NetworkBus[], branches: NetworkBranch[]): PowerNetwork {
  return { name: 'test', baseMva: 100, buses, branches, gens: [] };
}

/** Entry (i, j) as [re, im], or undefined when it is not stored. */
function entry(y: ComplexCsr, i: number, j: number): [number, number] | undefined {
  const k = csrIndexOf(y, i, j);
  return k < 0 ? undefined : [y.re[k] as number, y.im[k] as number];
}

function expectEntry(y: ComplexCsr, i: number, j: number, re: number, im: number): void {
  const e = entry(y, i, j);
  expect(e, `entry (${i}, ${j})`).toBeDefined();
  expect(e?.[0]).toBeCloseTo(re, 9);
  expect(e?.[1]).toBeCloseTo(im, 9);
}

describe('buildYbus', () => {
  it('builds a 2-bus line with charging and a bus shunt', () => {
    // ys = 1 / (0.01 + j0.1) = (0.01 − j0.1) / 0.0101; half of b = 0.02 at each end.
    const y = buildYbus(aNetwork([aBus(), aBus({ id: 2, gsPu: 0.05, bsPu: 0.1 })], [aBranch(0, 1, { bPu: 0.02 })]));
    const ysRe = 0.01 / 0.0101;
    const ysIm = -0.1 / 0.0101;
    expect(y.n).toBe(2);
    expectEntry(y, 0, 0, ysRe, ysIm + 0.01);
    expectEntry(y, 0, 1, -ysRe, -ysIm);
    expectEntry(y, 1, 0, -ysRe, -ysIm);
    expectEntry(y, 1, 1, ysRe + 0.05, ysIm + 0.01 + 0.1);
    expect(ysRe).toBeCloseTo(0.9900990099, 9);
    expect(ysIm).toBeCloseTo(-9.900990099, 8);
  });

  it('builds a 3-bus meshed network (hand-computed values)', () => {
    const y = buildYbus(aNetwork([aBus(), aBus({ id: 2 }), aBus({ id: 3, bsPu: 0.05 })], [
      aBranch(0, 1, { rPu: 0.01, xPu: 0.05, bPu: 0.04 }),
      aBranch(1, 2, { rPu: 0.02, xPu: 0.1 }),
      aBranch(0, 2, { rPu: 0.015, xPu: 0.06, bPu: 0.02 }),
    ]));
    const expected = [
      [[7.7677224736, -34.8870437406], [-3.8461538462, 19.2307692308], [-3.9215686275, 15.6862745098]],
      [[-3.8461538462, 19.2307692308], [5.7692307692, -28.8261538462], [-1.9230769231, 9.6153846154]],
      [[-3.9215686275, 15.6862745098], [-1.9230769231, 9.6153846154], [5.8446455505, -25.2416591252]],
    ];
    expected.forEach((row, i) => row.forEach(([re, im], j) => expectEntry(y, i, j, re as number, im as number)));
    expect(y.colIdx.length).toBe(9);
  });

  it('models an off-nominal tap with phase shift at the from end', () => {
    // r 0.02, x 0.08, b 0.04, tap 0.95∠30°.
    const a = branchAdmittance(aBranch(0, 1, { rPu: 0.02, xPu: 0.08, bPu: 0.04, tap: 0.95, shiftDeg: 30 }));
    expect(a.yffRe).toBeCloseTo(3.2589212970506756, 10);
    expect(a.yffIm).toBeCloseTo(-13.013524523382758, 10);
    expect(a.yftRe).toBeCloseTo(-8.8731436649673, 10);
    expect(a.yftIm).toBeCloseTo(9.176785186184999, 10);
    expect(a.ytfRe).toBeCloseTo(3.510757263825265, 10);
    expect(a.ytfIm).toBeCloseTo(12.27276041838314, 10);
    expect(a.yttRe).toBeCloseTo(2.941176470588235, 10);
    expect(a.yttIm).toBeCloseTo(-11.74470588235294, 10);
  });

  it('reads a tap of 0 as 1, as MATPOWER does', () => {
    expect(branchAdmittance(aBranch(0, 1, { tap: 0 }))).toEqual(branchAdmittance(aBranch(0, 1, { tap: 1 })));
  });

  it('merges parallel branches and leaves out branches out of service', () => {
    const one = buildYbus(aNetwork([aBus(), aBus()], [aBranch(0, 1)]));
    const two = buildYbus(aNetwork([aBus(), aBus(), aBus()], [aBranch(0, 1), aBranch(0, 1), aBranch(1, 2, { inService: false })]));
    expect(two.colIdx.length).toBe(4 + 1);
    expect(entry(two, 0, 1)?.[1]).toBeCloseTo(2 * (entry(one, 0, 1)?.[1] as number), 12);
    expect(entry(two, 1, 2)).toBeUndefined();
    expect(entry(two, 2, 2)).toEqual([0, 0]);
  });

  it('stores a structurally symmetric pattern with sorted rows, even with a phase shifter', () => {
    const y = buildYbus(aNetwork([aBus(), aBus(), aBus(), aBus()], [aBranch(3, 0, { shiftDeg: 10 }), aBranch(2, 1), aBranch(0, 2)]));
    for (let i = 0; i < y.n; i++) {
      for (let k = y.rowPtr[i] as number; k < (y.rowPtr[i + 1] as number); k++) {
        const j = y.colIdx[k] as number;
        if (k > (y.rowPtr[i] as number)) expect(j).toBeGreaterThan(y.colIdx[k - 1] as number);
        expect(csrIndexOf(y, j, i)).toBeGreaterThanOrEqual(0);
      }
    }
    expect(entry(y, 3, 0)).not.toEqual(entry(y, 0, 3));
  });

  it('error: rejects a branch with zero impedance', () => {
    const network = aNetwork([aBus(), aBus()], [aBranch(0, 1, { rPu: 0, xPu: 0 })]);
    expect(() => buildYbus(network)).toThrow(GridmeshError);
    expect(() => buildYbus(network)).toThrow(/branch 0 has a series impedance of zero/);
  });
});
