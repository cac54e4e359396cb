/** Test builder: a slot environment with sensible defaults (noon in June, clear sky, 6 m/s, 20 °C). */
import type { SlotEnvironment } from './environment.js';
import { AssetContextBuilder } from './asset-context.fixture.js';

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

export { AssetContextBuilder };
