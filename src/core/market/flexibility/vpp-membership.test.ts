import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../errors.js';
import { vppOfSites } from './vpp-membership.js';

const vpp = (id: string, sites: string[]) => ({ id, sites, level: 'tso' as const, offerPriceMinorPerKwh: 10, schedule: true });

describe('VPP membership', () => {
  it('maps each site position to its VPP index, -1 for none', () => {
    expect(Array.from(vppOfSites([vpp('a', ['s2']), vpp('b', ['s0', 's3'])], ['s0', 's1', 's2', 's3']))).toEqual([1, -1, 0, 1]);
  });

  it('error: an unknown site, or a site in two VPPs, is a ScenarioError naming the path', () => {
    try {
      vppOfSites([vpp('a', ['s0', 'ghost']), vpp('b', ['s0'])], ['s0']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).details).toEqual([
        'market.vpps[0].sites[1]: a site id (got "ghost")',
        'market.vpps[1].sites[0]: a site in no other VPP (s0 is already in a)',
      ]);
    }
  });
});
