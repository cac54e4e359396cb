/**
 * Which microgrid controller looks after each site: every area flagged `microgrid: true` runs a
 * controller (a gridmesh node in the runtime), and a site belongs to the controller of the lowest
 * microgrid area at or above its own area. Sites in no microgrid have none (-1).
 */
import type { AreaTree } from '../../grid/area-tree.js';

/** Controller area of each area (-1 when no microgrid is at or above it). */
export function controllerOfAreas(tree: AreaTree): Int32Array {
  const out = new Int32Array(tree.count).fill(-1);
  // Areas are in depth-first pre-order: a parent comes before its children.
  for (let a = 0; a < tree.count; a++) {
    const p = tree.parent[a] as number;
    out[a] = tree.microgrid[a] === true ? a : p >= 0 ? (out[p] as number) : -1;
  }
  return out;
}

/** Controller area of each site position (-1 when the site is in no microgrid). */
export function controllerOfSites(tree: AreaTree): Int32Array {
  const ofArea = controllerOfAreas(tree);
  return Int32Array.from(tree.siteArea, (a) => ofArea[a] as number);
}
