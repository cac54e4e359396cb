import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import type { PowerNetwork } from '../network.js';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { runPowerFlow } from '../powerflow/run-power-flow.js';
import { rateFromBaseCase, withAllBranchesClosed } from './rate-from-base-case.js';
import { runCascade } from './run-cascade.js';
import type { CascadeResult } from './cascade-types.js';

const loadCase = (name: string): PowerNetwork =>
  parseMatpowerCase(readFileSync(new URL(`../../../../test/fixtures/matpower/${name}.m`, import.meta.url), 'utf8'), name);

/** case33bw with its five tie lines closed, every branch rated at its base-case loading + 30 %. */
const MESHED = rateFromBaseCase(withAllBranchesClosed(loadCase('case33bw')), 30);
/** The radial case33bw, rated so generously that nothing trips on overload. */
const RADIAL = rateFromBaseCase(loadCase('case33bw'), 1000);
const CRITICAL = { 7: 'critical', 18: 'critical', 30: 'critical' } as const;
const OUTAGE_6_7 = { branch: { from: 6, to: 7 } };

const linesOf = (r: CascadeResult): number => r.summary.linesTripped;

describe('runCascade on the meshed 33-bus feeder', () => {
  const baseline = runCascade(MESHED, OUTAGE_6_7, { mode: 'baseline', priorities: CRITICAL });
  const autonomous = runCascade(MESHED, OUTAGE_6_7, { mode: 'autonomous', priorities: CRITICAL });

  it('baseline: the outage of 6-7 cascades over successive rounds and loses load', () => {
    expect(baseline.rounds[0]?.tripped).toEqual([{ from: 6, to: 7, loadingPct: null }]);
    const tripping = baseline.rounds.filter((r) => r.round > 0 && r.tripped.length > 0);
    expect(tripping.length).toBeGreaterThanOrEqual(2);
    expect(linesOf(baseline)).toBeGreaterThan(1);
    expect(baseline.summary.loadLostKw).toBeGreaterThan(1000);
    expect(baseline.summary.customersLost).toBeGreaterThan(10);
    expect(baseline.summary.loadShedKw).toBe(0);
    expect(baseline.summary.criticalServedKw).toBeLessThan(baseline.summary.criticalDemandKw);
  });

  it('autonomous: shedding by priority stops it with fewer lines tripped, less load lost and critical load served', () => {
    expect(linesOf(autonomous)).toBeLessThan(linesOf(baseline));
    expect(autonomous.summary.loadLostKw).toBeLessThan(baseline.summary.loadLostKw);
    expect(autonomous.summary.loadLostKw + autonomous.summary.loadShedKw).toBeLessThan(baseline.summary.loadLostKw);
    expect(autonomous.summary.criticalServedKw).toBeCloseTo(autonomous.summary.criticalDemandKw, 6);
    expect(autonomous.summary.loadShedKw).toBeGreaterThan(0);
  });

  it('each round trips exactly the branches overloaded at that round (checked by an independent power flow)', () => {
    let network = MESHED;
    for (const round of baseline.rounds) {
      if (round.round > 0) {
        const { report } = runPowerFlow(network, 'newton');
        const overloaded = report.branches.filter((b, k) => network.branches[k]?.inService && (b.loadingPct ?? 0) > 100);
        expect(round.tripped.map((t) => `${t.from}-${t.to}`).sort()).toEqual(overloaded.map((b) => `${b.from}-${b.to}`).sort());
        for (const t of round.tripped) expect(t.loadingPct).toBeGreaterThan(100);
      }
      network = withOut(network, round.tripped.map((t) => `${t.from}-${t.to}`));
    }
    // After the last round, nothing is overloaded.
    const { report } = runPowerFlow(network, 'newton');
    expect(report.branches.every((b) => (b.loadingPct ?? 0) <= 100)).toBe(true);
  });

  it('a trigger that overloads nothing trips nothing', () => {
    for (const mode of ['baseline', 'autonomous'] as const) {
      const r = runCascade(MESHED, { loadScale: 1.1 }, { mode });
      expect(r.summary).toMatchObject({ linesTripped: 0, customersLost: 0, loadLostKw: 0, loadShedKw: 0, rounds: 0 });
      expect(r.rounds).toHaveLength(1);
    }
  });

  it('a load increase: baseline trips lines and loses load, autonomous sheds a little and keeps every line', () => {
    const b = runCascade(MESHED, { loadScale: 1.3 }, { mode: 'baseline' });
    const a = runCascade(MESHED, { loadScale: 1.3 }, { mode: 'autonomous' });
    expect(b.summary.demandKw).toBeCloseTo(3715 * 1.3, 6);
    expect(linesOf(b)).toBeGreaterThan(1);
    expect(b.summary.loadLostKw).toBeGreaterThan(0);
    expect(linesOf(a)).toBe(0);
    expect(a.summary.loadShedKw).toBeGreaterThan(0);
    expect(a.summary.loadShedKw).toBeLessThan(0.1 * a.summary.demandKw);
  });

  it('autonomous lets a branch trip when that costs no customer (a redundant branch in the mesh)', () => {
    const r = runCascade(MESHED, { branch: { from: 32, to: 33 } }, { mode: 'autonomous' });
    expect(r.summary).toMatchObject({ customersLost: 0, loadShedKw: 0 });
    expect(linesOf(r)).toBeGreaterThan(0);
    expect(r.rounds.flatMap((x) => x.notes).join('\n')).toMatch(/no customer loses supply/);
  });

  it('is deterministic', () => {
    expect(runCascade(MESHED, OUTAGE_6_7, { mode: 'autonomous', priorities: CRITICAL })).toEqual(autonomous);
  });
});

