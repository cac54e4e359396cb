/**
 * The NREL Solar Position Algorithm (SPA): Reda & Andreas, "Solar position algorithm for solar
 * radiation applications", Solar Energy 76 (2004) 577-589, revised NREL/TP-560-34302 (2008).
 * Uncertainty ±0.0003° for the years -2000..6000.
 *
 * Steps (section numbers of the paper): 3.1 time scales, 3.2 Earth heliocentric position from the
 * truncated VSOP87 series, 3.3 geocentric position, 3.4 nutation, 3.5 obliquity, 3.6-3.7 aberration
 * and apparent longitude, 3.8 sidereal time, 3.9-3.10 geocentric right ascension and declination,
 * 3.11 hour angle, 3.12 topocentric (parallax) correction, 3.13 elevation with refraction,
 * 3.14 zenith, 3.15 azimuth.
 *
 * One call evaluates about 300 trigonometric terms (a few µs), so the weather model simply runs the
 * full algorithm once per slot; there is no reduced-accuracy variant to keep in sync.
 */
import type { SunPosition } from '../environment.js';

const DEG = Math.PI / 180;
const RAD = 180 / Math.PI;
const J2000 = 2451545;
const UNIX_EPOCH_JD = 2440587.5;
const MS_PER_DAY = 86_400_000;
/** Apparent solar radius, degrees: refraction is applied while any part of the disc is up. */
const SUN_RADIUS_DEG = 0.26667;
/** Atmospheric refraction at sunrise/sunset, degrees (the paper's default). */
export const ATMOS_REFRACTION_DEG_DEFAULT = 0.5667;

/** One periodic term: amplitude × cos(phase + frequency × JME). */
type Term = readonly [amplitude: number, phaseRad: number, frequencyRadPerMillennium: number];
type Series = readonly Term[];

