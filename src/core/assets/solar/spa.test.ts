import { describe, expect, it } from 'vitest';
import { julianDayFromEpochMs, julianDayFromLocalTime, solarPosition, sunPosition } from './spa.js';

// The example of Reda & Andreas (2008), Table A5.1 inputs and A5.2 results.
const golden = {
  latDeg: 39.742476,
  lonDeg: -105.1786,
  elevationM: 1830.14,
  pressureMbar: 820,
  temperatureC: 11,
  atmosRefractionDeg: 0.5667,
  deltaTSeconds: 67,
};
const localTime = { year: 2003, month: 10, day: 17, hour: 12, minute: 30, second: 30, utcOffsetHours: -7 };
const epochMs = Date.UTC(2003, 9, 17, 19, 30, 30);

describe('solarPosition', () => {
  const r = solarPosition({ ...golden, ...localTime });

  it('reproduces the published SPA example (topocentric zenith and azimuth)', () => {
    expect(Math.abs(r.zenithDeg - 50.11162)).toBeLessThan(1e-4);
    expect(Math.abs(r.azimuthDeg - 194.34024)).toBeLessThan(1e-4);
  });

  it('reproduces the published Julian day and Earth heliocentric position', () => {
    expect(r.julianDay).toBeCloseTo(2452930.312847, 6);
    expect(r.heliocentricLongitudeDeg).toBeCloseTo(24.0182616917, 9);
    expect(r.heliocentricLatitudeDeg).toBeCloseTo(-0.0001011219, 9);
    expect(r.earthRadiusVectorAu).toBeCloseTo(0.9965422974, 9);
  });

  it('reproduces the published nutation, obliquity and apparent longitude', () => {
    expect(r.nutationLongitudeDeg).toBeCloseTo(-0.00399840, 8);
    expect(r.nutationObliquityDeg).toBeCloseTo(0.00166657, 8);
    expect(r.trueObliquityDeg).toBeCloseTo(23.440465, 6);
    expect(r.apparentSunLongitudeDeg).toBeCloseTo(204.0085519281, 9);
  });

  it('reproduces the published geocentric and topocentric equatorial coordinates', () => {
    expect(r.apparentSiderealTimeDeg).toBeCloseTo(318.5119, 4);
    expect(r.rightAscensionDeg).toBeCloseTo(202.22741, 5);
    expect(r.declinationDeg).toBeCloseTo(-9.31434, 5);
    expect(r.hourAngleDeg).toBeCloseTo(11.105900, 5);
    expect(r.topocentricRightAscensionDeg).toBeCloseTo(202.22704, 5);
    expect(r.topocentricDeclinationDeg).toBeCloseTo(-9.316179, 6);
    // H' = H − Δα with Δα = α' − α (paper eq. 42).
    expect(r.topocentricHourAngleDeg).toBeCloseTo(r.hourAngleDeg - (r.topocentricRightAscensionDeg - r.rightAscensionDeg), 12);
  });

  it('reproduces the published elevation and refraction', () => {
    expect(r.elevationUnrefractedDeg).toBeCloseTo(39.872046, 6);
    expect(r.refractionDeg).toBeCloseTo(0.016332, 6);
    expect(r.elevationDeg).toBeCloseTo(39.888378, 6);
  });

  it('gives the same answer from a Unix time as from the local civil time', () => {
    const fromEpoch = solarPosition({ ...golden, epochMs });
    expect(fromEpoch.julianDay).toBeCloseTo(r.julianDay, 8);
    expect(fromEpoch.zenithDeg).toBeCloseTo(r.zenithDeg, 6);
    expect(fromEpoch.azimuthDeg).toBeCloseTo(r.azimuthDeg, 6);
  });

  it('applies no refraction to a sun well below the horizon', () => {
    const night = solarPosition({ ...golden, epochMs: Date.UTC(2003, 9, 17, 7, 0, 0) });
    expect(night.refractionDeg).toBe(0);
    expect(night.zenithDeg).toBeGreaterThan(90);
  });
});

describe('julian day', () => {
  it('matches Meeus for J2000.0 and for a Julian-calendar date', () => {
    expect(julianDayFromEpochMs(Date.UTC(2000, 0, 1, 12))).toBe(2451545);
    expect(julianDayFromLocalTime({ year: 2000, month: 1, day: 1, hour: 12, minute: 0, second: 0, utcOffsetHours: 0 })).toBe(2451545);
    // Meeus, Astronomical Algorithms, example 7.b: 333-01-27 12:00 (Julian calendar) = JD 1842713.0
    expect(julianDayFromLocalTime({ year: 333, month: 1, day: 27, hour: 12, minute: 0, second: 0, utcOffsetHours: 0 })).toBe(1842713);
  });
});

describe('sunPosition', () => {
  it('puts the sun due south and highest near solar noon at mid-northern latitudes', () => {
    const berlin = { latDeg: 52.52, lonDeg: 13.405, elevationM: 34, pressureMbar: 1009, temperatureC: 10 };
    // Solar noon in Berlin on the June solstice is about 11:07 UTC.
    const noon = sunPosition(Date.UTC(2026, 5, 21, 11, 7), berlin, 69);
    expect(noon.azimuthDeg).toBeGreaterThan(178);
    expect(noon.azimuthDeg).toBeLessThan(182);
    // 90 − (52.52 − 23.44) ≈ 29.08°, less a little refraction.
    expect(noon.zenithDeg).toBeCloseTo(29.06, 1);
    const morning = sunPosition(Date.UTC(2026, 5, 21, 6, 0), berlin, 69);
    expect(morning.azimuthDeg).toBeLessThan(noon.azimuthDeg);
    expect(morning.zenithDeg).toBeGreaterThan(noon.zenithDeg);
  });

  it('puts the noon sun in the north in the southern hemisphere', () => {
    const sydney = { latDeg: -33.87, lonDeg: 151.21, elevationM: 20, pressureMbar: 1013, temperatureC: 18 };
    const noon = sunPosition(Date.UTC(2026, 5, 21, 1, 57), sydney, 69);
    expect(Math.min(noon.azimuthDeg, 360 - noon.azimuthDeg)).toBeLessThan(3);
  });
});
