import { describe, expect, it } from 'vitest';
import type { PowerNetwork } from '../network.js';
import { branchFlows } from '../powerflow/branch-flows.js';
import { solveNewton } from '../powerflow/newton.js';
import { aBranch, aBus, aNetwork } from '../powerflow/radial-feeder.fixture.js';
import { downstreamShares } from './downstream-area.js';

const flowsOf = (network: PowerNetwork) => branchFlows(network, solveNewton(network));
const sharesOf = (network: PowerNetwork, branch: number): [number, number][] =>
  [...downstreamShares(network, flowsOf(network), branch)].map(([bus, share]) => [network.buses[bus]?.id ?? -1, Number(share.toFixed(6))]);

describe('downstreamShares', () => {
  it('radial: the subtree below the branch, each bus fed entirely through it', () => {
    //   1 (REF) ── 2 ── 3 ── 4
    //              └── 5
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.1 }), aBus(3, { pdPu: 0.1 }), aBus(4, { pdPu: 0.1 }), aBus(5, { pdPu: 0.1 })],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(2, 3), aBranch(1, 4)],
    });
    expect(sharesOf(network, 1)).toEqual([[3, 1], [4, 1]]);
    expect(sharesOf(network, 0)).toEqual([[2, 1], [3, 1], [4, 1], [5, 1]]);
  });

  it('follows the direction of active power, whichever way the branch is written', () => {
    const network = aNetwork({
      buses: [aBus(1, { pdPu: 0.1 }), aBus(2, { type: 'REF' })],
      branches: [aBranch(0, 1)],
    });
    expect(sharesOf(network, 0)).toEqual([[1, 1]]);
  });

  it('meshed: a bus fed over two paths draws part of its supply through each (proportional sharing)', () => {
    //   1 (REF) ── 2 ── 3 (load)
    //   └───────────────┘   two equal paths to bus 3: one of 2 branches, one direct of twice the impedance
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2), aBus(3, { pdPu: 0.2, qdPu: 0.05 })],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(0, 2, { rPu: 0.02, xPu: 0.04 })],
    });
    const viaBus2 = sharesOf(network, 1);
    const direct = sharesOf(network, 2);
    expect(viaBus2).toHaveLength(1);
    expect(viaBus2[0]?.[1]).toBeCloseTo(0.5, 2);
    expect((viaBus2[0]?.[1] ?? 0) + (direct[0]?.[1] ?? 0)).toBeCloseTo(1, 6);
  });

  it('an open branch has no area', () => {
    const network = aNetwork({ buses: [aBus(1, { type: 'REF' }), aBus(2, { pdPu: 0.1 })], branches: [aBranch(0, 1, { inService: false })] });
    expect(sharesOf(network, 0)).toEqual([]);
  });
});
