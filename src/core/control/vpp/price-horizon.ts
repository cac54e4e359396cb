/**
 * Price forecasts for the slots ahead at one level (offset 0 = the slot being planned), with prefix
 * sums so the cost of any window is O(1). A slot without a forecast holds NaN and is counted as
 * unknown; a window with an unknown slot has no cost.
 */
import type { PriceSignal } from '../../market/price-signal.js';
import type { AreaLevel } from '../../sim/scenario-schema.js';

export class PriceHorizon {
  private readonly prices: Float64Array;
  /** sums[j] = sum of the known prices at offsets < j. */
  private readonly sums: Float64Array;
  /** unknowns[j] = number of unknown prices at offsets < j. */
  private readonly unknowns: Int32Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.prices = new Float64Array(capacity);
    this.sums = new Float64Array(capacity + 1);
    this.unknowns = new Int32Array(capacity + 1);
  }

  /** Slots held (offsets 0..length-1). */
  get length(): number {
    return this.size;
  }

  /** Fills from the seasonal-naive forecast of `level` for the slots from `slot` on. */
  fillFrom(prices: PriceSignal, level: AreaLevel, slot: number): void {
    for (let j = 0; j < this.capacity; j++) this.prices[j] = prices.forecast(level, slot + j, slot) ?? NaN;
    this.index(this.capacity);
  }

  /** Fills from given prices (NaN = unknown), at most `capacity` of them. */
  load(values: ArrayLike<number>): void {
    const n = Math.min(values.length, this.capacity);
    for (let j = 0; j < n; j++) this.prices[j] = values[j] as number;
    this.index(n);
  }

  /** Forecast price at offset `j` (NaN when unknown or beyond the horizon). */
  priceAt(j: number): number {
    return j >= 0 && j < this.size ? (this.prices[j] as number) : NaN;
  }

  /** Every slot at offsets from..to-1 has a forecast (and lies within the horizon). */
  known(from: number, to: number): boolean {
    return from >= 0 && to <= this.size && this.unknowns[to] === this.unknowns[from];
  }

  /** Sum of the known prices at offsets from..to-1. */
  sum(from: number, to: number): number {
    return (this.sums[to] as number) - (this.sums[from] as number);
  }

  private index(n: number): void {
    this.size = n;
    for (let j = 0; j < n; j++) {
      const p = this.prices[j] as number;
      const unknown = Number.isNaN(p);
      this.sums[j + 1] = (this.sums[j] as number) + (unknown ? 0 : p);
      this.unknowns[j + 1] = (this.unknowns[j] as number) + (unknown ? 1 : 0);
    }
  }
}
