/**
 * Time in the core is injected (ADR 0003): nothing here reads the wall clock.
 * A simulation drives a `SlotClock`; the runtime (later) drives the same interface from real time.
 */
import { assert } from './assert.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './units.js';

export interface Clock {
  /** Current time as milliseconds since the Unix epoch (UTC). */
  nowMs(): number;
}

export const SLOT_MINUTES_MIN = 1;
export const SLOT_MINUTES_MAX = 60;
export const SLOT_MINUTES_DEFAULT = 15;

/** Slot timing of a run: slot i covers [startMs + i*slotMs, startMs + (i+1)*slotMs). */
export class SlotClock implements Clock {
  readonly slotMs: number;
  readonly slotHours: number;
  private slot = 0;

  constructor(readonly startMs: number, readonly slotMinutes: number, readonly utcOffsetHours = 0) {
    assert(Number.isInteger(slotMinutes) && slotMinutes >= SLOT_MINUTES_MIN && slotMinutes <= SLOT_MINUTES_MAX,
      `slot length must be a whole number of minutes in 1..60, got ${slotMinutes}`);
    this.slotMs = slotMinutes * MS_PER_MINUTE;
    this.slotHours = slotMinutes / 60;
  }

  get currentSlot(): number {
    return this.slot;
  }

  advanceTo(slot: number): void {
    this.slot = slot;
  }

  nowMs(): number {
    return this.slotStartMs(this.slot);
  }

  slotStartMs(slot: number): number {
    return this.startMs + slot * this.slotMs;
  }

  slotsPerDay(): number {
    return Math.round((24 * 60) / this.slotMinutes);
  }

  /** Number of whole slots in a number of hours (rounded to the nearest slot). */
  slotsInHours(hours: number): number {
    return Math.round((hours * 60) / this.slotMinutes);
  }

  /** Local calendar of the middle of a slot (local = UTC + utcOffsetHours). */
  localCalendar(slot: number): LocalCalendar {
    return localCalendar(this.slotStartMs(slot) + this.slotMs / 2, this.utcOffsetHours);
  }
}

export interface LocalCalendar {
  /** Fractional hour of the local day, 0 <= h < 24. */
  hourOfDay: number;
  /** 0 = Monday ... 6 = Sunday. */
  dayOfWeek: number;
  /** 1..366 */
  dayOfYear: number;
}

export function localCalendar(epochMs: number, utcOffsetHours: number): LocalCalendar {
  const localMs = epochMs + utcOffsetHours * MS_PER_HOUR;
  const days = Math.floor(localMs / MS_PER_DAY);
  const msOfDay = localMs - days * MS_PER_DAY;
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const dayOfWeek = (((days + 3) % 7) + 7) % 7;
  const d = new Date(days * MS_PER_DAY);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((days * MS_PER_DAY - yearStart) / MS_PER_DAY) + 1;
  return { hourOfDay: msOfDay / MS_PER_HOUR, dayOfWeek, dayOfYear };
}
