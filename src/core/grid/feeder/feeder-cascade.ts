/**
 * An overload cascade on a feeder imported from a MATPOWER case, during a simulation (scenario
 * `cascade` event): the feeder carries the members' exchange of the slot before the event, branches
 * are rated at those flows plus a margin, the trigger branch goes out, and the cascade engine runs
 * its rounds — in autonomous mode with the members' priorities and their grid-forming sites as
 * microgrids that may island. The outcome, per member site: served, shed (a bus shedding more than
 * half its load sheds its sites), lost, or islanded.
 */
import type { CascadeMode, CascadeResult, MicrogridSpec, PriorityClass } from '../cascade/cascade-types.js';
import { rateFromBaseCase, withAllBranchesClosed } from '../cascade/rate-from-base-case.js';
import { runCascade } from '../cascade/run-cascade.js';
import type { PowerNetwork } from '../network.js';
import type { CaseFeederPhysics } from './case-feeder-physics.js';

export interface FeederCascadeInput {
  readonly event: number;
  readonly area: number;
  readonly trip: { from: number; to: number };
  readonly marginPct: number;
  readonly closeTies: boolean;
  readonly mode: CascadeMode;
  readonly memberSites: Int32Array;
  /** Per member: net exchange of the slot before (Wh, positive = export), priority, grid-forming power (kW, 0 = none). */
  readonly memberNetWh: readonly number[];
  readonly memberPriority: readonly PriorityClass[];
  readonly memberGridFormingKw: readonly number[];
  readonly slotHours: number;
}

export interface FeederCascadePlan {
  readonly event: number;
  readonly area: number;
  readonly lost: Int32Array;
  readonly shed: Int32Array;
  readonly island: Int32Array;
  readonly result: CascadeResult;
}

const RANK: Record<PriorityClass, number> = { critical: 0, essential: 1, normal: 2 };

export function planFeederCascade(feeder: CaseFeederPhysics, input: FeederCascadeInput): FeederCascadePlan {
  const base = feeder.network;
  const priority = new Map<number, PriorityClass>();
  const microgrids: MicrogridSpec[] = [];
  input.memberSites.forEach((_, m) => {
    const bus = feeder.memberBus[m] as number;
    const id = base.buses[bus]?.id as number;
    const p = input.memberPriority[m] as PriorityClass;
    const current = priority.get(id);
    if (current === undefined || RANK[p] < RANK[current]) priority.set(id, p);
    const kw = input.memberGridFormingKw[m] as number;
    if (kw > 0 && !microgrids.some((g) => g.buses[0] === id)) microgrids.push({ buses: [id], capacityKw: kw });
  });
  let network: PowerNetwork = feeder.networkWithLoads(input.memberNetWh, input.slotHours);
  if (input.closeTies) network = withAllBranchesClosed(network);
  const rated = rateFromBaseCase(network, input.marginPct);
  const result = runCascade(rated, { branch: input.trip }, {
    mode: input.mode,
    priorities: Object.fromEntries(priority),
    ...(input.mode === 'autonomous' ? { islandable: microgrids } : {}),
  });
  const outcome = new Map(result.buses.map((b) => [b.bus, b]));
  const lost: number[] = [];
  const shed: number[] = [];
  const island: number[] = [];
  input.memberSites.forEach((site, m) => {
    const o = outcome.get(base.buses[feeder.memberBus[m] as number]?.id as number);
    if (o === undefined) return; // no load at that bus before the event: unaffected
    if (o.outcome === 'lost') lost.push(site);
    else if (o.outcome === 'islanded') island.push(site);
    else if (o.shedShare > 0.5) shed.push(site);
  });
  return { event: input.event, area: input.area, lost: Int32Array.from(lost), shed: Int32Array.from(shed), island: Int32Array.from(island), result };
}
