import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aBranch, aBus, aNetwork, aRadialFeeder } from './radial-feeder.fixture.js';
import { analyseTopology } from './topology.js';

describe('analyseTopology', () => {
  it('roots a radial network at its REF bus and lists buses breadth-first with their parents', () => {
    //   1 ── 2 ── 3 (REF)
    //        └── 4 ── 5
    const network = aNetwork({
      buses: [aBus(1), aBus(2), aBus(3, { type: 'REF' }), aBus(4), aBus(5)],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(1, 3), aBranch(3, 4)],
    });
    const topology = analyseTopology(network);
    expect(topology.components).toHaveLength(1);
    const c = topology.components[0];
    expect(c?.radial).toBe(true);
    expect(c?.energised).toBe(true);
    expect(c?.root).toBe(2);
    expect(Array.from(c?.order ?? [])).toEqual([2, 1, 0, 3, 4]);
    expect(Array.from(c?.parentBus ?? [])).toEqual([-1, 2, 1, 1, 3]);
    expect(Array.from(c?.parentBranch ?? [])).toEqual([-1, 1, 0, 2, 3]);
    expect(Array.from(topology.parentBusOf)).toEqual([1, 2, -1, 1, 3]);
    expect(Array.from(topology.parentBranchOf)).toEqual([0, 1, -1, 2, 3]);
    expect(topology.radial).toBe(true);
  });

  it('a loop makes the component meshed', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2), aBus(3)],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(2, 0)],
    });
    const topology = analyseTopology(network);
    expect(topology.components[0]?.radial).toBe(false);
    expect(topology.radial).toBe(false);
    // The BFS still gives a spanning tree.
    expect(Array.from(topology.components[0]?.order ?? [])).toEqual([0, 1, 2]);
  });

  it('two branches in parallel between the same buses form a loop', () => {
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2)],
      branches: [aBranch(0, 1), aBranch(0, 1)],
    });
    expect(analyseTopology(network).components[0]?.radial).toBe(false);
  });

  it('an open branch splits the network; the island without a REF bus is de-energised', () => {
    //   1 (REF) ── 2 ─╳─ 3 ── 4
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2), aBus(3), aBus(4)],
      branches: [aBranch(0, 1), aBranch(1, 2, { inService: false }), aBranch(2, 3)],
    });
    const topology = analyseTopology(network);
    expect(topology.components.map((c) => [Array.from(c.buses), c.energised, c.radial])).toEqual([
      [[0, 1], true, true],
      [[2, 3], false, true],
    ]);
    expect(topology.components[1]?.root).toBe(2);
    expect(Array.from(topology.componentOf)).toEqual([0, 0, 1, 1]);
    expect(Array.from(topology.deEnergisedBuses)).toEqual([2, 3]);
    expect(Array.from(topology.components[0]?.branches ?? [])).toEqual([0]);
  });

  it('an ISOLATED bus belongs to no component, and its branches carry nothing', () => {
    //   1 (REF) ── 2 (ISOLATED) ── 3, and 1 ── 3: without bus 2, a tree.
    const network = aNetwork({
      buses: [aBus(1, { type: 'REF' }), aBus(2, { type: 'ISOLATED' }), aBus(3)],
      branches: [aBranch(0, 1), aBranch(1, 2), aBranch(0, 2)],
    });
    const topology = analyseTopology(network);
    expect(topology.components).toHaveLength(1);
    expect(Array.from(topology.components[0]?.buses ?? [])).toEqual([0, 2]);
    expect(Array.from(topology.components[0]?.branches ?? [])).toEqual([2]);
    expect(topology.components[0]?.radial).toBe(true);
    expect(topology.componentOf[1]).toBe(-1);
    expect(Array.from(topology.deEnergisedBuses)).toEqual([]);
  });

  it('lists every REF bus of a component and roots it at the first', () => {
    const network = aNetwork({
      buses: [aBus(1), aBus(2, { type: 'REF' }), aBus(3, { type: 'REF' })],
      branches: [aBranch(0, 1), aBranch(0, 2)],
    });
    const c = analyseTopology(network).components[0];
    expect(Array.from(c?.refBuses ?? [])).toEqual([1, 2]);
    expect(c?.root).toBe(1);
  });

  it('a generated feeder is one radial tree whose BFS order puts every parent before its children', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (buses, seed) => {
        const topology = analyseTopology(aRadialFeeder({ buses, seed }));
        expect(topology.components).toHaveLength(1);
        const c = topology.components[0];
        if (c === undefined) return;
        expect(c.radial).toBe(true);
        expect([...c.order].sort((a, b) => a - b)).toEqual(Array.from({ length: buses }, (_, i) => i));
        const seen = new Set<number>();
        c.order.forEach((bus, k) => {
          const parent = c.parentBus[k] as number;
          expect(parent === -1 ? k === 0 : seen.has(parent)).toBe(true);
          seen.add(bus);
        });
      }),
      { numRuns: 50 },
    );
  });
});
