import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import type { AreaLevel, AreaSpec, SiteSpec } from '../sim/scenario-schema.js';
import { buildAreaTree, isWithin, type AreaTree } from './area-tree.js';

function anArea(id: string, level: AreaLevel, parent?: string, overrides: Partial<AreaSpec> = {}): AreaSpec {
  return { id, level, ...(parent === undefined ? {} : { parent }), microgrid: false, upstreamCapacityKw: 1_000, ...overrides };
}

function aSite(id: string, area: string): SiteSpec {
  return { id, area, kind: 'household', priority: 'normal', assets: [] };
}

// Listed out of hierarchy order on purpose: the tree must not depend on the order of the file.
const areas: AreaSpec[] = [
  anArea('street-b1', 'street', 'nbh-b'),
  anArea('tso', 'tso', undefined, { upstreamCapacityKw: 5_000 }),
  anArea('city', 'city', 'dso', { upstreamCapacityKw: 800 }),
  anArea('nbh-a', 'neighbourhood', 'city', { microgrid: true }),
  anArea('dso', 'dso', 'tso'),
  anArea('nbh-b', 'neighbourhood', 'city'),
  anArea('street-a1', 'street', 'nbh-a'),
  anArea('street-a2', 'street', 'nbh-a', { upstreamCapacityKw: 50 }),
];
const sites: SiteSpec[] = [
  aSite('s0', 'street-b1'),
  aSite('s1', 'street-a2'),
  aSite('s2', 'nbh-a'),
  aSite('s3', 'street-a1'),
  aSite('s4', 'street-a2'),
  aSite('s5', 'city'),
];

/** Area indices of `a` and everything below it, found by walking parents. */
function descendants(tree: AreaTree, a: number): number[] {
  const below: number[] = [];
  for (let x = 0; x < tree.count; x++) {
    for (let p = x; p !== -1; p = tree.parent[p] as number) {
      if (p === a) { below.push(x); break; }
    }
  }
  return below;
}

describe('buildAreaTree', () => {
  const tree = buildAreaTree({ areas, sites });
  const idx = (id: string): number => tree.indexOf.get(id) as number;

  it('numbers areas depth-first from the TSO, children in the order they are listed', () => {
    expect(tree.count).toBe(8);
    expect(tree.ids).toEqual(['tso', 'dso', 'city', 'nbh-a', 'street-a1', 'street-a2', 'nbh-b', 'street-b1']);
    tree.ids.forEach((id, i) => expect(tree.indexOf.get(id)).toBe(i));
  });

  it('puts every parent before its children, the root has parent -1', () => {
    expect(tree.parent[0]).toBe(-1);
    for (let a = 1; a < tree.count; a++) expect(tree.parent[a]).toBeLessThan(a);
    expect(tree.parent[idx('street-a2')]).toBe(idx('nbh-a'));
    expect(tree.parent[idx('nbh-b')]).toBe(idx('city'));
  });

  it('makes each subtree one contiguous range of area indices', () => {
    for (let a = 0; a < tree.count; a++) {
      const end = tree.subtreeEnd[a] as number;
      expect(descendants(tree, a)).toEqual(Array.from({ length: end - a }, (_, k) => a + k));
    }
    expect(tree.subtreeEnd[idx('nbh-a')]).toBe(idx('nbh-b'));
    expect(tree.subtreeEnd[0]).toBe(tree.count);
  });

  it('numbers sites in the depth-first order of their areas, keeping list order inside an area', () => {
    expect(Array.from(tree.siteOrder, (s) => sites[s]?.id)).toEqual(['s5', 's2', 's3', 's1', 's4', 's0']);
    expect(Array.from(tree.siteArea, (a) => tree.ids[a])).toEqual(['city', 'nbh-a', 'street-a1', 'street-a2', 'street-a2', 'street-b1']);
  });

  it('makes the sites below each area one contiguous range', () => {
    const range = (id: string): [number, number] => [tree.siteStart[idx(id)] as number, tree.siteEnd[idx(id)] as number];
    expect(range('tso')).toEqual([0, 6]);
    expect(range('city')).toEqual([0, 6]);
    expect(range('nbh-a')).toEqual([1, 5]);
    expect(range('street-a2')).toEqual([3, 5]);
    expect(range('nbh-b')).toEqual([5, 6]);
    expect(range('dso')).toEqual([0, 6]);
    for (let a = 0; a < tree.count; a++) {
      for (let p = 0; p < sites.length; p++) {
        const inRange = p >= (tree.siteStart[a] as number) && p < (tree.siteEnd[a] as number);
        expect(inRange).toBe(isWithin(tree, tree.siteArea[p] as number, a));
      }
    }
  });

  it('carries level, microgrid flag and upstream capacity in tree order', () => {
    expect(tree.levels).toEqual(['tso', 'dso', 'city', 'neighbourhood', 'street', 'street', 'neighbourhood', 'street']);
    expect(tree.microgrid).toEqual([false, false, false, true, false, false, false, false]);
    expect(Array.from(tree.upstreamCapacityKw)).toEqual([5_000, 1_000, 800, 1_000, 1_000, 50, 1_000, 1_000]);
  });

  it('isWithin: an area is within itself and its ancestors, not its siblings or descendants', () => {
    expect(isWithin(tree, idx('street-a1'), idx('street-a1'))).toBe(true);
    expect(isWithin(tree, idx('street-a1'), idx('nbh-a'))).toBe(true);
    expect(isWithin(tree, idx('street-a1'), idx('tso'))).toBe(true);
    expect(isWithin(tree, idx('street-b1'), idx('nbh-a'))).toBe(false);
    expect(isWithin(tree, idx('nbh-a'), idx('street-a1'))).toBe(false);
  });

  it('builds a tree of the TSO alone', () => {
    const single = buildAreaTree({ areas: [anArea('tso', 'tso')], sites: [] });
    expect(single.count).toBe(1);
    expect(Array.from(single.subtreeEnd)).toEqual([1]);
    expect([single.siteStart[0], single.siteEnd[0]]).toEqual([0, 0]);
  });

  it('error: rejects a hierarchy without a TSO root', () => {
    expect(() => buildAreaTree({ areas: [anArea('dso', 'dso', 'tso')], sites: [] })).toThrow(InvariantError);
  });

  it('error: rejects areas not connected to the TSO', () => {
    const orphan = [anArea('tso', 'tso'), anArea('city', 'city', 'missing')];
    expect(() => buildAreaTree({ areas: orphan, sites: [] })).toThrow(/single tree/);
  });

  it('error: rejects sites in an area outside the tree', () => {
    expect(() => buildAreaTree({ areas: [anArea('tso', 'tso')], sites: [aSite('s', 'nowhere')] })).toThrow(/not attached/);
  });
});
