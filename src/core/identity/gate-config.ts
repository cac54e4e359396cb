/**
 * Options shared by the reading gate and the order gate: where the admitted devices come from
 * (a registry of their own, or one shared between gates), the accepted slot window, the
 * plausibility tolerance and the size of the rejection log.
 */
import type { ConnectionCredential } from './connection-credential.js';
import { DeviceRegistry, type DeviceRegistryOptions } from './device-registry.js';
import { GateError } from './identity-errors.js';

export const PLAUSIBILITY_TOLERANCE_DEFAULT = 1.1;
export const SLOT_WINDOW_MAX = 100_000;

export interface SlotWindow {
  /** Accepted slots: currentSlot - maxLateSlots .. currentSlot + maxAheadSlots. */
  readonly maxLateSlots: number;
  readonly maxAheadSlots: number;
}

export interface CommonGateOptions extends Partial<SlotWindow> {
  /** Share one registry between gates; otherwise give the registry options. */
  readonly registry?: DeviceRegistry;
  /** Credentials verified beforehand (verifyCredential), admitted at construction. */
  readonly admitted?: readonly ConnectionCredential[];
  /** A power above ratedPowerW × tolerance is implausible. Default 1.1. */
  readonly plausibilityTolerance?: number;
  /** Last N rejections kept. Default 1000. */
  readonly rejectionLogSize?: number;
}

export type GateOptions = CommonGateOptions & ({ readonly registry: DeviceRegistry } | DeviceRegistryOptions);

export function registryOf(options: GateOptions): DeviceRegistry {
  const registry = options.registry ?? new DeviceRegistry(options as DeviceRegistryOptions);
  for (const credential of options.admitted ?? []) registry.admitVerified(credential);
  return registry;
}

export function slotWindowOf(options: Partial<SlotWindow>, defaults: SlotWindow): SlotWindow {
  return {
    maxLateSlots: windowBound(options.maxLateSlots ?? defaults.maxLateSlots, 'maxLateSlots'),
    maxAheadSlots: windowBound(options.maxAheadSlots ?? defaults.maxAheadSlots, 'maxAheadSlots'),
  };
}

/** 'future-slot' / 'stale-slot' when `slot` lies outside the window around `currentSlot`. */
export function slotWindowProblem(window: SlotWindow, slot: number, currentSlot: number): 'future-slot' | 'stale-slot' | null {
  if (slot > currentSlot + window.maxAheadSlots) return 'future-slot';
  if (slot < currentSlot - window.maxLateSlots) return 'stale-slot';
  return null;
}

export function toleranceOf(options: CommonGateOptions): number {
  const tolerance = options.plausibilityTolerance ?? PLAUSIBILITY_TOLERANCE_DEFAULT;
  if (!Number.isFinite(tolerance) || tolerance < 1 || tolerance > 10) {
    throw new GateError('bad-config', `plausibilityTolerance: expected a number from 1 to 10 (got ${tolerance})`);
  }
  return tolerance;
}

function windowBound(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > SLOT_WINDOW_MAX) {
    throw new GateError('bad-config', `${field}: expected an integer from 0 to ${SLOT_WINDOW_MAX} (got ${value})`);
  }
  return value;
}
