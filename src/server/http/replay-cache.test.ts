import { describe, expect, it } from 'vitest';
import { ReplayCache } from './replay-cache.js';

describe('ReplayCache', () => {
  it('admits a request once and refuses it again', () => {
    const cache = new ReplayCache(10, 60_000);
    expect(cache.admit('a', 1_000, 1_000)).toBe('fresh');
    expect(cache.admit('a', 1_000, 1_500)).toBe('replayed');
    expect(cache.admit('b', 1_000, 1_500)).toBe('fresh');
  });

  it('stays within its capacity, evicting the oldest entry', () => {
    const cache = new ReplayCache(3, 60_000);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) expect(cache.admit(key, 1_000 + i, 2_000)).toBe('fresh');
    expect(cache.size).toBe(3);
  });

  it('error: an evicted request cannot be replayed (its time is below the floor)', () => {
    const cache = new ReplayCache(2, 60_000);
    cache.admit('a', 1_000, 2_000);
    cache.admit('b', 1_001, 2_000);
    cache.admit('c', 1_002, 2_000); // evicts 'a' (time 1000): the floor
    expect(cache.admit('a', 1_000, 2_000)).toBe('below-floor');
    expect(cache.admit('e', 999, 2_000)).toBe('below-floor');
    expect(cache.admit('f', 1_003, 2_000)).toBe('fresh');
  });

  it('forgets requests the skew check refuses anyway, without raising the floor', () => {
    const cache = new ReplayCache(10, 60_000);
    cache.admit('a', 1_000, 1_000);
    expect(cache.admit('b', 70_000, 70_000)).toBe('fresh');
    expect(cache.size).toBe(1);
    expect(cache.admit('c', 20_000, 70_000)).toBe('fresh');
  });

  it('error: refuses a capacity below 1', () => {
    expect(() => new ReplayCache(0, 1)).toThrow(RangeError);
  });
});
