/**
 * Test builder for small scenarios: `aScenario()` is a city of two neighbourhood microgrids with a
 * street each, households with PV, batteries, EVs and heat pumps, a hospital and a community
 * battery, and central plants. Overrides replace top-level fields.
 */
import { parseScenario } from './scenario-validate.js';
import type { Scenario, ScenarioInput } from './scenario-schema.js';

export function aScenarioInput(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  const sites: ScenarioInput['sites'] = [];
  for (const nb of ['n1', 'n2']) {
    for (let h = 0; h < 8; h++) {
      sites.push({
        id: `${nb}-h${h}`, area: `${nb}-s1`, kind: 'household',
        assets: [
          { kind: 'load', profile: 'household', annualKwh: 3500 },
          ...(h % 2 === 0 ? [{ kind: 'pv' as const, kwp: 5 }] : []),
          ...(h % 4 === 0 ? [{ kind: 'battery' as const, capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5 }] : []),
          ...(h % 3 === 0 ? [{ kind: 'ev' as const }] : []),
          ...(h % 4 === 1 ? [{ kind: 'heat-pump' as const }] : []),
          ...(h % 2 === 1 ? [{ kind: 'washing-machine' as const }] : []),
        ],
      });
    }
    sites.push({
      id: `${nb}-community`, area: `${nb}-s1`, kind: 'community',
      assets: [{ kind: 'battery', capacityKwh: 200, maxChargeKw: 50, maxDischargeKw: 50, gridForming: true, initialSocPct: 80 }],
    });
  }
  sites.push({
    id: 'hospital', area: 'n1-s1', kind: 'critical', priority: 'critical', facility: 'hospital',
    assets: [{ kind: 'load', profile: 'commercial', annualKwh: 60000 }, { kind: 'pv', kwp: 30 }],
  });
  sites.push({
    id: 'farm', area: 'n2-s1', kind: 'farm',
    assets: [{ kind: 'load', profile: 'farm', annualKwh: 20000 }, { kind: 'wind', ratedKw: 50 }],
  });
  sites.push({
    id: 'factory', area: 'city', kind: 'factory',
    assets: [{ kind: 'load', profile: 'industrial', annualKwh: 300000 }, { kind: 'chp', ratedKw: 40, gridForming: true }],
  });
  return {
    name: 'Test town',
    seed: 7,
    start: '2026-06-15T00:00:00+02:00',
    days: 2,
    location: { latDeg: 52.1, lonDeg: 5.1, utcOffsetHours: 2 },
    areas: [
      { id: 'tso', level: 'tso', upstreamCapacityKw: 1000 },
      { id: 'dso', level: 'dso', parent: 'tso', upstreamCapacityKw: 2000 },
      { id: 'city', level: 'city', parent: 'dso', upstreamCapacityKw: 2000 },
      { id: 'n1', level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: 500 },
      { id: 'n1-s1', level: 'street', parent: 'n1', upstreamCapacityKw: 400 },
      { id: 'n2', level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: 500 },
      { id: 'n2-s1', level: 'street', parent: 'n2', upstreamCapacityKw: 400 },
    ],
    plants: [
      { id: 'base', area: 'tso', capacityKw: 300, minKw: 20, rampKwPerMin: 5, marginalCostMinorPerKwh: 4 },
      { id: 'peaker', area: 'tso', capacityKw: 300, rampKwPerMin: 50, marginalCostMinorPerKwh: 15 },
    ],
    sites,
    events: [],
    ...overrides,
  };
}

export function aScenario(overrides: Partial<ScenarioInput> = {}): Scenario {
  return parseScenario(aScenarioInput(overrides));
}