// Earth periodic terms (paper Table A4.2; VSOP87 as truncated by Meeus). Units: 1e-8 rad, 1e-8 AU.
const L_SERIES: readonly Series[] = [
  [
    [175347046, 0, 0], [3341656, 4.6692568, 6283.07585], [34894, 4.6261, 12566.1517],
    [3497, 2.7441, 5753.3849], [3418, 2.8289, 3.5231], [3136, 3.6277, 77713.7715],
    [2676, 4.4181, 7860.4194], [2343, 6.1352, 3930.2097], [1324, 0.7425, 11506.7698],
    [1273, 2.0371, 529.691], [1199, 1.1096, 1577.3435], [990, 5.233, 5884.927],
    [902, 2.045, 26.298], [857, 3.508, 398.149], [780, 1.179, 5223.694],
    [753, 2.533, 5507.553], [505, 4.583, 18849.228], [492, 4.205, 775.523],
    [357, 2.92, 0.067], [317, 5.849, 11790.629], [284, 1.899, 796.298],
    [271, 0.315, 10977.079], [243, 0.345, 5486.778], [206, 4.806, 2544.314],
    [205, 1.869, 5573.143], [202, 2.458, 6069.777], [156, 0.833, 213.299],
    [132, 3.411, 2942.463], [126, 1.083, 20.775], [115, 0.645, 0.98],
    [103, 0.636, 4694.003], [102, 0.976, 15720.839], [102, 4.267, 7.114],
    [99, 6.21, 2146.17], [98, 0.68, 155.42], [86, 5.98, 161000.69],
    [85, 1.3, 6275.96], [85, 3.67, 71430.7], [80, 1.81, 17260.15],
    [79, 3.04, 12036.46], [75, 1.76, 5088.63], [74, 3.5, 3154.69],
    [74, 4.68, 801.82], [70, 0.83, 9437.76], [62, 3.98, 8827.39],
    [61, 1.82, 7084.9], [57, 2.78, 6286.6], [56, 4.39, 14143.5],
    [56, 3.47, 6279.55], [52, 0.19, 12139.55], [52, 1.33, 1748.02],
    [51, 0.28, 5856.48], [49, 0.49, 1194.45], [41, 5.37, 8429.24],
    [41, 2.4, 19651.05], [39, 6.17, 10447.39], [37, 6.04, 10213.29],
    [37, 2.57, 1059.38], [36, 1.71, 2352.87], [36, 1.78, 6812.77],
    [33, 0.59, 17789.85], [30, 0.44, 83996.85], [30, 2.74, 1349.87],
    [25, 3.16, 4690.48],
  ],
  [
    [628331966747, 0, 0], [206059, 2.678235, 6283.07585], [4303, 2.6351, 12566.1517],
    [425, 1.59, 3.523], [119, 5.796, 26.298], [109, 2.966, 1577.344],
    [93, 2.59, 18849.23], [72, 1.14, 529.69], [68, 1.87, 398.15],
    [67, 4.41, 5507.55], [59, 2.89, 5223.69], [56, 2.17, 155.42],
    [45, 0.4, 796.3], [36, 0.47, 775.52], [29, 2.65, 7.11],
    [21, 5.34, 0.98], [19, 1.85, 5486.78], [19, 4.97, 213.3],
    [17, 2.99, 6275.96], [16, 0.03, 2544.31], [16, 1.43, 2146.17],
    [15, 1.21, 10977.08], [12, 2.83, 1748.02], [12, 3.26, 5088.63],
    [12, 5.27, 1194.45], [12, 2.08, 4694], [11, 0.77, 553.57],
    [10, 1.3, 6286.6], [10, 4.24, 1349.87], [9, 2.7, 242.73],
    [9, 5.64, 951.72], [8, 5.3, 2352.87], [6, 2.65, 9437.76],
    [6, 4.67, 4690.48],
  ],
  [
    [52919, 0, 0], [8720, 1.0721, 6283.0758], [309, 0.867, 12566.152],
    [27, 0.05, 3.52], [16, 5.19, 26.3], [16, 3.68, 155.42],
    [10, 0.76, 18849.23], [9, 2.06, 77713.77], [7, 0.83, 775.52],
    [5, 4.66, 1577.34], [4, 1.03, 7.11], [4, 3.44, 5573.14],
    [3, 5.14, 796.3], [3, 6.05, 5507.55], [3, 1.19, 242.73],
    [3, 6.12, 529.69], [3, 0.31, 398.15], [3, 2.28, 553.57],
    [2, 4.38, 5223.69], [2, 3.75, 0.98],
  ],
  [
    [289, 5.844, 6283.076], [35, 0, 0], [17, 5.49, 12566.15],
    [3, 5.2, 155.42], [1, 4.72, 3.52], [1, 5.3, 18849.23],
    [1, 5.97, 242.73],
  ],
  [[114, 3.142, 0], [8, 4.13, 6283.08], [1, 3.84, 12566.15]],
  [[1, 3.14, 0]],
];

const B_SERIES: readonly Series[] = [
  [
    [280, 3.199, 84334.662], [102, 5.422, 5507.553], [80, 3.88, 5223.69],
    [44, 3.7, 2352.87], [32, 4, 1577.34],
  ],
  [[9, 3.9, 5507.55], [6, 1.73, 5223.69]],
];

