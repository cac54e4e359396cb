import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../../grid/area-tree.js';
import { controllerOfAreas, controllerOfSites } from './controller-areas.js';

const tree = buildAreaTree({
  areas: [
    { id: 'tso', level: 'tso', microgrid: false, upstreamCapacityKw: 1 },
    { id: 'city', level: 'city', parent: 'tso', microgrid: false, upstreamCapacityKw: 1 },
    { id: 'nb', level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: 1 },
    { id: 'st-a', level: 'street', parent: 'nb', microgrid: true, upstreamCapacityKw: 1 },
    { id: 'st-b', level: 'street', parent: 'nb', microgrid: false, upstreamCapacityKw: 1 },
  ],
  sites: [{ id: 'factory', area: 'city' }, { id: 'clinic', area: 'nb' }, { id: 'h1', area: 'st-a' }, { id: 'h2', area: 'st-b' }],
} as never);
const at = (id: string): number => tree.indexOf.get(id) as number;

describe('controller areas', () => {
  it('each area belongs to the lowest microgrid at or above it; none above the microgrids', () => {
    const of = controllerOfAreas(tree);
    expect(of[at('tso')]).toBe(-1);
    expect(of[at('city')]).toBe(-1);
    expect(of[at('nb')]).toBe(at('nb'));
    expect(of[at('st-a')]).toBe(at('st-a'));
    expect(of[at('st-b')]).toBe(at('nb'));
  });

  it('each site belongs to its area’s controller', () => {
    const bySite = controllerOfSites(tree);
    const named = Object.fromEntries(Array.from(tree.siteOrder, (k, i) => [['factory', 'clinic', 'h1', 'h2'][k], bySite[i]]));
    expect(named).toEqual({ factory: -1, clinic: at('nb'), h1: at('st-a'), h2: at('nb') });
  });
});
