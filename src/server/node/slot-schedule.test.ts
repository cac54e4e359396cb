import { describe, expect, it } from 'vitest';
import { openSlotAt, opensAtMs, resumedSchedule, settlesAtMs, slotSchedule } from './slot-schedule.js';

describe('slot schedule', () => {
  it('opens a 15-minute slot every 15 s at speed 60 and settles it after the grace', () => {
    const s = slotSchedule(1_000_000, 15, 60, 0.2);
    expect(s.slotWallMs).toBe(15_000);
    expect(s.graceMs).toBe(3_000);
    expect(openSlotAt(s, 999_999)).toBe(-1);
    expect(openSlotAt(s, 1_000_000)).toBe(0);
    expect(openSlotAt(s, 1_014_999)).toBe(0);
    expect(openSlotAt(s, 1_015_000)).toBe(1);
    expect(opensAtMs(s, 2)).toBe(1_030_000);
    expect(settlesAtMs(s, 0)).toBe(1_018_000);
  });

  it('keeps the epoch after a restart at the same speed and re-anchors at another speed', () => {
    const saved = slotSchedule(0, 15, 60, 0.2);
    expect(resumedSchedule(saved, slotSchedule(500_000, 15, 60, 0.1), 7, 500_000)).toEqual({ epochMs: 0, slotWallMs: 15_000, graceMs: 1_500 });
    const faster = resumedSchedule(saved, slotSchedule(500_000, 15, 900, 0.2), 7, 500_000);
    expect(faster.slotWallMs).toBe(1_000);
    expect(openSlotAt(faster, 500_000)).toBe(7);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => slotSchedule(0, 15, 0, 0.2)).toThrow(/speed must be a positive number/);
  });
});
