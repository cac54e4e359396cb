/**
 * Clears a list of accepted orders as one book (one area and slot: the caller groups orders by area
 * and slot first) with the double auction, and maps the trades back to order ids. Bids and offers
 * keep their order in the list, which is the tie-break order at equal prices.
 */
import { clearDoubleAuction, type AuctionBook, type Mechanism } from './double-auction.js';
import type { Order } from './order.js';

export interface Trade {
  bidId: string;
  offerId: string;
  energyWh: number;
  priceMinorPerKwh: number;
}

export interface ClearedOrders {
  mechanism: Mechanism;
  /** Uniform price (pay-as-clear) or null (pay-as-bid, or nothing traded). */
  clearingPriceMinorPerKwh: number | null;
  volumeWh: number;
  trades: Trade[];
}

export function clearOrders(orders: readonly Order[], mechanism: Mechanism): ClearedOrders {
  const bids = orders.filter((o) => o.side === 'bid');
  const offers = orders.filter((o) => o.side === 'offer');
  const book: AuctionBook = {
    bidCount: bids.length,
    bidEnergyWh: Float64Array.from(bids, (o) => o.energyWh),
    bidPriceMinorPerKwh: Float64Array.from(bids, (o) => o.priceMinorPerKwh),
    offerCount: offers.length,
    offerEnergyWh: Float64Array.from(offers, (o) => o.energyWh),
    offerPriceMinorPerKwh: Float64Array.from(offers, (o) => o.priceMinorPerKwh),
  };
  const r = clearDoubleAuction(book, mechanism);
  const trades: Trade[] = new Array<Trade>(r.tradeCount);
  for (let t = 0; t < r.tradeCount; t++) {
    trades[t] = {
      bidId: (bids[r.tradeBid[t] as number] as Order).id,
      offerId: (offers[r.tradeOffer[t] as number] as Order).id,
      energyWh: r.tradeEnergyWh[t] as number,
      priceMinorPerKwh: r.tradePriceMinorPerKwh[t] as number,
    };
  }
  return { mechanism, clearingPriceMinorPerKwh: r.clearingPriceMinorPerKwh, volumeWh: r.volumeWh, trades };
}
