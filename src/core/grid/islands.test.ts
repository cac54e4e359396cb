import { describe, expect, it } from 'vitest';
import type { AreaStates } from '../sim/event-timeline.js';
import type { AreaLevel, AreaSpec } from '../sim/scenario-schema.js';
import { buildAreaTree } from './area-tree.js';
import { computeRegions, CONNECTED, DARK, ISLAND, type RegionKind } from './islands.js';

function anArea(id: string, level: AreaLevel, parent?: string, microgrid = false): AreaSpec {
  return { id, level, ...(parent === undefined ? {} : { parent }), microgrid, upstreamCapacityKw: 1_000 };
}

// tso ─ dso ─┬─ city ─┬─ nbh-a (microgrid) ─┬─ street-a1
//            │        │                     └─ street-a2 (microgrid, nested)
//            │        ├─ nbh-b ─ street-b1
//            │        └─ nbh-c (microgrid)
//            └─ town ─ nbh-d (microgrid)
const tree = buildAreaTree({
  areas: [
    anArea('tso', 'tso'),
    anArea('dso', 'dso', 'tso'),
    anArea('city', 'city', 'dso'),
    anArea('nbh-a', 'neighbourhood', 'city', true),
    anArea('street-a1', 'street', 'nbh-a'),
    anArea('street-a2', 'street', 'nbh-a', true),
    anArea('nbh-b', 'neighbourhood', 'city'),
    anArea('street-b1', 'street', 'nbh-b'),
    anArea('nbh-c', 'neighbourhood', 'city', true),
    anArea('town', 'city', 'dso'),
    anArea('nbh-d', 'neighbourhood', 'town', true),
  ],
  sites: [],
});

const idx = (id: string): number => tree.indexOf.get(id) as number;

function states(faults: { down?: string[]; destroyed?: string[] } = {}): AreaStates {
  const n = tree.count;
  const s: AreaStates = {
    linkDown: new Uint8Array(n), destroyed: new Uint8Array(n), commCut: new Uint8Array(n),
    outageStartSlot: new Int32Array(n).fill(-1), announcedOutageSlots: new Int32Array(n), activeLineFaults: new Map(), activeCascades: new Map(),
  };
  for (const id of faults.down ?? []) s.linkDown[idx(id)] = 1;
  for (const id of faults.destroyed ?? []) s.destroyed[idx(id)] = 1;
  return s;
}

const NAME: Record<RegionKind, string> = { [CONNECTED]: 'connected', [ISLAND]: 'island', [DARK]: 'dark' };

/** Region of every area by id, with the island root id for island areas. */
function regionsOf(faults: { down?: string[]; destroyed?: string[] }, islanding = true) {
  const r = computeRegions(tree, states(faults), islanding);
  const kinds = Object.fromEntries(tree.ids.map((id, a) => {
    const kind = NAME[r.areaRegion[a] as RegionKind];
    return [id, kind === 'island' ? `island:${tree.ids[r.areaIsland[a] as number]}` : kind];
  }));
  return { kinds, islands: r.islands.map((a) => tree.ids[a]), r };
}

