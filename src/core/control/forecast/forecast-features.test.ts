import { describe, expect, it } from 'vitest';
import type { ForecastTarget } from '../control-metrics.js';
import { anExogenous, anInput, SLOTS_PER_DAY } from './forecast.fixture.js';
import { featuresFor, LAG_TIERS } from './forecast-features.js';

const TARGETS: ForecastTarget[] = ['load', 'pv', 'wind', 'price'];

/** An observed series that records which slots were read. */
function watched(length: number): { observed: ArrayLike<number>; reads: number[] } {
  const reads: number[] = [];
  const data = Float64Array.from({ length }, (_, s) => s);
  const observed = new Proxy(data, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.push(Number(key));
      return Reflect.get(target, key) as unknown;
    },
  });
  return { observed, reads };
}

describe('featuresFor', () => {
  const ex = anExogenous(20);

  it('fills exactly as many finite features as it names, for every target, lag tier and day band', () => {
    for (const target of TARGETS) {
      for (const tier of LAG_TIERS) {
        for (const firstLagDays of [1, 2]) {
          const set = featuresFor(target, firstLagDays, tier);
          const row = new Float64Array(set.names.length + 1).fill(NaN);
          set.fill(row, 0, anInput(new Float64Array(20 * SLOTS_PER_DAY).fill(3), ex), 12 * SLOTS_PER_DAY + 40);
          expect(row.subarray(0, set.names.length).every(Number.isFinite), `${target} ${tier} ${firstLagDays}`).toBe(true);
          expect(Number.isNaN(row[set.names.length] as number)).toBe(true);
          expect(new Set(set.names).size).toBe(set.names.length);
        }
      }
    }
  });

  it('reads observations at least firstLagDays and at most lagDays days back, never later', () => {
    for (const firstLagDays of [1, 2]) {
      const set = featuresFor('load', firstLagDays, 'weekly');
      const { observed, reads } = watched(20 * SLOTS_PER_DAY);
      const slot = 15 * SLOTS_PER_DAY + 17;
      set.fill(new Float64Array(set.names.length), 0, anInput(observed, ex), slot);
      expect(reads.length).toBeGreaterThan(0);
      expect(Math.max(...reads)).toBe(slot - firstLagDays * SLOTS_PER_DAY);
      expect(Math.min(...reads)).toBe(slot - set.lagDays * SLOTS_PER_DAY);
      expect(reads.every((r) => (slot - r) % SLOTS_PER_DAY === 0)).toBe(true);
    }
  });

  it('the none tier reads no observation; daily reads one', () => {
    const none = watched(20 * SLOTS_PER_DAY);
    featuresFor('pv', 1, 'none').fill(new Float64Array(64), 0, anInput(none.observed, ex), 1000);
    expect(none.reads).toEqual([]);
    const daily = watched(20 * SLOTS_PER_DAY);
    featuresFor('pv', 1, 'daily').fill(new Float64Array(64), 0, anInput(daily.observed, ex), 1000);
    expect(daily.reads).toEqual([1000 - SLOTS_PER_DAY]);
  });

  it('marks PV as daylight-only and gives it irradiance features; load gets weekend profiles', () => {
    expect(featuresFor('pv', 1, 'none').daylightOnly).toBe(true);
    expect(featuresFor('load', 1, 'none').daylightOnly).toBe(false);
    expect(featuresFor('pv', 1, 'none').names).toContain('ghiWm2');
    expect(featuresFor('load', 1, 'none').names).toEqual(expect.arrayContaining(['saturday', 'sunday', 'heatingDegreesK', 'sunday×sin1']));
    expect(featuresFor('wind', 1, 'none').names).toContain('windCapped³');
  });
});
