/**
 * Two-sided double auction for one area and one slot.
 *
 * Rules:
 * - Bids are sorted by price descending, offers by price ascending; at equal prices the lower index
 *   (earlier submission) goes first, so the result is deterministic. The two curves are walked
 *   together while the current bid's price >= the current offer's price; each step trades
 *   min(remaining bid, remaining offer). This greedy walk maximises the traded surplus (welfare)
 *   and trades the largest volume at which demand still meets supply.
 * - pay-as-clear: one uniform price p = floor((b + o) / 2), b and o the prices of the last (marginal)
 *   matched bid and offer. Every matched bid >= b >= p >= o >= every matched offer, so every trade is
 *   individually rational; each trade has one price, paid by the buyer and received by the seller
 *   (budget balanced).
 * - pay-as-bid (as in Grid Singularity's GSy-e): each trade at its bid's limit price, which is >= the
 *   offer's price: individually rational and budget balanced per trade. No clearing price.
 * - Energies are integer Wh > 0 and prices integer minor units per kWh (safe integers, may be
 *   negative), so trades are integer Wh at integer prices. Each trade uses up at least one order,
 *   so there are at most bidCount + offerCount - 1 trades.
 *
 * Speed (no objects, no comparator on the usual paths; `chooseSortStrategy`): each side is ordered
 * by rank = distance of its price from the side's best price, then by index.
 * - counting: a stable counting sort over the ranks when the price range + 1 <= 4 × the side's
 *   order count (e.g. cent prices in a 1,000,000-order book): O(n + range).
 * - packed-keys: otherwise a Float64Array of keys `rank * 2^k + index` (2^k >= the order count)
 *   sorted with the native typed-array sort, the index decoded as `key - floor(key / 2^k) * 2^k`
 *   (exact with powers of two). Keys are exact while (range + 1) * 2^k <= 2^53: a range up to
 *   ~1.7e10 for 500,000 orders per side, and always for prices the order validator accepts.
 * - comparator: wider ranges fall back to sorting an index array with a comparator (price, then
 *   index): the same order, about 3–4× slower.
 * Scratch buffers live in a `DoubleAuction` and grow; `clearDoubleAuction` uses fresh ones.
 */
import { OrderBookError } from './order.js';

export type Mechanism = 'pay-as-clear' | 'pay-as-bid';
export const MECHANISMS: readonly Mechanism[] = ['pay-as-clear', 'pay-as-bid'];

/** The most orders per side of one book. */
export const MAX_ORDERS_PER_SIDE = 2_000_000;

/** Caller-owned arrays (structure of arrays); only the first bidCount / offerCount entries are read. Energies are integer Wh > 0, prices integer minor currency units per kWh (may be negative). Index = submission order = tie-break order. */
export interface AuctionBook {
  bidCount: number;
  bidEnergyWh: Float64Array;
  bidPriceMinorPerKwh: Float64Array;
  offerCount: number;
  offerEnergyWh: Float64Array;
  offerPriceMinorPerKwh: Float64Array;
}

export interface AuctionResult {
  mechanism: Mechanism;
  /** Uniform price (pay-as-clear) or null (pay-as-bid, or nothing traded). */
  clearingPriceMinorPerKwh: number | null;
  volumeWh: number;
  tradeCount: number;
  /** Per trade (length >= tradeCount): bid index, offer index, energy, price. */
  tradeBid: Int32Array;
  tradeOffer: Int32Array;
  tradeEnergyWh: Float64Array;
  tradePriceMinorPerKwh: Float64Array;
  /** Matched energy per bid / offer index. */
  bidMatchedWh: Float64Array;
  offerMatchedWh: Float64Array;
}

const TWO_POW_53 = 2 ** 53;

/** How a side is sorted: see the file header. */
export type SortStrategy = 'counting' | 'packed-keys' | 'comparator';

/** Counting sort for ranges up to 4 × count; packed keys while exact; else the comparator fallback. */
export function chooseSortStrategy(count: number, priceRange: number): SortStrategy {
  if (priceRange + 1 <= 4 * count) return 'counting';
  return (priceRange + 1) * keyScale(count) <= TWO_POW_53 ? 'packed-keys' : 'comparator';
}

