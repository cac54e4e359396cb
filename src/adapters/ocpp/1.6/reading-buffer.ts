/**
 * A bounded FIFO of charger readings between the socket side and the slot cycle (which drains it
 * once per slot, CONVENTIONS 3). When full it refuses the reading with a typed error: the central
 * system answers that MeterValues with a CALLERROR, so the charger keeps and resends it, rather than
 * the buffer silently dropping energy.
 */
import type { ChargerReading, ChargerReadingSink } from './charger-reading.js';
import { OcppError } from './ocpp-errors.js';

export class BoundedReadingBuffer implements ChargerReadingSink {
  private readonly items: ChargerReading[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new OcppError('bad-config', `reading buffer capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.items.length;
  }

  pushAll(readings: readonly ChargerReading[]): void {
    if (this.items.length + readings.length > this.capacity) {
      throw new OcppError('reading-buffer-full', `reading buffer is full (${this.capacity} readings)`, {
        details: [`${readings.length} readings refused, ${this.items.length} buffered`],
      });
    }
    this.items.push(...readings);
  }

  /** Removes and returns every buffered reading, oldest first. */
  drain(): ChargerReading[] {
    return this.items.splice(0, this.items.length);
  }
}
