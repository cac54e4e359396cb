/**
 * `npm run bench`: site-slots per second of the slot engine on a generated city of 10,000 sites over
 * 7 days (15-minute slots), on one core (Node runs the engine on one thread). Prints figures; asserts
 * nothing (CONVENTIONS 10). Options: BENCH_SITES, BENCH_DAYS.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateCity, cityOptionsForSites } from '../src/core/sim/city-generator.js';
import { parseScenario } from '../src/core/sim/scenario-validate.js';
import { prepareRun } from '../src/core/sim/simulate.js';
import { loadScenarioFile } from '../src/adapters/scenario-file.js';
import { simulate } from '../src/core/sim/simulate.js';

const sites = Number(process.env.BENCH_SITES ?? 10_000);
const days = Number(process.env.BENCH_DAYS ?? 7);

function timeIt<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, (performance.now() - t0) / 1000];
}

console.log(`gridmesh engine benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), engine on 1 core`);

const [scenario, genSeconds] = timeIt(() => parseScenario(generateCity({ ...cityOptionsForSites(sites), days, seed: 1 })));
console.log(`generate + validate a ${scenario.sites.length}-site city: ${genSeconds.toFixed(2)} s`);

const withOutage = parseScenario(generateCity({
  ...cityOptionsForSites(sites), days, seed: 1, outage: { area: 'city', startHour: 60, durationHours: 36 },
}));
const withFeeders = parseScenario(generateCity({ ...cityOptionsForSites(sites), days, seed: 1, feeders: true }));
const cases = [
  { label: 'autonomous', scenario, mode: 'autonomous' as const },
  { label: 'baseline', scenario, mode: 'baseline' as const },
  { label: 'autonomous with a 36 h city outage (islands)', scenario: withOutage, mode: 'autonomous' as const },
  { label: 'autonomous with power flow on every street feeder', scenario: withFeeders, mode: 'autonomous' as const },
];
for (const { label, scenario, mode } of cases) {
  const [run, buildSeconds] = timeIt(() => prepareRun(scenario, { mode }));
  const [, stepSeconds] = timeIt(() => {
    for (let s = 0; s < run.slots; s++) run.engine.step(s);
  });
  const siteSlots = run.slots * scenario.sites.length;
  console.log(
    `${label}: ${scenario.sites.length} sites × ${run.slots} slots = ${(siteSlots / 1e6).toFixed(2)} M site-slots: ` +
      `build ${buildSeconds.toFixed(2)} s, engine ${stepSeconds.toFixed(2)} s → ${Math.round(siteSlots / stepSeconds).toLocaleString('en-US')} site-slots/s`,
  );
}

const riverside = await loadScenarioFile('examples/riverside.yaml');
const [, both] = timeIt(() => {
  simulate(riverside, { mode: 'autonomous' });
  simulate(riverside, { mode: 'baseline' });
});
console.log(`riverside (${riverside.sites.length} sites, ${riverside.days} days) autonomous + baseline: ${both.toFixed(2)} s`);
