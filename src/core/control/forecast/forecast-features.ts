/**
 * Features of the learned model, per target (ADR 0012). A feature row describes one target slot and
 * reads only what is known when the forecast is issued: the calendar and the weather forecast of that
 * slot, and observations at least `firstLagDays` days before it. A forecast for leads of up to one day
 * uses firstLagDays = 1 (same slot yesterday); leads of 24–48 h use a second model with
 * firstLagDays = 2, so every lag of every lead lies before the issue time.
 *
 * Lag tiers follow the history there is: `weekly` (the daily lag, the lag of 7 days and the mean of
 * the same slot over the 7 most recent usable days) needs about a week before each training row,
 * `daily` only the daily lag, `none` no observation at all (calendar and weather only).
 */
import type { ForecastTarget } from '../control-metrics.js';
import type { ForecastInput } from './forecaster.js';

export type LagTier = 'none' | 'daily' | 'weekly';
export const LAG_TIERS: readonly LagTier[] = ['weekly', 'daily', 'none'];

export interface FeatureSet {
  readonly names: readonly string[];
  /** Whole days of observations a row reads before its own slot (the longest lag). */
  readonly lagDays: number;
  /** Only slots with daylight (clear-sky GHI > 0) are modelled; the others are 0 (PV). */
  readonly daylightOnly: boolean;
  /** The features tell weekdays, Saturdays and Sundays apart (training rows must include each). */
  readonly usesDayTypes: boolean;
  /** Writes the features of `slot` into row[offset..offset + names.length). */
  fill(row: Float64Array, offset: number, input: ForecastInput, slot: number): void;
}

interface FeatureGroup {
  readonly names: readonly string[];
  readonly lagDays: number;
  fill(row: Float64Array, at: number, input: ForecastInput, slot: number): void;
}

/** Heating degrees below this outdoor temperature (heat pumps, heaters), cooling degrees above the other. */
const HEATING_BASE_C = 15;
const COOLING_BASE_C = 22;
/** Wind speed at 10 m above which the turbines of a farm are at rated power (rated 12 m/s at a 30 m hub). */
const WIND_RATED_AT_10M_MS = 10;
const WIND_HINGES_MS = [4, 7];

export function featuresFor(target: ForecastTarget, firstLagDays: number, tier: LagTier): FeatureSet {
  const groups = [...targetGroups(target), ...lagGroups(firstLagDays, tier)];
  return {
    names: groups.flatMap((g) => g.names),
    lagDays: Math.max(0, ...groups.map((g) => g.lagDays)),
    daylightOnly: target === 'pv',
    usesDayTypes: target === 'load' || target === 'price',
    fill(row, offset, input, slot) {
      let at = offset;
      for (const g of groups) {
        g.fill(row, at, input, slot);
        at += g.names.length;
      }
    },
  };
}

function targetGroups(target: ForecastTarget): FeatureGroup[] {
  switch (target) {
    case 'load': return [dailyProfile(6), dayTypes(4), temperature()];
    case 'pv': return [solar(2)];
    case 'wind': return [windPower(), dailyProfile(1)];
    case 'price': return [dailyProfile(4), dayTypes(2), temperature(), solar(0), windPower()];
  }
}

/** sin and cos of k·2π·hour/24 for k = 1..harmonics: a smooth daily profile. */
function dailyProfile(harmonics: number): FeatureGroup {
  return {
    names: fourierNames('', harmonics),
    lagDays: 0,
    fill(row, at, input, slot) {
      writeFourier(row, at, input.exogenous.hourOfDay[slot] as number, harmonics, 1);
    },
  };
}

/** Saturday and Sunday flags and their own daily profiles (the weekday profile is the base). */
function dayTypes(harmonics: number): FeatureGroup {
  const width = 1 + 2 * harmonics;
  return {
    names: ['saturday', ...fourierNames('saturday×', harmonics), 'sunday', ...fourierNames('sunday×', harmonics)],
    lagDays: 0,
    fill(row, at, input, slot) {
      const day = input.exogenous.dayOfWeek[slot] as number;
      const hour = input.exogenous.hourOfDay[slot] as number;
      const saturday = day === 5 ? 1 : 0;
      const sunday = day === 6 ? 1 : 0;
      row[at] = saturday;
      writeFourier(row, at + 1, hour, harmonics, saturday);
      row[at + width] = sunday;
      writeFourier(row, at + width + 1, hour, harmonics, sunday);
    },
  };
}

