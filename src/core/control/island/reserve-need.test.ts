import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { releaseWh, reserveNeed, type ReserveInput } from './reserve-need.js';

const input = (net: number[], other: number[] = net.map(() => 0), overrides: Partial<ReserveInput> = {}): ReserveInput => ({
  netCriticalWh: net, nonCriticalWh: other, horizonSlots: net.length, periodSlots: net.length, maxChargeWh: 1e9, efficiency: 1, safetyMarginPct: 0,
  ...overrides,
});

/**
 * Storage simulated forward from `startWh` with the forecast taken as what happens: the lowest level
 * it reaches (negative = critical load ran out).
 */
function lowestLevel(startWh: number, i: ReserveInput): number {
  let level = startWh;
  let lowest = level;
  for (let h = 0; h < i.horizonSlots; h++) {
    const n = i.netCriticalWh[h] as number;
    if (n > 0) level -= n / i.efficiency;
    else level += Math.min(i.maxChargeWh, Math.max(0, -n - (i.nonCriticalWh[h] as number))) * i.efficiency;
    lowest = Math.min(lowest, level);
  }
  return lowest;
}

describe('reserveNeed', () => {
  it('covers a constant deficit over the horizon, with conversion losses and the safety margin', () => {
    expect(reserveNeed(input([100, 100, 100])).reserveWh).toBe(300);
    expect(reserveNeed(input([100, 100, 100], undefined, { efficiency: 0.9, safetyMarginPct: 20 })).reserveWh).toBe(Math.ceil((300 * 1.2) / 0.9));
  });

  it('is the deepest cumulative drawdown: a surplus at sunrise refills what the night took', () => {
    // Evening and night draw 100 each, the morning surplus gives 250 back, the afternoon draws 100 again.
    const evening = input([100, 100, 100, -250, 100]);
    expect(reserveNeed(evening).reserveWh).toBe(300);
    expect(reserveNeed(evening).slotsUntilSurplus).toBe(3);
    // Later the same day, after the surplus: only the afternoon remains.
    expect(reserveNeed(input([-250, 100])).reserveWh).toBe(0);
    expect(reserveNeed(input([-50, 100])).reserveWh).toBe(50);
  });

  it('does not count on a surplus that essential and normal load will eat, nor on more than the batteries can take', () => {
    expect(reserveNeed(input([100, -250, 100], [0, 200, 0])).reserveWh).toBe(150);
    expect(reserveNeed(input([100, -250, 100], undefined, { maxChargeWh: 30 })).reserveWh).toBe(170);
    expect(reserveNeed(input([100, -250, 100], undefined, { efficiency: 0.5 })).reserveWh).toBe(200 + 200 - 125);
  });

  it('repeats the last day of the forecast past its end', () => {
    // A two-slot day (night 100, day −100) forecast for one day, asked for three.
    const r = reserveNeed(input([100, -40], undefined, { horizonSlots: 6, periodSlots: 2 }));
    expect(r.reserveWh).toBe(100 + 60 + 60);
  });

  it('with the reserve, forecast critical load never runs out; with less, it does (property)', () => {
    const slot = fc.record({ net: fc.integer({ min: -3000, max: 3000 }), other: fc.integer({ min: 0, max: 2000 }) });
    fc.assert(fc.property(
      fc.array(slot, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 5000 }),
      (slots, effPct, maxChargeWh) => {
        const i = input(slots.map((s) => s.net), slots.map((s) => s.other), { efficiency: effPct / 100, maxChargeWh });
        const { reserveWh } = reserveNeed(i);
        expect(lowestLevel(reserveWh, i)).toBeGreaterThanOrEqual(-1e-6);
        if (reserveWh > 0) expect(lowestLevel(reserveWh - 1.001, i)).toBeLessThan(0);
      },
    ), { numRuns: 300, seed: 6 });
  });
});

describe('releaseWh', () => {
  it('spreads storage above the reserve evenly until the next surplus', () => {
    expect(releaseWh(1000, { reserveWh: 400, slotsUntilSurplus: 6 }, 1)).toBe(100);
    expect(releaseWh(1000, { reserveWh: 400, slotsUntilSurplus: 1 }, 0.9)).toBe(540);
    expect(releaseWh(1000, { reserveWh: 1200, slotsUntilSurplus: 1 }, 1)).toBe(0);
  });
});
