/**
 * Irradiance on a tilted panel (plane of array, POA): beam on the panel + isotropic sky diffuse
 * (Liu & Jordan 1963) + ground-reflected light with a fixed albedo. Angles are degrees; azimuths are
 * clockwise from north (180 = south), the same convention as `SunPosition`.
 *
 * The hot path is `poaGlobalWm2`, called for every PV system in every slot: a panel's trigonometry
 * is fixed when the panel is described, and the sun's is computed once per distinct sun position
 * (see `sunTrig`), so a call is a handful of multiplications and allocates nothing.
 */
import type { Irradiance, SunPosition } from '../environment.js';

const DEG = Math.PI / 180;
/** Typical grass/soil/roofscape reflectance. */
export const ALBEDO_DEFAULT = 0.2;

/** A panel orientation with the trigonometry precomputed. */
export interface PanelGeometry {
  readonly tiltDeg: number;
  readonly azimuthDeg: number;
  readonly albedo: number;
  readonly cosTilt: number;
  readonly sinTilt: number;
  readonly cosAzimuth: number;
  readonly sinAzimuth: number;
  /** Share of the sky dome the panel sees, (1 + cos tilt) / 2. */
  readonly skyViewFactor: number;
  /** albedo × share of the ground the panel sees, albedo × (1 − cos tilt) / 2. */
  readonly groundReflectionFactor: number;
}

export interface PoaIrradiance {
  readonly beamWm2: number;
  readonly skyDiffuseWm2: number;
  readonly groundReflectedWm2: number;
  readonly globalWm2: number;
}

export function panelGeometry(tiltDeg: number, azimuthDeg: number, albedo = ALBEDO_DEFAULT): PanelGeometry {
  const cosTilt = Math.cos(tiltDeg * DEG);
  return {
    tiltDeg,
    azimuthDeg,
    albedo,
    cosTilt,
    sinTilt: Math.sin(tiltDeg * DEG),
    cosAzimuth: Math.cos(azimuthDeg * DEG),
    sinAzimuth: Math.sin(azimuthDeg * DEG),
    skyViewFactor: (1 + cosTilt) / 2,
    groundReflectionFactor: (albedo * (1 - cosTilt)) / 2,
  };
}

// The trigonometry of the last sun position seen. Every PV system at a location sees the same sun
// in a slot, so this turns four trig calls per system into four per slot. Keyed by the values (not
// the object), so it can never be stale; it is a pure cache and does not affect results.
const sunTrig = { zenithDeg: NaN, azimuthDeg: NaN, cosZenith: 0, sinZenith: 0, cosAzimuth: 0, sinAzimuth: 0 };

function updateSunTrig(sun: SunPosition): void {
  if (sun.zenithDeg === sunTrig.zenithDeg && sun.azimuthDeg === sunTrig.azimuthDeg) return;
  sunTrig.zenithDeg = sun.zenithDeg;
  sunTrig.azimuthDeg = sun.azimuthDeg;
  sunTrig.cosZenith = Math.cos(sun.zenithDeg * DEG);
  sunTrig.sinZenith = Math.sin(sun.zenithDeg * DEG);
  sunTrig.cosAzimuth = Math.cos(sun.azimuthDeg * DEG);
  sunTrig.sinAzimuth = Math.sin(sun.azimuthDeg * DEG);
}

/** Cosine of the angle of incidence of the beam on the panel (negative: the sun is behind it). */
export function cosIncidence(panel: PanelGeometry, sun: SunPosition): number {
  updateSunTrig(sun);
  // cos θ = cos z cos β + sin z sin β cos(φsun − φpanel), with the difference expanded.
  const cosAzimuthDifference = sunTrig.cosAzimuth * panel.cosAzimuth + sunTrig.sinAzimuth * panel.sinAzimuth;
  return sunTrig.cosZenith * panel.cosTilt + sunTrig.sinZenith * panel.sinTilt * cosAzimuthDifference;
}

export function angleOfIncidenceDeg(panel: PanelGeometry, sun: SunPosition): number {
  return Math.acos(Math.min(1, Math.max(-1, cosIncidence(panel, sun)))) / DEG;
}

/** POA components, W/m². The beam counts only while the sun is above the horizon and in front. */
export function poaIrradiance(panel: PanelGeometry, sun: SunPosition, sky: Irradiance): PoaIrradiance {
  const beamWm2 = beamOnPanel(panel, sun, sky);
  const skyDiffuseWm2 = Math.max(0, sky.dhiWm2) * panel.skyViewFactor;
  const groundReflectedWm2 = Math.max(0, sky.ghiWm2) * panel.groundReflectionFactor;
  return { beamWm2, skyDiffuseWm2, groundReflectedWm2, globalWm2: beamWm2 + skyDiffuseWm2 + groundReflectedWm2 };
}

/** Total POA irradiance, W/m², without allocating (the per-system hot path). */
export function poaGlobalWm2(panel: PanelGeometry, sun: SunPosition, sky: Irradiance): number {
  return beamOnPanel(panel, sun, sky)
    + Math.max(0, sky.dhiWm2) * panel.skyViewFactor
    + Math.max(0, sky.ghiWm2) * panel.groundReflectionFactor;
}

function beamOnPanel(panel: PanelGeometry, sun: SunPosition, sky: Irradiance): number {
  if (!(sun.zenithDeg < 90) || sky.dniWm2 <= 0) return 0;
  const cosTheta = cosIncidence(panel, sun);
  return cosTheta > 0 ? sky.dniWm2 * cosTheta : 0;
}