const R_SERIES: readonly Series[] = [
  [
    [100013989, 0, 0], [1670700, 3.0984635, 6283.07585], [13956, 3.05525, 12566.1517],
    [3084, 5.1985, 77713.7715], [1628, 1.1739, 5753.3849], [1576, 2.8469, 7860.4194],
    [925, 5.453, 11506.77], [542, 4.564, 3930.21], [472, 3.661, 5884.927],
    [346, 0.964, 5507.553], [329, 5.9, 5223.694], [307, 0.299, 5573.143],
    [243, 4.273, 11790.629], [212, 5.847, 1577.344], [186, 5.022, 10977.079],
    [175, 3.012, 18849.228], [110, 5.055, 5486.778], [98, 0.89, 6069.78],
    [86, 5.69, 15720.84], [86, 1.27, 161000.69], [65, 0.27, 17260.15],
    [63, 0.92, 529.69], [57, 2.01, 83996.85], [56, 5.24, 71430.7],
    [49, 3.25, 2544.31], [47, 2.58, 775.52], [45, 5.54, 9437.76],
    [43, 6.01, 6275.96], [39, 5.36, 4694], [38, 2.39, 8827.39],
    [37, 0.83, 19651.05], [37, 4.9, 12139.55], [36, 1.67, 12036.46],
    [35, 1.84, 2942.46], [33, 0.24, 7084.9], [32, 0.18, 5088.63],
    [32, 1.78, 398.15], [28, 1.21, 6286.6], [28, 1.9, 6279.55],
    [26, 4.59, 10447.39],
  ],
  [
    [103019, 1.10749, 6283.07585], [1721, 1.0644, 12566.1517], [702, 3.142, 0],
    [32, 1.02, 18849.23], [31, 2.84, 5507.55], [25, 1.32, 5223.69],
    [18, 1.42, 1577.34], [10, 5.91, 10977.08], [9, 1.42, 6275.96],
    [9, 0.27, 5486.78],
  ],
  [
    [4359, 5.7846, 6283.0758], [124, 5.579, 12566.152], [12, 3.14, 0],
    [9, 3.63, 77713.77], [6, 1.87, 5573.14], [3, 5.47, 18849.23],
  ],
  [[145, 4.273, 6283.076], [7, 3.92, 12566.15]],
  [[4, 2.56, 6283.08]],
];

/**
 * Nutation terms (paper Table A4.3): multipliers of X0..X4, then a, b (longitude, sin) and c, d
 * (obliquity, cos) in units of 0.0001 arcsecond.
 */
type NutationTerm = readonly [y0: number, y1: number, y2: number, y3: number, y4: number,
  a: number, b: number, c: number, d: number];
