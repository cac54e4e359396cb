/**
 * Line faults on street feeders in the simulation: gridmesh isolates the faulted section, recloses
 * upstream and islands what lies beyond on a grid-forming member (FLISR); baseline leaves the whole
 * feeder dark until the repair.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../grid/matpower/parse-case.js';
import { aScenario, aScenarioInput } from './scenario.fixture.js';
import type { ScenarioInput } from './scenario-schema.js';
import { simulate } from './simulate.js';

// n1-s1's members in order: n1-h0 … n1-h7, n1-community (grid-forming battery), hospital.
function faulted(section: number, extra: Partial<ScenarioInput> = {}): ScenarioInput {
  const input = aScenarioInput({ events: [{ kind: 'line-fault', area: 'n1-s1', section, startHour: 18, durationHours: 3 }], ...extra });
  return { ...input, areas: input.areas.map((a) => (a.level === 'street' ? { ...a, feeder: {} } : a)) };
}

describe('line faults in the simulation', () => {
  it('autonomous: isolates the section, recloses upstream and islands the rest on the community battery', () => {
    const r = simulate(aScenario(faulted(3)), { mode: 'autonomous' });
    const [fault] = r.metrics.lineFaults;
    expect(fault).toMatchObject({ area: 'n1-s1', section: 3, isolatedSites: 1, restoredSites: 2, islandedSites: 7, darkSites: 1 });
    expect(fault?.steps.map((s) => s.action)).toEqual(['fault', 'trip', 'open', 'open', 'close', 'island']);
    expect(fault?.restorationTimeS).toBeGreaterThan(0);
    const island = r.metrics.islands.find((p) => p.area === 'n1-s1 beyond section 3');
    expect(island).toMatchObject({ startSlot: 18 * 4, endSlot: 21 * 4, gridFormer: 'n1-community' });
    expect(r.series.darkSites[19 * 4]).toBe(1);
    expect(r.series.darkSites[21 * 4]).toBe(0);
    expect(r.metrics.criticalEnergyNotServedKwh).toBe(0);
  });

  it('baseline: the whole feeder is dark until the repair', () => {
    const r = simulate(aScenario(faulted(3)), { mode: 'baseline' });
    expect(r.metrics.lineFaults[0]).toMatchObject({ darkSites: 10, islandedSites: 0, restoredSites: 0, restorationTimeS: null });
    expect(r.series.darkSites[19 * 4]).toBe(10);
    expect(r.metrics.criticalEnergyNotServedKwh).toBeGreaterThan(0);
    const autonomous = simulate(aScenario(faulted(3)), { mode: 'autonomous' });
    expect(autonomous.metrics.customerMinutesInterrupted).toBeLessThan(r.metrics.customerMinutesInterrupted);
  });

  it('beyond the last grid-forming member nothing can island: those sites are dark', () => {
    // Section 10 feeds only the hospital, which has no grid-forming source of its own.
    const r = simulate(aScenario(faulted(10)), { mode: 'autonomous' });
    expect(r.metrics.lineFaults[0]).toMatchObject({ isolatedSites: 1, restoredSites: 9, islandedSites: 0, darkSites: 1 });
    expect(r.metrics.islands).toEqual([]);
  });

  it('conserves energy and stays deterministic with a fault during an outage', () => {
    const events: ScenarioInput['events'] = [
      { kind: 'outage', area: 'city', startHour: 17, durationHours: 6 },
      { kind: 'line-fault', area: 'n1-s1', section: 5, startHour: 18, durationHours: 3 },
    ];
    const a = simulate(aScenario(faulted(5, { events })), { mode: 'autonomous' });
    const b = simulate(aScenario(faulted(5, { events })), { mode: 'autonomous' });
    expect(a.resultsHash).toBe(b.resultsHash);
    expect(a.metrics.islands.map((p) => p.area).sort()).toEqual(['n1', 'n1-s1 beyond section 5', 'n2']);
  });

  it('error: a line fault needs a street with a generated feeder and an existing section', () => {
    const noFeeder = aScenarioInput({ events: [{ kind: 'line-fault', area: 'n1-s1', section: 2, startHour: 1, durationHours: 1 }] });
    expect(() => aScenario(noFeeder)).toThrow(/invalid scenario/);
    expect(() => aScenario(faulted(11))).toThrow(/invalid scenario/);
  });
});

describe('line faults on a feeder imported from a MATPOWER case', () => {
  const caseNetwork = parseMatpowerCase(readFileSync('test/fixtures/matpower/case33bw.m', 'utf8'), 'case33bw');
  const networks = new Map([['n1-s1', caseNetwork]]);
  // Members on buses 7..16: everything beyond branch 6-7 (bus 7 is isolated with the fault).
  function onCase(): ScenarioInput {
    const base = aScenarioInput({ events: [{ kind: 'line-fault', area: 'n1-s1', branch: '6-7', startHour: 18, durationHours: 3 }] });
    const members = base.sites.filter((s) => s.area === 'n1-s1').map((s) => s.id);
    return {
      ...base,
      areas: base.areas.map((a) => (a.id === 'n1-s1'
        ? { ...a, feeder: { matpower: 'case33bw.m', memberBuses: Object.fromEntries(members.map((m, k) => [m, 7 + k])) } }
        : a)),
    };
  }

  it('autonomous: isolates the branch and restores the sections beyond through a tie of the case', () => {
    const r = simulate(aScenario(onCase()), { mode: 'autonomous', feederNetworks: networks });
    const [fault] = r.metrics.lineFaults;
    expect(fault).toMatchObject({ area: 'n1-s1', branch: '6-7', section: null, isolatedSites: 1, darkSites: 1, islandedSites: 0 });
    expect(fault?.restoredViaTieSites).toBe(9);
    expect(fault?.steps.some((s) => s.action === 'close' && /tie/.test(s.note))).toBe(true);
    expect(r.series.darkSites[19 * 4]).toBe(1);
    // The feeder's power flow keeps running in the restored configuration.
    expect(r.metrics.grid?.nonConverged).toBe(0);
    expect(r.series.darkSites[21 * 4]).toBe(0);
  });

  it('baseline: the whole feeder is dark until the repair', () => {
    const r = simulate(aScenario(onCase()), { mode: 'baseline', feederNetworks: networks });
    expect(r.metrics.lineFaults[0]).toMatchObject({ darkSites: 10, restoredSites: 0, restorationTimeS: null });
  });

  it('error: a branch the case does not have', () => {
    const input = onCase();
    input.events = [{ kind: 'line-fault', area: 'n1-s1', branch: '6-99', startHour: 18, durationHours: 3 }];
    expect(() => simulate(aScenario(input), { feederNetworks: networks })).toThrow(/branch/);
  });
});
