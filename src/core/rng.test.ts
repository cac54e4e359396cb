import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './rng.js';

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

function meanAndSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

describe('Rng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(new Rng(42), 100)).toEqual(draws(new Rng(42), 100));
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(new Rng(42), 10)).not.toEqual(draws(new Rng(43), 10));
  });

  it('keeps the stream of a seed unchanged across versions (runs stay reproducible)', () => {
    expect(draws(new Rng(1), 3)).toEqual([1_828_152_527, 3_394_835_397, 2_967_886_022]);
  });

  it('fork: depends only on the parent seed and the label, not on what the parent consumed', () => {
    const used = new Rng(7);
    draws(used, 1_000);
    expect(draws(used.fork('pv'), 20)).toEqual(draws(new Rng(7).fork('pv'), 20));
  });

  it('fork: is stable, derived from the seed hashed with the label', () => {
    expect(new Rng(7).fork('pv').seed).toBe(hashString('pv', 7));
    expect(draws(new Rng(7).fork('pv'), 5)).toEqual(draws(new Rng(hashString('pv', 7)), 5));
  });

  it('fork: gives independent streams per label and does not advance the parent', () => {
    const parent = new Rng(7);
    const a = draws(parent.fork('site-1/pv0'), 10);
    const b = draws(parent.fork('site-1/load0'), 10);
    expect(a).not.toEqual(b);
    expect(draws(parent, 10)).toEqual(draws(new Rng(7), 10));
    expect(a).not.toEqual(draws(new Rng(7), 10));
  });

  it('next: is uniform in [0, 1)', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(meanAndSd(xs).mean).toBeCloseTo(0.5, 1);
  });

  it('int: covers both bounds and nothing outside', () => {
    const rng = new Rng(4);
    const seen = new Set(Array.from({ length: 6_000 }, () => rng.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rng.int(3, 3)).toBe(3);
    expect(rng.int(-2, -1)).toBeGreaterThanOrEqual(-2);
  });

  it('uniform: stays in [min, max)', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 1_000; k++) {
      const x = rng.uniform(-3, 2);
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThan(2);
    }
  });

  it('chance: is never true for 0 and always true for 1', () => {
    const rng = new Rng(6);
    for (let k = 0; k < 1_000; k++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });

  it('normal: has mean ≈ 0 and standard deviation ≈ 1 over 20k draws', () => {
    const rng = new Rng(8);
    const { mean, sd } = meanAndSd(Array.from({ length: 20_000 }, () => rng.normal()));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it.each([
    // Γ(1 + 1/2) = √π / 2, Γ(1 + 1/1) = 1.
    [2, 6, 6 * (Math.sqrt(Math.PI) / 2)],
    [1, 4, 4],
  ])('weibull(k=%d, scale=%d): has mean ≈ scale·Γ(1 + 1/k)', (shape, scale, expected) => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 20_000 }, () => rng.weibull(shape, scale));
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.abs(meanAndSd(xs).mean / expected - 1)).toBeLessThan(0.03);
  });

  it('pick: returns an element of the list', () => {
    const rng = new Rng(10);
    const items = ['a', 'b', 'c'] as const;
    const seen = new Set(Array.from({ length: 300 }, () => rng.pick(items)));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('error: pick rejects an empty list', () => {
    expect(() => new Rng(1).pick([])).toThrow(RangeError);
  });
});

describe('hashString', () => {
  it('is stable and depends on the text and the seed', () => {
    expect(hashString('pv')).toBe(1_531_865_563);
    expect(hashString('pv', 5)).toBe(1_229_132_946);
    expect(hashString('pv')).not.toBe(hashString('vp'));
  });

  it('returns an unsigned 32-bit integer', () => {
    for (const text of ['', 'a', 'site-1/pv0', 'x'.repeat(1_000)]) {
      const h = hashString(text, 0xffffffff);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });
});
