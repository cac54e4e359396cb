/**
 * Which branches FLISR can switch remotely:
 * - sectionalisers: normally closed switches on in-service branches; opening one separates the
 *   branch and everything beyond it from the source side. A sectionaliser sits at the end of its
 *   branch nearer the source in the normal configuration, so opening it also de-energises the
 *   branch itself (which is what isolates a fault on that branch).
 * - ties: normally open switches on out-of-service branches; closing one connects a de-energised
 *   section to a neighbouring energised feeder.
 * The feeder breaker (the first branch out of the source) always trips and recloses, whether or not
 * it is listed.
 */
import type { PowerNetwork } from '../network.js';
import { branchName, resolveBranch, type BranchRef } from './branch-ref.js';
import { FlisrError } from './flisr-error.js';

export interface SwitchPlan {
  /** Branch indices with a normally closed sectionalising switch, ascending. */
  readonly sectionalisers: readonly number[];
  /** Branch indices with a normally open tie switch, ascending. */
  readonly ties: readonly number[];
}

/** A plan as a user writes it; an omitted list takes the default. */
export interface SwitchPlanSpec {
  /** Default: every in-service branch. */
  readonly sectionalisers?: readonly BranchRef[];
  /** Default: every out-of-service branch (MATPOWER's status 0 tie lines). */
  readonly ties?: readonly BranchRef[];
}

/** The default plan for a MATPOWER case: ties = out-of-service branches, sectionalisers = all others. */
export function defaultSwitchPlan(network: PowerNetwork): SwitchPlan {
  return buildSwitchPlan(network, {});
}

/** Resolves and validates a plan; errors name the offending switch. */
export function buildSwitchPlan(network: PowerNetwork, spec: SwitchPlanSpec): SwitchPlan {
  const all = network.branches.map((_, k) => k);
  const sectionalisers = spec.sectionalisers === undefined
    ? all.filter((k) => network.branches[k]?.inService === true)
    : spec.sectionalisers.map((ref) => resolveBranch(network, ref, 'sectionaliser'));
  const ties = spec.ties === undefined
    ? all.filter((k) => network.branches[k]?.inService === false)
    : spec.ties.map((ref) => resolveBranch(network, ref, 'tie switch'));
  const plan = { sectionalisers: [...sectionalisers].sort((a, b) => a - b), ties: [...ties].sort((a, b) => a - b) };
  validateSwitchPlan(network, plan);
  return plan;
}

/** Checks a plan against a network: known branches, no duplicates, each switch in its normal state. */
export function validateSwitchPlan(network: PowerNetwork, plan: SwitchPlan): void {
  const seen = new Map<number, string>();
  const check = (k: number, role: 'sectionaliser' | 'tie switch'): void => {
    const br = network.branches[k];
    if (!Number.isInteger(k) || br === undefined) throw new FlisrError(`${role} ${k}: no branch with that index`);
    const name = branchName(network, k);
    if (role === 'sectionaliser' && !br.inService) {
      throw new FlisrError(`switch ${name} is listed as a sectionaliser but the branch is normally open (out of service)`, {
        details: ['a normally open switch is a tie: list it among the ties'],
      });
    }
    if (role === 'tie switch' && br.inService) {
      throw new FlisrError(`switch ${name} is listed as a tie but the branch is normally closed (in service)`, {
        details: ['a normally closed switch is a sectionaliser: list it among the sectionalisers'],
      });
    }
    const earlier = seen.get(k);
    if (earlier !== undefined) {
      throw new FlisrError(`switch ${name} is listed twice (as ${earlier} and as ${role})`);
    }
    seen.set(k, role);
  };
  for (const k of plan.sectionalisers) check(k, 'sectionaliser');
  for (const k of plan.ties) check(k, 'tie switch');
}
