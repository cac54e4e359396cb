/**
 * FLISR (fault location, isolation and service restoration) on a radial feeder, no human step:
 * 1. the fault appears and the feeder breaker trips (t = 0);
 * 2. the faulted section is located between the nearest switches and isolated: the upstream switch
 *    opens (unless it is the breaker itself), then the first switch on each downstream path;
 * 3. the breaker recloses, re-energising the healthy part upstream of the fault;
 * 4. each healthy downstream section (largest load first) is restored through a normally open tie
 *    to an energised feeder when the power flow keeps voltages and loadings within limits
 *    (restore-section.ts), shedding its far end if that is what it takes; sections are retried
 *    while any restoration succeeds, since a restored neighbour may offer a new tie;
 * 5. sections still de-energised are left to island on local resources (those with a grid-forming
 *    bus) or reported unserved; whether an island holds is for the simulation to decide.
 * The network stays radial throughout; the final configuration is solved and reported.
 */
import { assert } from '../../assert.js';
import type { PowerNetwork } from '../network.js';
import type { MethodChoice } from '../powerflow/run-power-flow.js';
import { analyseTopology } from '../powerflow/topology.js';
import { assessConfiguration, PowerFlowBudget, withBranchStatus } from './assess-configuration.js';
import { branchLabel, resolveBranch, type BranchRef } from './branch-ref.js';
import { busGroup, type BusGroup } from './bus-groups.js';
import { isolateFault, type FaultIsolation } from './fault-isolation.js';
import { feederTree } from './feeder-tree.js';
import { FlisrError } from './flisr-error.js';
import type { FinalState, FlisrResult, FlisrSummary, RestoredViaTie, SwitchKind } from './flisr-result.js';
import { DEFAULT_MAX_POWER_FLOWS, resolveLimits, type FlisrLimits } from './limits.js';
import type { RestorationContext, TieEvaluation } from './restore-section.js';
import { StepLog } from './step-log.js';
import { isolate, leaveSections, reclose, restoreSections } from './switching-sequence.js';
import { validateSwitchPlan, type SwitchPlan } from './switch-plan.js';
import { DEFAULT_FLISR_TIMING, type FlisrTiming } from './timing.js';

export interface FlisrFault {
  /** The faulted branch: index in `network.branches` or `"from-to"` by case bus numbers. */
  readonly branch: BranchRef;
}

export interface FlisrOptions {
  /** Power-flow method for every check (default 'auto'). */
  readonly method?: MethodChoice;
  readonly timing?: Partial<FlisrTiming>;
  /** Shed the far end of a section no tie can carry whole (default true). */
  readonly partialRestoration?: boolean;
  /** Bound on the power flows solved (default DEFAULT_MAX_POWER_FLOWS). */
  readonly maxPowerFlows?: number;
  /**
   * Case bus numbers with a grid-forming resource (e.g. a battery inverter) that lets a section
   * island; default: buses with an in-service generator.
   */
  readonly gridFormingBuses?: readonly number[];
}

export function runFlisr(
  network: PowerNetwork,
  plan: SwitchPlan,
  fault: FlisrFault,
  limitsIn: Partial<FlisrLimits> = {},
  options: FlisrOptions = {},
): FlisrResult {
  validateSwitchPlan(network, plan);
  const limits = resolveLimits(limitsIn);
  const timing = resolveTiming(options.timing);
  const gridForming = gridFormingBuses(network, options.gridFormingBuses);
  const budget = new PowerFlowBudget(options.maxPowerFlows ?? DEFAULT_MAX_POWER_FLOWS);
  const faulted = resolveBranch(network, fault.branch, 'fault on branch');
  const tree = feederTree(network);
  if (!tree.topology.radial) {
    throw new FlisrError(`the normal configuration of ${network.name} is meshed`, { details: ['FLISR needs radial feeders: open the tie lines (branch status 0)'] });
  }
  const isolation = isolateFault(network, plan, tree, faulted);

  const log = new StepLog(network, timing);
  const status = Uint8Array.from(network.branches, (br) => (br.inService ? 1 : 0));
  const kindOf = switchKinds(plan, isolation.breaker);
  isolate(network, isolation, status, log, kindOf);
  const restoredUpstream = reclose(network, isolation, status, log);

  const ctx: RestorationContext = {
    network, sectionalisers: new Set(plan.sectionalisers), ties: plan.ties, limits,
    method: options.method ?? 'auto', budget,
    partial: options.partialRestoration ?? true, status,
  };
  const evaluations: TieEvaluation[] = [];
  const { restored, left } = restoreSections(ctx, isolation.healthySections, log, evaluations);
  const restorationTimeS = log.timeS;
  const { toIsland, unserved } = leaveSections(network, left, gridForming, log);

  const finalNetwork = withBranchStatus(network, status);
  return {
    steps: log.steps,
    network: finalNetwork,
    summary: {
      case: network.name,
      limits,
      faultedBranch: branchLabel(network, faulted),
      breaker: branchLabel(network, isolation.breaker),
      ...outcome(network, isolation, restoredUpstream, restored, toIsland, unserved),
      restorationTimeS,
      final: finalState(ctx, finalNetwork),
      tieEvaluations: evaluations,
      powerFlows: ctx.budget.used,
    },
  };
}

