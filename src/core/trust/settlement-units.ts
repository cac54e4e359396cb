/**
 * Which statement settles each site: its nearest microgrid (an area that can island), else its
 * DSO, else the TSO root. One statement per unit and slot (ADR 0010). A unit is online when no
 * area between it and the root has lost its upstream link, its communications or its assets:
 * only then can its statements reach the chain; otherwise they wait in the durable queue.
 */
import type { AreaTree } from '../grid/area-tree.js';
import type { AreaStates } from '../sim/event-timeline.js';

export interface SettlementUnit {
  /** Area index of the unit. */
  readonly area: number;
  readonly areaId: string;
  /** Area index of the DSO whose gatekeeper admits the unit's devices (the root when none). */
  readonly dso: number;
  /** Site positions (internal order) settled by this unit. */
  readonly sites: Int32Array;
}

export function settlementUnits(tree: AreaTree): { units: SettlementUnit[]; unitOfSite: Int32Array } {
  const unitOfArea = new Int32Array(tree.count).fill(-1);
  const units: { area: number; dso: number; sites: number[] }[] = [];
  for (let a = 0; a < tree.count; a++) {
    const p = tree.parent[a] as number;
    const isUnit = tree.microgrid[a] === true || tree.levels[a] === 'dso' || p < 0;
    if (isUnit) {
      unitOfArea[a] = units.length;
      units.push({ area: a, dso: dsoOf(tree, a), sites: [] });
    } else {
      unitOfArea[a] = unitOfArea[p] as number; // parents come before children (depth-first order)
    }
  }
  const unitOfSite = new Int32Array(tree.siteArea.length);
  for (let i = 0; i < tree.siteArea.length; i++) {
    const u = unitOfArea[tree.siteArea[i] as number] as number;
    unitOfSite[i] = u;
    units[u]?.sites.push(i);
  }
  return {
    units: units.map((u) => ({ area: u.area, areaId: tree.ids[u.area] as string, dso: u.dso, sites: Int32Array.from(u.sites) })),
    unitOfSite,
  };
}

function dsoOf(tree: AreaTree, area: number): number {
  let a = area;
  let root = area;
  while (a >= 0) {
    if (tree.levels[a] === 'dso') return a;
    root = a;
    a = tree.parent[a] as number;
  }
  return root;
}

/** Whether the unit has a path to the chain this slot. */
export function unitOnline(tree: AreaTree, states: AreaStates, area: number): boolean {
  for (let a = area; a >= 0; a = tree.parent[a] as number) {
    if (states.linkDown[a] === 1 || states.commCut[a] === 1 || states.destroyed[a] === 1) return false;
  }
  return true;
}
