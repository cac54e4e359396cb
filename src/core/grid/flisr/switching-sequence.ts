/**
 * The switching sequence of one FLISR run, step by step on a shared branch-status array:
 * fault and trip, isolation, reclosing, restoration passes, and the sections left over.
 */
import type { PowerNetwork } from '../network.js';
import { branchLabel, branchName } from './branch-ref.js';
import { busGroup, NO_BUSES, type BusGroup } from './bus-groups.js';
import type { FaultIsolation } from './fault-isolation.js';
import type { RestoredViaTie, SwitchKind } from './flisr-result.js';
import { chooseRestoration, type RestorationContext, type TieEvaluation } from './restore-section.js';
import type { StepLog } from './step-log.js';

/** Fault, trip, then the isolating switches open one after another. */
export function isolate(network: PowerNetwork, iso: FaultIsolation, status: Uint8Array, log: StepLog, kindOf: (k: number) => SwitchKind): void {
  log.event('fault', iso.faulted, null, [], `fault on ${branchName(network, iso.faulted)}`);
  log.event('trip', iso.breaker, 'breaker', iso.trippedBuses, `feeder breaker ${branchName(network, iso.breaker)} trips`);
  status[iso.faulted] = 0;
  status[iso.breaker] = 0;
  if (iso.upstreamSwitch !== iso.breaker) {
    status[iso.upstreamSwitch] = 0;
    log.operate('open', 'isolate', iso.upstreamSwitch, kindOf(iso.upstreamSwitch), iso.isolatedBuses, `isolate the faulted section from upstream`);
  }
  iso.downstreamSwitches.forEach((k, i) => {
    status[k] = 0;
    log.operate('open', 'isolate', k, kindOf(k), iso.healthySections[i] ?? [], `separate a healthy section below the fault`);
  });
}

/** Recloses the breaker unless it is itself the switch isolating the fault. */
export function reclose(network: PowerNetwork, iso: FaultIsolation, status: Uint8Array, log: StepLog): BusGroup {
  if (iso.upstreamSwitch === iso.breaker) return NO_BUSES;
  const dark = new Set([...iso.isolatedBuses, ...iso.healthySections.flat()]);
  const buses = iso.trippedBuses.filter((b) => !dark.has(b));
  status[iso.breaker] = 1;
  log.operate('close', 'reclose', iso.breaker, 'breaker', buses, 'reclose the breaker: restore upstream of the fault');
  return busGroup(network, buses);
}

export function restoreSections(ctx: RestorationContext, sections: readonly (readonly number[])[], log: StepLog, evaluations: TieEvaluation[]):
  { restored: RestoredViaTie[]; left: (readonly number[])[] } {
  const restored: RestoredViaTie[] = [];
  let pending = byLoad(ctx.network, sections);
  for (let progress = true; progress;) {
    progress = false;
    const next: (readonly number[])[] = [];
    for (const section of pending) {
      const choice = chooseRestoration(ctx, section, evaluations);
      if (choice === null) {
        next.push(section);
        continue;
      }
      choice.shedSwitches.forEach((k, i) => {
        ctx.status[k] = 0;
        log.operate('open', 'shed', k, 'sectionaliser', choice.shedSections[i] ?? [], 'shed the far end before restoring');
      });
      ctx.status[choice.tie] = 1;
      const tie = branchLabel(ctx.network, choice.tie);
      const timeS = log.operate('close', 'restore', choice.tie, 'tie', choice.restored, `restore through tie ${branchName(ctx.network, choice.tie)}`);
      restored.push({ ...busGroup(ctx.network, choice.restored), tie, shedSwitches: choice.shedSwitches.map((k) => branchLabel(ctx.network, k)), timeS });
      next.push(...choice.shedSections);
      progress = true;
    }
    pending = byLoad(ctx.network, next);
  }
  return { restored, left: pending };
}

/** Largest load first; equal loads by lowest bus index (deterministic). */
function byLoad(network: PowerNetwork, sections: readonly (readonly number[])[]): (readonly number[])[] {
  const key = sections.map((s) => ({ s, kw: busGroup(network, s).loadKw, first: Math.min(...s) }));
  return key.sort((a, b) => b.kw - a.kw || a.first - b.first).map((k) => k.s);
}

export function leaveSections(network: PowerNetwork, sections: readonly (readonly number[])[], gridForming: ReadonlySet<number>, log: StepLog):
  { toIsland: BusGroup[]; unserved: BusGroup[] } {
  const toIsland: BusGroup[] = [];
  const unserved: BusGroup[] = [];
  for (const section of sections) {
    if (section.some((b) => gridForming.has(b))) {
      log.leave('island', section, 'no tie can restore it: island on local grid-forming resources');
      toIsland.push(busGroup(network, section));
    } else {
      log.leave('unserved', section, 'no tie can restore it, no grid-forming resource: unserved until repair');
      unserved.push(busGroup(network, section));
    }
  }
  return { toIsland, unserved };
}
