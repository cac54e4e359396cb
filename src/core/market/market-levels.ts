/**
 * Levels of the market hierarchy and the grid fees a trade pays: a trade cleared at a level uses
 * the networks of every level up to it, so it pays their fees summed (street first, TSO last).
 * That is what makes local trades cheaper than distant ones.
 */
import { LEVEL_RANK, type AreaTree } from '../grid/area-tree.js';
import type { AreaLevel, MarketSpec } from '../sim/scenario-schema.js';

/** Levels from the bottom of the hierarchy up. */
export const LEVELS_BOTTOM_UP: readonly AreaLevel[] = ['street', 'neighbourhood', 'city', 'dso', 'tso'];

/** Grid fee of a trade cleared at each level, minor units per kWh (the sum of the levels up to it). */
export function cumulativeFees(fees: MarketSpec['gridFeeMinorPerKwh']): Record<AreaLevel, number> {
  const out = {} as Record<AreaLevel, number>;
  let sum = 0;
  for (const level of LEVELS_BOTTOM_UP) {
    sum += fees[level];
    out[level] = sum;
  }
  return out;
}

/** Depth of each area (root = 0), for lowest-common-ancestor walks. */
export function areaDepths(tree: AreaTree): Int32Array {
  const depth = new Int32Array(tree.count);
  for (let a = 1; a < tree.count; a++) depth[a] = (depth[tree.parent[a] as number] as number) + 1;
  return depth;
}

/** The lowest area that contains both `a` and `b`. */
export function lowestCommonAncestor(tree: AreaTree, depth: Int32Array, a: number, b: number): number {
  let x = a;
  let y = b;
  while ((depth[x] as number) > (depth[y] as number)) x = tree.parent[x] as number;
  while ((depth[y] as number) > (depth[x] as number)) y = tree.parent[y] as number;
  while (x !== y) {
    x = tree.parent[x] as number;
    y = tree.parent[y] as number;
  }
  return x;
}

/** The lowest ancestor of `area` (or itself) at `level` or above. */
export function raiseToLevel(tree: AreaTree, area: number, level: AreaLevel): number {
  let a = area;
  while (a > 0 && (LEVEL_RANK[tree.levels[a] as AreaLevel]) > LEVEL_RANK[level]) a = tree.parent[a] as number;
  return a;
}