describe('runCascade: load accounting', () => {
  it('served + shed + lost = demand, and autonomous never affects more load than baseline, for every single outage', () => {
    MESHED.branches.forEach((br) => {
      const branch = { from: MESHED.buses[br.from]?.id ?? 0, to: MESHED.buses[br.to]?.id ?? 0 };
      const [b, a] = (['baseline', 'autonomous'] as const).map((mode) => runCascade(MESHED, { branch }, { mode, priorities: CRITICAL }));
      for (const r of [a, b]) {
        const s = r?.summary;
        expect((s?.servedKw ?? 0) + (s?.loadShedKw ?? 0) + (s?.loadLostKw ?? 0)).toBeCloseTo(s?.demandKw ?? NaN, 6);
      }
      expect((a?.summary.loadLostKw ?? 0) + (a?.summary.loadShedKw ?? 0)).toBeLessThanOrEqual((b?.summary.loadLostKw ?? 0) + 1e-6);
    });
  });
});

describe('runCascade: embedded generation written as negative load', () => {
  //   1 (REF) ── 2 (1 MW load) ── 3 (0.5 MW generation as a load of −0.5 MW)
  const network = aNetwork({
    buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.1 }), aBus(3, { pdPu: -0.05 })],
    branches: [aBranch(0, 1, { rateAMva: 5 }), aBranch(1, 2, { rateAMva: 5 })],
  });

  it('is not load: losing it loses no load, and a load increase does not scale it', () => {
    const lost = runCascade(network, { branch: { from: 1, to: 2 } }, { mode: 'baseline' });
    expect(lost.summary).toMatchObject({ demandKw: 1000, loadLostKw: 1000, customersLost: 1 });
    const scaled = runCascade(network, { loadScale: 2 }, { mode: 'baseline' });
    expect(scaled.summary.demandKw).toBeCloseTo(2000, 9);
  });
});

