import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCumulativeWh } from './round-cumulative.js';

const total = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x, 0);

describe('cumulative rounding', () => {
  it('keeps the running total where rounding each slot down would lose it', () => {
    const out = roundCumulativeWh([0.5, 0.5, 0.5, 0.5], () => 10);
    expect(Array.from(out)).toEqual([0, 1, 0, 1]);
  });

  it('takes a solver\'s 2999.9999999 as 3000', () => {
    expect(Array.from(roundCumulativeWh([2999.9999999, 0.0000001], () => 5000))).toEqual([3000, 0]);
  });

  it('keeps each slot\'s limit and the total limit, and reads negatives as 0', () => {
    expect(Array.from(roundCumulativeWh([5, 5, 5], (t) => (t === 1 ? 0 : 4)))).toEqual([4, 0, 4]);
    expect(Array.from(roundCumulativeWh([5, 5, 5], () => 10, 12))).toEqual([5, 5, 2]);
    expect(Array.from(roundCumulativeWh([-1e-9, 2], () => 10))).toEqual([0, 2]);
  });

  it('property: whole Wh within limits, each slot within 1 Wh of the solver, the total within 1 Wh', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 50 }), (values) => {
      const out = roundCumulativeWh(values, () => 1000);
      values.forEach((x, t) => {
        const e = out[t] as number;
        expect(Number.isInteger(e) && e >= 0 && e <= 1000).toBe(true);
        expect(Math.abs(e - x)).toBeLessThan(1 + 1e-6);
      });
      expect(Math.abs(total(out) - total(values))).toBeLessThan(1);
    }), { seed: 42, numRuns: 200 });
  });
});