function temperature(): FeatureGroup {
  return {
    names: ['temperatureC', 'heatingDegreesK', 'coolingDegreesK'],
    lagDays: 0,
    fill(row, at, input, slot) {
      const t = input.exogenous.temperatureC[slot] as number;
      row[at] = t;
      row[at + 1] = Math.max(0, HEATING_BASE_C - t);
      row[at + 2] = Math.max(0, t - COOLING_BASE_C);
    },
  };
}

/**
 * Irradiance: the forecast GHI, its product with the forecast clear-sky index (the beam share grows
 * with it, and tilted panels see beam better), the clear-sky GHI, the forecast GHI times a daily
 * profile (panels face south-ish: the same GHI gives more at noon than at dawn) and times the
 * temperature (hot cells yield less).
 */
function solar(harmonics: number): FeatureGroup {
  return {
    names: ['ghiWm2', 'ghi×clearSkyIndex', 'clearSkyGhiWm2', 'ghi×temperature', ...fourierNames('ghi×', harmonics)],
    lagDays: 0,
    fill(row, at, input, slot) {
      const ex = input.exogenous;
      const ghi = ex.ghiWm2[slot] as number;
      const clear = ex.clearSkyGhiWm2[slot] as number;
      row[at] = ghi;
      row[at + 1] = clear > 0 ? (ghi * ghi) / clear : 0;
      row[at + 2] = clear;
      row[at + 3] = ghi * (ex.temperatureC[slot] as number);
      writeFourier(row, at + 4, ex.hourOfDay[slot] as number, harmonics, ghi);
    },
  };
}

/**
 * A farm's power curve from the forecast 10 m wind speed: speed, square and cube capped at the speed
 * of rated power (power grows with v³ up to rated, then stays flat), and hinges that let the curve
 * bend where cut-in and rated speeds of different hub heights fall.
 */
function windPower(): FeatureGroup {
  return {
    names: ['windMs', 'windCapped²', 'windCapped³', ...WIND_HINGES_MS.map((h) => `wind>${h}`)],
    lagDays: 0,
    fill(row, at, input, slot) {
      const v = input.exogenous.windSpeedMs[slot] as number;
      const capped = Math.min(v, WIND_RATED_AT_10M_MS);
      row[at] = v;
      row[at + 1] = capped * capped;
      row[at + 2] = capped * capped * capped;
      for (let h = 0; h < WIND_HINGES_MS.length; h++) row[at + 3 + h] = Math.max(0, Math.min(v, WIND_RATED_AT_10M_MS) - (WIND_HINGES_MS[h] as number));
    },
  };
}

function lagGroups(firstLagDays: number, tier: LagTier): FeatureGroup[] {
  if (tier === 'none') return [];
  const daily = lagOf(firstLagDays);
  if (tier === 'daily') return [daily];
  return firstLagDays < 7 ? [daily, lagOf(7), sameSlotMean(firstLagDays, 7)] : [daily, sameSlotMean(firstLagDays, 7)];
}

/** The observation of the same slot `days` days earlier. */
function lagOf(days: number): FeatureGroup {
  return {
    names: [`lag${days}d`],
    lagDays: days,
    fill(row, at, input, slot) {
      row[at] = input.observed[slot - days * input.slotsPerDay] as number;
    },
  };
}

/** Mean of the same slot over `count` days, from `firstDays` days back. */
function sameSlotMean(firstDays: number, count: number): FeatureGroup {
  return {
    names: [`mean${count}d`],
    lagDays: firstDays + count - 1,
    fill(row, at, input, slot) {
      let sum = 0;
      for (let d = firstDays; d < firstDays + count; d++) sum += input.observed[slot - d * input.slotsPerDay] as number;
      row[at] = sum / count;
    },
  };
}

function fourierNames(prefix: string, harmonics: number): string[] {
  const names: string[] = [];
  for (let k = 1; k <= harmonics; k++) names.push(`${prefix}sin${k}`, `${prefix}cos${k}`);
  return names;
}

/** sin/cos of the first `harmonics` multiples of the daily angle, times `scale`, by angle addition. */
function writeFourier(row: Float64Array, at: number, hourOfDay: number, harmonics: number, scale: number): void {
  if (harmonics === 0) return;
  const angle = (2 * Math.PI * hourOfDay) / 24;
  const s1 = Math.sin(angle);
  const c1 = Math.cos(angle);
  let s = s1;
  let c = c1;
  for (let k = 0; k < harmonics; k++) {
    row[at + 2 * k] = scale * s;
    row[at + 2 * k + 1] = scale * c;
    const next = s * c1 + c * s1;
    c = c * c1 - s * s1;
    s = next;
  }
}
