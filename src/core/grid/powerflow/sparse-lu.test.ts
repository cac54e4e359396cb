import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { SingularMatrixError, SparseLu, type CscMatrix } from './sparse-lu.js';

const SEED = 20260514;

/** CSC from a dense row-major matrix, storing the nonzeros (and the diagonal when `keepDiagonal`). */
function csc(dense: number[][], keepDiagonal = false): CscMatrix {
  const n = dense.length;
  const colPtr = new Int32Array(n + 1);
  const rows: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = dense[i]?.[j] as number;
      if (v !== 0 || (keepDiagonal && i === j)) {
        rows.push(i);
        values.push(v);
      }
    }
    colPtr[j + 1] = rows.length;
  }
  return { n, colPtr, rowIdx: Int32Array.from(rows), values: Float64Array.from(values) };
}

/** Dense Gaussian elimination with partial pivoting: an independent reference. */
function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]?.[k] as number) > Math.abs(m[p]?.[k] as number)) p = i;
    [m[k], m[p]] = [m[p] as number[], m[k] as number[]];
    const rk = m[k] as number[];
    for (let i = k + 1; i < n; i++) {
      const ri = m[i] as number[];
      const f = (ri[k] as number) / (rk[k] as number);
      for (let j = k; j <= n; j++) ri[j] = (ri[j] as number) - f * (rk[j] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const ri = m[i] as number[];
    let s = ri[n] as number;
    for (let j = i + 1; j < n; j++) s -= (ri[j] as number) * (x[j] as number);
    x[i] = s / (ri[i] as number);
  }
  return x;
}

function solveSparse(dense: number[][], b: number[], lu?: SparseLu): Float64Array {
  const a = csc(dense, true);
  const solver = lu ?? SparseLu.analyse(a);
  solver.factor(a.values);
  return solver.solve(b);
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(tol * (1 + Math.abs(e))));
}

/** A random sparse, strictly diagonally dominant matrix and right-hand side. */
const diagonallyDominant = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    entries: fc.array(
      fc.record({ i: fc.nat(n - 1), j: fc.nat(n - 1), v: fc.double({ min: -10, max: 10, noNaN: true }) }),
      { maxLength: 4 * n },
    ),
    b: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    signs: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    n: fc.constant(n),
  }).map(({ entries, b, signs, n: size }) => {
    const a = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (const { i, j, v } of entries) if (i !== j) (a[i] as number[])[j] = v;
    a.forEach((row, i) => {
      const off = row.reduce((s, v) => s + Math.abs(v), 0);
      row[i] = (signs[i] ? 1 : -1) * (off + 1);
    });
    return { a, b };
  }),
);

