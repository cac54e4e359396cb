import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PowerNetwork } from '../network.js';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { runPowerFlow } from '../powerflow/run-power-flow.js';
import { analyseTopology } from '../powerflow/topology.js';
import { FlisrError } from './flisr-error.js';
import type { FlisrResult } from './flisr-result.js';
import { runFlisr } from './run-flisr.js';
import { buildSwitchPlan, defaultSwitchPlan } from './switch-plan.js';

const case33bw = parseMatpowerCase(readFileSync(new URL('../../../../test/fixtures/matpower/case33bw.m', import.meta.url), 'utf8'), 'case33bw');
const plan33 = defaultSwitchPlan(case33bw);
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const name = (b: { from: number; to: number } | null): string => (b === null ? '-' : `${b.from}–${b.to}`);

/** Voltages of the final network solved independently, by case bus number (0 = de-energised). */
function finalVoltages(result: FlisrResult): Map<number, number> {
  const { report } = runPowerFlow(result.network);
  return new Map(report.buses.map((b) => [b.bus, b.vmPu]));
}

function expectBalanced(result: FlisrResult): void {
  const t = result.summary.totals;
  expect(t.restoredKw + t.isolatedKw + t.toIslandKw + t.unservedKw).toBeCloseTo(t.interruptedKw, 6);
}