const NUTATION_TERMS: readonly NutationTerm[] = [
  [0, 0, 0, 0, 1, -171996, -174.2, 92025, 8.9],
  [-2, 0, 0, 2, 2, -13187, -1.6, 5736, -3.1],
  [0, 0, 0, 2, 2, -2274, -0.2, 977, -0.5],
  [0, 0, 0, 0, 2, 2062, 0.2, -895, 0.5],
  [0, 1, 0, 0, 0, 1426, -3.4, 54, -0.1],
  [0, 0, 1, 0, 0, 712, 0.1, -7, 0],
  [-2, 1, 0, 2, 2, -517, 1.2, 224, -0.6],
  [0, 0, 0, 2, 1, -386, -0.4, 200, 0],
  [0, 0, 1, 2, 2, -301, 0, 129, -0.1],
  [-2, -1, 0, 2, 2, 217, -0.5, -95, 0.3],
  [-2, 0, 1, 0, 0, -158, 0, 0, 0],
  [-2, 0, 0, 2, 1, 129, 0.1, -70, 0],
  [0, 0, -1, 2, 2, 123, 0, -53, 0],
  [2, 0, 0, 0, 0, 63, 0, 0, 0],
  [0, 0, 1, 0, 1, 63, 0.1, -33, 0],
  [2, 0, -1, 2, 2, -59, 0, 26, 0],
  [0, 0, -1, 0, 1, -58, -0.1, 32, 0],
  [0, 0, 1, 2, 1, -51, 0, 27, 0],
  [-2, 0, 2, 0, 0, 48, 0, 0, 0],
  [0, 0, -2, 2, 1, 46, 0, -24, 0],
  [2, 0, 0, 2, 2, -38, 0, 16, 0],
  [0, 0, 2, 2, 2, -31, 0, 13, 0],
  [0, 0, 2, 0, 0, 29, 0, 0, 0],
  [-2, 0, 1, 2, 2, 29, 0, -12, 0],
  [0, 0, 0, 2, 0, 26, 0, 0, 0],
  [-2, 0, 0, 2, 0, -22, 0, 0, 0],
  [0, 0, -1, 2, 1, 21, 0, -10, 0],
  [0, 2, 0, 0, 0, 17, -0.1, 0, 0],
  [2, 0, -1, 0, 1, 16, 0, -8, 0],
  [-2, 2, 0, 2, 2, -16, 0.1, 7, 0],
  [0, 1, 0, 0, 1, -15, 0, 9, 0],
  [-2, 0, 1, 0, 1, -13, 0, 7, 0],
  [0, -1, 0, 0, 1, -12, 0, 6, 0],
  [0, 0, 2, -2, 0, 11, 0, 0, 0],
  [2, 0, -1, 2, 1, -10, 0, 5, 0],
  [2, 0, 1, 2, 2, -8, 0, 3, 0],
  [0, 1, 0, 2, 2, 7, 0, -3, 0],
  [-2, 1, 1, 0, 0, -7, 0, 0, 0],
  [0, -1, 0, 2, 2, -7, 0, 3, 0],
  [2, 0, 0, 2, 1, -7, 0, 3, 0],
  [2, 0, 1, 0, 0, 6, 0, 0, 0],
  [-2, 0, 2, 2, 2, 6, 0, -3, 0],
  [-2, 0, 1, 2, 1, 6, 0, -3, 0],
  [2, 0, -2, 0, 1, -6, 0, 3, 0],
  [2, 0, 0, 0, 1, -6, 0, 3, 0],
  [0, -1, 1, 0, 0, 5, 0, 0, 0],
  [-2, -1, 0, 2, 1, -5, 0, 3, 0],
  [-2, 0, 0, 0, 1, -5, 0, 3, 0],
  [0, 0, 2, 2, 1, -5, 0, 3, 0],
  [-2, 0, 2, 0, 1, 4, 0, 0, 0],
  [-2, 1, 0, 2, 1, 4, 0, 0, 0],
  [0, 0, 1, -2, 0, 4, 0, 0, 0],
  [-1, 0, 1, 0, 0, -4, 0, 0, 0],
  [-2, 1, 0, 0, 0, -4, 0, 0, 0],
  [1, 0, 0, 0, 0, -4, 0, 0, 0],
  [0, 0, 1, 2, 0, 3, 0, 0, 0],
  [0, 0, -2, 2, 2, -3, 0, 0, 0],
  [-1, -1, 1, 0, 0, -3, 0, 0, 0],
  [0, 1, 1, 0, 0, -3, 0, 0, 0],
  [0, -1, 1, 2, 2, -3, 0, 0, 0],
  [2, -1, -1, 2, 2, -3, 0, 0, 0],
  [0, 0, 3, 2, 2, -3, 0, 0, 0],
  [2, -1, 0, 2, 2, -3, 0, 0, 0],
];

// The hot loops index flat typed arrays ([A, B, C, A, B, C, ...]): destructuring the tuples
// goes through the iterator protocol and made a call about three times slower.
const L_FLAT = L_SERIES.map((terms) => Float64Array.from(terms.flat()));
const B_FLAT = B_SERIES.map((terms) => Float64Array.from(terms.flat()));
const R_FLAT = R_SERIES.map((terms) => Float64Array.from(terms.flat()));
const NUTATION_FLAT = Float64Array.from(NUTATION_TERMS.flat());
const NUTATION_STRIDE = 9;

/** Where the observer is and the air the sunlight passes through. */
export interface SpaObserver {
  /** Geographic latitude, degrees (north positive). */
  readonly latDeg: number;
  /** Geographic longitude, degrees (east positive). */
  readonly lonDeg: number;
  readonly elevationM: number;
  /** Annual mean local pressure, mbar (hPa); used only for refraction. */
  readonly pressureMbar: number;
  /** Annual mean local temperature, °C; used only for refraction. */
  readonly temperatureC: number;
  /** Refraction at sunrise/sunset, degrees (default 0.5667). */
  readonly atmosRefractionDeg?: number;
}

/** A local civil time, as in the paper's example (utcOffsetHours = -7 for UTC−7). */
export interface SpaLocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly utcOffsetHours: number;
}

export type SpaInput = SpaObserver & ({ readonly epochMs: number } | SpaLocalTime) & {
  /** TT − UT1, seconds (about 69 s in the 2020s). */
  readonly deltaTSeconds: number;
};

