/**
 * When a node opens and settles slots in wall-clock time. Slot s opens at `epochMs + s × slotWallMs`
 * (readings for s − 1 become due) and is settled `graceMs` after it closes, so that meters have time
 * to send their reading of it. Pure arithmetic: the runtime passes the wall clock in.
 */
export interface SlotSchedule {
  /** Wall time slot 0 opened, ms since the epoch. */
  readonly epochMs: number;
  readonly slotWallMs: number;
  readonly graceMs: number;
}

export function slotSchedule(epochMs: number, slotMinutes: number, speed: number, graceFraction: number): SlotSchedule {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const slotWallMs = Math.max(1, Math.round((slotMinutes * 60_000) / speed));
  return { epochMs, slotWallMs, graceMs: Math.round(slotWallMs * graceFraction) };
}

/** The slot open at `nowMs` (-1 before the epoch). */
export function openSlotAt(s: SlotSchedule, nowMs: number): number {
  return nowMs < s.epochMs ? -1 : Math.floor((nowMs - s.epochMs) / s.slotWallMs);
}

export function opensAtMs(s: SlotSchedule, slot: number): number {
  return s.epochMs + slot * s.slotWallMs;
}

/** When `slot` is settled: its close plus the grace for late readings. */
export function settlesAtMs(s: SlotSchedule, slot: number): number {
  return opensAtMs(s, slot + 1) + s.graceMs;
}

/**
 * The schedule after a restart: the same epoch when the speed is unchanged (missed slots are caught
 * up at once), else re-anchored so that the next slot to settle opens now.
 */
export function resumedSchedule(saved: SlotSchedule | undefined, fresh: SlotSchedule, nextSlot: number, nowMs: number): SlotSchedule {
  if (saved !== undefined && saved.slotWallMs === fresh.slotWallMs) return { ...saved, graceMs: fresh.graceMs };
  return { ...fresh, epochMs: nowMs - nextSlot * fresh.slotWallMs };
}
