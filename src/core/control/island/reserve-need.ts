/**
 * The forecast rule's storage reserve (ADR 0005, docs/islanding.md): how much stored energy an island
 * needs NOW so that its critical load never runs out over the expected outage, given a forecast of
 * critical demand net of generation and of the other load that eats into any surplus.
 *
 * Going backwards from the end of the horizon, the energy needed at the start of slot h is
 *
 *   need(h) = max(0, need(h+1) + deficit(h) / η − min(surplus(h), maxCharge) · η)
 *
 * where deficit(h) = max(0, net critical load) is what storage must supply, surplus(h) = max(0,
 * −net critical − essential − normal) is what is left to charge storage once every load is served
 * (the island serves load before it charges), and η is the one-way efficiency of the batteries
 * (√ of the round-trip efficiency, as in assets/battery.ts). need(0) is the deepest cumulative net
 * drawdown from now over the horizon: the reserve. Conservatism: deficits are taken
 * `safetyMarginPct` larger and surpluses as much smaller.
 *
 * Energies: forecasts and charge power are bus-side Wh per slot; the reserve is stored energy (Wh
 * above the batteries' SoC floor), like `batteryUsableWh`.
 */
import { assert } from '../../assert.js';

/** Default safety margin of the forecast rule, percent (see the module comment). */
export const SAFETY_MARGIN_PCT = 20;

export interface ReserveInput {
  /** Forecast net critical load per slot from now (forecast convention of island-load-forecast.ts). */
  readonly netCriticalWh: ArrayLike<number>;
  /** Forecast essential + normal demand per slot, same length. */
  readonly nonCriticalWh: ArrayLike<number>;
  /** Slots the reserve must cover (the expected rest of the outage), at least 1. */
  readonly horizonSlots: number;
  /** Past the end of the forecasts, they repeat their last `periodSlots` slots (one day). */
  readonly periodSlots: number;
  /** Most the batteries can take per slot (bus side), Wh. */
  readonly maxChargeWh: number;
  /** One-way conversion efficiency of the batteries, (0, 1]. */
  readonly efficiency: number;
  readonly safetyMarginPct: number;
}

export interface ReserveNeed {
  /** Stored energy needed now, Wh. */
  readonly reserveWh: number;
  /** Slots from now until the first forecast surplus (1 = the next slot), or the horizon if none. */
  readonly slotsUntilSurplus: number;
}

export function reserveNeed(input: ReserveInput): ReserveNeed {
  const { netCriticalWh: net, nonCriticalWh: other, horizonSlots, periodSlots, maxChargeWh, efficiency, safetyMarginPct } = input;
  const length = net.length;
  assert(length >= 1 && other.length === length && horizonSlots >= 1 && efficiency > 0 && efficiency <= 1,
    'reserve input is inconsistent', { length, other: other.length, horizonSlots, efficiency });
  const period = Math.max(1, Math.min(periodSlots, length));
  const up = 1 + safetyMarginPct / 100;
  const down = Math.max(0, 1 - safetyMarginPct / 100);
  let need = 0;
  let untilSurplus = horizonSlots;
  for (let h = horizonSlots - 1; h >= 0; h--) {
    const k = h < length ? h : length - period + ((h - length) % period);
    const n = net[k] as number;
    const surplus = Math.max(0, -n - (other[k] as number)) * down;
    if (n > 0) need += (n * up) / efficiency;
    else if (surplus > 0) need = Math.max(0, need - Math.min(surplus, maxChargeWh) * efficiency);
    if (surplus > 0 && h >= 1) untilSurplus = h;
  }
  return { reserveWh: Math.ceil(need), slotsUntilSurplus: untilSurplus };
}

/**
 * Stored energy above the reserve, released to essential and normal load this slot, bus side: spread
 * evenly over the slots until the next forecast surplus refills storage (or the end of the horizon).
 * Before a long night that is little per slot; just before sunrise, the rest of it.
 */
export function releaseWh(usableWh: number, need: ReserveNeed, efficiency: number): number {
  const free = usableWh - need.reserveWh;
  if (free <= 0) return 0;
  return Math.floor((free * efficiency) / Math.max(1, need.slotsUntilSurplus));
}
