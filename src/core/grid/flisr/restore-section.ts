/**
 * Service restoration of one de-energised healthy section through a normally open tie switch.
 *
 * Candidates are the open ties with one end in the section and the other end energised (a tie with
 * both ends in the section would close a loop; one whose far end is dead restores nothing). Each is
 * tried by solving the power flow of the whole network with that tie closed; a radiality check
 * (analyseTopology) rejects any configuration that would close a loop.
 *
 * "Within limits" is judged against the configuration before the tie closes (assess-configuration.ts):
 * the restored buses and every bus and branch within limits before must be within limits after, and
 * one already outside a limit must not be pushed further out.
 *
 * Choice: among the ties that restore the whole section within limits, the one with the highest
 * resulting minimum voltage (largest margin; ties broken by lower branch index). If none does and
 * partial restoration is on, each tie is tried again shedding the far end: the sectionalisers inside
 * the section, seen from the tie's end, are opened deepest first (farthest in branches from the tie)
 * one more at a time, until the rest is within limits; the tie that then restores the most load
 * wins (then the highest minimum voltage). The shed parts become new sections that other ties may
 * restore later.
 */
import type { PowerNetwork } from '../network.js';
import type { MethodChoice } from '../powerflow/run-power-flow.js';
import { analyseTopology } from '../powerflow/topology.js';
import { assessConfiguration, REJECTED, withBranchStatus, type Assessment, type OperatingState, type PowerFlowBudget } from './assess-configuration.js';
import { branchLabel, type BranchLabel } from './branch-ref.js';
import type { FlisrLimits } from './limits.js';
import { loadKwOf } from './bus-groups.js';

export interface RestorationContext {
  readonly network: PowerNetwork;
  readonly sectionalisers: ReadonlySet<number>;
  readonly ties: readonly number[];
  readonly limits: FlisrLimits;
  readonly method: MethodChoice;
  readonly budget: PowerFlowBudget;
  readonly partial: boolean;
  /** Present in-service flag per branch (1 = closed); not modified here. */
  readonly status: Uint8Array;
}

/** One tie tried for one section, for the report. */
export interface TieEvaluation {
  readonly tie: BranchLabel;
  readonly mode: 'full' | 'partial';
  /** Case bus numbers the tie would energise (for a failed partial attempt: the last part tried). */
  readonly buses: readonly number[];
  readonly loadKw: number;
  /** Sectionalisers opened to shed the far end (partial mode). */
  readonly shedSwitches: readonly BranchLabel[];
  readonly acceptable: boolean;
  readonly reason: string;
  readonly vminPu: number | null;
  readonly maxLoadingPct: number | null;
}

export interface RestorationChoice {
  readonly tie: number;
  /** Bus indices energised by closing the tie. */
  readonly restored: readonly number[];
  /** Sectionalisers to open before closing the tie, ascending. */
  readonly shedSwitches: readonly number[];
  /** Parallel to `shedSwitches`: the bus indices each one leaves de-energised. */
  readonly shedSections: readonly (readonly number[])[];
  readonly assessment: Assessment;
}

interface Candidate {
  readonly tie: number;
  /** The tie's end inside the section. */
  readonly end: number;
}

export function chooseRestoration(ctx: RestorationContext, section: readonly number[], log: TieEvaluation[]): RestorationChoice | null {
  const candidates = candidateTies(ctx, new Set(section));
  if (candidates.length === 0) return null;
  const baseline = assessConfiguration(withBranchStatus(ctx.network, ctx.status), ctx.limits, ctx.method, ctx.budget).state;
  let best: RestorationChoice | null = null;
  for (const { tie, end } of candidates) {
    const assessment = attempt(ctx, baseline, tie, [], end);
    log.push(evaluation(ctx, tie, 'full', section, [], assessment));
    if (assessment.acceptable && (best === null || vminOf(assessment) > vminOf(best.assessment))) {
      best = { tie, restored: section, shedSwitches: [], shedSections: [], assessment };
    }
  }
  if (best !== null || !ctx.partial) return best;
  for (const candidate of candidates) {
    const choice = shedFarEnd(ctx, baseline, section, candidate, log);
    if (choice !== null && (best === null || better(ctx.network, choice, best))) best = choice;
  }
  return best;
}

function candidateTies(ctx: RestorationContext, inSection: ReadonlySet<number>): Candidate[] {
  const topology = analyseTopology(withBranchStatus(ctx.network, ctx.status));
  const energised = (bus: number): boolean => topology.components[topology.componentOf[bus] as number]?.energised === true;
  const found: Candidate[] = [];
  for (const tie of ctx.ties) {
    const br = ctx.network.branches[tie];
    if (br === undefined || ctx.status[tie] === 1) continue;
    const fromIn = inSection.has(br.from);
    if (fromIn === inSection.has(br.to)) continue;
    const [end, far] = fromIn ? [br.from, br.to] : [br.to, br.from];
    if (energised(far)) found.push({ tie, end });
  }
  return found;
}

/** Closes `tie` with the switches `opened` open; rejects a loop before solving. */
function attempt(ctx: RestorationContext, baseline: OperatingState | null, tie: number, opened: readonly number[], end: number): Assessment {
  const status = ctx.status.slice();
  status[tie] = 1;
  for (const w of opened) status[w] = 0;
  const network = withBranchStatus(ctx.network, status);
  const topology = analyseTopology(network);
  if (topology.components[topology.componentOf[end] as number]?.radial !== true) {
    return { ...REJECTED, reason: 'closing it would create a loop' };
  }
  return assessConfiguration(network, ctx.limits, ctx.method, ctx.budget, baseline);
}

