import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { fitLeastAbsolute, fitRidge, predictLinear, type RegressionRows } from './ridge-regression.js';

/** y = 3 + 2·x0 − 0.5·x1 (+ noise), x2 constant. */
function rows(n: number, noise = 0, seed = 1): RegressionRows {
  const rng = new Rng(seed);
  const features = new Float64Array(n * 3);
  const targets = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const x0 = rng.uniform(-5, 5);
    const x1 = rng.uniform(0, 1000);
    features.set([x0, x1, 7], r * 3);
    targets[r] = 3 + 2 * x0 - 0.5 * x1 + noise * rng.normal();
  }
  return { features, targets, rows: n, width: 3 };
}

describe('fitRidge', () => {
  it('recovers an exact linear relation on the raw feature scale (tiny penalty)', () => {
    const m = fitRidge(rows(200), 1e-9);
    expect(m.coefficients[0]).toBeCloseTo(2, 6);
    expect(m.coefficients[1]).toBeCloseTo(-0.5, 6);
    expect(m.intercept).toBeCloseTo(3, 4);
    expect(predictLinear(m, Float64Array.from([1, 10, 7]))).toBeCloseTo(0, 4);
  });

  it('gives a constant feature coefficient 0 instead of failing', () => {
    expect(fitRidge(rows(50), 0.01).coefficients[2]).toBe(0);
  });

  it('shrinks coefficients towards 0 as the penalty grows, never the intercept', () => {
    const data = rows(200);
    const weak = fitRidge(data, 1e-6);
    const strong = fitRidge(data, 100);
    expect(Math.abs(strong.coefficients[0] as number)).toBeLessThan(Math.abs(weak.coefficients[0] as number) / 10);
    // With everything shrunk away, the prediction is the mean of the targets.
    const mean = data.targets.reduce((s, v) => s + v, 0) / data.rows;
    expect(predictLinear(fitRidge(data, 1e9), Float64Array.from([0, 500, 7]))).toBeCloseTo(mean, 3);
  });

  it('honours row weights (a zero weight drops the row)', () => {
    const data = rows(100);
    const corrupted = { ...data, targets: Float64Array.from(data.targets, (v, r) => (r < 10 ? v + 1e4 : v)) };
    const weights = Float64Array.from({ length: 100 }, (_, r) => (r < 10 ? 0 : 1));
    const m = fitRidge({ ...corrupted, weights }, 1e-9);
    expect(m.coefficients[0]).toBeCloseTo(2, 6);
  });

  it('is deterministic', () => {
    const data = rows(300, 2);
    expect(Array.from(fitRidge(data, 0.1).coefficients)).toEqual(Array.from(fitRidge(data, 0.1).coefficients));
  });
});

describe('fitLeastAbsolute', () => {
  it('ignores rare large outliers that pull the squared-loss fit (a conditional median)', () => {
    const data = rows(400, 0.1);
    const spiky = { ...data, targets: Float64Array.from(data.targets, (v, r) => (r % 10 === 0 ? v + 500 : v)) };
    const squared = fitRidge(spiky, 1e-6);
    const absolute = fitLeastAbsolute(spiky, 1e-6);
    expect(Math.abs(absolute.intercept - 3)).toBeLessThan(0.5);
    expect(Math.abs(squared.intercept - 3)).toBeGreaterThan(20);
  });
});

describe('fitRidge on constant features with a large mean', () => {
  it('gives them coefficient 0 despite the rounding of the centring', () => {
    const n = 500;
    const features = new Float64Array(n * 2);
    const targets = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      features[r * 2] = r % 7;
      features[r * 2 + 1] = 1234.5678; // constant
      targets[r] = 2 * (r % 7) + 1;
    }
    const weights = Float64Array.from({ length: n }, (_, r) => 1 + ((r * 7919) % 1000) * 1e3);
    const m = fitRidge({ features, targets, rows: n, width: 2, weights }, 1e-6);
    expect(m.coefficients[1]).toBe(0);
    expect(predictLinear(m, Float64Array.from([3, 99_999]))).toBeCloseTo(7, 4);
  });
});
