/**
 * Which part of the network each area belongs to in the current slot, from outage and disaster states.
 *
 * - connected: fed through intact links from the TSO.
 * - island: below a cut link, inside a microgrid that islands (autonomous mode only). The island is
 *   the highest microgrid area at or below the lowest cut on the path from the TSO.
 * - dark: destroyed, or below a cut link with no microgrid to island into (always so in baseline
 *   mode, where inverters trip on loss of mains: anti-islanding).
 * Whether an island can actually form (a grid-forming source with energy) is decided per slot by the
 * island controller.
 */
import type { AreaStates } from '../sim/event-timeline.js';
import type { AreaTree } from './area-tree.js';

export const CONNECTED = 0;
export const ISLAND = 1;
export const DARK = 2;
export type RegionKind = typeof CONNECTED | typeof ISLAND | typeof DARK;

export interface Regions {
  /** Region kind of each area. */
  readonly areaRegion: Uint8Array;
  /** Island root area of each area (-1 when not in an island). */
  readonly areaIsland: Int32Array;
  /** The cut area (link down) each island hangs below, per island root (-1 otherwise). */
  readonly islandCut: Int32Array;
  /** Island root areas, in area order. */
  readonly islands: readonly number[];
  readonly interconnectorUp: boolean;
}

export function computeRegions(tree: AreaTree, states: AreaStates, islanding: boolean): Regions {
  const n = tree.count;
  const areaRegion = new Uint8Array(n);
  const areaIsland = new Int32Array(n).fill(-1);
  const islandCut = new Int32Array(n).fill(-1);
  const lowestCut = new Int32Array(n).fill(-1);
  const destroyed = new Uint8Array(n);
  const islands: number[] = [];

  for (let a = 0; a < n; a++) {
    const p = tree.parent[a] as number;
    destroyed[a] = (states.destroyed[a] as number) | (p >= 0 ? (destroyed[p] as number) : 0);
    const cutHere = p >= 0 && states.linkDown[a] === 1;
    lowestCut[a] = cutHere ? a : p >= 0 ? (lowestCut[p] as number) : -1;

    if (destroyed[a] === 1) {
      areaRegion[a] = DARK;
      continue;
    }
    if (lowestCut[a] === -1) {
      areaRegion[a] = CONNECTED;
      continue;
    }
    if (!islanding) {
      areaRegion[a] = DARK;
      continue;
    }
    const inherited = !cutHere && p >= 0 ? (areaIsland[p] as number) : -1;
    const root = inherited !== -1 ? inherited : tree.microgrid[a] === true ? a : -1;
    areaIsland[a] = root;
    areaRegion[a] = root === -1 ? DARK : ISLAND;
    if (root === a) {
      islands.push(a);
      islandCut[a] = lowestCut[a] as number;
    }
  }
  return { areaRegion, areaIsland, islandCut, islands, interconnectorUp: states.linkDown[0] === 0 };
}
