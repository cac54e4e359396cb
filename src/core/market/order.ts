/**
 * Orders of the local energy markets and their limits. An order is validated once at the edge
 * (order-validation.ts); the clearing code receives only accepted orders.
 *
 * Units: energy in integer Wh, prices in integer minor currency units (e.g. cents) per kWh, which
 * may be negative (paid to take energy). A bid buys, an offer sells.
 */
import { GridmeshError } from '../errors.js';

export type Side = 'bid' | 'offer';
export const SIDES: readonly Side[] = ['bid', 'offer'];

export interface OrderPreferences {
  /** 'green': the buyer wants renewable energy only (not used by the double auction). */
  source?: 'any' | 'green';
  /** Preferred trading partners (participant ids). */
  partners?: string[];
  community?: string;
}

export interface Order {
  id: string;
  side: Side;
  participant?: string;
  site?: string;
  /** The delivery slot. */
  slot?: number;
  energyWh: number;
  priceMinorPerKwh: number;
  area?: string;
  preferences?: OrderPreferences;
  /** The last slot in which the order may still be cleared. */
  expiresAtSlot?: number;
}

export interface RejectedOrder {
  /** Position in the submitted list. */
  index: number;
  /** The order's id when it has a usable one. */
  id: string | null;
  /** `orders[3].energyWh: expected a positive integer number of Wh (got -5)`; several joined by "; ". */
  reason: string;
}

/** The most orders in one submitted book (both sides together). */
export const MAX_ORDERS = 2_000_000;
/** 1 GWh: far above one slot of any single participant; keeps 2,000,000 orders' sums exact. */
export const MAX_ORDER_ENERGY_WH = 1_000_000_000;
/** 1,000,000 minor units (10,000 EUR) per kWh either way; keeps payments (energy × price) exact. */
export const MAX_ABS_PRICE_MINOR_PER_KWH = 1_000_000;
export const MAX_ORDER_ID_LENGTH = 128;
export const MAX_PARTNERS = 100;

/** An order book that cannot be processed at all (not a list, too large, malformed auction arrays). */
export class OrderBookError extends GridmeshError {
  override readonly name = 'OrderBookError';
}