describe('runFlisr on case33bw with its five ties', () => {
  it('a mid-feeder fault (6–7): isolates that section, recloses, restores 8–18 through the best tie within limits', () => {
    const result = runFlisr(case33bw, plan33, { branch: '6-7' });
    expect(result.steps.map((s) => `${s.timeS} ${s.action} ${name(s.branch)}`)).toEqual([
      '0 fault 6–7', '0 trip 1–2', '15 open 6–7', '20 open 7–8', '25 close 1–2', '30 close 12–22',
    ]);
    const s = result.summary;
    expect(s.isolated.buses).toEqual([7]);
    expect(s.isolated.switches.map(name)).toEqual(['6–7', '7–8']);
    expect(s.restoredUpstream.buses).toEqual([...range(2, 6), ...range(19, 33)]);
    expect(s.restoredViaTies).toHaveLength(1);
    expect(name(s.restoredViaTies[0]?.tie ?? null)).toBe('12–22');
    expect(s.restoredViaTies[0]?.buses).toEqual(range(8, 18));
    expect(s.restoredViaTies[0]?.loadKw).toBeCloseTo(875, 9);
    expect(s.toIsland).toEqual([]);
    expect(s.unserved).toEqual([]);
    // 21–8 also works but leaves a lower Vmin; 18–33 would drop bus 8 to 0.83 pu.
    expect(s.tieEvaluations.map((e) => `${name(e.tie)} ${e.acceptable}`)).toEqual(['21–8 true', '12–22 true', '18–33 false']);
    expect(s.final).toMatchObject({ radial: true, withinLimits: true, violation: null, maxLoading: null });
    expect(s.final.vmin.pu).toBeGreaterThanOrEqual(0.9);
    expect(s.final.vmin.pu).toBeCloseTo(0.937, 3);
    expectBalanced(result);

    expect(analyseTopology(result.network).radial).toBe(true);
    const vm = finalVoltages(result);
    expect(vm.get(7)).toBe(0);
    for (const bus of [...range(2, 6), ...range(8, 33)]) expect(vm.get(bus)).toBeGreaterThanOrEqual(0.9);
  });

  it('a fault on the first line (1–2): the breaker isolates it and no tie reaches a live feeder', () => {
    const result = runFlisr(case33bw, plan33, { branch: '1-2' }, {}, { gridFormingBuses: [20] });
    expect(result.steps.map((s) => `${s.timeS} ${s.action} ${name(s.branch)}`)).toEqual([
      '0 fault 1–2', '0 trip 1–2', '15 open 2–3', '20 open 2–19', '20 unserved -', '20 island -',
    ]);
    const s = result.summary;
    expect(s.isolated.buses).toEqual([2]);
    expect(s.restoredUpstream.buses).toEqual([]);
    expect(s.restoredViaTies).toEqual([]);
    expect(s.unserved.map((g) => g.buses)).toEqual([[...range(3, 18), ...range(23, 33)]]);
    expect(s.toIsland.map((g) => g.buses)).toEqual([range(19, 22)]);
    expect(s.totals.unservedKw + s.totals.toIslandKw).toBeCloseTo(3615, 9);
    expect(s.tieEvaluations).toEqual([]);
    expectBalanced(result);
  });

  it('without sectionalisers nearby, isolates a larger section and restores both sides through two ties', () => {
    const plan = buildSwitchPlan(case33bw, { sectionalisers: ['2-3', '5-6', '6-26', '8-9', '2-19', '3-23'] });
    const s = runFlisr(case33bw, plan, { branch: '6-7' }).summary;
    expect(s.isolated.buses).toEqual([6, 7, 8]);
    expect(s.isolated.switches.map(name)).toEqual(['5–6', '8–9', '6–26']);
    expect(s.restoredViaTies.map((r) => `${name(r.tie)}: ${r.buses[0]}–${r.buses.at(-1)} at ${r.timeS} s`)).toEqual([
      '25–29: 26–33 at 35 s', '12–22: 9–18 at 40 s',
    ]);
    expect(s.final.withinLimits).toBe(true);
  });

  it('a vmin of 0.935 rejects ties 21–8 and 18–33 but not 12–22', () => {
    const s = runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: 0.935 }).summary;
    expect(s.tieEvaluations.map((e) => `${name(e.tie)} ${e.acceptable ? 'ok' : e.reason}`)).toEqual([
      '21–8 voltage 0.9300 pu at bus 18 below 0.935 pu', '12–22 ok', '18–33 voltage 0.8281 pu at bus 8 below 0.935 pu',
    ]);
    expect(name(s.restoredViaTies[0]?.tie ?? null)).toBe('12–22');
  });

  it('a tight vmin (0.95) makes every tie unacceptable: the section is left to island', () => {
    const result = runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: 0.95 }, { gridFormingBuses: [15] });
    const s = result.summary;
    expect(s.restoredViaTies).toEqual([]);
    expect(s.toIsland.map((g) => g.buses)).toEqual([range(8, 18)]);
    expect(s.toIsland[0]?.loadKw).toBeCloseTo(875, 9);
    expect(result.steps.at(-1)).toMatchObject({ action: 'island', timeS: 25, buses: range(8, 18) });
    expect(s.tieEvaluations.filter((e) => e.mode === 'full').every((e) => !e.acceptable)).toBe(true);
    // The reclosed feeder itself is below 0.95 pu at its far end: reported, not hidden.
    expect(s.final.withinLimits).toBe(false);
    expect(s.final.violation).toMatch(/bus 33 below 0\.95 pu/);
    expectBalanced(result);
  });

  it('sheds the far end when a tie cannot carry the whole section (fault on 28–29)', () => {
    const result = runFlisr(case33bw, plan33, { branch: '28-29' });
    expect(result.steps.slice(4).map((s) => `${s.timeS} ${s.action} ${name(s.branch)} ${s.buses.join(',')}`)).toEqual([
      '25 close 1–2 ' + range(2, 28).join(','), '30 open 31–32 30,31', '35 close 18–33 32,33', '35 unserved - 30,31',
    ]);
    expect(result.summary.restoredViaTies[0]?.shedSwitches.map(name)).toEqual(['31–32']);
    // 30–31 was opened on the way but lies inside the shed part: it stays closed.
    expect(result.network.branches.filter((br) => !br.inService).map((br) => `${br.from + 1}–${br.to + 1}`)).toEqual([
      '28–29', '29–30', '31–32', '21–8', '9–15', '12–22', '25–29',
    ]);
    expect(result.summary.final.withinLimits).toBe(true);
    expectBalanced(result);
  });

  it('with partial restoration off, the whole section is left', () => {
    const s = runFlisr(case33bw, plan33, { branch: '28-29' }, {}, { partialRestoration: false }).summary;
    expect(s.restoredViaTies).toEqual([]);
    expect(s.unserved.map((g) => g.buses)).toEqual([[30, 31, 32, 33]]);
  });

  it('rejects a tie whose rating would be exceeded', () => {
    const rated: PowerNetwork = { ...case33bw, branches: case33bw.branches.map((br, k) => ({ ...br, rateAMva: k === 34 ? 0.5 : 6 })) };
    const s = runFlisr(rated, defaultSwitchPlan(rated), { branch: '6-7' }).summary;
    const tie1222 = s.tieEvaluations.find((e) => name(e.tie) === '12–22');
    expect(tie1222?.acceptable).toBe(false);
    expect(tie1222?.reason).toMatch(/^branch 12–22 loaded 198\.\d+ % above 100 %$/);
    expect(name(s.restoredViaTies[0]?.tie ?? null)).toBe('21–8');
    expect(s.final.maxLoading?.pct).toBeLessThanOrEqual(100);
    expect(name(s.final.maxLoading?.branch ?? null)).toBe('1–2');
  });

  it('every in-service line: radial, within limits, load accounted for, isolated buses dark, restored buses ≥ vmin', () => {
    for (const k of plan33.sectionalisers) {
      const result = runFlisr(case33bw, plan33, { branch: k });
      const s = result.summary;
      expect(s.final.radial).toBe(true);
      expect(s.final.withinLimits).toBe(true);
      expectBalanced(result);
      const vm = finalVoltages(result);
      for (const bus of s.isolated.buses) expect(vm.get(bus)).toBe(0);
      for (const bus of s.restoredViaTies.flatMap((r) => r.buses)) expect(vm.get(bus)).toBeGreaterThanOrEqual(0.9);
      expect(result.steps.every((st, i) => i === 0 || st.timeS >= (result.steps[i - 1]?.timeS ?? 0))).toBe(true);
    }
  });

  it('is deterministic', () => {
    const a = runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: 0.95 });
    const b = runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: 0.95 });
    expect(JSON.stringify(a.steps)).toBe(JSON.stringify(b.steps));
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
  });

  it('takes its switch times from the timing options', () => {
    const steps = runFlisr(case33bw, plan33, { branch: '6-7' }, {}, { timing: { faultLocationS: 2, switchOperationS: 1 } }).steps;
    expect(steps.map((s) => s.timeS)).toEqual([0, 0, 3, 4, 5, 6]);
  });
});