/** The smallest power of two >= count (at least 1): the index part of a packed key. */
function keyScale(count: number): number {
  let scale = 1;
  while (scale < count) scale *= 2;
  return scale;
}

/**
 * A reusable auction: its scratch buffers grow to the largest book cleared. The arrays of a result
 * are views into these buffers, valid until the next `clear`.
 *
 * Every hot loop sits in a small function of its own that only returns after the loop. V8 compiles
 * a long-running loop while it runs (on-stack replacement); code after the loop that had not run yet
 * has no type feedback, and the compiled loop then bails out at the loop's end on every later call
 * (measured: 2× slower when the first book cleared is a large one).
 */
export class DoubleAuction {
  private bidOrder = new Int32Array(0);
  private offerOrder = new Int32Array(0);
  private keys = new Float64Array(0);
  private counts = new Int32Array(0);
  private tradeBid = new Int32Array(0);
  private tradeOffer = new Int32Array(0);
  private tradeEnergyWh = new Float64Array(0);
  private tradePrice = new Float64Array(0);
  private bidMatchedWh = new Float64Array(0);
  private offerMatchedWh = new Float64Array(0);

  clear(book: AuctionBook, mechanism: Mechanism): AuctionResult {
    checkMechanism(mechanism);
    const { bidCount, offerCount } = book;
    checkSide('bid', bidCount, book.bidEnergyWh, book.bidPriceMinorPerKwh);
    checkSide('offer', offerCount, book.offerEnergyWh, book.offerPriceMinorPerKwh);
    this.reserve(bidCount, offerCount);
    const bids = this.sortSide(bidCount, book.bidPriceMinorPerKwh, true, this.bidOrder.subarray(0, bidCount));
    const offers = this.sortSide(offerCount, book.offerPriceMinorPerKwh, false, this.offerOrder.subarray(0, offerCount));
    const bidMatched = this.bidMatchedWh.subarray(0, bidCount).fill(0);
    const offerMatched = this.offerMatchedWh.subarray(0, offerCount).fill(0);
    const payAsBid = mechanism === 'pay-as-bid';
    const n = bidCount === 0 || offerCount === 0 ? 0 : this.walk(book, bids, offers, bidMatched, offerMatched, payAsBid);
    const tradeEnergyWh = this.tradeEnergyWh.subarray(0, n);
    let price: number | null = null;
    if (n > 0 && !payAsBid) {
      // The last trade is between the marginal bid and the marginal offer.
      price = uniformPrice(book.bidPriceMinorPerKwh[this.tradeBid[n - 1] as number] as number, book.offerPriceMinorPerKwh[this.tradeOffer[n - 1] as number] as number);
      this.tradePrice.fill(price, 0, n);
    }
    return {
      mechanism,
      clearingPriceMinorPerKwh: price,
      volumeWh: sumOf(tradeEnergyWh),
      tradeCount: n,
      tradeBid: this.tradeBid.subarray(0, n),
      tradeOffer: this.tradeOffer.subarray(0, n),
      tradeEnergyWh,
      tradePriceMinorPerKwh: this.tradePrice.subarray(0, n),
      bidMatchedWh: bidMatched,
      offerMatchedWh: offerMatched,
    };
  }

  private reserve(bidCount: number, offerCount: number): void {
    const trades = bidCount + offerCount;
    if (this.bidOrder.length < bidCount) {
      this.bidOrder = new Int32Array(bidCount);
      this.bidMatchedWh = new Float64Array(bidCount);
    }
    if (this.offerOrder.length < offerCount) {
      this.offerOrder = new Int32Array(offerCount);
      this.offerMatchedWh = new Float64Array(offerCount);
    }
    if (this.tradeBid.length < trades) {
      this.tradeBid = new Int32Array(trades);
      this.tradeOffer = new Int32Array(trades);
      this.tradeEnergyWh = new Float64Array(trades);
      this.tradePrice = new Float64Array(trades);
    }
  }

