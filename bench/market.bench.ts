/**
 * Market clearing figures (part of `npm run bench`): the double auction on a book of 1,000,000
 * orders (500,000 bids, 500,000 offers, seeded integer prices and energies) for each mechanism,
 * against the time to sort the same 1,000,000 prices in a Float64Array with the native sort.
 * Target: clearing < 1 s and at most 3× the sort. Best of 5 runs after 3 warm-up runs.
 */
import { performance } from 'node:perf_hooks';
import { chooseSortStrategy, clearDoubleAuction, DoubleAuction, MECHANISMS, type AuctionBook } from '../src/core/market/double-auction.js';
import { Rng } from '../src/core/rng.js';

const ORDERS = 1_000_000;
const RUNS = 5;
const WARM_UP_RUNS = 3;
const TARGET_MS = 1_000;
const TARGET_RATIO = 3;

function bestMs(run: () => void): number {
  for (let k = 0; k < WARM_UP_RUNS; k++) run();
  let best = Infinity;
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** A seeded book: bids drawn from [bidLow, bidHigh], offers from [bidLow - shift, bidHigh - shift]. */
function aBook(seed: number, bidLow: number, bidHigh: number, shift: number): { prices: Float64Array; book: AuctionBook } {
  const rng = new Rng(seed);
  const half = ORDERS / 2;
  const prices = Float64Array.from({ length: ORDERS }, (_, i) => (i < half ? rng.int(bidLow, bidHigh) : rng.int(bidLow - shift, bidHigh - shift)));
  const energies = Float64Array.from({ length: ORDERS }, () => rng.int(100, 10_000));
  return {
    prices,
    book: {
      bidCount: half, bidEnergyWh: energies.subarray(0, half), bidPriceMinorPerKwh: prices.subarray(0, half),
      offerCount: half, offerEnergyWh: energies.subarray(half), offerPriceMinorPerKwh: prices.subarray(half),
    },
  };
}

const auction = new DoubleAuction();
const scratch = new Float64Array(ORDERS);
// Cent prices from -0.20 to 0.80 per kWh (bids) overlapping offers 0.10 lower: about half the book
// trades; 101 price levels per side. Then prices spread over the order validator's whole range
// (±1,000,000 minor units per kWh), and over ±10^9 (possible for library callers of the auction).
const cases = [
  { label: 'prices -30..80', ...aBook(4, -20, 80, 10) },
  { label: 'prices -1e6..1e6', ...aBook(5, -900_000, 1_000_000, 100_000) },
  { label: 'prices -1e9..1e9', ...aBook(6, -900_000_000, 1_000_000_000, 100_000_000) },
];
for (const { label, prices, book } of cases) {
  const bids = book.bidPriceMinorPerKwh;
  const strategy = chooseSortStrategy(book.bidCount, bids.reduce((m, p) => Math.max(m, p), -Infinity) - bids.reduce((m, p) => Math.min(m, p), Infinity));
  const sortMs = bestMs(() => {
    scratch.set(prices);
    scratch.sort();
  });
  console.log(`market, ${label} minor/kWh (${strategy} sort): sort 1,000,000 prices (Float64Array, native sort) ${sortMs.toFixed(1)} ms`);
  for (const mechanism of MECHANISMS) {
    let trades = 0;
    let volumeWh = 0;
    const reusedMs = bestMs(() => {
      const r = auction.clear(book, mechanism);
      trades = r.tradeCount;
      volumeWh = r.volumeWh;
    });
    const freshMs = bestMs(() => clearDoubleAuction(book, mechanism));
    const ratio = reusedMs / sortMs;
    const pass = reusedMs < TARGET_MS && ratio <= TARGET_RATIO;
    console.log(`  clear 1,000,000 orders, ${mechanism}: ${reusedMs.toFixed(1)} ms (${freshMs.toFixed(1)} ms with fresh buffers), `
      + `${trades.toLocaleString('en-US')} trades, ${(volumeWh / 1e6).toFixed(1)} MWh: ${ratio.toFixed(2)}× the sort `
      + `(target < 1 s and ≤ ${TARGET_RATIO}×) ${pass ? 'PASS' : 'FAIL'}`);
  }
}

// One slot of a 10,000-site city through all levels: every site's orders, communities, the street
// to TSO books and the settlement, measured on the markets' own stages while the engine runs.
{
  const { generateCity, cityOptionsForSites } = await import('../src/core/sim/city-generator.js');
  const { parseScenario } = await import('../src/core/sim/scenario-validate.js');
  const { prepareRun } = await import('../src/core/sim/simulate.js');
  const city = parseScenario(generateCity({ ...cityOptionsForSites(10_000), days: 2, seed: 1 }));
  const run = prepareRun(city, { mode: 'autonomous' });
  const markets = run.market.markets;
  const clear = markets.clear.bind(markets);
  let clearMs = 0;
  let measured = 0;
  const warmupSlots = 96;
  markets.clear = (ctx) => {
    const t0 = performance.now();
    clear(ctx);
    if (ctx.slot >= warmupSlots) {
      clearMs += performance.now() - t0;
      measured++;
    }
  };
  for (let slot = 0; slot < run.slots; slot++) run.engine.step(slot);
  const m = run.finish().metrics.market;
  console.log(`market, one slot of a 10,000-site city through all levels (${city.areas.length} areas): `
    + `${(clearMs / measured).toFixed(2)} ms per slot (mean of ${measured} slots after ${warmupSlots} warm-up slots; `
    + `${m?.tradedKwh.toLocaleString('en-US')} kWh traded, ${m?.localTradePct} % locally)`);
}
