import { describe, expect, it } from 'vitest';
import { ErrorAccumulator, meanAbsoluteError, rootMeanSquareError, skillScore } from './forecast-metrics.js';

describe('forecast metrics', () => {
  it('MAE and RMSE of known errors', () => {
    const forecast = [1, 2, 3, 4];
    const actual = [2, 2, 5, 0];
    expect(meanAbsoluteError(forecast, actual)).toBe((1 + 0 + 2 + 4) / 4);
    expect(rootMeanSquareError(forecast, actual)).toBeCloseTo(Math.sqrt((1 + 0 + 4 + 16) / 4), 12);
  });

  it('skill is 1 − MAE / reference MAE, null when the reference is exact', () => {
    expect(skillScore(5, 10)).toBe(0.5);
    expect(skillScore(10, 10)).toBe(0);
    expect(skillScore(15, 10)).toBe(-0.5);
    expect(skillScore(0, 0)).toBeNull();
  });

  it('accumulates pair by pair; empty is 0', () => {
    const acc = new ErrorAccumulator();
    expect([acc.mae, acc.rmse, acc.pairs]).toEqual([0, 0, 0]);
    acc.add(3, 1);
    acc.add(-1, 1);
    expect([acc.mae, acc.rmse, acc.pairs]).toEqual([2, 2, 2]);
  });

  it('error: series of different lengths', () => {
    expect(() => meanAbsoluteError([1, 2], [1])).toThrow(RangeError);
  });
});
