import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh } from '../units.js';
import { aContext } from './asset-context.fixture.js';
import { anEnvironment } from './environment.fixture.js';
import { createPv } from './pv.js';

function aPv(overrides: Partial<AssetSpecOf<'pv'>> = {}): AssetSpecOf<'pv'> {
  return { kind: 'pv', kwp: 10, tiltDeg: 30, azimuthDeg: 180, systemLossPct: 14, ...overrides };
}

const noonSun = { zenithDeg: 30, azimuthDeg: 180 };
const clearNoon = { ghiWm2: 850, dniWm2: 850, dhiWm2: 850 - 850 * Math.cos(Math.PI / 6) };

describe('createPv', () => {
  it('is rated at the inverter power, or at the peak power without an inverter limit', () => {
    expect(createPv(aPv({ inverterKw: 8 }), aContext({ id: 'pv1' }))).toMatchObject({ id: 'pv1', kind: 'pv', ratedKw: 8 });
    expect(createPv(aPv(), aContext()).ratedKw).toBe(10);
  });

  it('produces nothing at night', () => {
    const pv = createPv(aPv(), aContext());
    const night = anEnvironment({ sun: { zenithDeg: 110, azimuthDeg: 0 }, irradiance: { ghiWm2: 0, dniWm2: 0, dhiWm2: 0 } });
    expect(pv.availableWh(night)).toBe(0);
  });

  it('produces about kWp × (1 − losses) under standard conditions', () => {
    // Panel facing the sun, 1000 W/m² on the panel, air cold enough that the cell sits at 25 °C.
    const pv = createPv(aPv({ tiltDeg: 30 }), aContext());
    const cellRise = (25 / 800) * 1000;
    const env = anEnvironment({ sun: noonSun, irradiance: { ghiWm2: 0, dniWm2: 1000, dhiWm2: 0 }, temperatureC: 25 - cellRise });
    expect(pv.availableWh(env)).toBe(kwToWh(10 * 0.86, 0.25));
  });

  it('produces less when the cells are hot', () => {
    const pv = createPv(aPv(), aContext());
    const cool = pv.availableWh(anEnvironment({ sun: noonSun, irradiance: clearNoon, temperatureC: 5 }));
    const hot = pv.availableWh(anEnvironment({ sun: noonSun, irradiance: clearNoon, temperatureC: 35 }));
    expect(hot).toBeLessThan(cool);
    // 30 K warmer cells at −0.4 %/K: 0.839 / 0.959 of the cool output (POA ≈ 967 W/m², cells +30 K).
    expect(hot / cool).toBeGreaterThan(0.86);
    expect(hot / cool).toBeLessThan(0.89);
  });

  it('faces south for the best noon yield in the northern hemisphere', () => {
    const env = anEnvironment({ sun: noonSun, irradiance: clearNoon });
    const south = createPv(aPv({ azimuthDeg: 180 }), aContext()).availableWh(env);
    const east = createPv(aPv({ azimuthDeg: 90 }), aContext()).availableWh(env);
    const north = createPv(aPv({ azimuthDeg: 0 }), aContext()).availableWh(env);
    expect(south).toBeGreaterThan(east);
    expect(east).toBeGreaterThan(north);
  });

  it('scales with the slot length', () => {
    const pv = createPv(aPv(), aContext());
    const quarter = pv.availableWh(anEnvironment({ slotMinutes: 15 }));
    const hour = pv.availableWh(anEnvironment({ slotMinutes: 60 }));
    expect(Math.abs(hour - 4 * quarter)).toBeLessThanOrEqual(2);
  });

  it('returns whole Wh, never negative and never above the inverter limit', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.5, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 1.5, noNaN: true }),
      fc.double({ min: 0, max: 90, noNaN: true }), fc.double({ min: 0, max: 359.9, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 1100, noNaN: true }),
      fc.double({ min: 0, max: 89.9, noNaN: true }), fc.double({ min: -30, max: 45, noNaN: true }),
      fc.constantFrom(1, 5, 15, 60),
      (kwp, inverterRatio, tilt, azimuth, loss, dni, zenith, temperatureC, slotMinutes) => {
        const inverterKw = kwp * inverterRatio;
        const pv = createPv(aPv({ kwp, inverterKw, tiltDeg: tilt, azimuthDeg: azimuth, systemLossPct: loss }), aContext());
        const dhi = 0.15 * dni;
        const env = anEnvironment({
          slotMinutes,
          sun: { zenithDeg: zenith, azimuthDeg: 180 },
          irradiance: { ghiWm2: dni * Math.cos((zenith * Math.PI) / 180) + dhi, dniWm2: dni, dhiWm2: dhi },
          temperatureC,
        });
        const wh = pv.availableWh(env);
        expect(Number.isSafeInteger(wh)).toBe(true);
        expect(wh).toBeGreaterThanOrEqual(0);
        expect(wh).toBeLessThanOrEqual(kwToWh(inverterKw, slotMinutes / 60));
      }));
  });
});