describe('runFlisr islands', () => {
  it('a section with an in-service generator is left to island by default', () => {
    //  1 (REF) ── 2 ── 3 ── 4 (gen)
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.01 }), aBus(3, { pdPu: 0.01 }), aBus(4, { pdPu: 0.02 })],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(2, 3)],
      gens: [{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }, { bus: 3, pgPu: 0.01, qgPu: 0, vgPu: 1, inService: true }],
    });
    const result = runFlisr(network, defaultSwitchPlan(network), { branch: '2-3' });
    expect(result.summary.isolated.buses).toEqual([3]);
    expect(result.summary.toIsland.map((g) => g.buses)).toEqual([[4]]);
    expect(result.summary.toIsland[0]?.loadKw).toBeCloseTo(200, 9);
    expect(result.steps.at(-1)?.action).toBe('island');
  });
});

describe('runFlisr errors', () => {
  const error = (action: () => unknown): string => {
    try {
      action();
    } catch (e) {
      expect(e).toBeInstanceOf(FlisrError);
      return (e as Error).message;
    }
    throw new Error('expected a FlisrError');
  };

  it('error: a fault on a branch that does not exist', () => {
    expect(error(() => runFlisr(case33bw, plan33, { branch: '5-40' }))).toBe('fault on branch 5–40: no branch between buses 5 and 40 in case33bw');
    expect(error(() => runFlisr(case33bw, plan33, { branch: 37 }))).toBe('fault on branch 37: no branch with that index');
  });

  it('error: a fault on an open tie', () => {
    expect(error(() => runFlisr(case33bw, plan33, { branch: '18-33' }))).toMatch(/^fault on branch 18–33: the branch is out of service/);
  });

  it('error: a plan with a tie listed as a sectionaliser', () => {
    const bad = { sectionalisers: [...plan33.sectionalisers, 35], ties: [32, 33, 34, 36] };
    expect(error(() => runFlisr(case33bw, bad, { branch: '6-7' }))).toMatch(/^switch 18–33 is listed as a sectionaliser/);
  });

  it('error: limits out of range', () => {
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: 1.2 }))).toMatch(/vmaxPu must be a number above vminPu/);
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, { maxLoadingPct: 0 }))).toMatch(/maxLoadingPct must be a positive/);
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, { vminPu: Number.NaN }))).toMatch(/vminPu must be a positive/);
  });

  it('error: options out of range', () => {
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, {}, { timing: { switchOperationS: -1 } }))).toMatch(/switchOperationS must be/);
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, {}, { gridFormingBuses: [99] }))).toBe('grid-forming bus 99 is not in case33bw');
  });

  it('error: more power flows than allowed', () => {
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, {}, { maxPowerFlows: 2 }))).toBe('FLISR needed more than 2 power flows');
    expect(error(() => runFlisr(case33bw, plan33, { branch: '6-7' }, {}, { maxPowerFlows: 0 }))).toMatch(/maxPowerFlows must be a positive integer/);
  });

  it('error: a meshed normal configuration', () => {
    const meshed = { ...case33bw, branches: case33bw.branches.map((br, k) => (k === 35 ? { ...br, inService: true } : br)) };
    const plan = buildSwitchPlan(meshed, { ties: [] });
    expect(error(() => runFlisr(meshed, plan, { branch: '6-7' }))).toBe('the normal configuration of case33bw is meshed');
  });
});