/** Where the interrupted load went: isolated, restored (upstream, via ties), left to island or unserved. */
function outcome(
  network: PowerNetwork,
  isolation: FaultIsolation,
  restoredUpstream: BusGroup,
  restoredViaTies: RestoredViaTie[],
  toIsland: BusGroup[],
  unserved: BusGroup[],
): Pick<FlisrSummary, 'interrupted' | 'isolated' | 'restoredUpstream' | 'restoredViaTies' | 'toIsland' | 'unserved' | 'totals'> {
  const sum = (groups: readonly BusGroup[]): number => groups.reduce((s, g) => s + g.loadKw, 0);
  const interrupted = busGroup(network, isolation.trippedBuses);
  const switches = [isolation.upstreamSwitch, ...isolation.downstreamSwitches].map((k) => branchLabel(network, k));
  const isolated = { ...busGroup(network, isolation.isolatedBuses), switches };
  return {
    interrupted, isolated, restoredUpstream, restoredViaTies, toIsland, unserved,
    totals: {
      interruptedKw: interrupted.loadKw,
      restoredKw: restoredUpstream.loadKw + sum(restoredViaTies),
      isolatedKw: isolated.loadKw,
      toIslandKw: sum(toIsland),
      unservedKw: sum(unserved),
    },
  };
}

function resolveTiming(timing: Partial<FlisrTiming> = {}): FlisrTiming {
  const resolved = { ...DEFAULT_FLISR_TIMING, ...timing };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value < 0) throw new FlisrError(`timing ${name} must be a number of seconds ≥ 0, got ${value}`);
  }
  return resolved;
}

function gridFormingBuses(network: PowerNetwork, ids: readonly number[] | undefined): ReadonlySet<number> {
  if (ids === undefined) {
    return new Set(network.gens.filter((g) => g.inService && network.buses[g.bus]?.type !== 'REF').map((g) => g.bus));
  }
  const index = new Map(network.buses.map((b, i) => [b.id, i]));
  return new Set(ids.map((id) => {
    const i = index.get(id);
    if (i === undefined) throw new FlisrError(`grid-forming bus ${id} is not in ${network.name}`);
    return i;
  }));
}

function switchKinds(plan: SwitchPlan, breaker: number): (k: number) => SwitchKind {
  const ties = new Set(plan.ties);
  return (k) => (k === breaker ? 'breaker' : ties.has(k) ? 'tie' : 'sectionaliser');
}

function finalState(ctx: RestorationContext, network: PowerNetwork): FinalState {
  const radial = analyseTopology(network).radial;
  assert(radial, 'FLISR left a loop closed', { case: network.name });
  const a = assessConfiguration(network, ctx.limits, ctx.method, ctx.budget);
  if (a.vmin === null || a.vmax === null) {
    throw new FlisrError(`the power flow of the final configuration failed`, { details: [a.reason] });
  }
  return {
    vmin: a.vmin, vmax: a.vmax, maxLoading: a.maxLoading, lossesKw: a.lossesKw, radial,
    withinLimits: a.acceptable, violation: a.acceptable ? null : a.reason,
  };
}
