/** A first-in-first-out log that keeps the newest `capacity` entries (a node's slot history, alerts). */
export class BoundedLog<T> {
  private readonly items: T[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** The newest `limit` entries, oldest first. */
  newest(limit: number): T[] {
    return this.items.slice(Math.max(0, this.items.length - Math.max(0, Math.floor(limit))));
  }

  last(): T | undefined {
    return this.items[this.items.length - 1];
  }

  get length(): number {
    return this.items.length;
  }
}