describe('SparseLu', () => {
  it('solves random sparse diagonally dominant systems like a dense solve (property)', () => {
    fc.assert(
      fc.property(diagonallyDominant, ({ a, b }) => {
        expectClose(solveSparse(a, b), denseSolve(a, b));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refactors new values on the same pattern and matches a dense solve (property)', () => {
    fc.assert(
      fc.property(diagonallyDominant, fc.double({ min: 0.5, max: 2, noNaN: true }), ({ a, b }, scale) => {
        const lu = SparseLu.analyse(csc(a, true));
        solveSparse(a, b, lu);
        const a2 = a.map((row, i) => row.map((v, j) => (i === j ? v * scale : v / scale)));
        expectClose(solveSparse(a2, b, lu), denseSolve(a2, b));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('solves row-permuted dominant systems, whose diagonals are often zero (property)', () => {
    fc.assert(
      fc.property(diagonallyDominant, fc.func(fc.integer()), ({ a, b }, key) => {
        const order = a.map((_, i) => i).sort((x, y) => key(x) - key(y) || x - y);
        const pa = order.map((i) => a[i] as number[]);
        const pb = order.map((i) => b[i] as number);
        expectClose(solveSparse(pa, pb), denseSolve(pa, pb), 1e-8);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('pivots off a zero diagonal', () => {
    const a = [
      [0, 2, 1],
      [3, 0, 1],
      [1, 1, 0],
    ];
    expectClose(solveSparse(a, [1, 2, 3]), denseSolve(a, [1, 2, 3]));
  });

  it('repivots when a reused pivot becomes zero on refactorisation', () => {
    const first = [
      [4, 1, 0],
      [1, 4, 1],
      [0, 1, 4],
    ];
    const second = [
      [0, 1, 0],
      [1, 4, 1],
      [0, 1, 4],
    ];
    const lu = SparseLu.analyse(csc(first, true));
    expectClose(solveSparse(first, [1, 2, 3], lu), denseSolve(first, [1, 2, 3]));
    expectClose(solveSparse(second, [1, 2, 3], lu), denseSolve(second, [1, 2, 3]));
  });

  it('solves in place when out is the right-hand side', () => {
    const a = csc([
      [2, 1],
      [1, 3],
    ]);
    const lu = SparseLu.analyse(a);
    lu.factor(a.values);
    const b = Float64Array.from([3, 5]);
    expect(lu.solve(b, b)).toBe(b);
    expectClose(b, [0.8, 1.4]);
  });

  it('keeps an arrow matrix free of fill by ordering the hub last', () => {
    // Row and column 0 are full: natural order fills L and U completely.
    const n = 30;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? n + 1 : i === 0 || j === 0 ? 1 : 0)));
    const m = csc(a);
    const natural = SparseLu.analyse(m, { ordering: 'natural' });
    natural.factor(m.values);
    const ordered = SparseLu.analyse(m);
    ordered.factor(m.values);
    expect(natural.factorNonzeros).toBe(n * n);
    expect(ordered.factorNonzeros).toBe(m.rowIdx.length);
    // The hub goes last, or next to last when it ties with the last leaf (degree 1 each).
    expect(Array.from(ordered.q).indexOf(0)).toBeGreaterThanOrEqual(n - 2);
    const b = Array.from({ length: n }, (_, i) => i + 1);
    expectClose(ordered.solve(b), denseSolve(a, b));
  });

  it('factors a tree (radial feeder pattern) with no fill', () => {
    const n = 200;
    const a = Array.from({ length: n }, (_, i) => new Array<number>(n).fill(0).map((_, j) => (i === j ? 4 : 0)));
    for (let i = 1; i < n; i++) {
      const parent = (i * 7919) % i;
      (a[i] as number[])[parent] = -1;
      (a[parent] as number[])[i] = -1.5;
    }
    const m = csc(a);
    const lu = SparseLu.analyse(m);
    lu.factor(m.values);
    expect(lu.factorNonzeros).toBe(m.rowIdx.length);
  });

  it('error: a singular matrix names the column without a pivot', () => {
    const a = csc([
      [1, 2, 0],
      [2, 4, 0],
      [0, 0, 1],
    ]);
    const lu = SparseLu.analyse(a, { ordering: 'natural' });
    expect(() => lu.factor(a.values)).toThrow(SingularMatrixError);
    try {
      lu.factor(a.values);
    } catch (error) {
      expect((error as SingularMatrixError).column).toBe(1);
      expect((error as Error).message).toMatch(/singular \(no usable pivot in column 1\)/);
    }
  });

  it('error: a structurally singular matrix (empty column) is singular', () => {
    const a = csc([
      [1, 0],
      [1, 0],
    ]);
    expect(() => SparseLu.analyse(a).factor(a.values)).toThrow(SingularMatrixError);
  });

  it('asserts on misuse: values that do not fit the pattern, solve before factor, a bad ordering', () => {
    const a = csc([[1]]);
    const lu = SparseLu.analyse(a);
    expect(() => lu.solve([1])).toThrow(/solve before a successful factor/);
    expect(() => lu.factor(new Float64Array(2))).toThrow(InvariantError);
    expect(() => SparseLu.analyse(a, { ordering: Int32Array.from([1]) })).toThrow(/not a permutation/);
  });
});
