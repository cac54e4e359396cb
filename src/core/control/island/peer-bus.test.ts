import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../../grid/area-tree.js';
import { PeerBus, PeerBusLimitError } from './peer-bus.js';

/** tso > dso > city > nb (microgrid) > st-a, st-b (microgrids), and st-c (no controller). */
const tree = buildAreaTree({
  areas: [
    { id: 'tso', level: 'tso', microgrid: false, upstreamCapacityKw: 1 },
    { id: 'dso', level: 'dso', parent: 'tso', microgrid: false, upstreamCapacityKw: 1 },
    { id: 'city', level: 'city', parent: 'dso', microgrid: false, upstreamCapacityKw: 1 },
    { id: 'nb', level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: 1 },
    { id: 'st-a', level: 'street', parent: 'nb', microgrid: true, upstreamCapacityKw: 1 },
    { id: 'st-b', level: 'street', parent: 'nb', microgrid: true, upstreamCapacityKw: 1 },
  ],
  sites: [],
} as never);
const at = (id: string): number => tree.indexOf.get(id) as number;
const [nb, a, b, dso] = [at('nb'), at('st-a'), at('st-b'), at('dso')];

interface Note {
  controller: number;
  values: number;
}
const busWith = (commCut: Uint8Array, limits?: { maxPeers: number; maxMessageValues: number }): PeerBus<Note> => new PeerBus<Note>(tree, commCut, (m) => m.values, limits);

describe('PeerBus', () => {
  it('delivers a message to every other controller of the round', () => {
    const bus = busWith(new Uint8Array(tree.count));
    bus.open([nb, a, b]);
    expect(bus.send({ controller: a, values: 4 })).toBe(2);
    expect(bus.send({ controller: nb, values: 4 })).toBe(2);
    expect(bus.inbox(b).map((m) => m.controller)).toEqual([a, nb]);
    expect(bus.inbox(a).map((m) => m.controller)).toEqual([nb]);
    expect(bus.delivered).toBe(4);
    bus.open([nb, a]);
    expect(bus.inbox(a)).toEqual([]);
  });

  it('a comm cut on a street separates its controller from its peers (both ways), not the others', () => {
    const cut = new Uint8Array(tree.count);
    cut[a] = 1;
    const bus = busWith(cut);
    expect(bus.linked(a, nb)).toBe(false);
    expect(bus.linked(a, b)).toBe(false);
    expect(bus.linked(nb, b)).toBe(true);
    bus.open([nb, a, b]);
    expect(bus.send({ controller: a, values: 1 })).toBe(0);
    expect(bus.send({ controller: b, values: 1 })).toBe(1);
    expect(bus.inbox(nb).map((m) => m.controller)).toEqual([b]);
    expect(bus.inbox(a)).toEqual([]);
  });

  it('a comm cut above the island cuts the link to the DSO but not the links inside the island', () => {
    const cut = new Uint8Array(tree.count);
    cut[nb] = 1;
    const bus = busWith(cut);
    expect(bus.linked(nb, dso)).toBe(false);
    expect(bus.linked(a, dso)).toBe(false);
    expect(bus.linked(a, b)).toBe(true);
    expect(bus.linked(a, nb)).toBe(true);
    // Links are read live: restoring communication reconnects.
    cut[nb] = 0;
    expect(bus.linked(a, dso)).toBe(true);
  });

  it('error: more controllers than may coordinate, or a message beyond the size limit', () => {
    const bus = busWith(new Uint8Array(tree.count), { maxPeers: 2, maxMessageValues: 10 });
    expect(() => bus.open([nb, a, b])).toThrow(PeerBusLimitError);
    bus.open([nb, a]);
    expect(() => bus.send({ controller: nb, values: 11 })).toThrow(/exceeds the bus limit of 10/);
    expect(bus.send({ controller: nb, values: 10 })).toBe(1);
  });
});
