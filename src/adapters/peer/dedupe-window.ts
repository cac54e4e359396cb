/**
 * Duplicate and replay detection for one sender's envelope seqs, in bounded memory.
 *
 * A seq is accepted once, if it is at or above the floor (the seq the sender announced in the
 * hello of the current session: anything lower is from an earlier session, i.e. a replay) and not
 * more than `window` below the highest seq seen (older ones cannot be told apart from replays
 * without unbounded memory). Seqs within the window may arrive out of order (they will once
 * envelopes are relayed); the set of seen ones holds at most `window` entries.
 */
export type SeqVerdict = 'new' | 'duplicate' | 'stale';

export class DedupeWindow {
  private highest = -1;
  private readonly seen = new Set<number>();

  constructor(private readonly window: number, private floor = 0) {}

  /** A new session announced `floor`: forget what was seen before. */
  restart(floor: number): void {
    this.floor = floor;
    this.highest = -1;
    this.seen.clear();
  }

  check(seq: number): SeqVerdict {
    if (seq < this.floor || seq <= this.highest - this.window) return 'stale';
    if (this.seen.has(seq)) return 'duplicate';
    this.seen.add(seq);
    if (seq > this.highest) this.highest = seq;
    if (this.seen.size > this.window) {
      const lowest = this.highest - this.window;
      for (const s of this.seen) if (s <= lowest) this.seen.delete(s);
    }
    return 'new';
  }
}
