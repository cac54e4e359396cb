/**
 * The orders of one slot as flat arrays (structure of arrays), reused every slot so a city of
 * 10,000 sites allocates nothing per order. Who stands behind an order is its `kind`:
 *
 *   sites         bids for their import need per priority class and for deferrable load, offers of
 *                 their export (raised to the DSO's feed-in price, the floor every prosumer has)
 *   VPPs          one pooled offer of their members' exports
 *   TSO           central plants (must-run part at price 0, the rest at marginal cost) and the
 *                 market maker (imports over the interconnector in price steps; buys exports)
 *
 * Energies are integer Wh; prices integer minor units per kWh (limits, before grid fees).
 */
import { assert } from '../assert.js';

export const BID_CRITICAL = 0;
export const BID_ESSENTIAL = 1;
export const BID_NORMAL = 2;
export const BID_DEFERRABLE = 3;
export const OFFER_EXPORT = 4;
export const OFFER_VPP = 5;
export const OFFER_PLANT = 6;
export const OFFER_IMPORT = 7;
export const BID_EXPORT = 8;

export function isBid(kind: number): boolean {
  return kind <= BID_DEFERRABLE || kind === BID_EXPORT;
}

export class SlotOrders {
  count = 0;
  /** Site position (site orders), VPP index (OFFER_VPP), plant index (OFFER_PLANT), else -1. */
  readonly owner: Int32Array;
  readonly kind: Uint8Array;
  /** Area whose book the order enters first. */
  readonly entryArea: Int32Array;
  readonly energyWh: Float64Array;
  readonly remainingWh: Float64Array;
  readonly priceMinorPerKwh: Float64Array;
  /** Community index of the owner (-1: none). */
  readonly community: Int32Array;
  /** Offers the DSO bought at the feed-in price and resells, as a price taker, above its level. */
  readonly viaDso: Uint8Array;

  constructor(readonly capacity: number) {
    this.owner = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.entryArea = new Int32Array(capacity);
    this.energyWh = new Float64Array(capacity);
    this.remainingWh = new Float64Array(capacity);
    this.priceMinorPerKwh = new Float64Array(capacity);
    this.community = new Int32Array(capacity);
    this.viaDso = new Uint8Array(capacity);
  }

  reset(): void {
    this.count = 0;
  }

  /** Adds an order (energy ≤ 0 is skipped) and returns its index, or -1. */
  add(owner: number, kind: number, entryArea: number, energyWh: number, priceMinorPerKwh: number, community = -1): number {
    if (!(energyWh > 0)) return -1;
    assert(this.count < this.capacity, 'more orders in one slot than the order store holds', { capacity: this.capacity });
    assert(Number.isInteger(energyWh) && Number.isInteger(priceMinorPerKwh), 'orders carry integer Wh and prices', { energyWh, priceMinorPerKwh });
    const k = this.count++;
    this.owner[k] = owner;
    this.kind[k] = kind;
    this.entryArea[k] = entryArea;
    this.energyWh[k] = energyWh;
    this.remainingWh[k] = energyWh;
    this.priceMinorPerKwh[k] = priceMinorPerKwh;
    this.community[k] = community;
    this.viaDso[k] = 0;
    return k;
  }
}
