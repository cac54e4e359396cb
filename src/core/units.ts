/**
 * Units used across gridmesh (ADR 0002).
 *
 * - Settled energy is an integer number of watt-hours (`...Wh`), money an integer number of minor
 *   currency units (`...Minor`, e.g. euro cents). Both are JS numbers that must stay safe integers.
 * - Power is a float in kW (`...Kw`) and is only turned into settled energy through `kwToWh`.
 * - Sign convention for site and area flows: positive = export (injection into the parent),
 *   negative = import (drawn from the parent). Battery power: positive = discharge.
 */
import { assert } from './assert.js';

export type Wh = number;
export type Minor = number;

export const MINUTES_PER_HOUR = 60;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Energy in whole Wh delivered by a constant power over a slot (rounded half away from zero). */
export function kwToWh(powerKw: number, slotHours: number): Wh {
  const wh = powerKw * slotHours * 1000;
  return wh >= 0 ? Math.floor(wh + 0.5) : -Math.floor(-wh + 0.5);
}

/** Mean power in kW of an energy over a slot. */
export function whToKw(energyWh: Wh, slotHours: number): number {
  return energyWh / (slotHours * 1000);
}

export function whToKwh(energyWh: Wh): number {
  return energyWh / 1000;
}

/** Asserts an energy is a safe integer (settled energy is never fractional). */
export function assertWh(value: number, what: string): Wh {
  assert(Number.isSafeInteger(value), `${what} must be a whole number of Wh, got ${value}`);
  return value;
}
