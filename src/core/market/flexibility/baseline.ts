/**
 * Metered history and the baseline that delivery is verified against (documented for users in
 * docs/flexibility.md).
 *
 * Method ("same time, X of X days"): a site's baseline for a slot is the average of its metered net
 * import (Wh, import positive, export negative) in the same slot of the day on the most recent
 * `baselineDays` earlier days on which that slot counts, looking back at most baselineDays + 1 days.
 * A day's slot does not count when the site was activated for flexibility in it (its metering shows
 * the response, not the habit) or when the site was not grid-connected (islanded or dark). No day
 * that counts → no baseline: the delivery cannot be verified.
 *
 * "Same slot of the day" is the slot `slotsPerDay` slots earlier, i.e. exactly 24 h when the slot
 * length divides a day (all the usual lengths do).
 *
 * Storage is bounded: a ring of baselineDays + 1 days per site with flexible devices, one Int32 and
 * one status byte per slot; the total is capped by HISTORY_VALUES_MAX (a typed error above it).
 */
import { assert } from '../../assert.js';
import { ScenarioError } from '../../errors.js';

/** Slot values kept at most (all sites × slots of a day × days): 32 Mi, i.e. 160 MiB. */
export const HISTORY_VALUES_MAX = 1 << 25;

export const NO_DATA = 0;
/** Metered as usual: counts for the baseline. */
export const METERED = 1;
/** Activated, or not grid-connected: does not count. */
export const EXCLUDED = 2;
export type HistoryStatus = typeof METERED | typeof EXCLUDED;

export interface Baseline {
  /** Average metered net import, Wh (rounded to the Wh). */
  readonly importWh: number;
  /** Days averaged (1..baselineDays). */
  readonly days: number;
}

export class MeteredHistory {
  private readonly ringDays: number;
  private readonly importWh: Int32Array;
  private readonly status: Uint8Array;
  private lastSlot = -1;

  /**
   * `rowOfSite[i]`: history row of site position i, -1 for sites that never offer flexibility (no
   * history is kept for them).
   */
  constructor(private readonly rowOfSite: Int32Array, rows: number, private readonly slotsPerDay: number, private readonly baselineDays: number) {
    assert(Number.isInteger(baselineDays) && baselineDays >= 1, 'baselineDays must be a positive integer', { baselineDays });
    this.ringDays = baselineDays + 1;
    const values = rows * slotsPerDay * this.ringDays;
    if (values > HISTORY_VALUES_MAX) {
      throw new ScenarioError('the flexibility baseline needs too much metered history', {
        details: [`market.flexibility.baselineDays: ${rows} sites with flexible devices × ${slotsPerDay} slots a day × ${this.ringDays} days is ${values} values, at most ${HISTORY_VALUES_MAX} (lower baselineDays or use longer slots)`],
      });
    }
    this.importWh = new Int32Array(values);
    this.status = new Uint8Array(values);
  }

  /** The baseline of site `i` for `slot` (not yet recorded) from the days before, or undefined without history. */
  baseline(i: number, slot: number): Baseline | undefined {
    // The ring slot of `slot` still holds the oldest day; once recorded it would hold `slot` itself.
    assert(slot > this.lastSlot, 'metered history: a baseline is for a slot not yet recorded', { slot, lastSlot: this.lastSlot });
    const row = this.rowOfSite[i] as number;
    if (row < 0) return undefined;
    const day = Math.floor(slot / this.slotsPerDay);
    const base = (row * this.slotsPerDay + (slot % this.slotsPerDay)) * this.ringDays;
    let sum = 0;
    let days = 0;
    for (let back = 1; back <= this.ringDays && days < this.baselineDays; back++) {
      const d = day - back;
      if (d < 0) break;
      const at = base + (d % this.ringDays);
      if (this.status[at] !== METERED) continue;
      sum += this.importWh[at] as number;
      days++;
    }
    return days === 0 ? undefined : { importWh: Math.round(sum / days), days };
  }

  /** Records site `i`'s metered net import of `slot` (call once per site and slot, slots in order). */
  record(i: number, slot: number, importWh: number, status: HistoryStatus): void {
    const row = this.rowOfSite[i] as number;
    if (row < 0) return;
    assert(Number.isSafeInteger(importWh) && Math.abs(importWh) <= 0x7fffffff, 'metered import out of the history range', { importWh });
    const at = (row * this.slotsPerDay + (slot % this.slotsPerDay)) * this.ringDays + (Math.floor(slot / this.slotsPerDay) % this.ringDays);
    this.importWh[at] = importWh;
    this.status[at] = status;
  }

  /** Marks the end of a slot's recording; slots must come in order, one at a time. */
  endSlot(slot: number): void {
    assert(this.lastSlot === -1 || slot === this.lastSlot + 1, 'metered history: slots must be recorded in order', { slot, lastSlot: this.lastSlot });
    this.lastSlot = slot;
  }
}
