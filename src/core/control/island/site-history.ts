/**
 * What each site sensed over the last days, by time of day: the history the island controller's
 * seasonal forecast is made from (seasonal-island-forecast.ts). Updated every slot for every tracked
 * site, before anything is shed or curtailed, so it holds demand and generation, not what was served.
 *
 * Channels (Wh per slot): critical, essential and normal demand, variable generation (PV + wind) and
 * CHP capacity.
 *
 * Storage is a ring of `days` days per tracked site, in typed arrays (Float32: a forecast needs no
 * more than 7 significant digits). A day has `binsPerDay` bins: one per slot for slots of 15 minutes
 * or longer; shorter slots share a bin (it holds their mean) so that a day never has more than
 * MAX_BINS_PER_DAY bins. Memory is therefore bounded by 7 days × 96 bins × 5 channels × 4 B ≈ 13.4 kB
 * per tracked site, plus 1.9 kB of per-bin sums (≈ 154 MB for 10,000 sites). Recording costs 5 writes
 * and 5 sums of at most `days` values per site and slot.
 *
 * Days are counted from the start of the run (`slotsPerDay` slots each), so slot s and slot
 * s − slotsPerDay share a bin whatever the clock time of the start.
 */
import { assert } from '../../assert.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';

export const HISTORY_DAYS = 7;
export const MAX_BINS_PER_DAY = 96;

export const CH_CRITICAL = 0;
export const CH_ESSENTIAL = 1;
export const CH_NORMAL = 2;
/** PV + wind. */
export const CH_GENERATION = 3;
/** CHP capacity (what CHP could produce). */
export const CH_CHP = 4;
export const HISTORY_CHANNELS = 5;

/** The buffer arrays a channel is read from (their sum, for generation). */
function channelArrays(b: SlotBuffers, ch: number): [Float64Array, Float64Array | undefined] {
  switch (ch) {
    case CH_CRITICAL: return [b.demandWh[0], undefined];
    case CH_ESSENTIAL: return [b.demandWh[1], undefined];
    case CH_NORMAL: return [b.demandWh[2], undefined];
    case CH_GENERATION: return [b.pvWh, b.windWh];
    default: return [b.chpMaxWh, undefined];
  }
}

/** The sensed value of channel `ch` at site `i` in the current slot. */
export function sensedWh(b: SlotBuffers, i: number, ch: number): number {
  const [first, second] = channelArrays(b, ch);
  return (first[i] as number) + (second === undefined ? 0 : (second[i] as number));
}

export class SiteHistory {
  readonly slotsPerBin: number;
  readonly binsPerDay: number;
  /** Tracked position of each site, -1 when the site is not tracked. */
  readonly position: Int32Array;
  /** Site of each tracked position. */
  private readonly siteOf: Int32Array;
  private readonly ring: Float32Array;
  /** Sum over the recorded days of each (bin, channel, position). */
  private readonly sums: Float32Array;
  /** Days with a value in each bin (at most `days`). */
  private readonly filled: Int32Array;
  /** Day number last written into each bin, -1 when never. */
  private readonly lastDay: Int32Array;
  private lastSlot = -1;

  /** `tracked[i]` = 1 for the sites to record. */
  constructor(tracked: Uint8Array, readonly slotsPerDay: number, readonly days = HISTORY_DAYS) {
    assert(slotsPerDay >= 1 && days >= 1, 'site history needs at least one slot per day and one day', { slotsPerDay, days });
    this.slotsPerBin = Math.ceil(slotsPerDay / MAX_BINS_PER_DAY);
    this.binsPerDay = Math.ceil(slotsPerDay / this.slotsPerBin);
    this.position = new Int32Array(tracked.length).fill(-1);
    const sites: number[] = [];
    tracked.forEach((t, i) => {
      if (t === 1) {
        this.position[i] = sites.length;
        sites.push(i);
      }
    });
    this.siteOf = Int32Array.from(sites);
    const n = sites.length;
    this.ring = new Float32Array(days * this.binsPerDay * HISTORY_CHANNELS * n);
    this.sums = new Float32Array(this.binsPerDay * HISTORY_CHANNELS * n);
    this.filled = new Int32Array(this.binsPerDay);
    this.lastDay = new Int32Array(this.binsPerDay).fill(-1);
  }

