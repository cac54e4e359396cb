/**
 * Clearing prices of recent slots by level, written by the markets each slot and read by planners
 * (VPP scheduling, site EMS) as a price forecast. Keeps the last `days` days (a ring per level).
 */
import type { AreaLevel } from '../sim/scenario-schema.js';
import { AREA_LEVELS } from '../sim/scenario-schema.js';

export class PriceSignal {
  private readonly prices: Map<AreaLevel, Float64Array>;
  private readonly capacity: number;

  constructor(readonly slotsPerDay: number, days = 2) {
    this.capacity = Math.max(1, slotsPerDay * days);
    this.prices = new Map(AREA_LEVELS.map((l) => [l, new Float64Array(this.capacity).fill(NaN)]));
  }

  /** Forgets what the ring held for `slot` (a day or more ago); the markets call it before recording. */
  startSlot(slot: number): void {
    for (const ring of this.prices.values()) ring[slot % this.capacity] = NaN;
  }

  /** Records the average clearing price of `level` in `slot` (minor units per kWh). */
  record(level: AreaLevel, slot: number, priceMinorPerKwh: number): void {
    (this.prices.get(level) as Float64Array)[slot % this.capacity] = priceMinorPerKwh;
  }

  /**
   * The price recorded for `level` in `slot`, or undefined when that slot has not been cleared yet,
   * fell out of the window, or nothing traded at that level.
   */
  priceAt(level: AreaLevel, slot: number, currentSlot: number): number | undefined {
    if (slot < 0 || slot >= currentSlot || currentSlot - slot > this.capacity) return undefined;
    const v = (this.prices.get(level) as Float64Array)[slot % this.capacity] as number;
    return Number.isNaN(v) ? undefined : v;
  }

  /** Seasonal-naive forecast: the price of the same slot the day before (undefined when unknown). */
  forecast(level: AreaLevel, slot: number, currentSlot: number): number | undefined {
    return this.priceAt(level, slot - this.slotsPerDay, currentSlot);
  }
}
