import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProRata } from './pro-rata.js';

/** Runs an allocation over all sites of `rooms` (in list order) and returns what each got. */
function allocate(total: number, rooms: readonly number[], order?: readonly number[]) {
  const room = Float64Array.from(rooms);
  const out = new Float64Array(rooms.length);
  const sites = Int32Array.from(order ?? rooms.map((_, i) => i));
  const given = allocateProRata(total, sites, sites.length, room, out);
  return { given, out: Array.from(out), room: Array.from(room) };
}

describe('allocateProRata', () => {
  it('allocates exactly the total in whole Wh', () => {
    const { given, out } = allocate(1_000, [333, 333, 334, 999]);
    expect(given).toBe(1_000);
    expect(out.reduce((s, x) => s + x, 0)).toBe(1_000);
    for (const x of out) expect(Number.isInteger(x)).toBe(true);
  });

  it('splits in proportion to room when the shares are whole', () => {
    const { given, out, room } = allocate(300, [100, 200, 300]);
    expect(given).toBe(300);
    expect(out).toEqual([50, 100, 150]);
    expect(room).toEqual([50, 100, 150]);
  });

  it('adds to what `out` already holds and removes the share from `room`', () => {
    const room = Float64Array.from([10, 30]);
    const out = Float64Array.from([5, 7]);
    allocateProRata(20, Int32Array.from([0, 1]), 2, room, out);
    expect(Array.from(out)).toEqual([10, 22]);
    expect(Array.from(room)).toEqual([5, 15]);
  });

  it('gives the rounding remainder to sites in list order', () => {
    // 7 over rooms 2,2,2,2: 1.75 each rounds down to 1; the 3 Wh left go to the first three listed.
    expect(allocate(7, [2, 2, 2, 2]).out).toEqual([2, 2, 2, 1]);
    expect(allocate(2, [1, 1, 1]).out).toEqual([1, 1, 0]);
    expect(allocate(2, [1, 1, 1], [2, 1, 0]).out).toEqual([0, 1, 1]);
  });

  it('is deterministic: the same input gives the same split', () => {
    const a = allocate(997, [13, 400, 7, 250, 1_000]);
    const b = allocate(997, [13, 400, 7, 250, 1_000]);
    expect(a).toEqual(b);
  });

  it('never gives a site more than its room', () => {
    const { out } = allocate(50, [1, 2, 1_000]);
    expect(out[0]).toBeLessThanOrEqual(1);
    expect(out[1]).toBeLessThanOrEqual(2);
  });

  it('gives the summed room when the total is larger, emptying every room', () => {
    const { given, out, room } = allocate(10_000, [10, 20, 30]);
    expect(given).toBe(60);
    expect(out).toEqual([10, 20, 30]);
    expect(room).toEqual([0, 0, 0]);
  });

  it('only touches the listed sites', () => {
    const { out, room } = allocate(10, [100, 100, 100], [0, 2]);
    expect(out[1]).toBe(0);
    expect(room[1]).toBe(100);
    expect((out[0] ?? 0) + (out[2] ?? 0)).toBe(10);
  });

  it('skips sites without room', () => {
    expect(allocate(10, [0, 20, 0]).out).toEqual([0, 10, 0]);
  });

  it('allocates nothing for a zero or negative total', () => {
    expect(allocate(0, [5, 5])).toEqual({ given: 0, out: [0, 0], room: [5, 5] });
    expect(allocate(-3, [5, 5])).toEqual({ given: 0, out: [0, 0], room: [5, 5] });
  });

  it('allocates nothing to an empty list or when no site has room', () => {
    expect(allocate(10, []).given).toBe(0);
    expect(allocate(10, [0, 0, 0])).toEqual({ given: 0, out: [0, 0, 0], room: [0, 0, 0] });
  });

  it('spreads the rounding remainder 1 Wh at a time (within 1 Wh of the exact share)', () => {
    const { out } = allocate(9, Array.from({ length: 10 }, () => 10));
    for (const x of out) expect(x).toBeLessThanOrEqual(1);
  });

  it('property: exact total, within room, whole Wh, room reduced by the share', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 40 }),
      fc.integer({ min: -10, max: 50_000_000 }),
      (rooms, total) => {
        const { given, out, room } = allocate(total, rooms);
        const sum = rooms.reduce((s, r) => s + r, 0);
        expect(given).toBe(Math.max(0, Math.min(total, sum)));
        expect(out.reduce((s, x) => s + x, 0)).toBe(given);
        rooms.forEach((r, i) => {
          const x = out[i] as number;
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(r);
          expect(room[i]).toBe(r - x);
        });
      },
    ), { seed: 20_261_124, numRuns: 300 });
  });

  it('property: every site gets at least its exact share rounded down', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 5_000_000 }),
      (rooms, total) => {
        const { given, out } = allocate(total, rooms);
        const sum = rooms.reduce((s, r) => s + r, 0);
        rooms.forEach((r, i) => {
          if (sum > 0) expect(out[i]).toBeGreaterThanOrEqual(Math.floor((r * given) / sum));
        });
      },
    ), { seed: 7, numRuns: 300 });
  });
});
