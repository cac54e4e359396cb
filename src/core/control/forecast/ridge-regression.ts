/**
 * Ridge regression in closed form: standardise the features (weighted mean 0, variance 1), solve the
 * regularised normal equations (Zᵀ W Z / ΣW + λ I) β = Zᵀ W (y − ȳ) / ΣW by Cholesky, and map β back
 * to the raw feature scale, so a prediction is intercept + Σ coefficient·x with no scaling step.
 *
 * Standardising makes one λ mean the same for every feature whatever its unit (W/m², °C, kW); the
 * intercept is not penalised. A feature that does not vary over the rows (a weekend flag in a week
 * of weekdays) gets coefficient 0. The cost is one pass over the rows for the normal matrix,
 * O(n·nnz²/2) with nnz the non-zero features of a row, plus O(p³/3) for the solve: deterministic,
 * allocation-light, no iteration. The moments are accumulated raw and centred afterwards; the
 * features here (kW, W/m², °C) have means within a few standard deviations of 0, so the
 * cancellation this costs stays far below the noise.
 *
 * `fitLeastAbsolute` fits the same model for the absolute loss by iteratively reweighted least
 * squares (weights 1/|residual|), which predicts a conditional median instead of a mean: the loss
 * matches the MAE it is scored on, and a few abnormal days in the window (an outage, when deferred
 * EV charging piles up; a day before PV was destroyed) pull it far less than they pull squares.
 */
import { assert } from '../../assert.js';
import { choleskySolve } from './cholesky.js';

/** n rows of p features (row-major), targets and optional non-negative row weights. */
export interface RegressionRows {
  readonly features: Float64Array;
  readonly targets: Float64Array;
  readonly rows: number;
  readonly width: number;
  readonly weights?: Float64Array;
}

export interface LinearModel {
  readonly intercept: number;
  /** One per feature, on the raw feature scale. */
  readonly coefficients: Float64Array;
}

/**
 * Relative spread below which a feature counts as constant: far above what the centring's
 * cancellation can leave of a truly constant feature (≈ 1e-8 of its mean), far below any real spread.
 */
const CONSTANT_FEATURE_EPS = 1e-6;

export function fitRidge(data: RegressionRows, lambda: number): LinearModel {
  const { features: x, targets: y, rows: n, width: p } = data;
  assert(n > 0 && x.length >= n * p && y.length >= n, `fitRidge needs ${n} rows of ${p} features`);
  assert(lambda > 0, `lambda must be positive, got ${lambda}`);
  const w = data.weights;
  // Raw weighted moments Σw·x·xᵀ, Σw·x·y, Σw·x, Σw·y, skipping zero features: a weekday row has all
  // its weekend features at 0, which makes this about three times faster than a dense pass.
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const sum = new Float64Array(p);
  const nonZero = new Int32Array(p);
  let totalWeight = 0;
  let ySum = 0;
  for (let r = 0; r < n; r++) {
    const wr = w === undefined ? 1 : (w[r] as number);
    if (wr === 0) continue;
    const base = r * p;
    const wy = wr * (y[r] as number);
    totalWeight += wr;
    ySum += wy;
    let count = 0;
    for (let k = 0; k < p; k++) if ((x[base + k] as number) !== 0) nonZero[count++] = k;
    for (let a = 0; a < count; a++) {
      const i = nonZero[a] as number;
      const wxi = wr * (x[base + i] as number);
      sum[i] = (sum[i] as number) + wxi;
      rhs[i] = (rhs[i] as number) + wxi * (y[r] as number);
      const row = i * p;
      for (let b = 0; b <= a; b++) {
        const j = nonZero[b] as number;
        gram[row + j] = (gram[row + j] as number) + wxi * (x[base + j] as number);
      }
    }
  }
  assert(totalWeight > 0, 'fitRidge: the row weights sum to 0');
  // Centre: Σw(x − m)(x − m)ᵀ = Σw·x·xᵀ − W·m·mᵀ, and the same for the right-hand side.
  const mean = Float64Array.from(sum, (v) => v / totalWeight);
  const yMean = ySum / totalWeight;
  for (let i = 0; i < p; i++) {
    const mi = mean[i] as number;
    rhs[i] = (rhs[i] as number) - totalWeight * mi * yMean;
    for (let j = 0; j <= i; j++) gram[i * p + j] = (gram[i * p + j] as number) - totalWeight * mi * (mean[j] as number);
  }
  return solveStandardised(gram, rhs, mean, yMean, totalWeight, p, lambda);
}

function solveStandardised(gram: Float64Array, rhs: Float64Array, mean: Float64Array, yMean: number,
  totalWeight: number, p: number, lambda: number): LinearModel {
  const scale = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const sd = Math.sqrt(Math.max(0, (gram[k * p + k] as number) / totalWeight));
    scale[k] = sd > CONSTANT_FEATURE_EPS * (1 + Math.abs(mean[k] as number)) ? sd : 0;
  }
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const si = scale[i] as number;
    b[i] = si === 0 ? 0 : (rhs[i] as number) / (si * totalWeight);
    for (let j = 0; j < i; j++) {
      const sj = scale[j] as number;
      a[i * p + j] = si === 0 || sj === 0 ? 0 : (gram[i * p + j] as number) / (si * sj * totalWeight);
    }
    a[i * p + i] = (si === 0 ? 1 : 1 + lambda);
  }
  const beta = choleskySolve(a, b, p);
  const coefficients = new Float64Array(p);
  let intercept = yMean;
  for (let k = 0; k < p; k++) {
    const sk = scale[k] as number;
    const c = sk === 0 ? 0 : (beta[k] as number) / sk;
    coefficients[k] = c;
    intercept -= c * (mean[k] as number);
  }
  return { intercept, coefficients };
}

/** The model's value for one row of features starting at `offset`. */
export function predictLinear(model: LinearModel, features: Float64Array, offset = 0): number {
  const c = model.coefficients;
  let v = model.intercept;
  for (let k = 0; k < c.length; k++) v += (c[k] as number) * (features[offset + k] as number);
  return v;
}

/**
 * Ridge with the absolute loss, by iteratively reweighted least squares: each pass weights a row
 * by 1 / max(|residual|, floor), the floor keeping exact fits from taking all the weight. A fixed
 * number of passes keeps it deterministic and bounded in time.
 */
export function fitLeastAbsolute(data: RegressionRows, lambda: number, passes = 5): LinearModel {
  const { features: x, targets: y, rows: n, width: p } = data;
  const base = data.weights;
  let model = fitRidge(data, lambda);
  const floor = residualFloor(y, n);
  const weights = new Float64Array(n);
  for (let pass = 1; pass < passes; pass++) {
    for (let r = 0; r < n; r++) {
      const residual = Math.abs((y[r] as number) - predictLinear(model, x, r * p));
      weights[r] = (base === undefined ? 1 : (base[r] as number)) / Math.max(residual, floor);
    }
    model = fitRidge({ ...data, weights }, lambda);
  }
  return model;
}

/** 1 % of the targets' mean absolute deviation (at least a tiny absolute value). */
function residualFloor(y: Float64Array, n: number): number {
  let mean = 0;
  for (let r = 0; r < n; r++) mean += y[r] as number;
  mean /= n;
  let mad = 0;
  for (let r = 0; r < n; r++) mad += Math.abs((y[r] as number) - mean);
  return Math.max(1e-9, (0.01 * mad) / n);
}
