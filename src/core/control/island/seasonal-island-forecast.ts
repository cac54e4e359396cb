/**
 * The island controller's default forecast (an `IslandLoadForecast`): a seasonal profile from the
 * site history.
 *
 * - Each channel (critical, essential, normal demand, PV + wind, CHP capacity) of a coming slot is
 *   the mean of the same time of day over the days recorded, summed over the sites.
 * - Generation is scaled by the recent ratio of actual to profile generation (the last day's values
 *   over the profile, over all times of day): a cloudy day stays cloudy, a calm week stays calm. The
 *   ratio is kept within [0, GENERATION_RATIO_MAX].
 * - With no history for a time of day (the first day of a run), demand and CHP capacity fall back to
 *   their current values and generation to zero: the current PV output at noon says nothing about
 *   the night, and counting on it would be wrong on the unsafe side.
 * - The current slot (value 0) is the sensed value itself.
 * - Sites the history does not track contribute their current values (and no generation ahead).
 *
 * The profile of a set of sites is kept per set (by the identity of `sites`) and brought up to date
 * bin by bin, so a forecast costs one pass over the set's sites per channel and slot.
 */
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import type { IslandLoadForecast } from './island-load-forecast.js';
import { CH_CHP, CH_CRITICAL, CH_ESSENTIAL, CH_GENERATION, CH_NORMAL, HISTORY_CHANNELS, sensedWh, type SiteHistory } from './site-history.js';

export const GENERATION_RATIO_MAX = 1.5;

/** The profile of one set of sites, brought up to date bin by bin as the history records slots. */
interface SetProfile {
  /** Per channel, per bin: the mean over the recorded days summed over the set's tracked sites. */
  readonly profile: Float64Array[];
  /** Per bin: the latest recorded generation summed over the set's tracked sites. */
  readonly latestGeneration: Float64Array;
  /** The history's last recorded slot when the profile was brought up to date. */
  upTo: number;
}

export class SeasonalIslandForecast implements IslandLoadForecast {
  private readonly profiles = new WeakMap<ArrayLike<number>, SetProfile>();
  private readonly current = new Float64Array(HISTORY_CHANNELS);
  private readonly untracked = new Float64Array(HISTORY_CHANNELS);
  private set: SetProfile | undefined;
  private ratio = 1;
  private cachedSites: ArrayLike<number> | undefined;
  private cachedSlot = -1;

  constructor(private readonly history: SiteHistory, private readonly buffers: SlotBuffers) {}

  netCriticalWh(sites: ArrayLike<number>, fromSlot: number, slots: number, out: Float64Array): void {
    this.prepare(sites, fromSlot);
    for (let h = 0; h < slots; h++) {
      const t = fromSlot + h;
      out[h] = this.at(CH_CRITICAL, t, h) - this.at(CH_GENERATION, t, h) - this.at(CH_CHP, t, h);
    }
  }

  nonCriticalWh(sites: ArrayLike<number>, fromSlot: number, slots: number, out: Float64Array): void {
    this.prepare(sites, fromSlot);
    for (let h = 0; h < slots; h++) {
      const t = fromSlot + h;
      out[h] = this.at(CH_ESSENTIAL, t, h) + this.at(CH_NORMAL, t, h);
    }
  }

  /** The factor generation is forecast with: recent actual over profile generation of `sites`. */
  generationRatio(sites: ArrayLike<number>, fromSlot: number): number {
    this.prepare(sites, fromSlot);
    return this.ratio;
  }

  private at(ch: number, slot: number, h: number): number {
    if (h === 0) return this.current[ch] as number;
    const bin = this.history.binOf(slot);
    const generation = ch === CH_GENERATION;
    if (this.history.daysIn(bin) === 0) return generation ? 0 : (this.current[ch] as number);
    const profiled = ((this.set as SetProfile).profile[ch] as Float64Array)[bin] as number;
    return generation ? profiled * this.ratio : profiled + (this.untracked[ch] as number);
  }

  /**
   * Current values of the set, its profile brought up to date and the generation ratio. Once per
   * slot and set: the profile is kept per set (by the identity of `sites`, whose content must not
   * change) and only the bins recorded since the last call are summed again, so a slot costs one
   * pass over the sites per channel, not one per channel and bin.
   */
  private prepare(sites: ArrayLike<number>, slot: number): void {
    if (sites === this.cachedSites && slot === this.cachedSlot) return;
    this.cachedSites = sites;
    this.cachedSlot = slot;
    const { history, buffers: b } = this;
    this.current.fill(0);
    this.untracked.fill(0);
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const tracked = history.position[i] !== -1;
      for (let ch = 0; ch < HISTORY_CHANNELS; ch++) {
        const v = sensedWh(b, i, ch);
        this.current[ch] = (this.current[ch] as number) + v;
        if (!tracked) this.untracked[ch] = (this.untracked[ch] as number) + v;
      }
    }
    const set = this.upToDate(sites);
    this.set = set;
    let actual = 0;
    let expected = 0;
    const profile = set.profile[CH_GENERATION] as Float64Array;
    for (let bin = 0; bin < history.binsPerDay; bin++) {
      actual += set.latestGeneration[bin] as number;
      expected += profile[bin] as number;
    }
    this.ratio = expected > 0 ? Math.min(GENERATION_RATIO_MAX, Math.max(0, actual / expected)) : 1;
  }

  private upToDate(sites: ArrayLike<number>): SetProfile {
    const { history } = this;
    const bins = history.binsPerDay;
    let set = this.profiles.get(sites);
    if (set === undefined) {
      set = { profile: Array.from({ length: HISTORY_CHANNELS }, () => new Float64Array(bins)), latestGeneration: new Float64Array(bins), upTo: -1 };
      this.profiles.set(sites, set);
    }
    const last = history.lastRecordedSlot;
    const newSlots = last - set.upTo;
    if (newSlots <= 0) return set;
    if (set.upTo < 0 || newSlots >= history.slotsPerDay) {
      for (let bin = 0; bin < bins; bin++) this.sumBin(set, sites, bin);
    } else {
      let previous = -1;
      for (let slot = set.upTo + 1; slot <= last; slot++) {
        const bin = history.binOf(slot);
        if (bin !== previous) this.sumBin(set, sites, bin);
        previous = bin;
      }
    }
    set.upTo = last;
    return set;
  }

  private sumBin(set: SetProfile, sites: ArrayLike<number>, bin: number): void {
    for (let ch = 0; ch < HISTORY_CHANNELS; ch++) (set.profile[ch] as Float64Array)[bin] = this.history.profileWh(sites, ch, bin);
    set.latestGeneration[bin] = this.history.latestWh(sites, CH_GENERATION, bin);
  }
}
