/**
 * Overload cascades during a simulation, on a feeder imported from a MATPOWER case (case33bw with
 * its ties closed): baseline lets overloads trip in rounds; autonomous controllers shed by priority
 * to stop them. Both sizes are in the results.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../grid/matpower/parse-case.js';
import { aScenario, aScenarioInput } from './scenario.fixture.js';
import type { ScenarioInput } from './scenario-schema.js';
import { simulate } from './simulate.js';

const caseNetwork = parseMatpowerCase(readFileSync('test/fixtures/matpower/case33bw.m', 'utf8'), 'case33bw');
const networks = new Map([['n1-s1', caseNetwork]]);

function withCascade(trip = '6-7'): ScenarioInput {
  const base = aScenarioInput();
  const members = base.sites.filter((s) => s.area === 'n1-s1').map((s) => s.id);
  const buses = [8, 10, 12, 14, 16, 18, 31, 32, 33, 30];
  return {
    ...base,
    areas: base.areas.map((a) => (a.id === 'n1-s1'
      ? { ...a, feeder: { matpower: 'case33bw.m', memberBuses: Object.fromEntries(members.map((m, k) => [m, buses[k] as number])) } }
      : a)),
    events: [{ kind: 'cascade', area: 'n1-s1', trip, closeTies: true, marginPct: 20, startHour: 19, durationHours: 3 }],
  };
}

describe('cascades in the simulation', () => {
  it('baseline trips line after line and darkens the feeder; autonomous sheds by priority and trips none', () => {
    const baseline = simulate(aScenario(withCascade()), { mode: 'baseline', feederNetworks: networks });
    const autonomous = simulate(aScenario(withCascade()), { mode: 'autonomous', feederNetworks: networks });
    const [b] = baseline.metrics.cascades;
    const [a] = autonomous.metrics.cascades;
    expect(b).toMatchObject({ area: 'n1-s1', trip: '6-7', startSlot: 19 * 4, endSlot: 22 * 4 });
    expect(b?.linesTripped).toBeGreaterThan(5);
    expect(a?.linesTripped).toBe(0);
    expect(a?.loadShedKw).toBeGreaterThan(0);
    expect(a?.darkSites).toBeLessThan(b?.darkSites ?? 0);
    expect(autonomous.metrics.customerMinutesInterrupted).toBeLessThan(baseline.metrics.customerMinutesInterrupted);
    // The hospital (critical) is never the one shed.
    expect(autonomous.metrics.criticalEnergyNotServedKwh).toBe(0);
  });

  it('the outcome lasts for the event and is then reset', () => {
    const r = simulate(aScenario(withCascade()), { mode: 'baseline', feederNetworks: networks });
    expect(r.series.darkSites[20 * 4]).toBeGreaterThan(0);
    expect(r.series.darkSites[23 * 4]).toBe(0);
  });

  it('error: a trigger branch the case does not have, or a cascade on a generated feeder', () => {
    expect(() => simulate(aScenario(withCascade('6-99')), { feederNetworks: networks })).toThrow(/trip/);
    const generated = aScenarioInput({ events: [{ kind: 'cascade', area: 'n1-s1', trip: '1-2', startHour: 1, durationHours: 1 }] });
    expect(() => aScenario({ ...generated, areas: generated.areas.map((a) => (a.level === 'street' ? { ...a, feeder: {} } : a)) })).toThrow(/invalid scenario/);
  });
});