  get trackedSites(): number {
    return this.siteOf.length;
  }

  binOf(slot: number): number {
    return Math.floor((slot % this.slotsPerDay) / this.slotsPerBin);
  }

  /** Days recorded in the bin of `slot` (0 = no history for that time of day yet). */
  daysIn(bin: number): number {
    return this.filled[bin] as number;
  }

  /** Records the sensed values of slot `slot` (once per slot; slots must come in order). */
  record(slot: number, b: SlotBuffers): void {
    if (slot === this.lastSlot) return;
    assert(slot > this.lastSlot, 'site history records slots in order', { slot, last: this.lastSlot });
    this.lastSlot = slot;
    const day = Math.floor(slot / this.slotsPerDay);
    const ofDay = slot - day * this.slotsPerDay;
    const bin = Math.floor(ofDay / this.slotsPerBin);
    const inBin = ofDay - bin * this.slotsPerBin;
    const newDay = this.lastDay[bin] !== day;
    if (newDay) {
      this.lastDay[bin] = day;
      this.filled[bin] = Math.min(this.days, (this.filled[bin] as number) + 1);
    }
    const n = this.siteOf.length;
    const row = day % this.days;
    for (let ch = 0; ch < HISTORY_CHANNELS; ch++) {
      const [first, second] = channelArrays(b, ch);
      const cell = this.cell(row, bin, ch);
      const sum = (bin * HISTORY_CHANNELS + ch) * n;
      for (let k = 0; k < n; k++) {
        const i = this.siteOf[k] as number;
        const v = (first[i] as number) + (second === undefined ? 0 : (second[i] as number));
        // On a new day the cell holds the value of `days` days ago (or 0, never written): it leaves
        // the window. A bin of several slots holds their running mean.
        const old = this.ring[cell + k] as number;
        const value = newDay ? v : old + (v - old) / (inBin + 1);
        this.ring[cell + k] = value;
        // The window's sum, kept up to date instead of summed again every slot (Float32 rounding drifts
        // by a few Wh at most over a year of slots: nothing a forecast notices).
        this.sums[sum + k] = (this.sums[sum + k] as number) - old + value;
      }
    }
  }

  /** The last slot recorded (-1 before the first). */
  get lastRecordedSlot(): number {
    return this.lastSlot;
  }

  /** Mean over the recorded days of channel `ch` in `bin`, summed over the tracked `sites` (0 without history). */
  profileWh(sites: ArrayLike<number>, ch: number, bin: number): number {
    const filled = this.filled[bin] as number;
    if (filled === 0) return 0;
    const base = (bin * HISTORY_CHANNELS + ch) * this.siteOf.length;
    let s = 0;
    for (let k = 0; k < sites.length; k++) {
      const p = this.position[sites[k] as number] as number;
      if (p >= 0) s += this.sums[base + p] as number;
    }
    return s / filled;
  }

  /** Latest recorded value of channel `ch` in `bin`, summed over the tracked `sites` (0 without history). */
  latestWh(sites: ArrayLike<number>, ch: number, bin: number): number {
    const day = this.lastDay[bin] as number;
    if (day < 0) return 0;
    const cell = this.cell(day % this.days, bin, ch);
    let s = 0;
    for (let k = 0; k < sites.length; k++) {
      const p = this.position[sites[k] as number] as number;
      if (p >= 0) s += this.ring[cell + p] as number;
    }
    return s;
  }

  private cell(row: number, bin: number, ch: number): number {
    return ((row * this.binsPerDay + bin) * HISTORY_CHANNELS + ch) * this.siteOf.length;
  }
}
