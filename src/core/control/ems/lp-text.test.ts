import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { formatLinearExpression, formatLpBound, formatLpNumber, isLpName } from './lp-text.js';

describe('LP text', () => {
  it('writes numbers as their shortest exact decimal', () => {
    expect(formatLpNumber(3)).toBe('3');
    expect(formatLpNumber(0.0325)).toBe('0.0325');
    expect(formatLpNumber(-2.5)).toBe('-2.5');
    expect(formatLpNumber(1e-7)).toBe('1e-7');
    expect(formatLpNumber(-0)).toBe('0');
    expect(Number(formatLpNumber(1 / 3))).toBe(1 / 3);
  });

  it('error: refuses a non-finite number (a bug in the caller)', () => {
    expect(() => formatLpNumber(NaN)).toThrow(InvariantError);
    expect(() => formatLpNumber(Infinity)).toThrow(InvariantError);
  });

  it('writes infinite bounds as inf', () => {
    expect(formatLpBound(Infinity)).toBe('inf');
    expect(formatLpBound(-Infinity)).toBe('-inf');
    expect(formatLpBound(4)).toBe('4');
  });

  it('writes a linear expression with signs, unit coefficients bare and zero terms left out', () => {
    expect(formatLinearExpression([{ coef: 3, name: 'x' }, { coef: -1, name: 'y' }, { coef: 0, name: 'z' }, { coef: 0.5, name: 'w' }]))
      .toBe('3 x - y + 0.5 w');
    expect(formatLinearExpression([{ coef: -2, name: 'x' }])).toBe('- 2 x');
    expect(formatLinearExpression([])).toBe('');
  });

  it('wraps long expressions onto continuation lines', () => {
    const terms = Array.from({ length: 20 }, (_, i) => ({ coef: 1, name: `x${i}` }));
    const lines = formatLinearExpression(terms).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ {3}\+ x8 /);
  });

  it('accepts plain names and refuses section keywords and odd characters', () => {
    expect(isLpName('imp_12')).toBe(true);
    expect(isLpName('_a')).toBe(true);
    expect(isLpName('2x')).toBe(false);
    expect(isLpName('a-b')).toBe(false);
    expect(isLpName('End')).toBe(false);
    expect(isLpName('free')).toBe(false);
    expect(isLpName('')).toBe(false);
  });
});
