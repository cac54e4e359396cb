/**
 * The open market of the grid-connected part of the network, cleared bottom-up: every area's book
 * (street first, TSO last) holds the orders that enter there and what its children could not
 * match. Each level's book uses that level's mechanism and grid fee, so energy is traded as locally
 * as it can be.
 *
 * Link capacities: what an area passes up is limited by its upstream link (less what energy
 * communities already reserved on it): at most the room upward of unmatched offers and the room
 * downward of unmatched bids, the best-priced first. Whatever the parent then matches, the net
 * flow over the link stays within its capacity.
 *
 * The DSO buys surplus: after a DSO area's book clears, the prosumer offers still unmatched whose
 * ask is at most the feed-in price are bought by the DSO at the feed-in price and resold above as
 * a price taker (book price 0); only what the TSO market takes is bought, the rest stays unsold.
 * The TSO root does the same before its own book clears (for offers that did not pass a DSO area,
 * e.g. in baseline where every site trades at the TSO). VPPs sell at their own price, no floor.
 */
import type { AreaTree } from '../grid/area-tree.js';
import type { AreaLevel } from '../sim/scenario-schema.js';
import type { BookClearer, TradeSink } from './book-clearing.js';
import type { Mechanism } from './double-auction.js';
import { isBid, OFFER_EXPORT, type SlotOrders } from './slot-orders.js';

export interface HierarchyNetwork {
  readonly tree: AreaTree;
  /** Areas of the grid-connected region this slot. */
  readonly connected: (area: number) => boolean;
  readonly capWh: Float64Array;
  readonly netUpWh: Float64Array;
  readonly mechanismOf: Readonly<Record<AreaLevel, Mechanism>>;
  readonly feeOfLevel: Readonly<Record<AreaLevel, number>>;
  readonly feedInMinorPerKwh: number;
}

export type LevelTradeSink = (area: number) => TradeSink;

export class HierarchicalClearing {
  private readonly books: number[][];

  constructor(private readonly orders: SlotOrders, private readonly clearer: BookClearer, areaCount: number) {
    this.books = Array.from({ length: areaCount }, () => []);
  }

  /** Clears every connected area's book bottom-up; trades go to `sinkOf(area)`. */
  clear(net: HierarchyNetwork, sinkOf: LevelTradeSink): void {
    const o = this.orders;
    const { tree } = net;
    for (const book of this.books) book.length = 0;
    for (let k = 0; k < o.count; k++) {
      const a = o.entryArea[k] as number;
      if ((o.remainingWh[k] as number) > 0 && net.connected(a)) (this.books[a] as number[]).push(k);
    }
    const offerPrice = (k: number): number => (o.viaDso[k] === 1 ? 0 : (o.priceMinorPerKwh[k] as number));
    for (let a = tree.count - 1; a >= 0; a--) {
      if (!net.connected(a)) continue;
      const book = this.books[a] as number[];
      const level = tree.levels[a] as AreaLevel;
      // The feed-in guarantee holds wherever an offer reaches the TSO (also in baseline, where every site trades there).
      if (a === 0) this.dsoBuysSurplus(book, net.feedInMinorPerKwh);
      if (book.length > 0) this.clearer.clear(book, net.mechanismOf[level], net.feeOfLevel[level], offerPrice, sinkOf(a));
      if (level === 'dso') this.dsoBuysSurplus(book, net.feedInMinorPerKwh);
      if (a > 0) this.escalate(book, a, net);
    }
  }

  private dsoBuysSurplus(book: readonly number[], feedIn: number): void {
    const o = this.orders;
    for (const k of book) {
      const kind = o.kind[k] as number;
      if (kind === OFFER_EXPORT && (o.remainingWh[k] as number) > 0 && (o.priceMinorPerKwh[k] as number) <= feedIn) o.viaDso[k] = 1;
    }
  }

  /** Passes the unmatched orders of area `a` to its parent, within the link's room each way. */
  private escalate(book: number[], a: number, net: HierarchyNetwork): void {
    const o = this.orders;
    const parent = this.books[net.tree.parent[a] as number] as number[];
    const cap = net.capWh[a] as number;
    const reserved = net.netUpWh[a] as number;
    const upRoom = Math.max(0, cap - reserved);
    const downRoom = Math.max(0, cap + reserved);
    let bidWh = 0;
    let offerWh = 0;
    const bids: number[] = [];
    const offers: number[] = [];
    for (const k of book) {
      const rem = o.remainingWh[k] as number;
      if (!(rem > 0)) continue;
      if (isBid(o.kind[k] as number)) {
        bids.push(k);
        bidWh += rem;
      } else {
        offers.push(k);
        offerWh += rem;
      }
    }
    this.pass(bids, bidWh, downRoom, parent, -1);
    this.pass(offers, offerWh, upRoom, parent, 1);
  }

  /** Moves `list` up whole when it fits in `room`; otherwise the best-priced first, the rest stays unmatched. */
  private pass(list: number[], totalWh: number, room: number, parent: number[], sign: number): void {
    const o = this.orders;
    if (totalWh <= room) {
      for (const k of list) parent.push(k);
      return;
    }
    const effective = (k: number): number => (o.viaDso[k] === 1 ? 0 : (o.priceMinorPerKwh[k] as number));
    list.sort((x, y) => sign * (effective(x) - effective(y)) || x - y);
    let left = Math.floor(room);
    for (const k of list) {
      const rem = o.remainingWh[k] as number;
      const take = Math.min(rem, left);
      // The part beyond the link's room cannot be traded upstream this slot.
      o.remainingWh[k] = take;
      left -= take;
      if (take > 0) parent.push(k);
    }
  }
}
