import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { DEFAULT_CITY_OPTIONS, cityOptionsForSites, citySiteCount, generateCity } from './city-generator.js';
import { PLANT_MARGIN, estimateSite } from './city-sizing.js';
import { parseScenario } from './scenario-validate.js';
import type { Scenario } from './scenario-schema.js';

function errorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('generateCity', () => {
  it('is deterministic: same options, identical output', () => {
    expect(generateCity({ seed: 42 })).toEqual(generateCity({ seed: 42 }));
    expect(JSON.stringify(generateCity(cityOptionsForSites(2000)))).toBe(JSON.stringify(generateCity(cityOptionsForSites(2000))));
  });

  it('depends on the seed', () => {
    expect(generateCity({ seed: 1 })).not.toEqual(generateCity({ seed: 2 }));
  });

  it('produces a valid scenario', () => {
    const scenario = parseScenario(generateCity());
    expect(scenario.name).toBe(DEFAULT_CITY_OPTIONS.name);
    expect(scenario.days).toBe(7);
  });

  it('produces as many sites as citySiteCount says', () => {
    const d = DEFAULT_CITY_OPTIONS;
    const expected = d.neighbourhoods * d.streetsPerNeighbourhood * d.sitesPerStreet + d.factories + 4 + d.neighbourhoods;
    expect(citySiteCount()).toBe(expected);
    expect(generateCity().sites).toHaveLength(expected);
    expect(generateCity({ neighbourhoods: 2, streetsPerNeighbourhood: 3, sitesPerStreet: 5, businesses: 2, farms: 1, factories: 0 }).sites).toHaveLength(2 * 3 * 5 + 4 + 2);
  });

  it('hits an exact total site count derived from --sites', () => {
    for (const total of [20, 137, 520, 10_000]) {
      const scenario = generateCity(cityOptionsForSites(total));
      expect(scenario.sites).toHaveLength(total);
      expect(() => parseScenario(scenario)).not.toThrow();
    }
  });

  it('gives every neighbourhood microgrid a grid-forming source', () => {
    const scenario = parseScenario(generateCity(cityOptionsForSites(3000)));
    const neighbourhoods = scenario.areas.filter((a) => a.level === 'neighbourhood');
    expect(neighbourhoods.length).toBeGreaterThan(1);
    for (const nb of neighbourhoods) {
      expect(nb.microgrid).toBe(true);
      const inside = new Set([nb.id, ...scenario.areas.filter((a) => a.parent === nb.id).map((a) => a.id)]);
      const formers = scenario.sites.filter((s) => inside.has(s.area)).flatMap((s) => s.assets)
        .filter((a) => (a.kind === 'battery' || a.kind === 'chp') && a.gridForming);
      expect(formers.length, nb.id).toBeGreaterThan(0);
    }
  });

  it('includes every asset kind, site kind and priority class in the default city', () => {
    const scenario = parseScenario(generateCity());
    const assetKinds = new Set(scenario.sites.flatMap((s) => s.assets.map((a) => a.kind)));
    expect([...assetKinds].sort()).toEqual(['battery', 'chp', 'ev', 'heat-pump', 'load', 'pv', 'washing-machine', 'wind']);
    expect(new Set(scenario.sites.map((s) => s.kind))).toEqual(new Set(['household', 'business', 'farm', 'factory', 'critical', 'community']));
    expect(new Set(scenario.sites.map((s) => s.priority))).toEqual(new Set(['critical', 'essential', 'normal']));
  });

  it('adds the critical facilities with PV and a grid-forming battery, the hospital also a CHP', () => {
    const scenario = parseScenario(generateCity());
    const critical = scenario.sites.filter((s) => s.kind === 'critical');
    expect(critical.map((s) => s.facility)).toEqual(['hospital', 'water-works', 'fire-station', 'emergency-services']);
    for (const site of critical) {
      expect(site.priority).toBe('critical');
      expect(site.assets.some((a) => a.kind === 'pv')).toBe(true);
      expect(site.assets.some((a) => a.kind === 'battery' && a.gridForming)).toBe(true);
    }
    expect(critical[0]?.assets.some((a) => a.kind === 'chp')).toBe(true);
  });

  it('sizes the central plants to cover the expected city peak with margin', () => {
    const input = generateCity();
    const peakKw = input.sites.map(estimateSite).reduce((sum, e) => sum + e.peakKw, 0);
    const plantKw = (input.plants ?? []).reduce((sum, p) => sum + p.capacityKw, 0);
    expect(plantKw).toBeGreaterThanOrEqual(1.3 * peakKw);
    expect(plantKw).toBeGreaterThanOrEqual(PLANT_MARGIN * peakKw - 1);
    const [base, , peaker] = input.plants ?? [];
    expect(base?.minKw).toBeGreaterThan(0);
    expect(peaker?.marginalCostMinorPerKwh).toBeGreaterThan(base?.marginalCostMinorPerKwh ?? Infinity);
    expect(peaker?.rampKwPerMin).toBeGreaterThan(base?.rampKwPerMin ?? Infinity);
  });

  it('sizes each link for the sites below it', () => {
    const scenario: Scenario = parseScenario(generateCity());
    for (const street of scenario.areas.filter((a) => a.level === 'street')) {
      const peakKw = scenario.sites.filter((s) => s.area === street.id).map(estimateSite).reduce((sum, e) => sum + Math.max(e.peakKw, 0), 0);
      expect(street.upstreamCapacityKw).toBeGreaterThanOrEqual(peakKw);
    }
  });

  it('adds the requested outage, comm-cut and disaster events in time order', () => {
    const scenario = generateCity({
      outage: { area: 'city', startHour: 60, durationHours: 36, expectedDurationHours: 24 },
      commCut: { area: 'city', startHour: 58, durationHours: 10 },
      disaster: { area: 'nb-02', startHour: 70, restoreHour: 130 },
    });
    expect(scenario.events).toEqual([
      { kind: 'comm-cut', area: 'city', startHour: 58, durationHours: 10 },
      { kind: 'outage', area: 'city', startHour: 60, durationHours: 36, expectedDurationHours: 24 },
      { kind: 'disaster', area: 'nb-02', startHour: 70 },
      { kind: 'restore', area: 'nb-02', startHour: 130 },
    ]);
    expect(() => parseScenario(scenario)).not.toThrow();
  });

  it('generates a 10,000-site city', () => {
    const scenario = generateCity({ ...cityOptionsForSites(10_000), seed: 3 });
    expect(scenario.sites).toHaveLength(10_000);
    expect(new Set(scenario.sites.map((s) => s.id)).size).toBe(10_000);
  });
});

