/**
 * `npx tsx bench/forecast.bench.ts`: time of the learned forecaster (ridge regression, ADR 0012) per
 * site: one fit on 28 days of one site's 15-minute history and one 96-slot (24 h) predict, for load and
 * PV, then per city: the four city-wide targets, and what refitting every site once a day costs.
 * Histories come from a simulated generated city. Prints figures; asserts nothing (CONVENTIONS 10).
 * Options: BENCH_SITES (sites timed, default 100), BENCH_REPEATS (default 5).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ForecastTarget } from '../src/core/control/control-metrics.js';
import type { ExogenousSeries } from '../src/core/control/forecast/forecaster.js';
import { RidgeForecaster } from '../src/core/control/forecast/ridge-forecaster.js';
import { weatherForecastFeatures } from '../src/core/control/forecast/weather-forecast.js';
import { cityOptionsForSites, generateCity } from '../src/core/sim/city-generator.js';
import { Rng } from '../src/core/rng.js';
import { parseScenario } from '../src/core/sim/scenario-validate.js';
import { prepareRun } from '../src/core/sim/simulate.js';

const TIMED_SITES = Number(process.env.BENCH_SITES ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const TRAINING_DAYS = 28;
const PER_DAY = 96;
const DAYS = TRAINING_DAYS + 1;

interface SiteHistories {
  readonly load: Float64Array[];
  readonly pv: Float64Array[];
  readonly city: Record<ForecastTarget, Float64Array>;
  readonly exogenous: ExogenousSeries;
  readonly sites: number;
}

/** Simulates a generated city for 29 days and keeps every site's load and PV, in kW per slot. */
function simulateHistories(): SiteHistories {
  const scenario = parseScenario(generateCity({ ...cityOptionsForSites(Math.max(200, TIMED_SITES)), days: DAYS, seed: 1 }));
  const run = prepareRun(scenario, { days: DAYS, mode: 'autonomous' });
  const n = run.model.sites.length;
  const load = Array.from({ length: n }, () => new Float64Array(run.slots));
  const pv = Array.from({ length: n }, () => new Float64Array(run.slots));
  const city = { load: new Float64Array(run.slots), pv: new Float64Array(run.slots), wind: new Float64Array(run.slots), price: new Float64Array(run.slots) };
  const b = run.model.buffers;
  const kw = 1 / (run.model.clock.slotHours * 1000);
  let price = 0;
  for (let slot = 0; slot < run.slots; slot++) {
    run.engine.step(slot);
    for (let i = 0; i < n; i++) {
      const siteLoad = (b.totalDemandWh(i) + (b.deferrableWh[i] as number)) * kw;
      (load[i] as Float64Array)[slot] = siteLoad;
      (pv[i] as Float64Array)[slot] = (b.pvWh[i] as number) * kw;
      city.load[slot] = (city.load[slot] as number) + siteLoad;
      city.pv[slot] = (city.pv[slot] as number) + (b.pvWh[i] as number) * kw;
      city.wind[slot] = (city.wind[slot] as number) + (b.windWh[i] as number) * kw;
    }
    price = run.market.prices.priceAt('tso', slot, slot + 1) ?? price;
    city.price[slot] = price;
  }
  const exogenous = weatherForecastFeatures(run.weather, run.slots, new Rng(1).fork('weather-forecast'));
  return { load, pv, city, exogenous, sites: n };
}

interface Timing {
  fitMs: number[];
  predictMs: number[];
}

function timeSeries(target: ForecastTarget, series: readonly Float64Array[], exogenous: ExogenousSeries, horizonHours: number): Timing {
  const now = TRAINING_DAYS * PER_DAY;
  const out = new Float64Array((horizonHours * PER_DAY) / 24);
  const timing: Timing = { fitMs: [], predictMs: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const observed of series) {
      const forecaster = new RidgeForecaster({ target, horizonHours, trainingDays: TRAINING_DAYS });
      const input = { observed, exogenous, slotsPerDay: PER_DAY };
      const t0 = performance.now();
      forecaster.fit(input, now);
      const t1 = performance.now();
      forecaster.predict(input, now, out);
      const t2 = performance.now();
      if (repeat > 0) { // the first pass warms the JIT up
        timing.fitMs.push(t1 - t0);
        timing.predictMs.push(t2 - t1);
      }
    }
  }
  return timing;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
const ms = (x: number): string => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);

function report(label: string, t: Timing): void {
  console.log(`${label}: fit mean ${ms(mean(t.fitMs))}, p50 ${ms(quantile(t.fitMs, 0.5))}, p95 ${ms(quantile(t.fitMs, 0.95))}; ` +
    `predict mean ${ms(mean(t.predictMs))}, p95 ${ms(quantile(t.predictMs, 0.95))}`);
}

console.log(`gridmesh forecast benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), on 1 core`);
const t0 = performance.now();
const h = simulateHistories();
console.log(`history: ${h.sites}-site generated city, ${DAYS} days of 15-min slots, simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const timed = Array.from({ length: Math.min(TIMED_SITES, h.sites) }, (_, i) => i);
const pvSites = timed.map((i) => h.pv[i] as Float64Array).filter((s) => s.some((v) => v > 0));
const loadTiming = timeSeries('load', timed.map((i) => h.load[i] as Float64Array), h.exogenous, 24);
report(`per site, load, ${TRAINING_DAYS} d window, 24 h (${timed.length} sites × ${REPEATS - 1})`, loadTiming);
report(`per site, PV, ${TRAINING_DAYS} d window, 24 h (${pvSites.length} PV sites × ${REPEATS - 1})`, timeSeries('pv', pvSites, h.exogenous, 24));
report(`per site, load, ${TRAINING_DAYS} d window, 48 h (two day bands)`, timeSeries('load', timed.map((i) => h.load[i] as Float64Array), h.exogenous, 48));

const targets: ForecastTarget[] = ['load', 'pv', 'wind', 'price'];
for (const target of targets) report(`city ${target} (one series)`, timeSeries(target, [h.city[target]], h.exogenous, 24));
const perSiteMs = mean(loadTiming.fitMs) + mean(loadTiming.predictMs);
for (const sites of [520, 10_000]) {
  console.log(`a city of ${sites.toLocaleString('en-US')} sites refitting each site's load once a day: ${(perSiteMs * sites / 1000).toFixed(2)} s per simulated day (one core)`);
}
