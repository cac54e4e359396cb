import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMatpowerCase } from '../matpower/parse-case.js';
import { runPowerFlow } from '../powerflow/run-power-flow.js';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { rateFromBaseCase, withAllBranchesClosed } from './rate-from-base-case.js';

const case33bw = parseMatpowerCase(readFileSync(new URL('../../../../test/fixtures/matpower/case33bw.m', import.meta.url), 'utf8'), 'case33bw');

describe('rateFromBaseCase', () => {
  it('rates every loaded branch so the base case sits at 100 / (1 + margin) % of its rating', () => {
    const rated = rateFromBaseCase(case33bw, 25);
    const { report } = runPowerFlow(rated);
    report.branches.forEach((b, k) => {
      if (rated.branches[k]?.inService) expect(b.loadingPct).toBeCloseTo(80, 9);
    });
  });

  it('leaves out-of-service branches as they were, and a branch that carries nothing unrated', () => {
    const rated = rateFromBaseCase(case33bw, 25);
    const ties = rated.branches.filter((br) => !br.inService);
    expect(ties).toHaveLength(5);
    expect(ties.every((br) => br.rateAMva === 0)).toBe(true);
    //   1 (REF) ── 2 (load) ── 3 (no load, a dead end)
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.1 }), aBus(3)],
      branches: [aBranch(0, 1), aBranch(1, 2)],
    });
    const dead = rateFromBaseCase(network, 10).branches;
    expect(dead[0]?.rateAMva).toBeGreaterThan(1);
    expect(dead[1]?.rateAMva).toBe(0);
  });

  it('with the ties closed, rates the meshed network (ties included)', () => {
    const meshed = rateFromBaseCase(withAllBranchesClosed(case33bw), 30);
    expect(meshed.branches.every((br) => br.inService && br.rateAMva > 0)).toBe(true);
  });

  it('error: a negative or non-finite margin', () => {
    expect(() => rateFromBaseCase(case33bw, -5)).toThrow(/rating margin must be a number from 0 to 1000 %, got -5/);
    expect(() => rateFromBaseCase(case33bw, Number.NaN)).toThrow(/rating margin/);
  });
});
