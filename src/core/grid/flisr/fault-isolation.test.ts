import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PowerNetwork } from '../network.js';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import { branchName, resolveBranch } from './branch-ref.js';
import { isolateFault } from './fault-isolation.js';
import { feederTree } from './feeder-tree.js';
import { buildSwitchPlan, defaultSwitchPlan, type SwitchPlan } from './switch-plan.js';

const case33bw = parseMatpowerCase(readFileSync(new URL('../../../../test/fixtures/matpower/case33bw.m', import.meta.url), 'utf8'), 'case33bw');

function isolate(network: PowerNetwork, plan: SwitchPlan, fault: string) {
  const iso = isolateFault(network, plan, feederTree(network), resolveBranch(network, fault, 'fault'));
  const ids = (buses: readonly number[]): number[] => buses.map((b) => network.buses[b]?.id ?? -1).sort((a, b) => a - b);
  return {
    breaker: branchName(network, iso.breaker),
    upstream: branchName(network, iso.upstreamSwitch),
    downstream: iso.downstreamSwitches.map((k) => branchName(network, k)),
    isolated: ids(iso.isolatedBuses),
    healthy: iso.healthySections.map(ids),
    tripped: iso.trippedBuses.length,
  };
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('isolateFault', () => {
  it('with a switch on every line, isolates just the faulted line and the bus below it', () => {
    const r = isolate(case33bw, defaultSwitchPlan(case33bw), '6-7');
    expect(r).toEqual({ breaker: '1–2', upstream: '6–7', downstream: ['7–8'], isolated: [7], healthy: [range(8, 18)], tripped: 32 });
  });

  it('a fault on the first line: the breaker isolates it, the whole feeder is downstream', () => {
    const r = isolate(case33bw, defaultSwitchPlan(case33bw), '1-2');
    expect(r.upstream).toBe('1–2');
    expect(r.downstream).toEqual(['2–3', '2–19']);
    expect(r.isolated).toEqual([2]);
    expect(r.healthy).toEqual([[...range(3, 18), ...range(23, 33)], range(19, 22)]);
  });

  it('without sectionalisers nearby, isolates the larger section between the nearest switches', () => {
    const plan = buildSwitchPlan(case33bw, { sectionalisers: ['2-3', '5-6', '6-26', '8-9', '2-19', '3-23'] });
    const r = isolate(case33bw, plan, '6-7');
    expect(r.upstream).toBe('5–6');
    expect(r.downstream).toEqual(['8–9', '6–26']);
    expect(r.isolated).toEqual([6, 7, 8]);
    expect(r.healthy).toEqual([range(9, 18), range(26, 33)]);
  });

  it('falls back to the breaker when no sectionaliser lies upstream', () => {
    const plan = buildSwitchPlan(case33bw, { sectionalisers: ['8-9'] });
    const r = isolate(case33bw, plan, '3-4');
    expect(r.upstream).toBe('1–2');
    expect(r.isolated).toEqual([...range(2, 8), ...range(19, 33)]);
    expect(r.healthy).toEqual([range(9, 18)]);
  });

  it('error: a fault on an open tie or a dead branch', () => {
    const plan = defaultSwitchPlan(case33bw);
    expect(() => isolate(case33bw, plan, '21-8')).toThrow('fault on branch 21–8: the branch is out of service (a normally open tie?) and carries no current');
    const cut = { ...case33bw, branches: case33bw.branches.map((br, k) => (k === 5 ? { ...br, inService: false } : br)) };
    expect(() => isolate(cut, buildSwitchPlan(cut, {}), '8-9')).toThrow('fault on branch 8–9: the branch is not fed from any source');
  });

  it('error: a meshed feeder', () => {
    const meshed = { ...case33bw, branches: case33bw.branches.map((br) => ({ ...br, inService: true })) };
    expect(() => isolate(meshed, { sectionalisers: [], ties: [] }, '6-7')).toThrow(/the feeder is meshed in its normal configuration/);
  });
});