/** The paper's intermediate quantities (all angles in degrees), so tests can check each step. */
export interface SpaResult extends SunPosition {
  readonly julianDay: number;
  readonly julianEphemerisDay: number;
  readonly julianEphemerisMillennium: number;
  /** L, B: Earth heliocentric longitude and latitude; R: Earth-Sun distance, AU. */
  readonly heliocentricLongitudeDeg: number;
  readonly heliocentricLatitudeDeg: number;
  readonly earthRadiusVectorAu: number;
  /** Δψ, Δε, ε */
  readonly nutationLongitudeDeg: number;
  readonly nutationObliquityDeg: number;
  readonly trueObliquityDeg: number;
  /** λ, ν, α, δ, H (geocentric) */
  readonly apparentSunLongitudeDeg: number;
  readonly apparentSiderealTimeDeg: number;
  readonly rightAscensionDeg: number;
  readonly declinationDeg: number;
  readonly hourAngleDeg: number;
  /** α', δ', H' (topocentric) */
  readonly topocentricRightAscensionDeg: number;
  readonly topocentricDeclinationDeg: number;
  readonly topocentricHourAngleDeg: number;
  /** e0 (no refraction), Δe, e */
  readonly elevationUnrefractedDeg: number;
  readonly refractionDeg: number;
  readonly elevationDeg: number;
}

/** Julian day of a Unix time (UT). */
export function julianDayFromEpochMs(epochMs: number): number {
  return epochMs / MS_PER_DAY + UNIX_EPOCH_JD;
}

/** Julian day of a local civil time (paper eq. 4; Julian calendar before 1582-10-15). */
export function julianDayFromLocalTime(t: SpaLocalTime): number {
  let year = t.year;
  let month = t.month;
  if (month < 3) {
    year -= 1;
    month += 12;
  }
  const dayFraction = t.day + (t.hour - t.utcOffsetHours + (t.minute + t.second / 60) / 60) / 24;
  const jd = Math.trunc(365.25 * (year + 4716)) + Math.trunc(30.6001 * (month + 1)) + dayFraction - 1524.5;
  if (jd < 2299160) return jd;
  const a = Math.trunc(year / 100);
  return jd + 2 - a + Math.trunc(a / 4);
}

/** The full algorithm, with every intermediate value. */
export function solarPosition(input: SpaInput): SpaResult {
  const jd = 'epochMs' in input ? julianDayFromEpochMs(input.epochMs) : julianDayFromLocalTime(input);
  return spaAtJulianDay(jd, input.deltaTSeconds, input);
}

/** Sun position at a Unix time: the same algorithm, returning only what the simulation uses. */
export function sunPosition(epochMs: number, observer: SpaObserver, deltaTSeconds: number): SunPosition {
  const r = spaAtJulianDay(julianDayFromEpochMs(epochMs), deltaTSeconds, observer);
  return { zenithDeg: r.zenithDeg, azimuthDeg: r.azimuthDeg };
}