  /** Writes one side's indices to `order`, best price first, then lower index; returns `order`. */
  private sortSide(count: number, price: Float64Array, descending: boolean, order: Int32Array): Int32Array {
    if (count === 0) return order;
    const min = minOf(price, count);
    const max = maxOf(price, count);
    // rank(i) = sign * (price[i] - best): the distance from the side's best price, an integer in [0, max - min].
    const best = descending ? max : min;
    const sign = descending ? -1 : 1;
    switch (chooseSortStrategy(count, max - min)) {
      case 'counting': {
        if (this.counts.length < max - min + 2) this.counts = new Int32Array(max - min + 2);
        const start = this.counts.fill(0, 0, max - min + 2);
        countRanks(start, price, count, best, sign);
        prefixSums(start, max - min);
        scatterByRank(order, start, price, count, best, sign);
        return order;
      }
      case 'packed-keys': {
        if (this.keys.length < count) this.keys = new Float64Array(count);
        const keys = this.keys.subarray(0, count);
        const scale = keyScale(count);
        packKeys(keys, price, best, sign, scale);
        keys.sort();
        decodeKeys(order, keys, scale);
        return order;
      }
      case 'comparator':
        return comparatorSort(count, price, sign, order);
    }
  }

  /** Walks both sorted curves while they cross, writing trades (pay-as-bid prices too) and matched energy; returns the trade count. */
  private walk(book: AuctionBook, bids: Int32Array, offers: Int32Array, bidMatched: Float64Array, offerMatched: Float64Array, payAsBid: boolean): number {
    const { bidCount, offerCount, bidEnergyWh, offerEnergyWh } = book;
    const bidPrice = book.bidPriceMinorPerKwh;
    const offerPrice = book.offerPriceMinorPerKwh;
    const { tradeBid, tradeOffer, tradeEnergyWh, tradePrice } = this;
    let bi = 0;
    let oi = 0;
    let b = bids[0] as number;
    let o = offers[0] as number;
    let bidEnergy = bidEnergyWh[b] as number;
    let offerEnergy = offerEnergyWh[o] as number;
    let bidLeft = bidEnergy;
    let offerLeft = offerEnergy;
    let pb = bidPrice[b] as number;
    let po = offerPrice[o] as number;
    let n = 0;
    while (pb >= po) {
      const q = bidLeft < offerLeft ? bidLeft : offerLeft;
      tradeBid[n] = b;
      tradeOffer[n] = o;
      tradeEnergyWh[n] = q;
      if (payAsBid) tradePrice[n] = pb;
      n++;
      bidLeft -= q;
      offerLeft -= q;
      bidMatched[b] = bidEnergy - bidLeft;
      offerMatched[o] = offerEnergy - offerLeft;
      if (bidLeft === 0) {
        if (++bi === bidCount) break;
        b = bids[bi] as number;
        bidEnergy = bidEnergyWh[b] as number;
        bidLeft = bidEnergy;
        pb = bidPrice[b] as number;
      }
      if (offerLeft === 0) {
        if (++oi === offerCount) break;
        o = offers[oi] as number;
        offerEnergy = offerEnergyWh[o] as number;
        offerLeft = offerEnergy;
        po = offerPrice[o] as number;
      }
    }
    return n;
  }
}

function minOf(values: Float64Array, count: number): number {
  let min = Infinity;
  for (let i = 0; i < count; i++) if ((values[i] as number) < min) min = values[i] as number;
  return min;
}

function maxOf(values: Float64Array, count: number): number {
  let max = -Infinity;
  for (let i = 0; i < count; i++) if ((values[i] as number) > max) max = values[i] as number;
  return max;
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum;
}

/** Counting sort, step 1: start[rank + 1] = how many orders have each rank. */
function countRanks(start: Int32Array, price: Float64Array, count: number, best: number, sign: number): void {
  for (let i = 0; i < count; i++) {
    const next = sign * ((price[i] as number) - best) + 1;
    start[next] = (start[next] as number) + 1;
  }
}

/** Step 2: start[rank] = the first position of the rank. */
function prefixSums(start: Int32Array, range: number): void {
  for (let r = 1; r <= range; r++) start[r] = (start[r] as number) + (start[r - 1] as number);
}

