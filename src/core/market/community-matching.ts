/**
 * Energy communities trade first: before the open market, the members of each community (anywhere
 * in the city) match among themselves at the community's own price. A buyer takes community energy
 * only when that price plus the grid fee of the level where buyer and seller meet is within its bid;
 * a seller sells only when the price is at least its ask. Bids go highest limit first, offers lowest
 * ask first (ties in order of submission).
 *
 * Physics: community energy still flows through the areas' links. Each trade reserves its path
 * (seller's area up to the meeting area, then down to the buyer's area) in `netUpWh` and never
 * takes a link beyond its capacity; the open market then clears within what is left.
 */
import type { AreaTree } from '../grid/area-tree.js';
import type { AreaLevel } from '../sim/scenario-schema.js';
import { lowestCommonAncestor } from './market-levels.js';
import { isBid, OFFER_EXPORT, type SlotOrders } from './slot-orders.js';

export interface CommunityBook {
  readonly priceMinorPerKwh: number;
  readonly bids: number[];
  readonly offers: number[];
}

export interface CommunityNetwork {
  readonly tree: AreaTree;
  readonly depth: Int32Array;
  readonly feeOfLevel: Readonly<Record<AreaLevel, number>>;
  /** Link capacity of each area this slot, Wh. */
  readonly capWh: Float64Array;
  /** Net upward flow reserved on each area's link (negative: downward), Wh; updated here. */
  readonly netUpWh: Float64Array;
  /** Upper bound on buyer × seller pairs examined per slot, over all communities. */
  readonly maxPairs: number;
}

export type CommunityTradeSink = (bid: number, offer: number, energyWh: number, priceMinorPerKwh: number, feeMinorPerKwh: number) => void;

/** Sorts each community's orders into the book and matches them. Returns the pairs examined. */
export function matchCommunities(orders: SlotOrders, books: readonly CommunityBook[], net: CommunityNetwork, sink: CommunityTradeSink): number {
  let pairs = 0;
  for (const book of books) {
    if (book.bids.length === 0 || book.offers.length === 0) continue;
    const price = book.priceMinorPerKwh;
    const byPrice = (sign: number) => (x: number, y: number): number =>
      sign * ((orders.priceMinorPerKwh[x] as number) - (orders.priceMinorPerKwh[y] as number)) || x - y;
    const bids = book.bids.filter((k) => (orders.priceMinorPerKwh[k] as number) >= price).sort(byPrice(-1));
    const offers = book.offers.filter((k) => (orders.priceMinorPerKwh[k] as number) <= price).sort(byPrice(1));
    for (const bid of bids) {
      for (const offer of offers) {
        if (pairs >= net.maxPairs) return pairs;
        pairs++;
        const want = Math.min(orders.remainingWh[bid] as number, orders.remainingWh[offer] as number);
        if (want <= 0) continue;
        const from = orders.entryArea[offer] as number;
        const to = orders.entryArea[bid] as number;
        const meet = lowestCommonAncestor(net.tree, net.depth, from, to);
        const fee = net.feeOfLevel[net.tree.levels[meet] as AreaLevel];
        if ((orders.priceMinorPerKwh[bid] as number) - fee < price) continue;
        const e = Math.min(want, pathRoom(net, from, to, meet));
        if (e <= 0) continue;
        reservePath(net, from, to, meet, e);
        orders.remainingWh[bid] = (orders.remainingWh[bid] as number) - e;
        orders.remainingWh[offer] = (orders.remainingWh[offer] as number) - e;
        sink(bid, offer, e, price, fee);
        if ((orders.remainingWh[bid] as number) <= 0) break;
      }
    }
  }
  return pairs;
}

/** Adds order `k` to the book of its community, when it has one. */
export function addToCommunityBook(orders: SlotOrders, books: readonly CommunityBook[], k: number): void {
  const c = orders.community[k] as number;
  const book = books[c];
  if (book === undefined) return;
  if (isBid(orders.kind[k] as number)) book.bids.push(k);
  else if (orders.kind[k] === OFFER_EXPORT) book.offers.push(k);
}

function pathRoom(net: CommunityNetwork, from: number, to: number, meet: number): number {
  let room = Infinity;
  for (let a = from; a !== meet; a = net.tree.parent[a] as number) room = Math.min(room, (net.capWh[a] as number) - (net.netUpWh[a] as number));
  for (let a = to; a !== meet; a = net.tree.parent[a] as number) room = Math.min(room, (net.capWh[a] as number) + (net.netUpWh[a] as number));
  return Math.max(0, Math.floor(room));
}

function reservePath(net: CommunityNetwork, from: number, to: number, meet: number, energyWh: number): void {
  for (let a = from; a !== meet; a = net.tree.parent[a] as number) net.netUpWh[a] = (net.netUpWh[a] as number) + energyWh;
  for (let a = to; a !== meet; a = net.tree.parent[a] as number) net.netUpWh[a] = (net.netUpWh[a] as number) - energyWh;
}
