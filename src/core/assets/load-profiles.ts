/**
 * Standard load profiles: the shape of a site's demand over the day, the week and the year, as a
 * factor whose mean over a year is ≈ 1, so demand = annual mean power × factor.
 * The hourly shapes are loosely modelled on the German BDEW standard profiles (H0 household,
 * G0 commercial, L0 farm) and a two-shift factory. Seasons are for the northern hemisphere.
 *
 * The factor depends only on the calendar of the slot, and every load with the same profile in a
 * slot gets the same value, so each profile keeps the last value it computed: with ~10,000 loads per
 * slot, the interpolation and the cosine run once per profile per slot, not once per load.
 */
import type { LoadProfileName } from '../sim/scenario-schema.js';
import type { SlotEnvironment } from './environment.js';

export interface ProfileDefinition {
  /** Relative demand at each whole hour 0..23 (linearly interpolated in between, wrapping at midnight). */
  hourly: readonly number[];
  /** Relative demand on a weekday (Mon–Fri), Saturday and Sunday. */
  weekday: number;
  saturday: number;
  sunday: number;
  /** Seasonal swing: factor = 1 + amplitude × cos(2π (dayOfYear − peakDayOfYear) / 365.25). */
  seasonalAmplitude: number;
  peakDayOfYear: number;
}

const MID_JANUARY = 15;
const MID_JULY = 196;

const DEFINITIONS: Record<LoadProfileName, ProfileDefinition> = {
  // Morning and evening peaks; more at home at weekends; heating and lighting make winter heavier.
  household: {
    hourly: [0.55, 0.45, 0.4, 0.38, 0.38, 0.42, 0.6, 0.85, 0.95, 0.85, 0.8, 0.85, 0.95, 0.9, 0.8, 0.78, 0.85, 1.05, 1.3, 1.4, 1.3, 1.15, 0.95, 0.72],
    weekday: 0.97, saturday: 1.05, sunday: 1.05,
    seasonalAmplitude: 0.2, peakDayOfYear: MID_JANUARY,
  },
  // Office hours; mostly closed at weekends; cooling and heating roughly cancel, so a flat year.
  commercial: {
    hourly: [0.35, 0.33, 0.32, 0.32, 0.33, 0.38, 0.55, 0.9, 1.35, 1.55, 1.6, 1.6, 1.55, 1.55, 1.55, 1.5, 1.4, 1.2, 0.9, 0.7, 0.55, 0.45, 0.4, 0.37],
    weekday: 1, saturday: 0.6, sunday: 0.45,
    seasonalAmplitude: 0.05, peakDayOfYear: MID_JANUARY,
  },
  // Milking at dawn and dusk; animals know no weekend; ventilation, cooling and irrigation in summer.
  farm: {
    hourly: [0.6, 0.55, 0.55, 0.55, 0.65, 1.1, 1.45, 1.35, 1.1, 1, 1, 1, 1, 0.95, 0.95, 1, 1.2, 1.4, 1.35, 1.1, 0.9, 0.8, 0.7, 0.65],
    weekday: 1, saturday: 1, sunday: 1,
    seasonalAmplitude: 0.15, peakDayOfYear: MID_JULY,
  },
  // Two shifts (06–22) with a base load at night; reduced weekend production.
  industrial: {
    hourly: [0.7, 0.68, 0.68, 0.68, 0.7, 0.8, 1.05, 1.2, 1.25, 1.25, 1.25, 1.2, 1.15, 1.2, 1.25, 1.25, 1.2, 1.1, 1, 0.95, 0.9, 0.85, 0.78, 0.72],
    weekday: 1, saturday: 0.7, sunday: 0.55,
    seasonalAmplitude: 0.03, peakDayOfYear: MID_JANUARY,
  },
};

const DAYS_PER_YEAR = 365.25;

/** One profile, normalised so each of its three parts averages 1 over its period. */
export class LoadProfile {
  private readonly hourly: Float64Array;
  /** Indexed by dayOfWeek, Monday = 0. */
  private readonly weekly: Float64Array;
  private readonly seasonalAmplitude: number;
  private readonly peakDayOfYear: number;
  private cachedHour = NaN;
  private cachedDayOfWeek = NaN;
  private cachedDayOfYear = NaN;
  private cachedFactor = 0;

  constructor(readonly name: LoadProfileName, definition: ProfileDefinition) {
    const hourlyMean = definition.hourly.reduce((sum, v) => sum + v, 0) / definition.hourly.length;
    this.hourly = Float64Array.from(definition.hourly, (v) => v / hourlyMean);
    const { weekday, saturday, sunday } = definition;
    const weeklyMean = (5 * weekday + saturday + sunday) / 7;
    this.weekly = Float64Array.from([weekday, weekday, weekday, weekday, weekday, saturday, sunday], (v) => v / weeklyMean);
    this.seasonalAmplitude = definition.seasonalAmplitude;
    this.peakDayOfYear = definition.peakDayOfYear;
  }

  /** Demand factor for a local calendar time (mean ≈ 1 over a year). */
  factor(hourOfDay: number, dayOfWeek: number, dayOfYear: number): number {
    const h = Math.floor(hourOfDay);
    const frac = hourOfDay - h;
    const a = this.hourly[h % 24] ?? 1;
    const b = this.hourly[(h + 1) % 24] ?? 1;
    const daily = a + (b - a) * frac;
    const weekly = this.weekly[dayOfWeek] ?? 1;
    const seasonal = 1 + this.seasonalAmplitude * Math.cos((2 * Math.PI * (dayOfYear - this.peakDayOfYear)) / DAYS_PER_YEAR);
    return daily * weekly * seasonal;
  }

  /**
   * The factor for a slot, computed once per slot. The cache key is the slot's calendar itself (not
   * the slot number), so it can never be stale, even when two runs share this module.
   */
  factorAt(env: SlotEnvironment): number {
    if (env.hourOfDay !== this.cachedHour || env.dayOfWeek !== this.cachedDayOfWeek || env.dayOfYear !== this.cachedDayOfYear) {
      this.cachedFactor = this.factor(env.hourOfDay, env.dayOfWeek, env.dayOfYear);
      this.cachedHour = env.hourOfDay;
      this.cachedDayOfWeek = env.dayOfWeek;
      this.cachedDayOfYear = env.dayOfYear;
    }
    return this.cachedFactor;
  }
}

const PROFILES: Record<LoadProfileName, LoadProfile> = {
  household: new LoadProfile('household', DEFINITIONS.household),
  commercial: new LoadProfile('commercial', DEFINITIONS.commercial),
  farm: new LoadProfile('farm', DEFINITIONS.farm),
  industrial: new LoadProfile('industrial', DEFINITIONS.industrial),
};

/** The shared instance of a profile (shared so that its per-slot cache serves every load). */
export function loadProfile(name: LoadProfileName): LoadProfile {
  return PROFILES[name];
}