describe('generateCity: bad options', () => {
  it('error: rejects out-of-range options, naming each', () => {
    const error = errorOf(() => generateCity({ neighbourhoods: 0, penetration: { pv: 1.5 }, start: 'tomorrow' }));
    expect(error.details).toEqual([
      'start: an ISO 8601 date-time with offset, e.g. "2026-06-15T00:00:00+02:00" (got "tomorrow")',
      'neighbourhoods: a whole number from 1 to 2000 (got 0)',
      'penetration.pv: a number from 0 to 1 (got 1.5)',
    ]);
  });

  it('error: rejects more businesses and farms than street sites', () => {
    const error = errorOf(() => generateCity({ neighbourhoods: 1, streetsPerNeighbourhood: 1, sitesPerStreet: 5, businesses: 4, farms: 2 }));
    expect(error.details).toEqual(['businesses: with farms at most the 5 street sites (got 4)']);
  });

  it('error: rejects an event on an area the city does not have', () => {
    const error = errorOf(() => generateCity({ disaster: { area: 'nb-99', startHour: 1, restoreHour: 0 } }));
    expect(error.details).toEqual([
      'disaster.area: an area of the generated city below the tso, e.g. "city", "nb-01" (got "nb-99")',
      'disaster.restoreHour: an hour after the disaster at 1 (got 0)',
    ]);
  });

  it('error: rejects a target size out of range', () => {
    expect(errorOf(() => cityOptionsForSites(5)).details).toEqual(['totalSites: a whole number from 20 to 200000 (got 5)']);
  });
});
