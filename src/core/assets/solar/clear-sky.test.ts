import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clearSkyIrradiance, cloudySkyIrradiance, erbsDiffuseFraction, extraterrestrialWm2, pressureAtElevationMbar,
  relativeAirMass,
} from './clear-sky.js';

const cosd = (deg: number): number => Math.cos((deg * Math.PI) / 180);

describe('clearSkyIrradiance', () => {
  it('is zero at night and at the horizon', () => {
    expect(clearSkyIrradiance(90, 0, 172)).toEqual({ ghiWm2: 0, dniWm2: 0, dhiWm2: 0 });
    expect(clearSkyIrradiance(120, 500, 1)).toEqual({ ghiWm2: 0, dniWm2: 0, dhiWm2: 0 });
  });

  it('gives plausible noon values at a zenith of 20°', () => {
    const c = clearSkyIrradiance(20, 0, 172);
    expect(c.ghiWm2).toBeGreaterThan(900);
    expect(c.ghiWm2).toBeLessThan(1050);
    expect(c.dniWm2).toBeGreaterThan(800);
    expect(c.dniWm2).toBeLessThan(1000);
    expect(c.dhiWm2).toBeGreaterThan(50);
    expect(c.dhiWm2).toBeLessThan(200);
  });

  it('falls monotonically as the sun gets lower', () => {
    let previous = clearSkyIrradiance(0, 0, 100);
    for (let z = 1; z < 90; z++) {
      const c = clearSkyIrradiance(z, 0, 100);
      expect(c.ghiWm2).toBeLessThan(previous.ghiWm2);
      expect(c.dniWm2).toBeLessThanOrEqual(previous.dniWm2);
      previous = c;
    }
  });

  it('is higher at altitude and lower in hazier air', () => {
    expect(clearSkyIrradiance(30, 2000, 172).ghiWm2).toBeGreaterThan(clearSkyIrradiance(30, 0, 172).ghiWm2);
    expect(clearSkyIrradiance(30, 0, 172, 5).ghiWm2).toBeLessThan(clearSkyIrradiance(30, 0, 172, 2).ghiWm2);
  });

  it('closes GHI = DNI cos z + DHI with non-negative components', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 89.99, noNaN: true }), fc.double({ min: -400, max: 4000, noNaN: true }),
      fc.integer({ min: 1, max: 366 }), fc.double({ min: 1.5, max: 7, noNaN: true }), (z, h, doy, tl) => {
        const c = clearSkyIrradiance(z, h, doy, tl);
        expect(c.dniWm2).toBeGreaterThanOrEqual(0);
        expect(c.dhiWm2).toBeGreaterThanOrEqual(0);
        expect(c.dniWm2 * cosd(z) + c.dhiWm2).toBeCloseTo(c.ghiWm2, 6);
      }));
  });
});

describe('helpers', () => {
  it('varies the extraterrestrial irradiance by about ±3.4 % over the year (perihelion in January)', () => {
    expect(extraterrestrialWm2(3)).toBeGreaterThan(1405);
    expect(extraterrestrialWm2(185)).toBeLessThan(1325);
  });

  it('gives an air mass of 1 overhead and about 38 at the horizon', () => {
    expect(relativeAirMass(0)).toBeCloseTo(1, 2);
    expect(relativeAirMass(60)).toBeCloseTo(2, 1);
    expect(relativeAirMass(90)).toBeCloseTo(38, 0);
  });

  it('gives standard pressure at sea level and about 820 mbar at Golden, Colorado', () => {
    expect(pressureAtElevationMbar(0)).toBeCloseTo(1013.25, 6);
    expect(pressureAtElevationMbar(1830)).toBeCloseTo(815, -1);
  });

  it('has an Erbs diffuse fraction that falls as the sky clears', () => {
    let previous = erbsDiffuseFraction(0);
    for (let kt = 0.01; kt <= 1; kt += 0.01) {
      const fd = erbsDiffuseFraction(kt);
      expect(fd).toBeLessThanOrEqual(previous + 1e-12);
      previous = fd;
    }
  });
});

describe('cloudySkyIrradiance', () => {
  const zenith = 35;
  const clear = clearSkyIrradiance(zenith, 100, 172);

  it('returns the clear sky unchanged at a clear-sky index of 1', () => {
    const c = cloudySkyIrradiance(clear, 1, zenith, 172);
    expect(c.ghiWm2).toBeCloseTo(clear.ghiWm2, 9);
    expect(c.dniWm2).toBeCloseTo(clear.dniWm2, 9);
    expect(c.dhiWm2).toBeCloseTo(clear.dhiWm2, 9);
  });

  it('is mostly diffuse under a heavy overcast', () => {
    const c = cloudySkyIrradiance(clear, 0.2, zenith, 172);
    expect(c.ghiWm2).toBeCloseTo(0.2 * clear.ghiWm2, 9);
    expect(c.dhiWm2 / c.ghiWm2).toBeGreaterThan(0.9);
  });

  it('is zero at night whatever the clouds', () => {
    expect(cloudySkyIrradiance({ ghiWm2: 0, dniWm2: 0, dhiWm2: 0 }, 0.5, 100, 10)).toEqual({ ghiWm2: 0, dniWm2: 0, dhiWm2: 0 });
  });

  it('scales GHI by k, never raises the beam above the clear beam, and closes GHI = DNI cos z + DHI', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 89.9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 366 }), (z, k, doy) => {
        const cs = clearSkyIrradiance(z, 0, doy);
        const c = cloudySkyIrradiance(cs, k, z, doy);
        expect(c.ghiWm2).toBeCloseTo(k * cs.ghiWm2, 6);
        expect(c.dniWm2).toBeLessThanOrEqual(cs.dniWm2 * k + 1e-9);
        expect(c.dniWm2).toBeGreaterThanOrEqual(0);
        expect(c.dhiWm2).toBeGreaterThanOrEqual(0);
        expect(c.dniWm2 * cosd(z) + c.dhiWm2).toBeCloseTo(c.ghiWm2, 6);
      }));
  });
});