function spaAtJulianDay(jd: number, deltaTSeconds: number, observer: SpaObserver): SpaResult {
  const jc = (jd - J2000) / 36525;
  const jde = jd + deltaTSeconds / 86400;
  const jce = (jde - J2000) / 36525;
  const jme = jce / 10;

  const lDeg = normalizeDeg(sumSeries(L_FLAT, jme) * 1e-8 * RAD);
  const bDeg = sumSeries(B_FLAT, jme) * 1e-8 * RAD;
  const rAu = sumSeries(R_FLAT, jme) * 1e-8;
  const thetaDeg = normalizeDeg(lDeg + 180);
  const betaDeg = -bDeg;

  const { dPsiDeg, dEpsDeg } = nutation(jce);
  const epsDeg = meanObliquityArcsec(jme / 10) / 3600 + dEpsDeg;
  const lambdaDeg = thetaDeg + dPsiDeg - 20.4898 / (3600 * rAu);
  const nuDeg = meanSiderealTimeDeg(jd, jc) + dPsiDeg * Math.cos(epsDeg * DEG);

  const lambda = lambdaDeg * DEG;
  const eps = epsDeg * DEG;
  const beta = betaDeg * DEG;
  const alphaDeg = normalizeDeg(RAD * Math.atan2(
    Math.sin(lambda) * Math.cos(eps) - Math.tan(beta) * Math.sin(eps), Math.cos(lambda)));
  const deltaDeg = RAD * Math.asin(
    Math.sin(beta) * Math.cos(eps) + Math.cos(beta) * Math.sin(eps) * Math.sin(lambda));
  const hDeg = normalizeDeg(nuDeg + observer.lonDeg - alphaDeg);

  const topo = topocentric(observer, rAu, hDeg, deltaDeg);
  const horizon = horizonCoordinates(observer, topo.deltaPrimeDeg, topo.hPrimeDeg);
  return {
    julianDay: jd,
    julianEphemerisDay: jde,
    julianEphemerisMillennium: jme,
    heliocentricLongitudeDeg: lDeg,
    heliocentricLatitudeDeg: bDeg,
    earthRadiusVectorAu: rAu,
    nutationLongitudeDeg: dPsiDeg,
    nutationObliquityDeg: dEpsDeg,
    trueObliquityDeg: epsDeg,
    apparentSunLongitudeDeg: lambdaDeg,
    apparentSiderealTimeDeg: nuDeg,
    rightAscensionDeg: alphaDeg,
    declinationDeg: deltaDeg,
    hourAngleDeg: hDeg,
    topocentricRightAscensionDeg: alphaDeg + topo.deltaAlphaDeg,
    topocentricDeclinationDeg: topo.deltaPrimeDeg,
    topocentricHourAngleDeg: topo.hPrimeDeg,
    ...horizon,
  };
}

/** Σ_i (Σ_terms A cos(B + C·JME)) · JME^i (paper eqs. 9-11). */
function sumSeries(series: readonly Float64Array[], jme: number): number {
  let total = 0;
  let power = 1;
  for (const terms of series) {
    let sum = 0;
    for (let i = 0; i < terms.length; i += 3) sum += at(terms, i) * Math.cos(at(terms, i + 1) + at(terms, i + 2) * jme);
    total += sum * power;
    power *= jme;
  }
  return total;
}

/** Reads a table entry whose index the caller keeps in bounds. */
function at(table: Float64Array, i: number): number {
  return table[i] as number;
}

/** Nutation in longitude and obliquity, degrees (paper 3.4). */
function nutation(jce: number): { dPsiDeg: number; dEpsDeg: number } {
  const jce2 = jce * jce;
  const jce3 = jce2 * jce;
  // Mean elongation of the Moon, mean anomalies of Sun and Moon, Moon's argument of latitude,
  // longitude of the Moon's ascending node (degrees).
  const x0 = normalizeDeg(297.85036 + 445267.11148 * jce - 0.0019142 * jce2 + jce3 / 189474);
  const x1 = normalizeDeg(357.52772 + 35999.05034 * jce - 0.0001603 * jce2 - jce3 / 300000);
  const x2 = normalizeDeg(134.96298 + 477198.867398 * jce + 0.0086972 * jce2 + jce3 / 56250);
  const x3 = normalizeDeg(93.27191 + 483202.017538 * jce - 0.0036825 * jce2 + jce3 / 327270);
  const x4 = normalizeDeg(125.04452 - 1934.136261 * jce + 0.0020708 * jce2 + jce3 / 450000);
  let psi = 0;
  let eps = 0;
  const t = NUTATION_FLAT;
  for (let i = 0; i < t.length; i += NUTATION_STRIDE) {
    const arg = (x0 * at(t, i) + x1 * at(t, i + 1) + x2 * at(t, i + 2) + x3 * at(t, i + 3) + x4 * at(t, i + 4)) * DEG;
    psi += (at(t, i + 5) + at(t, i + 6) * jce) * Math.sin(arg);
    eps += (at(t, i + 7) + at(t, i + 8) * jce) * Math.cos(arg);
  }
  return { dPsiDeg: psi / 36_000_000, dEpsDeg: eps / 36_000_000 };
}

