/**
 * Power flow inside the simulation: streets with a `feeder` run a power flow every slot; the losses
 * enter the energy balance (drawn from upstream, or from the island's grid former), and voltage and
 * thermal findings become metrics.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../grid/matpower/parse-case.js';
import { aScenario, aScenarioInput } from './scenario.fixture.js';
import type { ScenarioInput } from './scenario-schema.js';
import { simulate } from './simulate.js';

type Feeder = NonNullable<ScenarioInput['areas'][number]['feeder']>;

function withFeeders(input: ScenarioInput, feeder: Feeder = {}): ScenarioInput {
  return { ...input, areas: input.areas.map((a) => (a.level === 'street' ? { ...a, feeder } : a)) };
}

describe('feeders in the simulation', () => {
  it('runs power flow on each feeder: losses are supplied from upstream and reported', () => {
    // Without local generation every Wh comes through the TSO, so the extra TSO energy is the losses.
    const noGeneration = (input: ScenarioInput): ScenarioInput => ({
      ...input, sites: input.sites.map((s) => ({ ...s, assets: (s.assets ?? []).filter((a) => !['pv', 'wind', 'chp'].includes(a.kind)) })),
    });
    const plain = simulate(aScenario(noGeneration(aScenarioInput())));
    const physical = simulate(aScenario(noGeneration(withFeeders(aScenarioInput()))));
    expect(plain.metrics.networkLossesKwh).toBe(0);
    expect(plain.metrics.grid).toBeUndefined();
    expect(physical.metrics.networkLossesKwh).toBeGreaterThan(0);
    expect(physical.metrics.grid?.feeders).toBe(2);
    expect(physical.metrics.energyNotServedKwh).toBe(0);
    // The TSO supplies the network losses on top of the same demand.
    const tsoEnergy = (r: typeof plain): number => r.series.plantsKw.reduce((s, kw) => s + kw / 4, 0);
    expect(tsoEnergy(physical) - tsoEnergy(plain)).toBeCloseTo(physical.metrics.networkLossesKwh, 0);
    const street = physical.areas.find((a) => a.id === 'n1-s1');
    expect(street?.feeder?.lossesKwh).toBeGreaterThan(0);
    expect(street?.feeder?.worstVminPu).toBeLessThan(1);
  });

  it('records voltage and thermal violations with their worst values and duration', () => {
    const weak: Feeder = { spacingM: 400, transformerKva: 20 };
    const r = simulate(aScenario(withFeeders(aScenarioInput(), weak)));
    const g = r.metrics.grid;
    expect(g?.voltageViolations).toBeGreaterThan(0);
    expect(g?.thermalViolations).toBeGreaterThan(0);
    expect(g?.worstLoadingPct).toBeGreaterThan(100);
    expect(g?.worstVminPu).toBeLessThan(0.9);
    expect(g?.violationMinutes).toBeGreaterThan(0);
  });

  it('in an island the grid-forming source carries the network losses', () => {
    const input = withFeeders(aScenarioInput({ events: [{ kind: 'outage', area: 'city', startHour: 12, durationHours: 20 }] }));
    const r = simulate(aScenario(input), { mode: 'autonomous' });
    expect(r.metrics.islandingEvents).toBe(2);
    expect(r.metrics.brownoutSlots).toBe(0);
    expect(r.metrics.criticalEnergyNotServedKwh).toBe(0);
    const islandHours = r.series.islandedSites.slice(12 * 4, 32 * 4);
    expect(Math.min(...islandHours)).toBeGreaterThan(0);
  });

  it('an island whose grid former cannot also carry the losses browns out, and the metric says so', () => {
    // A street transformer far too weak for its load: the island's power flow has no solution.
    const input = withFeeders(aScenarioInput({ events: [{ kind: 'outage', area: 'city', startHour: 18, durationHours: 4 }] }), { transformerKva: 0.1 });
    const r = simulate(aScenario(input), { mode: 'autonomous' });
    expect(r.metrics.brownoutSlots).toBeGreaterThan(0);
    expect(r.metrics.grid?.nonConverged).toBeGreaterThan(0);
  });
});

describe('feeders imported from MATPOWER cases', () => {
  const caseNetwork = parseMatpowerCase(readFileSync('test/fixtures/matpower/case33bw.m', 'utf8'), 'case33bw');
  const members = aScenarioInput().sites.filter((s) => s.area === 'n1-s1').map((s) => s.id);
  const onCase = (memberBuses: Record<string, number>): ScenarioInput => ({
    ...aScenarioInput(),
    areas: aScenarioInput().areas.map((a) => (a.id === 'n1-s1' ? { ...a, feeder: { matpower: 'case33bw.m', memberBuses } } : a)),
  });
  const placed = Object.fromEntries(members.map((m, k) => [m, 2 + 3 * k]));

  it('runs power flow on the case with the members as its loads', () => {
    const r = simulate(aScenario(onCase(placed)), { feederNetworks: new Map([['n1-s1', caseNetwork]]) });
    expect(r.metrics.grid?.feeders).toBe(1);
    expect(r.metrics.networkLossesKwh).toBeGreaterThan(0);
    expect(r.metrics.energyNotServedKwh).toBe(0);
    expect(r.areas.find((a) => a.id === 'n1-s1')?.feeder?.worstVminPu).toBeLessThan(1);
  });

  it('error: a member missing from memberBuses, or placed on a bus the case does not have', () => {
    const { [members[0] as string]: _dropped, ...missing } = placed;
    expect(() => aScenario(onCase(missing))).toThrow(/invalid scenario/);
    const wrong = aScenario(onCase({ ...placed, [members[0] as string]: 999 }));
    expect(() => simulate(wrong, { feederNetworks: new Map([['n1-s1', caseNetwork]]) })).toThrow(/does not fit its case/);
  });

  it('error: simulating without the loaded case names the feeder', () => {
    expect(() => simulate(aScenario(onCase(placed)))).toThrow(/was not loaded/);
  });
});
