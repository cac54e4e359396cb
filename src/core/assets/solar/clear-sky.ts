/**
 * Irradiance on a horizontal surface: clear sky, then the actual sky for a clear-sky index.
 *
 * Clear sky: Ineichen & Perez (2002), "A new airmass independent formulation for the Linke turbidity
 * coefficient", Solar Energy 73(3), with the site-elevation corrections of that paper. It needs only
 * the zenith, the site elevation, the day of year and a Linke turbidity (about 2 for very clean
 * air, 3 for a typical rural/suburban European sky, 4-6 for hazy or polluted air).
 *
 * Actual sky: GHI = k × clear-sky GHI. The split into beam and diffuse follows Erbs, Klein & Duffie
 * (1982): the diffuse fraction of GHI as a function of the clearness index kt = GHI / (I0 cos z).
 * Erbs is applied as a ratio against the clear sky (see `cloudySkyIrradiance`), so k = 1 returns the
 * clear-sky split unchanged and cloud never increases the beam.
 */
import type { Irradiance } from '../environment.js';

const DEG = Math.PI / 180;
export const LINKE_TURBIDITY_DEFAULT = 3;
/** Mean total solar irradiance at 1 AU, W/m² (the value Spencer's series is scaled by). */
export const SOLAR_CONSTANT_WM2 = 1366.1;

/** Normal-incidence irradiance at the top of the atmosphere, W/m² (Spencer 1971, Earth-Sun distance). */
export function extraterrestrialWm2(dayOfYear: number): number {
  const b = (2 * Math.PI * (dayOfYear - 1)) / 365;
  return SOLAR_CONSTANT_WM2 * (1.00011 + 0.034221 * Math.cos(b) + 0.00128 * Math.sin(b)
    + 0.000719 * Math.cos(2 * b) + 0.000077 * Math.sin(2 * b));
}

/** Relative optical air mass (Kasten & Young 1989); finite up to a zenith of 90°. */
export function relativeAirMass(zenithDeg: number): number {
  return 1 / (Math.cos(zenithDeg * DEG) + 0.50572 * Math.pow(96.07995 - zenithDeg, -1.6364));
}

/** Standard-atmosphere pressure at an elevation, mbar (hPa). */
export function pressureAtElevationMbar(elevationM: number): number {
  return 1013.25 * Math.pow(1 - 2.25577e-5 * elevationM, 5.25588);
}

/** Clear-sky GHI, DNI and DHI, W/m² (Ineichen-Perez). Zero when the sun is at or below the horizon. */
export function clearSkyIrradiance(zenithDeg: number, elevationM: number, dayOfYear: number,
  linkeTurbidity = LINKE_TURBIDITY_DEFAULT): Irradiance {
  const cosZ = Math.cos(zenithDeg * DEG);
  if (!(zenithDeg < 90) || cosZ <= 0) return { ghiWm2: 0, dniWm2: 0, dhiWm2: 0 };
  const i0 = extraterrestrialWm2(dayOfYear);
  const tl = linkeTurbidity;
  const airMass = relativeAirMass(zenithDeg) * (pressureAtElevationMbar(elevationM) / 1013.25);
  const fh1 = Math.exp(-elevationM / 8000);
  const fh2 = Math.exp(-elevationM / 1250);
  const cg1 = 5.09e-5 * elevationM + 0.868;
  const cg2 = 3.92e-5 * elevationM + 0.0387;
  const ghi = Math.max(0, cg1 * i0 * cosZ * Math.exp(-cg2 * airMass * (fh1 + fh2 * (tl - 1))));
  const beamByTurbidity = i0 * Math.max(0, (0.664 + 0.163 / fh1) * Math.exp(-0.09 * airMass * (tl - 1)));
  // The paper bounds the beam by the share of GHI it can carry, which matters at low sun.
  const beamByGhi = ghi * Math.max(0, (1 - (0.1 - 0.2 * Math.exp(-tl)) / (0.1 + 0.882 / fh1)) / cosZ);
  const dni = Math.min(beamByTurbidity, beamByGhi);
  return { ghiWm2: ghi, dniWm2: dni, dhiWm2: Math.max(0, ghi - dni * cosZ) };
}

/**
 * Erbs et al. (1982) diffuse fraction DHI/GHI for a clearness index kt. The published quartic ends
 * at 0.1646 at kt = 0.8, just under the 0.165 plateau; it is floored at 0.165 so the fraction never
 * rises as the sky clears (which `cloudySkyIrradiance` relies on).
 */
export function erbsDiffuseFraction(kt: number): number {
  if (kt <= 0.22) return 1 - 0.09 * kt;
  if (kt <= 0.8) return Math.max(0.165, 0.9511 - 0.1604 * kt + 4.388 * kt ** 2 - 16.638 * kt ** 3 + 12.336 * kt ** 4);
  return 0.165;
}

/**
 * Irradiance under a sky with clear-sky index k (0..1): GHI = k × clear GHI, and the beam is the
 * clear-sky beam scaled by k times the Erbs beam fraction at the cloudy clearness index relative to
 * the one at the clear-sky clearness index. The Erbs beam fraction grows with kt, so the beam never
 * exceeds k × the clear beam, DHI stays ≥ 0, and GHI = DNI cos z + DHI holds exactly.
 */
export function cloudySkyIrradiance(clear: Irradiance, clearSkyIndex: number, zenithDeg: number,
  dayOfYear: number): Irradiance {
  const cosZ = Math.cos(zenithDeg * DEG);
  const k = Math.min(1, Math.max(0, clearSkyIndex));
  if (!(zenithDeg < 90) || cosZ <= 0 || clear.ghiWm2 <= 0) return { ghiWm2: 0, dniWm2: 0, dhiWm2: 0 };
  const horizontalI0 = extraterrestrialWm2(dayOfYear) * cosZ;
  const ktClear = Math.min(1, clear.ghiWm2 / horizontalI0);
  const ghi = k * clear.ghiWm2;
  const beamShareClear = 1 - erbsDiffuseFraction(ktClear);
  const beamShare = 1 - erbsDiffuseFraction(k * ktClear);
  const dni = beamShareClear > 0 ? k * clear.dniWm2 * Math.min(1, beamShare / beamShareClear) : 0;
  return { ghiWm2: ghi, dniWm2: dni, dhiWm2: Math.max(0, ghi - dni * cosZ) };
}
