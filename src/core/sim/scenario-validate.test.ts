import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { assetIdOf, capDetails, formatPath, parseScenario } from './scenario-validate.js';

/**
 * A minimal valid scenario: tso > dso > city > neighbourhood > street, two sites, one plant.
 * Untyped on purpose: the tests break it in ways the types would not allow.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function aScenario(): Record<string, any> {
  return {
    name: 'tiny',
    start: '2026-06-15T00:00:00+02:00',
    location: { latDeg: 50, lonDeg: 8 },
    areas: [
      { id: 'tso', level: 'tso', upstreamCapacityKw: 100 },
      { id: 'dso', level: 'dso', parent: 'tso', upstreamCapacityKw: 500 },
      { id: 'city', level: 'city', parent: 'dso', upstreamCapacityKw: 400 },
      { id: 'nb', level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: 100 },
      { id: 'st', level: 'street', parent: 'nb', upstreamCapacityKw: 50 },
    ],
    plants: [{ id: 'base', area: 'tso', capacityKw: 300, minKw: 50, rampKwPerMin: 5, marginalCostMinorPerKwh: 6 }],
    sites: [
      { id: 'h1', area: 'st', assets: [{ kind: 'load', profile: 'household', annualKwh: 3500 }, { kind: 'pv', kwp: 5 }] },
      { id: 'h2', area: 'st', assets: [
        { kind: 'battery', capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5 },
        { kind: 'wind', ratedKw: 20 },
        { kind: 'heat-pump' },
        { kind: 'ev' },
      ] },
    ],
    events: [{ kind: 'outage', area: 'city', startHour: 10, durationHours: 5 }],
  };
}

function detailsOf(input: unknown): string[] {
  try {
    parseScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe('invalid scenario');
    return [...(error as ScenarioError).details];
  }
  throw new Error('expected parseScenario to throw');
}

function expectDetail(input: unknown, detail: string): void {
  expect(detailsOf(input)).toContain(detail);
}

describe('parseScenario: valid input', () => {
  it('accepts a minimal scenario', () => {
    const s = parseScenario(aScenario());
    expect(s.name).toBe('tiny');
    expect(s.sites).toHaveLength(2);
  });

  it('applies defaults', () => {
    const s = parseScenario(aScenario());
    expect(s.seed).toBe(1);
    expect(s.days).toBe(7);
    expect(s.slotMinutes).toBe(15);
    expect(s.limits.maxAssetsPerSite).toBe(32);
    expect(s.autonomy.rationingHorizonHours).toBe(24);
    expect(s.sites[0]?.kind).toBe('household');
    expect(s.sites[0]?.priority).toBe('normal');
    expect(s.sites[1]?.assets[0]).toMatchObject({ kind: 'battery', socMinPct: 10, socMaxPct: 95, initialSocPct: 50, gridForming: false });
    expect(s.areas[0]?.microgrid).toBe(false);
  });

  it('allows an outage of the tso area (the interconnector)', () => {
    const input = aScenario();
    input.events = [{ kind: 'outage', area: 'tso', startHour: 1, durationHours: 2 }];
    expect(parseScenario(input).events).toHaveLength(1);
  });

  it('allows a restore after a disaster on the same area', () => {
    const input = aScenario();
    input.events = [{ kind: 'disaster', area: 'nb', startHour: 1 }, { kind: 'restore', area: 'nb', startHour: 5 }];
    expect(parseScenario(input).events).toHaveLength(2);
  });
});

describe('parseScenario: schema errors', () => {
  it('error: rejects a wrong type, naming the path and the received value', () => {
    const input = aScenario();
    input.sites[0].assets[1].kwp = 'five';
    expectDetail(input, 'sites[0].assets[1].kwp: a number (got "five")');
  });

  it('error: rejects an out-of-range number', () => {
    const input = aScenario();
    input.location.latDeg = 100;
    expectDetail(input, 'location.latDeg: a number at most 90 (got 100)');
  });

  it('error: rejects a missing required field', () => {
    const input = aScenario();
    delete input.sites[1].assets[0].capacityKwh;
    expectDetail(input, 'sites[1].assets[0].capacityKwh: a number (missing)');
  });

  it('error: rejects unknown keys, one line per key', () => {
    const input = aScenario();
    input.colour = 'blue';
    input.areas[1].voltage = 20;
    const details = detailsOf(input);
    expect(details).toContain('colour: no such key (unknown keys are rejected; check the spelling)');
    expect(details).toContain('areas[1].voltage: no such key (unknown keys are rejected; check the spelling)');
  });

  it('error: rejects a bad datetime', () => {
    const input = aScenario();
    input.start = '2026-06-15 00:00';
    expectDetail(input, 'start: an ISO 8601 date-time with a UTC offset, e.g. "2026-06-15T00:00:00+02:00" (got "2026-06-15 00:00")');
  });

  it('error: rejects an unknown asset kind, listing the kinds', () => {
    const input = aScenario();
    input.sites[0].assets[0] = { kind: 'solar', kwp: 5 };
    const details = detailsOf(input);
    expect(details[0]).toMatch(/^sites\[0\]\.assets\[0\]\.kind: one of "load", "pv", .* \(got "solar"\)$/);
  });

  it('error: rejects an unknown enum value', () => {
    const input = aScenario();
    input.areas[4].level = 'lane';
    expectDetail(input, 'areas[4].level: one of "tso", "dso", "city", "neighbourhood", "street" (got "lane")');
  });

  it('error: rejects a bad id', () => {
    const input = aScenario();
    input.sites[0].id = 'house 1';
    expect(detailsOf(input)[0]).toMatch(/^sites\[0\]\.id: an id of letters.* \(got "house 1"\)$/);
  });

  it('error: rejects a non-object document', () => {
    expect(detailsOf(null)).toEqual(['(scenario): an object (got null)']);
  });

  it('error: rejects an empty site list', () => {
    const input = aScenario();
    input.sites = [];
    expectDetail(input, 'sites: at least 1 item (got 0 items)');
  });

  it('error: collects every problem, not only the first', () => {
    const input = aScenario();
    input.name = 5;
    input.days = -1;
    input.sites[0].assets[0].annualKwh = 0;
    expect(detailsOf(input)).toHaveLength(3);
  });

  it('error: caps the list of details', () => {
    const input = aScenario();
    input.sites = Array.from({ length: 80 }, (_, i) => ({ id: `s${i}`, area: 'st', bogus: true }));
    const details = detailsOf(input);
    expect(details).toHaveLength(51);
    expect(details[50]).toBe('… and 30 more');
  });
});

describe('parseScenario: cross-reference errors', () => {
  it('error: rejects an id used twice across areas, sites and plants', () => {
    const input = aScenario();
    input.sites[1].id = 'st';
    expectDetail(input, 'sites[1]: an id used nowhere else (got "st", already the id of areas[4])');
  });

  it('error: rejects an explicit asset id that repeats another id', () => {
    const input = aScenario();
    input.sites[1].assets[0].id = 'base';
    expectDetail(input, 'sites[1].assets[0]: an id used nowhere else (got "base", already the id of plants[0])');
  });

  it('error: rejects a scenario without a tso area', () => {
    const input = aScenario();
    input.areas[0].level = 'dso';
    expectDetail(input, 'areas: exactly one area with level "tso" (got none)');
  });

  it('error: rejects a second tso area', () => {
    const input = aScenario();
    input.areas.push({ id: 'tso2', level: 'tso', upstreamCapacityKw: 1 });
    expectDetail(input, 'areas[5].level: exactly one area with level "tso" (got a second one; the first is areas[0])');
  });

  it('error: rejects a tso area with a parent', () => {
    const input = aScenario();
    input.areas[0].parent = 'dso';
    expectDetail(input, 'areas[0].parent: no parent for the tso area (got "dso")');
  });

  it('error: rejects a non-tso area without a parent', () => {
    const input = aScenario();
    delete input.areas[3].parent;
    expectDetail(input, 'areas[3].parent: the id of an area of a higher level (got none; only the tso area has no parent)');
  });

  it('error: rejects a parent that does not exist', () => {
    const input = aScenario();
    input.areas[4].parent = 'nb-99';
    expectDetail(input, 'areas[4].parent: an existing area id (got "nb-99")');
  });

  it('error: rejects a parent of the same or a lower level', () => {
    const input = aScenario();
    input.areas[3].parent = 'st';
    expectDetail(input, 'areas[3].parent: an area of a higher level than neighbourhood (got "st", a street)');
  });

  it('error: reports a cycle of parents', () => {
    const input = aScenario();
    input.areas.push({ id: 'c1', level: 'city', parent: 'c2', upstreamCapacityKw: 1 }, { id: 'c2', level: 'city', parent: 'c1', upstreamCapacityKw: 1 });
    expect(detailsOf(input).some((d) => d.includes('got the cycle c1 → c2 → c1'))).toBe(true);
  });

  it('error: rejects a site in an unknown area', () => {
    const input = aScenario();
    input.sites[1].area = 'st-99';
    expectDetail(input, 'sites[1].area: an existing area id (got "st-99")');
  });

  it('error: rejects a site attached to the tso area', () => {
    const input = aScenario();
    input.sites[1].area = 'tso';
    expectDetail(input, 'sites[1].area: an area below the tso (got "tso", the tso area)');
  });

  it('error: rejects a plant outside the tso area', () => {
    const input = aScenario();
    input.plants[0].area = 'city';
    expectDetail(input, 'plants[0].area: the tso area "tso" (got "city")');
  });

  it('error: rejects a plant minimum above its capacity', () => {
    const input = aScenario();
    input.plants[0].minKw = 400;
    expectDetail(input, 'plants[0].minKw: at most capacityKw 300 (got 400)');
  });

  it('error: rejects an event on an unknown area', () => {
    const input = aScenario();
    input.events[0].area = 'nowhere';
    expectDetail(input, 'events[0].area: an existing area id (got "nowhere")');
  });

  it('error: rejects a comm-cut on the tso area', () => {
    const input = aScenario();
    input.events = [{ kind: 'comm-cut', area: 'tso', startHour: 1, durationHours: 2 }];
    expectDetail(input, 'events[0].area: an area below the tso for a comm-cut (got "tso", the tso area; cut the dso instead)');
  });

  it('error: rejects a restore with nothing to restore', () => {
    const input = aScenario();
    input.events = [{ kind: 'restore', area: 'nb', startHour: 5 }];
    expectDetail(input, 'events[0].area: an area with a disaster, outage or comm-cut before this restore (got "nb", which has none)');
  });
});

describe('parseScenario: asset consistency and limits', () => {
  it('error: rejects socMinPct not below socMaxPct', () => {
    const input = aScenario();
    Object.assign(input.sites[1].assets[0], { socMinPct: 60, socMaxPct: 50 });
    expectDetail(input, 'sites[1].assets[0].socMaxPct: more than socMinPct 60 (got 50)');
  });

  it('error: rejects an initial SoC outside the SoC window', () => {
    const input = aScenario();
    Object.assign(input.sites[1].assets[0], { initialSocPct: 99 });
    expectDetail(input, 'sites[1].assets[0].initialSocPct: between socMinPct 10 and socMaxPct 95 (got 99)');
  });

  it('error: rejects wind speeds out of order', () => {
    const input = aScenario();
    Object.assign(input.sites[1].assets[1], { cutInMs: 4, ratedMs: 3, cutOutMs: 2 });
    const details = detailsOf(input);
    expect(details).toContain('sites[1].assets[1].ratedMs: more than cutInMs 4 (got 3)');
    expect(details).toContain('sites[1].assets[1].cutOutMs: more than ratedMs 3 (got 2)');
  });

  it('error: rejects a heat pump comfort band upside down', () => {
    const input = aScenario();
    Object.assign(input.sites[1].assets[2], { comfortMinC: 22, comfortMaxC: 20 });
    expectDetail(input, 'sites[1].assets[2].comfortMaxC: more than comfortMinC 22 (got 20)');
  });

  it('error: rejects an EV session larger than its battery', () => {
    const input = aScenario();
    Object.assign(input.sites[1].assets[3], { batteryKwh: 40, energyPerSessionKwh: 50 });
    expectDetail(input, 'sites[1].assets[3].energyPerSessionKwh: at most batteryKwh 40 (got 50)');
  });

  it('error: enforces limits on sites, areas, assets, events and days', () => {
    const input = aScenario();
    input.limits = { maxSites: 1, maxAreas: 4, maxAssetsPerSite: 3, maxEvents: 0 + 1, maxDays: 5 };
    input.events.push({ kind: 'comm-cut', area: 'nb', startHour: 1, durationHours: 1 });
    const details = detailsOf(input);
    expect(details).toEqual(expect.arrayContaining([
      'sites: at most 1 sites (limits.maxSites) (got 2)',
      'areas: at most 4 areas (limits.maxAreas) (got 5)',
      'events: at most 1 events (limits.maxEvents) (got 2)',
      'days: at most 5 days (limits.maxDays) (got 7)',
      'sites[1].assets: at most 3 assets (limits.maxAssetsPerSite) (got 4)',
    ]));
  });
});

describe('helpers', () => {
  it('names assets by site, kind and position unless they have an id', () => {
    const site = { id: 'h1', assets: [{ kind: 'load' }, { kind: 'pv', id: 'roof' }, { kind: 'pv' }] };
    expect([0, 1, 2].map((i) => assetIdOf(site, i))).toEqual(['h1/load0', 'roof', 'h1/pv2']);
  });

  it('formats paths like code', () => {
    expect(formatPath(['sites', 3, 'assets', 0, 'kwp'])).toBe('sites[3].assets[0].kwp');
    expect(formatPath([])).toBe('(scenario)');
    expect(formatPath(['a b'])).toBe('["a b"]');
  });

  it('caps details with a count of the rest', () => {
    expect(capDetails(['a', 'b', 'c'], 2)).toEqual(['a', 'b', '… and 1 more']);
  });
});
