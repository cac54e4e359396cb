import { describe, expect, it } from 'vitest';
import { InvariantError } from './assert.js';
import { assertWh, kwToWh, whToKw, whToKwh } from './units.js';

describe('kwToWh', () => {
  it('gives the energy of a constant power over a slot in whole Wh', () => {
    expect(kwToWh(1, 0.25)).toBe(250);
    expect(kwToWh(3.7, 0.25)).toBe(925);
    expect(kwToWh(0, 1)).toBe(0);
  });

  it('keeps the sign: negative power gives negative energy', () => {
    expect(kwToWh(-1, 0.25)).toBe(-250);
  });

  it('rounds to the nearest Wh, halves away from zero', () => {
    expect(kwToWh(0.0024, 1)).toBe(2);
    expect(kwToWh(0.0025, 1)).toBe(3);
    expect(kwToWh(0.0015, 1)).toBe(2);
    expect(kwToWh(-0.0015, 1)).toBe(-2);
    expect(kwToWh(-0.0025, 1)).toBe(-3);
    expect(kwToWh(-0.0024, 1)).toBe(-2);
  });

  it('is symmetric around zero', () => {
    for (const kw of [0.0001, 0.37, 1.23456, 12.5, 999.9995]) expect(kwToWh(-kw, 0.25)).toBe(-kwToWh(kw, 0.25));
  });
});

describe('whToKw and whToKwh', () => {
  it('convert energy back to mean power and to kWh', () => {
    expect(whToKw(250, 0.25)).toBe(1);
    expect(whToKw(-500, 0.5)).toBe(-1);
    expect(whToKwh(1_500)).toBe(1.5);
  });
});

describe('assertWh', () => {
  it('returns whole Wh, including zero and negative values', () => {
    expect(assertWh(0, 'x')).toBe(0);
    expect(assertWh(-1_200, 'x')).toBe(-1_200);
    expect(assertWh(Number.MAX_SAFE_INTEGER, 'x')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([0.5, -1.25, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('error: rejects %s', (value) => {
    expect(() => assertWh(value, 'site export')).toThrow(InvariantError);
  });

  it('error: names what was checked and the value', () => {
    expect(() => assertWh(1.5, 'site export')).toThrow('site export must be a whole number of Wh, got 1.5');
  });
});
