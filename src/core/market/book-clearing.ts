/**
 * Clears one book (one area's market, a community, an island) of the slot's orders with the double
 * auction: builds the auction's arrays from a list of order indices, clears, reduces each order's
 * remaining energy and hands every trade to the caller.
 *
 * A bid enters with its limit minus the grid fee of the book's level, so that price + fee never
 * exceeds what the buyer bid (individual rationality including fees). The TSO market maker buying
 * exports over the interconnector pays no grid fee.
 */
import { DoubleAuction, type AuctionBook, type Mechanism } from './double-auction.js';
import { BID_EXPORT, isBid, type SlotOrders } from './slot-orders.js';

export type TradeSink = (bid: number, offer: number, energyWh: number, priceMinorPerKwh: number) => void;

export class BookClearer {
  private bidOrder = new Int32Array(64);
  private offerOrder = new Int32Array(64);
  private book: AuctionBook = emptyBook(64);
  /** Reused: its scratch arrays grow to the largest book and stay. */
  private readonly auction = new DoubleAuction();

  constructor(private readonly orders: SlotOrders) {}

  /**
   * Clears the orders in `list` with remaining energy. `offerPrice` gives an offer's price in this
   * book (e.g. the DSO's resale as a price taker). Returns the volume traded.
   */
  clear(list: readonly number[], mechanism: Mechanism, feeMinorPerKwh: number, offerPrice: (order: number) => number, sink: TradeSink): number {
    const o = this.orders;
    this.ensure(list.length);
    const book = this.book;
    let nb = 0;
    let no = 0;
    for (const k of list) {
      const rem = o.remainingWh[k] as number;
      if (!(rem > 0)) continue;
      if (isBid(o.kind[k] as number)) {
        this.bidOrder[nb] = k;
        book.bidEnergyWh[nb] = rem;
        book.bidPriceMinorPerKwh[nb] = (o.priceMinorPerKwh[k] as number) - (o.kind[k] === BID_EXPORT ? 0 : feeMinorPerKwh);
        nb++;
      } else {
        this.offerOrder[no] = k;
        book.offerEnergyWh[no] = rem;
        book.offerPriceMinorPerKwh[no] = offerPrice(k);
        no++;
      }
    }
    if (nb === 0 || no === 0) return 0;
    book.bidCount = nb;
    book.offerCount = no;
    const r = this.auction.clear(book, mechanism);
    for (let t = 0; t < r.tradeCount; t++) {
      const bid = this.bidOrder[r.tradeBid[t] as number] as number;
      const offer = this.offerOrder[r.tradeOffer[t] as number] as number;
      const e = r.tradeEnergyWh[t] as number;
      o.remainingWh[bid] = (o.remainingWh[bid] as number) - e;
      o.remainingWh[offer] = (o.remainingWh[offer] as number) - e;
      sink(bid, offer, e, r.tradePriceMinorPerKwh[t] as number);
    }
    return r.volumeWh;
  }

  private ensure(n: number): void {
    if (this.bidOrder.length >= n) return;
    const size = Math.max(n, this.bidOrder.length * 2);
    this.bidOrder = new Int32Array(size);
    this.offerOrder = new Int32Array(size);
    this.book = emptyBook(size);
  }
}

function emptyBook(size: number): AuctionBook {
  return {
    bidCount: 0, bidEnergyWh: new Float64Array(size), bidPriceMinorPerKwh: new Float64Array(size),
    offerCount: 0, offerEnergyWh: new Float64Array(size), offerPriceMinorPerKwh: new Float64Array(size),
  };
}
