import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { aScenarioInput } from './scenario.fixture.js';
import { parseScenario } from './scenario-validate.js';

function problems(market: unknown): string[] {
  try {
    parseScenario({ ...aScenarioInput(), market } as never);
    return [];
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.details];
    throw e;
  }
}

describe('scenario market checks', () => {
  it('accepts communities, VPPs and requests that name real sites and areas', () => {
    expect(problems({
      communities: [{ id: 'fam', members: ['n1-h0', 'n2-h1'], priceMinorPerKwh: 20 }],
      vpps: [{ id: 'v', sites: ['farm'] }],
      flexibility: { requests: [{ id: 'r1', buyer: 'dso', area: 'n1', startHour: 18, durationHours: 2, powerKw: 20, priceCapMinorPerKwh: 40 }] },
    })).toEqual([]);
  });

  it('error: names unknown members, double memberships, unknown areas and duplicate request ids', () => {
    const p = problems({
      communities: [{ id: 'a', members: ['n1-h0', 'nobody'], priceMinorPerKwh: 20 }, { id: 'b', members: ['n1-h0', 'n2-h1'], priceMinorPerKwh: 20 }],
      vpps: [{ id: 'v', sites: ['ghost'] }],
      flexibility: { requests: [
        { id: 'r', buyer: 'tso', area: 'atlantis', startHour: 1, durationHours: 1, powerKw: 1, priceCapMinorPerKwh: 1 },
        { id: 'r', buyer: 'tso', area: 'tso', startHour: 1, durationHours: 1, powerKw: 1, priceCapMinorPerKwh: 1 },
      ] },
      marketMaker: { importSteps: [{ shareOfCapacityPct: 80, priceMinorPerKwh: 20 }, { shareOfCapacityPct: 40, priceMinorPerKwh: 40 }] },
    });
    expect(p).toEqual(expect.arrayContaining([
      'market.communities[0].members[1]: the id of a site (got "nobody")',
      'market.communities[1].members[0]: a site in at most one community (got "n1-h0", already in "a")',
      'market.vpps[0].sites[0]: the id of a site (got "ghost")',
      'market.flexibility.requests[0].area: the id of an area (got "atlantis")',
      'market.flexibility.requests[1].id: an id used once among the requests (got "r")',
      'market.marketMaker.importSteps: shares of the interconnector capacity summing to at most 100 (got 120)',
    ]));
  });

  it('error: rejects a bad mechanism with the path', () => {
    expect(problems({ mechanism: { street: 'auction' } }).join('\n')).toMatch(/market\.mechanism\.street/);
  });
});