/** The section as a tree hanging from the tie's end: parent branch and depth of each bus. */
interface SectionTree {
  readonly order: number[];
  readonly parentBranch: Map<number, number>;
  readonly parentBus: Map<number, number>;
  readonly depth: Map<number, number>;
  readonly children: Map<number, number[]>;
}

function sectionTree(ctx: RestorationContext, inSection: ReadonlySet<number>, root: number): SectionTree {
  const adjacent = new Map<number, [number, number][]>();
  ctx.network.branches.forEach((br, k) => {
    if (ctx.status[k] !== 1 || !inSection.has(br.from) || !inSection.has(br.to)) return;
    adjacent.set(br.from, [...(adjacent.get(br.from) ?? []), [br.to, k]]);
    adjacent.set(br.to, [...(adjacent.get(br.to) ?? []), [br.from, k]]);
  });
  const tree: SectionTree = { order: [root], parentBranch: new Map(), parentBus: new Map(), depth: new Map([[root, 0]]), children: new Map() };
  for (let head = 0; head < tree.order.length; head++) {
    const bus = tree.order[head] as number;
    for (const [next, k] of adjacent.get(bus) ?? []) {
      if (tree.depth.has(next)) continue;
      tree.depth.set(next, (tree.depth.get(bus) as number) + 1);
      tree.parentBranch.set(next, k);
      tree.parentBus.set(next, bus);
      tree.children.set(bus, [...(tree.children.get(bus) ?? []), next]);
      tree.order.push(next);
    }
  }
  return tree;
}

function below(tree: SectionTree, bus: number): number[] {
  const found: number[] = [];
  const stack = [bus];
  while (stack.length > 0) {
    const b = stack.pop() as number;
    found.push(b);
    stack.push(...(tree.children.get(b) ?? []));
  }
  return found.sort((a, b) => a - b);
}

function shedFarEnd(
  ctx: RestorationContext,
  baseline: OperatingState | null,
  section: readonly number[],
  { tie, end }: Candidate,
  log: TieEvaluation[],
): RestorationChoice | null {
  const tree = sectionTree(ctx, new Set(section), end);
  const switchBuses = tree.order
    .filter((bus) => ctx.sectionalisers.has(tree.parentBranch.get(bus) ?? -1))
    .sort((a, b) => (tree.depth.get(b) as number) - (tree.depth.get(a) as number) || (tree.parentBranch.get(a) as number) - (tree.parentBranch.get(b) as number));
  if (switchBuses.length === 0) {
    log.push({ ...evaluation(ctx, tie, 'partial', section, [], null), reason: 'no sectionaliser inside the section to shed load with' });
    return null;
  }
  const shed = new Set<number>();
  const opened: number[] = [];
  let last: Assessment | null = null;
  for (const bus of switchBuses) {
    if (shed.has(bus)) continue;
    for (const b of below(tree, bus)) shed.add(b);
    opened.push(tree.parentBranch.get(bus) as number);
    const restored = section.filter((b) => !shed.has(b));
    last = attempt(ctx, baseline, tie, opened, end);
    if (!last.acceptable) continue;
    const choice = shedChoice(tree, switchBuses, opened, shed, tie, restored, last);
    log.push(evaluation(ctx, tie, 'partial', restored, choice.shedSwitches, last));
    return choice;
  }
  log.push(evaluation(ctx, tie, 'partial', section.filter((b) => !shed.has(b)), [], last));
  return null;
}

/**
 * The outcome of shedding: of the switches opened, only those on the border of the restored part
 * stay open (a deeper one opened earlier may since lie inside a larger shed part).
 */
function shedChoice(
  tree: SectionTree,
  switchBuses: readonly number[],
  opened: readonly number[],
  shed: ReadonlySet<number>,
  tie: number,
  restored: readonly number[],
  assessment: Assessment,
): RestorationChoice {
  const cutBuses = switchBuses
    .filter((b) => opened.includes(tree.parentBranch.get(b) as number) && !shed.has(tree.parentBus.get(b) as number))
    .sort((a, b) => (tree.parentBranch.get(a) as number) - (tree.parentBranch.get(b) as number));
  return {
    tie,
    restored,
    shedSwitches: cutBuses.map((b) => tree.parentBranch.get(b) as number),
    shedSections: cutBuses.map((b) => below(tree, b)),
    assessment,
  };
}

function better(network: PowerNetwork, a: RestorationChoice, b: RestorationChoice): boolean {
  const la = loadKwOf(network, a.restored);
  const lb = loadKwOf(network, b.restored);
  if (la !== lb) return la > lb;
  return vminOf(a.assessment) > vminOf(b.assessment);
}

function vminOf(a: Assessment): number {
  return a.vmin?.pu ?? -Infinity;
}

function evaluation(
  ctx: RestorationContext,
  tie: number,
  mode: TieEvaluation['mode'],
  buses: readonly number[],
  shedSwitches: readonly number[],
  a: Assessment | null,
): TieEvaluation {
  const ids = buses.map((b) => ctx.network.buses[b]?.id ?? b).sort((x, y) => x - y);
  return {
    tie: branchLabel(ctx.network, tie),
    mode,
    buses: ids,
    loadKw: loadKwOf(ctx.network, buses),
    shedSwitches: shedSwitches.map((k) => branchLabel(ctx.network, k)),
    acceptable: a?.acceptable ?? false,
    reason: a?.reason ?? '',
    vminPu: a?.vmin?.pu ?? null,
    maxLoadingPct: a?.maxLoading?.pct ?? null,
  };
}