describe('computeRegions', () => {
  it('keeps everything connected when no link is down', () => {
    const { kinds, islands, r } = regionsOf({});
    expect(Object.values(kinds).every((k) => k === 'connected')).toBe(true);
    expect(islands).toEqual([]);
    expect(Array.from(r.areaIsland).every((x) => x === -1)).toBe(true);
    expect(r.interconnectorUp).toBe(true);
  });

  it('autonomous: an outage on a plain city islands each microgrid neighbourhood below it', () => {
    const { kinds, islands, r } = regionsOf({ down: ['city'] });
    expect(kinds).toEqual({
      'tso': 'connected', 'dso': 'connected',
      'city': 'dark',
      'nbh-a': 'island:nbh-a', 'street-a1': 'island:nbh-a', 'street-a2': 'island:nbh-a',
      'nbh-b': 'dark', 'street-b1': 'dark',
      'nbh-c': 'island:nbh-c',
      'town': 'connected', 'nbh-d': 'connected',
    });
    expect(islands).toEqual(['nbh-a', 'nbh-c']);
    expect(r.islandCut[idx('nbh-a')]).toBe(idx('city'));
    expect(r.islandCut[idx('nbh-c')]).toBe(idx('city'));
    expect(r.islandCut[idx('street-a2')]).toBe(-1);
    expect(r.interconnectorUp).toBe(true);
  });

  it('baseline: everything below a cut link is dark and nothing islands', () => {
    const { kinds, islands } = regionsOf({ down: ['city'] }, false);
    for (const id of ['city', 'nbh-a', 'street-a1', 'street-a2', 'nbh-b', 'street-b1', 'nbh-c']) expect(kinds[id]).toBe('dark');
    for (const id of ['tso', 'dso', 'town', 'nbh-d']) expect(kinds[id]).toBe('connected');
    expect(islands).toEqual([]);
  });

  it('nested microgrids: the highest microgrid at or below the cut is the island root', () => {
    const { kinds, islands } = regionsOf({ down: ['nbh-a'] });
    expect(kinds['nbh-a']).toBe('island:nbh-a');
    expect(kinds['street-a2']).toBe('island:nbh-a');
    expect(islands).toEqual(['nbh-a']);
    expect(kinds['city']).toBe('connected');
  });

  it('a second cut deeper down splits off its own island', () => {
    const { kinds, islands, r } = regionsOf({ down: ['city', 'street-a2'] });
    expect(kinds['street-a1']).toBe('island:nbh-a');
    expect(kinds['street-a2']).toBe('island:street-a2');
    expect(islands).toEqual(['nbh-a', 'street-a2', 'nbh-c']);
    expect(r.islandCut[idx('nbh-a')]).toBe(idx('city'));
    expect(r.islandCut[idx('street-a2')]).toBe(idx('street-a2'));
  });

  it('a deeper cut with no microgrid at or below it is dark, even inside an island', () => {
    const { kinds } = regionsOf({ down: ['city', 'street-a1'] });
    expect(kinds['street-a1']).toBe('dark');
    expect(kinds['nbh-a']).toBe('island:nbh-a');
  });

  it('a cut below a connected microgrid islands only what is below the cut', () => {
    const { kinds, islands } = regionsOf({ down: ['street-a2', 'street-a1'] });
    expect(kinds['nbh-a']).toBe('connected');
    expect(kinds['street-a2']).toBe('island:street-a2');
    expect(kinds['street-a1']).toBe('dark');
    expect(islands).toEqual(['street-a2']);
  });

  it('destroyed areas are dark, with everything below them, even without a cut', () => {
    const { kinds, islands } = regionsOf({ destroyed: ['nbh-a'] });
    for (const id of ['nbh-a', 'street-a1', 'street-a2']) expect(kinds[id]).toBe('dark');
    expect(kinds['city']).toBe('connected');
    expect(kinds['nbh-b']).toBe('connected');
    expect(islands).toEqual([]);
  });

  it('a destroyed area inside an island is dark, the rest of the island stays', () => {
    const { kinds, islands } = regionsOf({ down: ['city'], destroyed: ['street-a1'] });
    expect(kinds['street-a1']).toBe('dark');
    expect(kinds['street-a2']).toBe('island:nbh-a');
    expect(islands).toEqual(['nbh-a', 'nbh-c']);
  });

  it('a destroyed microgrid does not island', () => {
    const { kinds, islands } = regionsOf({ down: ['city'], destroyed: ['nbh-a'] });
    for (const id of ['nbh-a', 'street-a1', 'street-a2']) expect(kinds[id]).toBe('dark');
    expect(islands).toEqual(['nbh-c']);
  });

  it.each([['autonomous', true], ['baseline', false]] as const)(
    '%s: the TSO link down only takes the interconnector out, everything stays connected',
    (_mode, islanding) => {
      const { kinds, islands, r } = regionsOf({ down: ['tso'] }, islanding);
      expect(Object.values(kinds).every((k) => k === 'connected')).toBe(true);
      expect(islands).toEqual([]);
      expect(r.interconnectorUp).toBe(false);
    },
  );
});
