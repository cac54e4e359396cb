/**
 * The autonomous response to overloads, before protection trips anything: shed load by priority
 * downstream of the most overloaded branch, just enough to bring it under the trip limit, re-run the
 * power flow, and repeat until no branch is overloaded or nothing more can be shed.
 *
 * Where: the buses fed through the branch, pro rata to their share of supply through it (flow
 * tracing: downstream-area.ts, shed-by-priority.ts). Buses that draw less than MIN_SHARE of their
 * supply through the branch are not shed for it: that would cut many customers for little relief.
 *
 * How much: the relief needed is the branch's excess over the target (the trip limit less a 0.5 %
 * headroom, so rounding does not leave it a hair above the limit), divided by a correction factor —
 * the branch's measured MVA of relief per MVA of traced relief (shed apparent power × share). The
 * first step assumes 1/FIRST_STEP_DAMPING (tracing exact, but the losses shed with the load make
 * the real relief larger, and shedding cannot be undone, so the first step aims short); after each
 * step the factor is measured from the step itself (a secant).
 *
 * No more shedding (noted in the round) for a branch with no load downstream, or whose measured
 * relief is below MIN_EFFECT of the traced relief (small branches inside a mesh, whose flow shifts
 * rather than falls when load is shed). Such a branch trips unless shedding for other branches
 * relieves it; so does whatever is still overloaded after MAX_SHED_STEPS steps in a round.
 */
import type { PowerNetwork } from '../network.js';
import type { BranchFlows } from '../powerflow/branch-flows.js';
import type { CascadeState } from './cascade-state.js';
import { downstreamShares } from './downstream-area.js';
import { overloadedBranches, type Overload } from './overloaded-branches.js';
import { planTargetedShed, tracedRelief } from './shed-by-priority.js';
import { solveLiveGrid } from './solve-live-grid.js';

export const SHED_TARGET_FRACTION = 0.995;
export const MAX_SHED_STEPS = 200;
export const MIN_SHARE = 0.05;
export const MIN_EFFECT = 0.25;
export const FIRST_STEP_DAMPING = 0.8;
const FACTOR_MAX = 2;

type Solved = { network: PowerNetwork; flows: BranchFlows };

interface Step {
  readonly branch: number;
  readonly sMva: number;
  /** Relief expected from the step by flow tracing, MVA. */
  readonly tracedMva: number;
}

export function relieveOverloads(state: CascadeState, limitPct: number, start: Solved): Solved {
  let solved = start;
  const factor = new Map<number, number>();
  const hopeless = new Set<number>();
  let last: Step | null = null;
  for (let step = 0; step < MAX_SHED_STEPS; step++) {
    const over = overloadedBranches(solved.network, solved.flows, limitPct);
    if (last !== null) learnFrom(state, last, solved, over, factor, hopeless);
    const target = over.find((o) => !hopeless.has(o.branch));
    if (target === undefined) return solved;
    last = shedFor(state, solved, target, limitPct, factor.get(target.branch) ?? 1 / FIRST_STEP_DAMPING);
    if (last === null) {
      hopeless.add(target.branch);
      state.note(`no shedding for ${branchName(state, target.branch)} (${target.loadingPct.toFixed(1)} %): no load downstream of it`);
      continue;
    }
    solved = solveLiveGrid(state, 'autonomous');
  }
  state.note(`load shedding stopped after ${MAX_SHED_STEPS} steps; overloads left trip`);
  return solved;
}

/** Measures the last step's correction factor; gives up on a branch that shedding barely relieves. */
function learnFrom(state: CascadeState, last: Step, solved: Solved, over: readonly Overload[], factor: Map<number, number>, hopeless: Set<number>): void {
  const ratio = (last.sMva - sMvaOf(solved, last.branch)) / last.tracedMva;
  factor.set(last.branch, Math.min(FACTOR_MAX, Math.max(MIN_EFFECT, ratio)));
  if (ratio >= MIN_EFFECT || !over.some((o) => o.branch === last.branch)) return;
  hopeless.add(last.branch);
  state.note(`no more shedding for ${branchName(state, last.branch)}: it barely relieves the branch (${Math.max(0, ratio).toFixed(2)} of the traced relief)`);
}

/** Sheds for one overloaded branch; null when there is no load downstream to shed. */
function shedFor(state: CascadeState, solved: Solved, o: Overload, limitPct: number, correction: number): Step | null {
  const { network, flows } = solved;
  const shares = new Map([...downstreamShares(network, flows, o.branch)].filter(([, share]) => share >= MIN_SHARE));
  const rateMva = network.branches[o.branch]?.rateAMva ?? 0;
  const excessMva = ((o.loadingPct - limitPct * SHED_TARGET_FRACTION) / 100) * rateMva;
  const plan = planTargetedShed(state, shares, excessMva / network.baseMva / correction);
  if (plan.length === 0) return null;
  const tracedPu = plan.reduce((sum, p) => sum + tracedRelief(state, p.bus, p.fraction, shares.get(p.bus) ?? 0), 0);
  state.shed(plan);
  return { branch: o.branch, sMva: sMvaOf(solved, o.branch), tracedMva: tracedPu * network.baseMva };
}

function sMvaOf(solved: Solved, branch: number): number {
  return (((solved.flows.loadingPct[branch] as number) || 0) / 100) * (solved.network.branches[branch]?.rateAMva ?? 0);
}

export function branchName(state: CascadeState, branch: number): string {
  const br = state.network.branches[branch];
  return `${state.network.buses[br?.from ?? -1]?.id}-${state.network.buses[br?.to ?? -1]?.id}`;
}
