import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { branchName, resolveBranch } from './branch-ref.js';
import { FlisrError } from './flisr-error.js';
import { buildSwitchPlan, defaultSwitchPlan } from './switch-plan.js';

const case33bw = parseMatpowerCase(readFileSync(new URL('../../../../test/fixtures/matpower/case33bw.m', import.meta.url), 'utf8'), 'case33bw');

function flisrError(action: () => unknown): FlisrError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlisrError);
    return error as FlisrError;
  }
  throw new Error('expected a FlisrError');
}

describe('defaultSwitchPlan', () => {
  it('puts ties on the five open tie lines of case33bw and sectionalisers on the 32 in-service lines', () => {
    const plan = defaultSwitchPlan(case33bw);
    expect(plan.sectionalisers).toHaveLength(32);
    expect(plan.ties.map((k) => branchName(case33bw, k))).toEqual(['21–8', '9–15', '12–22', '18–33', '25–29']);
  });
});

describe('buildSwitchPlan', () => {
  it('takes branches as from-to pairs in either order, or as indices', () => {
    const plan = buildSwitchPlan(case33bw, { sectionalisers: ['2-3', '7-6', 0], ties: ['8-21'] });
    expect(plan.sectionalisers.map((k) => branchName(case33bw, k))).toEqual(['1–2', '2–3', '6–7']);
    expect(plan.ties.map((k) => branchName(case33bw, k))).toEqual(['21–8']);
  });

  it('error: a tie listed as a sectionaliser', () => {
    const error = flisrError(() => buildSwitchPlan(case33bw, { sectionalisers: ['21-8'] }));
    expect(error.message).toBe('switch 21–8 is listed as a sectionaliser but the branch is normally open (out of service)');
    expect(error.details[0]).toMatch(/list it among the ties/);
  });

  it('error: an in-service branch listed as a tie', () => {
    expect(() => buildSwitchPlan(case33bw, { ties: ['6-7'] })).toThrow(/switch 6–7 is listed as a tie but the branch is normally closed/);
  });

  it('error: a switch listed twice', () => {
    expect(() => buildSwitchPlan(case33bw, { sectionalisers: ['6-7', '7-6'] })).toThrow(/switch 6–7 is listed twice/);
  });

  it('error: a branch that does not exist', () => {
    expect(() => buildSwitchPlan(case33bw, { sectionalisers: ['5-40'] })).toThrow('sectionaliser 5–40: no branch between buses 5 and 40 in case33bw');
    expect(() => buildSwitchPlan(case33bw, { ties: [99] })).toThrow(/tie switch 99: no branch with that index/);
    expect(() => buildSwitchPlan(case33bw, { ties: ['5/6'] })).toThrow(/expected FROM-TO/);
  });
});

describe('resolveBranch', () => {
  it('error: parallel branches must be given by index', () => {
    const network = aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2)], branches: [aBranch(0, 1), aBranch(0, 1)] });
    const error = flisrError(() => resolveBranch(network, '1-2', 'fault on branch'));
    expect(error.message).toMatch(/2 parallel branches between buses 1 and 2/);
    expect(error.details).toEqual(['give the branch by index: 0, 1']);
    expect(resolveBranch(network, 1, 'fault on branch')).toBe(1);
  });
});
