import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearSkyIrradiance } from './clear-sky.js';
import { angleOfIncidenceDeg, panelGeometry, poaGlobalWm2, poaIrradiance } from './plane-of-array.js';

const cosd = (deg: number): number => Math.cos((deg * Math.PI) / 180);

describe('angleOfIncidenceDeg', () => {
  it('reproduces the incidence angle of the published SPA example', () => {
    // Reda & Andreas: slope 30°, azimuth rotation −10° (from south, i.e. 170° from north),
    // sun at zenith 50.11162°, azimuth 194.34024° → incidence 25.18700°.
    const panel = panelGeometry(30, 170);
    expect(angleOfIncidenceDeg(panel, { zenithDeg: 50.11162, azimuthDeg: 194.34024 })).toBeCloseTo(25.187, 3);
  });

  it('is the zenith angle for a horizontal panel', () => {
    expect(angleOfIncidenceDeg(panelGeometry(0, 123), { zenithDeg: 40, azimuthDeg: 250 })).toBeCloseTo(40, 9);
  });
});

describe('poaIrradiance', () => {
  const sky = { ghiWm2: 700, dniWm2: 650, dhiWm2: 700 - 650 * cosd(35) };

  it('equals GHI on a horizontal panel', () => {
    const poa = poaIrradiance(panelGeometry(0, 180), { zenithDeg: 35, azimuthDeg: 200 }, sky);
    expect(poa.globalWm2).toBeCloseTo(sky.ghiWm2, 9);
    expect(poa.groundReflectedWm2).toBe(0);
  });

  it('receives the full DNI as beam when the panel faces the sun', () => {
    const sun = { zenithDeg: 35, azimuthDeg: 200 };
    const poa = poaIrradiance(panelGeometry(35, 200), sun, sky);
    expect(poa.beamWm2).toBeCloseTo(sky.dniWm2, 9);
    expect(poa.skyDiffuseWm2).toBeCloseTo(sky.dhiWm2 * (1 + cosd(35)) / 2, 9);
    expect(poa.groundReflectedWm2).toBeCloseTo(sky.ghiWm2 * 0.2 * (1 - cosd(35)) / 2, 9);
  });

  it('gets no beam when the sun is behind the panel', () => {
    const poa = poaIrradiance(panelGeometry(60, 0), { zenithDeg: 45, azimuthDeg: 180 }, sky);
    expect(poa.beamWm2).toBe(0);
    expect(poa.globalWm2).toBeGreaterThan(0);
  });

  it('gets only diffuse light, or nothing, when the sun is below the horizon', () => {
    const twilight = { ghiWm2: 10, dniWm2: 5, dhiWm2: 10 };
    const poa = poaIrradiance(panelGeometry(30, 90), { zenithDeg: 93, azimuthDeg: 80 }, twilight);
    expect(poa.beamWm2).toBe(0);
    expect(poa.globalWm2).toBeCloseTo(10 * (1 + cosd(30)) / 2 + 10 * 0.2 * (1 - cosd(30)) / 2, 9);
    const night = poaIrradiance(panelGeometry(30, 180), { zenithDeg: 120, azimuthDeg: 0 }, { ghiWm2: 0, dniWm2: 0, dhiWm2: 0 });
    expect(night.globalWm2).toBe(0);
  });

  it('is never negative and the allocation-free total matches the components', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 90, noNaN: true }), fc.double({ min: 0, max: 359.99, noNaN: true }),
      fc.double({ min: 0, max: 180, noNaN: true }), fc.double({ min: 0, max: 359.99, noNaN: true }),
      (tilt, panelAzimuth, zenith, sunAzimuth) => {
        const panel = panelGeometry(tilt, panelAzimuth);
        const sun = { zenithDeg: zenith, azimuthDeg: sunAzimuth };
        const clear = clearSkyIrradiance(zenith, 0, 172);
        const poa = poaIrradiance(panel, sun, clear);
        expect(poa.beamWm2).toBeGreaterThanOrEqual(0);
        expect(poa.skyDiffuseWm2).toBeGreaterThanOrEqual(0);
        expect(poa.groundReflectedWm2).toBeGreaterThanOrEqual(0);
        expect(poaGlobalWm2(panel, sun, clear)).toBeCloseTo(poa.globalWm2, 9);
      }));
  });
});
