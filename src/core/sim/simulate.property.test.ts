/**
 * Deterministic simulation tests on generated cities: random layouts, device mixes, outages,
 * disasters and communication cuts (from a seed). Every slot of every run checks conservation of
 * energy at every site and area (an InvariantError would fail the property); here we also check the
 * run-level books and determinism. A failure prints the fast-check seed and the counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCity } from './city-generator.js';
import { parseScenario } from './scenario-validate.js';
import { simulate } from './simulate.js';

const city = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  neighbourhoods: fc.integer({ min: 1, max: 3 }),
  streetsPerNeighbourhood: fc.integer({ min: 1, max: 3 }),
  sitesPerStreet: fc.integer({ min: 3, max: 12 }),
  pv: fc.double({ min: 0, max: 1, noNaN: true }),
  battery: fc.double({ min: 0, max: 1, noNaN: true }),
  ev: fc.double({ min: 0, max: 1, noNaN: true }),
  slotMinutes: fc.constantFrom(5, 15, 30, 60),
  outageArea: fc.constantFrom('city', 'dso', 'nb-01', 'tso'),
  outageStart: fc.integer({ min: 0, max: 10 }),
  outageHours: fc.integer({ min: 1, max: 14 }),
  disaster: fc.boolean(),
  commCut: fc.boolean(),
  feeders: fc.boolean(),
  mode: fc.constantFrom('autonomous' as const, 'baseline' as const),
});

describe('simulation properties on generated cities', () => {
  it('conserves energy, balances the books and is deterministic', () => {
    fc.assert(
      fc.property(city, (c) => {
        const input = generateCity({
          seed: c.seed, days: 0.75, slotMinutes: c.slotMinutes, neighbourhoods: c.neighbourhoods,
          streetsPerNeighbourhood: c.streetsPerNeighbourhood, sitesPerStreet: c.sitesPerStreet,
          businesses: 2, farms: 1, factories: 1, feeders: c.feeders, penetration: { pv: c.pv, battery: c.battery, ev: c.ev },
          outage: { area: c.outageArea, startHour: c.outageStart, durationHours: c.outageHours },
          ...(c.disaster ? { disaster: { area: 'nb-01', startHour: c.outageStart + 1, restoreHour: c.outageStart + 5 } } : {}),
          ...(c.commCut ? { commCut: { area: 'city', startHour: c.outageStart, durationHours: 3 } } : {}),
        });
        if (c.feeders) {
          const street = input.areas.find((a) => a.level === 'street');
          const members = input.sites.filter((s) => s.area === street?.id).length;
          if (street !== undefined && members > 0) {
            input.events = [...(input.events ?? []), { kind: 'line-fault', area: street.id, section: 1 + (c.seed % members), startHour: c.outageStart, durationHours: 4 }];
          }
        }
        const scenario = parseScenario(input);
        const run = simulate(scenario, { mode: c.mode });
        const m = run.metrics;
        expect(m.energyServedKwh + m.energyNotServedKwh).toBeCloseTo(m.energyDemandKwh, 2);
        const byPriority = m.energyNotServedByPriorityKwh;
        expect(byPriority.critical + byPriority.essential + byPriority.normal).toBeCloseTo(m.energyNotServedKwh, 2);
        if (m.energyServedKwh > 0) {
          expect(Object.values(m.localBalancePct).reduce((s, x) => s + x, 0)).toBeCloseTo(100, 0);
        }
        if (c.mode === 'baseline') expect(m.islandingEvents).toBe(0);
        expect(simulate(scenario, { mode: c.mode }).resultsHash).toBe(run.resultsHash);
      }),
      { numRuns: 30, seed: 20261124 },
    );
  });
});