const OBLIQUITY_ARCSEC_HIGHEST_FIRST: readonly number[] =
  [2.45, 5.79, 27.87, 7.12, -39.05, -249.67, -51.38, 1999.25, -1.55, -4680.93, 84381.448];

/** Mean obliquity of the ecliptic, arcseconds, U = JME/10 (paper eq. 24, Laskar's polynomial). */
function meanObliquityArcsec(u: number): number {
  let value = 0;
  for (const c of OBLIQUITY_ARCSEC_HIGHEST_FIRST) value = value * u + c;
  return value;
}

/** Greenwich mean sidereal time, degrees (paper eq. 28). */
function meanSiderealTimeDeg(jd: number, jc: number): number {
  return normalizeDeg(280.46061837 + 360.98564736629 * (jd - J2000) + 0.000387933 * jc * jc - (jc * jc * jc) / 38710000);
}

/** Parallax correction from the Earth's centre to the observer (paper 3.12). */
function topocentric(obs: SpaObserver, rAu: number, hDeg: number, deltaDeg: number):
  { deltaAlphaDeg: number; deltaPrimeDeg: number; hPrimeDeg: number } {
  const xi = (8.794 / (3600 * rAu)) * DEG;
  const phi = obs.latDeg * DEG;
  const u = Math.atan(0.99664719 * Math.tan(phi));
  const heightRatio = obs.elevationM / 6378140;
  const x = Math.cos(u) + heightRatio * Math.cos(phi);
  const y = 0.99664719 * Math.sin(u) + heightRatio * Math.sin(phi);
  const h = hDeg * DEG;
  const delta = deltaDeg * DEG;
  const denominator = Math.cos(delta) - x * Math.sin(xi) * Math.cos(h);
  const deltaAlpha = Math.atan2(-x * Math.sin(xi) * Math.sin(h), denominator);
  const deltaPrime = Math.atan2((Math.sin(delta) - y * Math.sin(xi)) * Math.cos(deltaAlpha), denominator);
  return { deltaAlphaDeg: deltaAlpha * RAD, deltaPrimeDeg: deltaPrime * RAD, hPrimeDeg: hDeg - deltaAlpha * RAD };
}

/** Elevation with refraction, zenith and azimuth (paper 3.13-3.15). */
function horizonCoordinates(obs: SpaObserver, deltaPrimeDeg: number, hPrimeDeg: number):
  SunPosition & { elevationUnrefractedDeg: number; refractionDeg: number; elevationDeg: number } {
  const phi = obs.latDeg * DEG;
  const deltaPrime = deltaPrimeDeg * DEG;
  const hPrime = hPrimeDeg * DEG;
  const e0 = RAD * Math.asin(Math.sin(phi) * Math.sin(deltaPrime) + Math.cos(phi) * Math.cos(deltaPrime) * Math.cos(hPrime));
  const refraction = obs.atmosRefractionDeg ?? ATMOS_REFRACTION_DEG_DEFAULT;
  // Refraction only lifts a sun that is (nearly) up; below that the formula diverges.
  const dE = e0 >= -(SUN_RADIUS_DEG + refraction)
    ? (obs.pressureMbar / 1010) * (283 / (273 + obs.temperatureC)) * 1.02 / (60 * Math.tan((e0 + 10.3 / (e0 + 5.11)) * DEG))
    : 0;
  const e = e0 + dE;
  const astronomersAzimuth = RAD * Math.atan2(Math.sin(hPrime),
    Math.cos(hPrime) * Math.sin(phi) - Math.tan(deltaPrime) * Math.cos(phi));
  return {
    elevationUnrefractedDeg: e0,
    refractionDeg: dE,
    elevationDeg: e,
    zenithDeg: 90 - e,
    azimuthDeg: normalizeDeg(astronomersAzimuth + 180),
  };
}

function normalizeDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}
