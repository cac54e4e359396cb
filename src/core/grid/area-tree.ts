/**
 * The area hierarchy (TSO → DSO → city → neighbourhood → street) as flat arrays, built once per run.
 *
 * Areas are numbered in depth-first pre-order, so a parent has a smaller index than its children
 * (iterating indices downwards is bottom-up) and the subtree of area `a` is the index range
 * [a, subtreeEnd[a]). Sites are numbered in the same depth-first order of their areas, so the sites
 * below an area are also one contiguous range [siteStart[a], siteEnd[a]). Subtree sums and
 * subtree-wide actions (shed, curtail) are then plain loops over a range.
 */
import { assert } from '../assert.js';
import type { AreaLevel, Scenario } from '../sim/scenario-schema.js';

export const LEVEL_RANK: Record<AreaLevel, number> = { tso: 0, dso: 1, city: 2, neighbourhood: 3, street: 4 };

export interface AreaTree {
  readonly count: number;
  readonly ids: readonly string[];
  readonly levels: readonly AreaLevel[];
  readonly microgrid: readonly boolean[];
  /** Parent index, -1 for the root (TSO). */
  readonly parent: Int32Array;
  /** Exclusive end of each area's subtree in area indices. */
  readonly subtreeEnd: Int32Array;
  /** Upstream link capacity (for the root: the interconnector), kW. */
  readonly upstreamCapacityKw: Float64Array;
  readonly indexOf: ReadonlyMap<string, number>;
  /** Scenario index of the site at each internal site position. */
  readonly siteOrder: Int32Array;
  /** Area index of the site at each internal site position. */
  readonly siteArea: Int32Array;
  /** Sites below (or at) each area: positions [siteStart[a], siteEnd[a]). */
  readonly siteStart: Int32Array;
  readonly siteEnd: Int32Array;
}

export function buildAreaTree(scenario: Pick<Scenario, 'areas' | 'sites'>): AreaTree {
  const root = scenario.areas.find((a) => a.level === 'tso' && a.parent === undefined);
  assert(root !== undefined, 'scenario has no TSO root area');
  const childrenOf = new Map<string, string[]>();
  for (const a of scenario.areas) {
    if (a.parent === undefined) continue;
    const list = childrenOf.get(a.parent) ?? [];
    list.push(a.id);
    childrenOf.set(a.parent, list);
  }
  const sitesByArea = new Map<string, number[]>();
  scenario.sites.forEach((s, i) => {
    const list = sitesByArea.get(s.area) ?? [];
    list.push(i);
    sitesByArea.set(s.area, list);
  });

  const byId = new Map(scenario.areas.map((a) => [a.id, a]));
  const n = scenario.areas.length;
  const ids: string[] = [];
  const parent = new Int32Array(n).fill(-1);
  const subtreeEnd = new Int32Array(n);
  const siteStart = new Int32Array(n);
  const siteEnd = new Int32Array(n);
  const siteOrder: number[] = [];
  const siteAreaList: number[] = [];

  // Iterative depth-first pre-order (deep hierarchies must not overflow the stack).
  const stack: { id: string; parent: number; childIndex: number; index: number }[] = [];
  const enter = (id: string, parentIndex: number): void => {
    const index = ids.length;
    ids.push(id);
    parent[index] = parentIndex;
    siteStart[index] = siteOrder.length;
    for (const s of sitesByArea.get(id) ?? []) {
      siteOrder.push(s);
      siteAreaList.push(index);
    }
    stack.push({ id, parent: parentIndex, childIndex: 0, index });
  };
  enter(root.id, -1);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const kids = childrenOf.get(top.id) ?? [];
    if (top.childIndex < kids.length) {
      enter(kids[top.childIndex++] as string, top.index);
    } else {
      subtreeEnd[top.index] = ids.length;
      siteEnd[top.index] = siteOrder.length;
      stack.pop();
    }
  }
  assert(ids.length === n, 'area hierarchy is not a single tree under the TSO');
  assert(siteOrder.length === scenario.sites.length, 'some sites are not attached to an area of the tree');

  const areas = ids.map((id) => byId.get(id) as NonNullable<ReturnType<typeof byId.get>>);
  return {
    count: n,
    ids,
    levels: areas.map((a) => a.level),
    microgrid: areas.map((a) => a.microgrid),
    parent,
    subtreeEnd,
    upstreamCapacityKw: Float64Array.from(areas, (a) => a.upstreamCapacityKw),
    indexOf: new Map(ids.map((id, i) => [id, i])),
    siteOrder: Int32Array.from(siteOrder),
    siteArea: Int32Array.from(siteAreaList),
    siteStart,
    siteEnd,
  };
}

/** True when `area` is `ancestor` or lies below it. */
export function isWithin(tree: AreaTree, area: number, ancestor: number): boolean {
  return area >= ancestor && area < (tree.subtreeEnd[ancestor] as number);
}