/** Step 3: indices in ascending order into their rank's positions (stable). */
function scatterByRank(order: Int32Array, start: Int32Array, price: Float64Array, count: number, best: number, sign: number): void {
  for (let i = 0; i < count; i++) {
    const rank = sign * ((price[i] as number) - best) + 0; // + 0: -0 to 0
    const position = start[rank] as number;
    order[position] = i;
    start[rank] = position + 1;
  }
}

/** keys[i] = rank(i) * scale + i, exact below 2^53. */
function packKeys(keys: Float64Array, price: Float64Array, best: number, sign: number, scale: number): void {
  for (let i = 0; i < keys.length; i++) keys[i] = sign * ((price[i] as number) - best) * scale + i;
}

/** The index part of each sorted key: key - floor(key / scale) * scale, exact for a power of two. */
function decodeKeys(order: Int32Array, keys: Float64Array, scale: number): void {
  const inverse = 1 / scale;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j] as number;
    order[j] = key - Math.floor(key * inverse) * scale;
  }
}

/** The fallback for price ranges too wide for exact packed keys (several times slower). */
function comparatorSort(count: number, price: Float64Array, sign: number, order: Int32Array): Int32Array {
  fillIndices(order, count);
  order.sort((a, b) => {
    const pa = price[a] as number;
    const pb = price[b] as number;
    return pa === pb ? a - b : (pa < pb ? -sign : sign);
  });
  return order;
}

function fillIndices(order: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) order[i] = i;
}

/** Clears one book with fresh buffers (the result owns its arrays). */
export function clearDoubleAuction(book: AuctionBook, mechanism: Mechanism): AuctionResult {
  return new DoubleAuction().clear(book, mechanism);
}

/** floor((b + o) / 2), kept within [o, b] (and +0, never -0). */
export function uniformPrice(marginalBid: number, marginalOffer: number): number {
  const mid = Math.floor((marginalBid + marginalOffer) / 2);
  return Math.min(marginalBid, Math.max(marginalOffer, mid)) + 0;
}

function checkMechanism(mechanism: string): void {
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new OrderBookError(`unknown auction mechanism "${mechanism}": expected one of ${MECHANISMS.join(', ')}`);
  }
}

/** Counts, array lengths, limits, and every entry: energy a positive safe integer, price a safe integer. */
function checkSide(side: 'bid' | 'offer', count: number, energyWh: Float64Array, price: Float64Array): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new OrderBookError(`invalid auction book: ${side}Count must be a non-negative integer (got ${count})`);
  if (count > MAX_ORDERS_PER_SIDE) {
    throw new OrderBookError(`too many ${side}s in one auction book: at most ${MAX_ORDERS_PER_SIDE} per side (got ${count})`);
  }
  if (energyWh.length < count || price.length < count) {
    throw new OrderBookError(`invalid auction book: ${side}Count is ${count} but the ${side} arrays hold ${Math.min(energyWh.length, price.length)} entries`);
  }
  const totalWh = checkedTotalWh(side, count, energyWh, price);
  if (totalWh > Number.MAX_SAFE_INTEGER) {
    throw new OrderBookError(`invalid auction book: the ${side}s' total energy exceeds ${Number.MAX_SAFE_INTEGER} Wh (energies would lose precision)`);
  }
}

/** The side's total energy, throwing at the first bad entry. */
function checkedTotalWh(side: 'bid' | 'offer', count: number, energyWh: Float64Array, price: Float64Array): number {
  let totalWh = 0;
  for (let i = 0; i < count; i++) {
    const e = energyWh[i] as number;
    const p = price[i] as number;
    if (!(e > 0 && Number.isSafeInteger(e))) throw badEntry(`${side}EnergyWh[${i}]`, 'a positive integer number of Wh', e);
    if (!Number.isSafeInteger(p)) throw badEntry(`${side}PriceMinorPerKwh[${i}]`, 'an integer price in minor units per kWh', p);
    totalWh += e;
  }
  return totalWh;
}

function badEntry(path: string, expected: string, got: number): OrderBookError {
  return new OrderBookError(`invalid auction book: ${path}: expected ${expected} (got ${got})`);
}
