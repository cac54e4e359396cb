/** Test builder: a slot environment with sensible defaults (noon in June, clear sky, 6 m/s, 20 °C). */
import type { SlotEnvironment } from './environment.js';

export function anEnvironment(overrides: Partial<SlotEnvironment> = {}): SlotEnvironment {
  const slotMinutes = overrides.slotMinutes ?? 15;
  return {
    slot: 0,
    startMs: Date.UTC(2026, 5, 15, 12, 0, 0),
    slotMinutes,
    slotHours: slotMinutes / 60,
    hourOfDay: 12,
    dayOfWeek: 0,
    dayOfYear: 166,
    sun: { zenithDeg: 30, azimuthDeg: 180 },
    irradiance: { ghiWm2: 850, dniWm2: 850, dhiWm2: 110 },
    clearSkyIndex: 1,
    windSpeedMs: 6,
    temperatureC: 20,
    ...overrides,
  };
}


/** A synthetic non-leap year of slots starting Thursday 1 January (like 2026). */
export function* aYearOfSlots(slotMinutes: number): Generator<SlotEnvironment> {
  const slotsPerDay = (24 * 60) / slotMinutes;
  for (let day = 0; day < 365; day++) {
    for (let i = 0; i < slotsPerDay; i++) {
      const slot = day * slotsPerDay + i;
      yield anEnvironment({
        slot, startMs: slot * slotMinutes * 60_000, slotMinutes,
        hourOfDay: (i + 0.5) * (slotMinutes / 60), dayOfWeek: (day + 3) % 7, dayOfYear: day + 1,
      });
    }
  }
}
