/**
 * Orders real participants sign for their own sites (a node's runtime, docs/node.md). For a site whose
 * owner is a real participant, the participant's orders of a slot ARE the site's orders: the twin
 * places none for it (no plan-based bids or offer, no VPP pooling), clearing takes the participant's
 * energies and limit prices as they are, and the trust layer records the participant's own signed
 * records. What the site meters beyond what it traded is settled as imbalance, as for any site.
 */
import { decodeOrderUnchecked } from '../identity/signed-order.js';
import { BID_DEFERRABLE, OFFER_EXPORT } from './slot-orders.js';

export interface ParticipantOrders {
  /** True when the site's owner is a real participant (its orders come only from it). */
  represents(site: number): boolean;
  /** The participant's signed orders (115-byte records) for `slot`, in sequence order. */
  ordersFor(site: number, slot: number): readonly Uint8Array[];
  /** True when the signatures of `slot`'s orders were verified on arrival (the gate skips that check). */
  signaturesVerified?(slot: number): boolean;
}

/** The market order kind of a signed order: a bid of its priority class (deferrable at most), or an export offer. */
export function orderKindOf(bytes: Uint8Array): { kind: number; energyWh: number; priceMinorPerKwh: number; side: 'bid' | 'offer' } {
  const o = decodeOrderUnchecked(bytes);
  const kind = o.side === 'offer' ? OFFER_EXPORT : Math.min(o.priorityClass, BID_DEFERRABLE);
  return { kind, energyWh: o.energyWh, priceMinorPerKwh: o.priceMinorPerKwh, side: o.side };
}
