import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { choleskySolve } from './cholesky.js';

describe('choleskySolve', () => {
  it('solves a symmetric positive-definite system', () => {
    // A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]], x = [1, -2, 3]
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const x = [1, -2, 3];
    const b = Float64Array.from([0, 1, 2].map((i) => x.reduce((s, xj, j) => s + (a[i * 3 + j] as number) * xj, 0)));
    const solved = choleskySolve(a, b, 3);
    x.forEach((v, i) => expect(solved[i]).toBeCloseTo(v, 12));
  });

  it('reads only the lower triangle', () => {
    const a = Float64Array.from([2, 999, 1, 3]);
    const solved = choleskySolve(a, Float64Array.from([4, 7]), 2);
    // [[2, 1], [1, 3]] x = [4, 7] → x = [1, 2]
    expect(solved[0]).toBeCloseTo(1, 12);
    expect(solved[1]).toBeCloseTo(2, 12);
  });

  it('error: a matrix that is not positive definite is a bug (assertion)', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(InvariantError);
  });
});