describe('runCascade: islands and voltage collapse', () => {
  const microgrids = [{ name: 'end of lateral', buses: [18, 17, 16, 15], capacityKw: 250 }];

  it('autonomous: a de-energised microgrid islands, serving critical load first and shedding the rest', () => {
    const r = runCascade(RADIAL, OUTAGE_6_7, { mode: 'autonomous', priorities: { 18: 'critical', 16: 'essential' }, islandable: microgrids });
    const trigger = r.rounds[0];
    expect(trigger?.islandedBuses).toEqual([15, 16, 17, 18]);
    expect(trigger?.deEnergisedBuses).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(r.summary.loadIslandedKw).toBeCloseTo(250, 6);
    expect(r.summary.loadShedKw).toBeCloseTo(20, 6); // 270 kW of load on 250 kW of capacity
    expect(r.summary.criticalServedKw).toBeCloseTo(90, 6);
    const baseline = runCascade(RADIAL, OUTAGE_6_7, { mode: 'baseline', priorities: { 18: 'critical' }, islandable: microgrids });
    expect(baseline.rounds[0]?.islandedBuses).toEqual([]);
    expect(baseline.summary.customersLost).toBe(12);
  });

  it('a microgrid whose capacity is below its critical load does not island', () => {
    const r = runCascade(RADIAL, OUTAGE_6_7, { mode: 'autonomous', priorities: { 18: 'critical', 17: 'critical' }, islandable: [{ buses: [18, 17], capacityKw: 100 }] });
    expect(r.rounds[0]?.islandedBuses).toEqual([]);
    expect(r.rounds[0]?.notes.join('\n')).toMatch(/microgrid 1 cannot island: critical load 150\.0 kW exceeds its capacity 100 kW/);
  });

  it('baseline: a load beyond the voltage-collapse point loses the island, and says so', () => {
    const r = runCascade(RADIAL, { loadScale: 5 }, { mode: 'baseline' });
    expect(r.rounds[1]?.collapsedBuses).toHaveLength(33);
    expect(r.rounds[1]?.notes.join('\n')).toMatch(/voltage collapse/);
    expect(r.summary.servedKw).toBe(0);
  });

  it('autonomous: the controllers shed just enough by priority to keep a collapsing island solvable', () => {
    const r = runCascade(RADIAL, { loadScale: 5 }, { mode: 'autonomous', priorities: { 18: 'critical' } });
    expect(r.summary.loadLostKw).toBe(0);
    expect(r.summary.loadShedKw).toBeGreaterThan(0);
    expect(r.summary.loadShedKw).toBeLessThan(0.5 * r.summary.demandKw);
    expect(r.summary.criticalServedKw).toBeCloseTo(r.summary.criticalDemandKw, 6);
  });
});

describe('runCascade: invalid input', () => {
  const run = (trigger: object, options: object = {}): (() => unknown) =>
    () => runCascade(MESHED, trigger as never, { mode: 'baseline', ...options });

  it('error: names what is wrong', () => {
    expect(run({ branch: { from: 6, to: 99 } })).toThrow(/branch 6-99: bus 99 is not in case33bw/);
    expect(run({ branch: { from: 6, to: 8 } })).toThrow(/there is no branch 6-8/);
    expect(run({ branches: [] })).toThrow(/at least one branch/);
    expect(run({ branches: [{ from: 6, to: 7 }, { from: 7, to: 6 }] })).toThrow(/same branch twice/);
    expect(run({ loadScale: 0 })).toThrow(/loadScale must be a positive number, got 0/);
    expect(run({ loadScale: 1.2, branch: { from: 6, to: 7 } })).toThrow(/exactly one of branch, branches or loadScale/);
    expect(run({})).toThrow(/got none/);
    expect(run(OUTAGE_6_7, { tripAbovePct: -1 })).toThrow(/tripAbovePct must be a positive number/);
    expect(run(OUTAGE_6_7, { maxRounds: 0 })).toThrow(/maxRounds must be an integer/);
    expect(run(OUTAGE_6_7, { mode: 'panic' })).toThrow(/mode must be one of baseline, autonomous/);
    expect(run(OUTAGE_6_7, { priorities: { 7: 'vip' } })).toThrow(/bus 7 has class "vip"/);
    expect(run(OUTAGE_6_7, { islandable: [{ buses: [5, 6], capacityKw: 10 }, { buses: [6], capacityKw: 10 }] })).toThrow(/bus 6 is in both microgrid 1 and microgrid 2/);
    expect(run(OUTAGE_6_7, { islandable: [{ buses: [5], capacityKw: -1 }] })).toThrow(/capacityKw must be a non-negative number/);
  });

  it('error: a tripped-out branch, an unrated network, a cascade longer than maxRounds', () => {
    const open = withOut(MESHED, ['6-7']);
    expect(() => runCascade(open, OUTAGE_6_7, { mode: 'baseline' })).toThrow(/branch 6-7 is already out of service/);
    expect(() => runCascade(loadCase('case33bw'), OUTAGE_6_7, { mode: 'baseline' })).toThrow(/no in-service branch has a rating/);
    expect(() => runCascade(MESHED, OUTAGE_6_7, { mode: 'baseline', maxRounds: 1 })).toThrow(/still tripping branches after 1 rounds/);
  });
});

/** The network with these branches (FROM-TO by case bus number) out of service. */
function withOut(network: PowerNetwork, names: readonly string[]): PowerNetwork {
  const id = (i: number): number | undefined => network.buses[i]?.id;
  return {
    ...network,
    branches: network.branches.map((br) => (names.includes(`${id(br.from)}-${id(br.to)}`) ? { ...br, inService: false } : br)),
  };
}
