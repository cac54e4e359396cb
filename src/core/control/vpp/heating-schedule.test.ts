import { describe, expect, it } from 'vitest';
import { heatingShiftFor } from './heating-schedule.js';
import { PriceHorizon } from './price-horizon.js';

function aHorizon(prices: readonly number[]): PriceHorizon {
  const h = new PriceHorizon(prices.length);
  h.load(prices);
  return h;
}

/** 12 h of quarter hours: `now` first, then the rest of the window. */
const window = (now: number, rest: (j: number) => number) => [now, ...Array.from({ length: 47 }, (_, j) => rest(j + 1))];

describe('heating schedule', () => {
  it('pre-heats when the slot is in the cheapest third of the window ahead', () => {
    expect(heatingShiftFor(aHorizon(window(10, () => 40)), 48)).toBe('preheat');
    expect(heatingShiftFor(aHorizon(window(10, (j) => 5 + j)), 48)).toBe('preheat');
  });

  it('coasts when the slot is in the dearest third', () => {
    expect(heatingShiftFor(aHorizon(window(40, () => 10)), 48)).toBe('coast');
    expect(heatingShiftFor(aHorizon(window(50, (j) => 5 + j)), 48)).toBe('coast');
  });

  it('follows the thermostat in the middle third', () => {
    expect(heatingShiftFor(aHorizon(window(29, (j) => 5 + j)), 48)).toBe('normal');
  });

  it('follows the thermostat when prices are flat or spread less than the minimum', () => {
    expect(heatingShiftFor(aHorizon(window(20, () => 20)), 48)).toBe('normal');
    expect(heatingShiftFor(aHorizon(window(20, () => 20.5)), 48)).toBe('normal');
    expect(heatingShiftFor(aHorizon(window(20, () => 20.5)), 48, 0.1)).toBe('preheat');
  });

  it('follows the thermostat without a forecast for the slot, and ranks only known prices', () => {
    expect(heatingShiftFor(aHorizon(window(NaN, () => 40)), 48)).toBe('normal');
    expect(heatingShiftFor(aHorizon([10]), 48)).toBe('normal');
    expect(heatingShiftFor(aHorizon(window(10, (j) => (j % 2 === 0 ? NaN : 40))), 48)).toBe('preheat');
  });

  it('looks only as far as the window', () => {
    const prices = [20, 30, 30, 30, 5, 5, 5, 5, 5, 5, 5, 5];
    expect(heatingShiftFor(aHorizon(prices), 4)).toBe('preheat');
    expect(heatingShiftFor(aHorizon(prices), 12)).toBe('coast');
  });
});
