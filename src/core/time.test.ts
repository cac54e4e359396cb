import { describe, expect, it } from 'vitest';
import { InvariantError } from './assert.js';
import { localCalendar, SlotClock } from './time.js';

const at = (iso: string): number => Date.parse(iso);

describe('SlotClock', () => {
  it.each([0, 61, -15, 7.5, Number.NaN])('error: rejects a slot length of %s minutes', (minutes) => {
    expect(() => new SlotClock(0, minutes)).toThrow(InvariantError);
  });

  it('accepts slot lengths from 1 to 60 minutes', () => {
    expect(new SlotClock(0, 1).slotMs).toBe(60_000);
    expect(new SlotClock(0, 60).slotHours).toBe(1);
    expect(new SlotClock(0, 15).slotHours).toBe(0.25);
  });

  it('gives the start of a slot from the run start and the slot length', () => {
    const start = at('2026-06-01T00:00:00Z');
    const clock = new SlotClock(start, 15);
    expect(clock.slotStartMs(0)).toBe(start);
    expect(clock.slotStartMs(4)).toBe(start + 3_600_000);
    expect(clock.slotStartMs(96)).toBe(at('2026-06-02T00:00:00Z'));
  });

  it('reads the time of the current slot, advanced by the caller only', () => {
    const start = at('2026-06-01T00:00:00Z');
    const clock = new SlotClock(start, 30);
    expect(clock.nowMs()).toBe(start);
    clock.advanceTo(3);
    expect(clock.currentSlot).toBe(3);
    expect(clock.nowMs()).toBe(start + 90 * 60_000);
  });

  it('counts slots per day and slots in a number of hours', () => {
    expect(new SlotClock(0, 15).slotsPerDay()).toBe(96);
    expect(new SlotClock(0, 60).slotsPerDay()).toBe(24);
    expect(new SlotClock(0, 1).slotsPerDay()).toBe(1_440);
    expect(new SlotClock(0, 15).slotsInHours(2)).toBe(8);
    expect(new SlotClock(0, 15).slotsInHours(0.1)).toBe(0);
  });

  it('gives the local calendar of the middle of a slot', () => {
    const clock = new SlotClock(at('2024-01-01T00:00:00Z'), 60, 2);
    expect(clock.localCalendar(0)).toEqual({ hourOfDay: 2.5, dayOfWeek: 0, dayOfYear: 1 });
    expect(clock.localCalendar(22)).toEqual({ hourOfDay: 0.5, dayOfWeek: 1, dayOfYear: 2 });
  });
});

describe('localCalendar', () => {
  it('numbers days of the week from Monday = 0', () => {
    // 2024-01-01 was a Monday, 2024-01-07 a Sunday.
    expect(localCalendar(at('2024-01-01T12:00:00Z'), 0).dayOfWeek).toBe(0);
    expect(localCalendar(at('2024-01-07T12:00:00Z'), 0).dayOfWeek).toBe(6);
    // Before the epoch: 1969-12-31 was a Wednesday.
    expect(localCalendar(at('1969-12-31T12:00:00Z'), 0).dayOfWeek).toBe(2);
  });

  it('counts the day of the year from 1, up to 366 in a leap year', () => {
    expect(localCalendar(at('2024-01-01T00:00:00Z'), 0).dayOfYear).toBe(1);
    expect(localCalendar(at('2024-03-01T00:00:00Z'), 0).dayOfYear).toBe(61);
    expect(localCalendar(at('2024-12-31T23:59:00Z'), 0).dayOfYear).toBe(366);
    expect(localCalendar(at('2025-12-31T12:00:00Z'), 0).dayOfYear).toBe(365);
  });

  it('gives the fractional local hour of the day', () => {
    expect(localCalendar(at('2024-06-01T13:45:00Z'), 0).hourOfDay).toBe(13.75);
  });

  it('shifts hour, day and year by the UTC offset', () => {
    // 23:30 UTC on Sunday 2024-03-10 is 01:30 on Monday 2024-03-11 at UTC+2.
    expect(localCalendar(at('2024-03-10T23:30:00Z'), 2)).toEqual({ hourOfDay: 1.5, dayOfWeek: 0, dayOfYear: 71 });
    // 02:00 UTC on 2024-01-01 is 21:00 on Sunday 2023-12-31 at UTC-5.
    expect(localCalendar(at('2024-01-01T02:00:00Z'), -5)).toEqual({ hourOfDay: 21, dayOfWeek: 6, dayOfYear: 365 });
    // Half-hour offsets (India, UTC+5:30).
    expect(localCalendar(at('2024-01-01T00:00:00Z'), 5.5).hourOfDay).toBe(5.5);
  });
});
