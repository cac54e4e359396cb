/**
 * Signed requests already served, so a captured request cannot be sent again while its time is
 * still inside the accepted clock skew. The cache is bounded: when full, the oldest entry is
 * evicted and its time becomes a floor, and requests signed at or before the floor are refused.
 * An evicted request therefore can never be replayed; the cost of a flood is that slow clocks must
 * sign again with a fresh time, never that a replay slips through.
 */

export type ReplayVerdict = 'fresh' | 'replayed' | 'below-floor';

export class ReplayCache {
  /** key -> signed time (ms); Map keeps insertion order, so the first entry is the oldest. */
  private readonly seen = new Map<string, number>();
  private floorMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly capacity: number, private readonly windowMs: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`replay cache capacity: expected a positive integer (got ${capacity})`);
  }

  get size(): number {
    return this.seen.size;
  }

  /** Remembers `key` signed at `timeMs` and says whether it is fresh. */
  admit(key: string, timeMs: number, nowMs: number): ReplayVerdict {
    this.forgetExpired(nowMs);
    if (this.seen.has(key)) return 'replayed';
    if (timeMs <= this.floorMs) return 'below-floor';
    while (this.seen.size >= this.capacity) this.evictOldest();
    this.seen.set(key, timeMs);
    return 'fresh';
  }

  /** Leading entries that the skew check alone now refuses need no memory. */
  private forgetExpired(nowMs: number): void {
    for (const [key, timeMs] of this.seen) {
      if (timeMs >= nowMs - this.windowMs) return;
      this.seen.delete(key);
    }
  }

  private evictOldest(): void {
    const oldest = this.seen.entries().next();
    if (oldest.done === true) return;
    const [key, timeMs] = oldest.value;
    this.seen.delete(key);
    this.floorMs = Math.max(this.floorMs, timeMs);
  }
}
