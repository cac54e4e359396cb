import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aContext } from '../../assets/asset-context.fixture.js';
import { anEnvironment } from '../../assets/environment.fixture.js';
import { createWashingMachine } from '../../assets/washing-machine.js';
import { Rng } from '../../rng.js';
import { localCalendar } from '../../time.js';
import { PriceHorizon } from './price-horizon.js';
import { cheapestStart, cycleShape, latestStartOffset } from './washing-schedule.js';

const SLOT_MS = 15 * 60_000;
const monday = (hour: number) => Date.UTC(2026, 5, 15) + hour * 3_600_000;

function aHorizon(prices: readonly number[]): PriceHorizon {
  const h = new PriceHorizon(prices.length);
  h.load(prices);
  return h;
}

function slotEnv(startMs: number, slot: number) {
  const slotStartMs = startMs + slot * SLOT_MS;
  return anEnvironment({ slot, startMs: slotStartMs, slotMinutes: 15, ...localCalendar(slotStartMs + SLOT_MS / 2, 0) });
}

describe('washing schedule', () => {
  it('shapes a cycle into full slots and a shorter last one', () => {
    expect(cycleShape(1000, 227)).toEqual({ slots: 5, slotWh: 227, lastWh: 92 });
    expect(cycleShape(1000, 125)).toEqual({ slots: 8, slotWh: 125, lastWh: 125 });
  });

  it('finds the latest start that still ends by the deadline', () => {
    expect(latestStartOffset(monday(19), SLOT_MS, monday(31), 8)).toBe(48 - 8);
    expect(latestStartOffset(monday(19), SLOT_MS, monday(20), 8)).toBe(-4);
  });

  it('picks the cheapest window of the cycle', () => {
    const prices = [30, 30, 20, 10, 10, 20, 5, 40];
    expect(cheapestStart(aHorizon(prices), cycleShape(250, 125), 6)).toBe(3);
    // A short last slot counts by its energy: 5 + 0.2×20 beats 9 + 0.2×9, though 5 + 20 > 9 + 9.
    expect(cheapestStart(aHorizon([5, 20, 9, 9]), cycleShape(150, 125), 2)).toBe(0);
    expect(cheapestStart(aHorizon(prices), cycleShape(125, 125), 7)).toBe(6);
  });

  it('does not look past the latest start', () => {
    expect(cheapestStart(aHorizon([30, 30, 20, 10, 10, 20, 5, 40]), cycleShape(125, 125), 2)).toBe(2);
  });

  it('ties go to the earliest start', () => {
    expect(cheapestStart(aHorizon([10, 10, 10, 10]), cycleShape(250, 125), 2)).toBe(0);
    expect(cheapestStart(aHorizon([20, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3]), cycleShape(375, 125), 4)).toBe(1);
  });

  it('no forecast, no start: windows with an unknown price are skipped', () => {
    expect(cheapestStart(aHorizon([NaN, NaN, NaN]), cycleShape(125, 125), 2)).toBe(-1);
    expect(cheapestStart(aHorizon([1, NaN, 1, 1]), cycleShape(250, 125), 2)).toBe(2);
    expect(cheapestStart(aHorizon([]), cycleShape(125, 125), 2)).toBe(-1);
  });

  it('gives no start when the deadline cannot be met', () => {
    expect(cheapestStart(aHorizon([1, 2, 3]), cycleShape(250, 125), -1)).toBe(-1);
  });

  it('moves a machine into the cheapest window, and it still finishes by its deadline (property)', () => {
    const slotsPerDay = 96;
    const price = fc.oneof({ weight: 19, arbitrary: fc.integer({ min: -20, max: 120 }) }, { weight: 1, arbitrary: fc.constant(NaN) });
    fc.assert(fc.property(
      fc.array(price, { minLength: slotsPerDay, maxLength: slotsPerDay }),
      fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 1000 }),
      (prices, readyHour, windowHours, cycleQuarterHours, cycleTenthsKwh, seed) => {
        const spec = { kind: 'washing-machine' as const, readyHour, windowHours, cycleKwh: cycleTenthsKwh / 10, cycleHours: cycleQuarterHours / 4, runsPerWeek: 7 };
        const machine = createWashingMachine(spec, aContext({ id: 'wm', rng: new Rng(seed) }));
        const startMs = monday(readyHour);
        machine.requestWh(slotEnv(startMs, 0)); // the job becomes ready
        const cycle = cycleShape(machine.cycleRemainingWh, machine.cycleSlotWh(0.25));
        const latest = latestStartOffset(startMs, SLOT_MS, machine.jobDeadlineMs, cycle.slots);
        const best = cheapestStart(aHorizon(prices), cycle, latest);
        const valid = (j: number) => j >= 0 && j <= latest && j + cycle.slots <= prices.length && prices.slice(j, j + cycle.slots).every((p) => !Number.isNaN(p));
        if (best === -1) {
          expect(Array.from({ length: prices.length }, (_, j) => j).some(valid)).toBe(false);
          return;
        }
        expect(valid(best)).toBe(true);

        machine.holdUntil(startMs + best * SLOT_MS);
        const requests: number[] = [];
        for (let slot = 0; slot < slotsPerDay; slot++) {
          const env = slotEnv(startMs, slot);
          const r = machine.requestWh(env);
          requests.push(r);
          machine.deliver(r, env);
        }
        expect(machine.completedJobs).toBe(1);
        expect(machine.missedDeadlines).toBe(0);
        requests.forEach((r, slot) => expect(r > 0).toBe(slot >= best && slot < best + cycle.slots));

        // Brute force: no valid start is cheaper for the energy profile it actually drew; none earlier is as cheap.
        const profile = requests.slice(best, best + cycle.slots);
        const cost = (j: number) => profile.reduce((s, wh, k) => s + wh * (prices[j + k] as number), 0);
        const tolerance = 1e-6 * Math.max(1, Math.abs(cost(best)));
        for (let j = 0; j < prices.length; j++) {
          if (!valid(j)) continue;
          expect(cost(best)).toBeLessThanOrEqual(cost(j) + tolerance);
          if (j < best) expect(cost(j)).toBeGreaterThan(cost(best) - tolerance);
        }
      },
    ), { seed: 20260615, numRuns: 300 });
  });
});
