/**
 * Solves A x = b for a symmetric positive-definite matrix A (p × p, row-major) by Cholesky
 * factorisation A = L Lᵀ, then forward and back substitution. O(p³ / 3): microseconds for the few
 * dozen features of a forecaster. Only the lower triangle of A is read; A and b are not modified.
 */
import { assert } from '../../assert.js';

export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  assert(a.length >= p * p && b.length >= p, `choleskySolve needs a ${p} × ${p} matrix and ${p} right-hand sides`);
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * p + k] as number) * (l[j * p + k] as number);
      if (i === j) {
        // A regularised normal matrix is positive definite; a non-positive pivot is a bug upstream.
        assert(sum > 0, 'choleskySolve: the matrix is not positive definite', { row: i, pivot: sum });
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / (l[j * p + j] as number);
      }
    }
  }
  const x = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * p + k] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = x[i] as number;
    for (let k = i + 1; k < p; k++) sum -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  return x;
}
