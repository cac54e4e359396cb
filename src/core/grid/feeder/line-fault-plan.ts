/**
 * What self-healing does about a line fault on a generated street feeder, worked out once per fault
 * event with the FLISR engine on the feeder's network: the faulted section is isolated (with the
 * member at its far end), the breaker recloses so members upstream are served again, and members
 * beyond it island on a grid-forming member among them, or stay unserved until the repair. Generated
 * feeders have no tie to a neighbouring feeder, so nothing is restored through a tie here.
 */
import type { FlisrStep } from '../flisr/flisr-result.js';
import { runFlisr } from '../flisr/run-flisr.js';
import { defaultSwitchPlan } from '../flisr/switch-plan.js';
import type { PowerNetwork } from '../network.js';
import type { CaseFeederPhysics } from './case-feeder-physics.js';
import { FIRST_MEMBER_BUS } from './feeder-network.js';

export interface LineFaultPlan {
  /** Scenario event index. */
  readonly event: number;
  readonly area: number;
  /** "section 6" (generated feeder) or "branch 6-7" (case feeder). */
  readonly where: string;
  readonly section: number | null;
  readonly branch: string | null;
  /** Site positions by what happens to them while the fault lasts. */
  readonly isolated: Int32Array;
  readonly upstream: Int32Array;
  /** Served again through a normally-open tie (case feeders with ties). */
  readonly viaTies: Int32Array;
  readonly island: Int32Array;
  readonly unserved: Int32Array;
  readonly steps: readonly FlisrStep[];
  readonly restorationTimeS: number;
  /** The feeder's configuration while the fault lasts (case feeders; generated ones need none). */
  readonly network?: PowerNetwork;
}

export function planLineFault(
  event: number, area: number, section: number, network: PowerNetwork, memberSites: Int32Array, gridFormingMember: readonly boolean[],
): LineFaultPlan {
  // Member m sits on bus index FIRST_MEMBER_BUS + m; the network's bus ids are index + 1.
  const busIdOf = (m: number): number => FIRST_MEMBER_BUS + m + 1;
  const memberOfBusId = (id: number): number => id - 1 - FIRST_MEMBER_BUS;
  const gridFormingBuses = gridFormingMember.flatMap((gf, m) => (gf ? [busIdOf(m)] : []));
  const result = runFlisr(network, defaultSwitchPlan(network), { branch: section }, {}, { gridFormingBuses });
  const sitesOf = (busIds: readonly number[]): Int32Array =>
    Int32Array.from(busIds.map(memberOfBusId).filter((m) => m >= 0 && m < memberSites.length), (m) => memberSites[m] as number);
  const s = result.summary;
  return {
    event, area, where: `section ${section}`, section, branch: null,
    isolated: sitesOf(s.isolated.buses),
    upstream: sitesOf(s.restoredUpstream.buses),
    viaTies: new Int32Array(0),
    island: sitesOf(s.toIsland.flatMap((g) => g.buses)),
    unserved: sitesOf(s.unserved.flatMap((g) => g.buses)),
    steps: result.steps,
    restorationTimeS: s.restorationTimeS,
  };
}

/**
 * The same for a feeder imported from a MATPOWER case, worked out when the fault starts with the
 * members' exchange of the slot before: FLISR may also restore sections through the case's
 * normally-open ties when power flow keeps voltages (the feeder's band) and loadings within limits.
 */
export function planCaseLineFault(
  event: number, area: number, branch: string, feeder: CaseFeederPhysics, memberSites: Int32Array,
  memberNetWh: readonly number[], gridFormingMember: readonly boolean[], slotHours: number,
): LineFaultPlan {
  const network = feeder.networkWithLoads(memberNetWh, slotHours);
  const busIdOfMember = (m: number): number => network.buses[feeder.memberBus[m] as number]?.id as number;
  const gridFormingBuses = [...new Set(gridFormingMember.flatMap((gf, m) => (gf ? [busIdOfMember(m)] : [])))];
  const result = runFlisr(network, defaultSwitchPlan(network), { branch }, { vminPu: feeder.spec.vminPu, vmaxPu: feeder.spec.vmaxPu }, { gridFormingBuses });
  const sitesOf = (busIds: readonly number[]): Int32Array => {
    const wanted = new Set(busIds);
    return Int32Array.from(Array.from(memberSites).filter((_, m) => wanted.has(busIdOfMember(m))));
  };
  const s = result.summary;
  return {
    event, area, where: `branch ${branch}`, section: null, branch,
    isolated: sitesOf(s.isolated.buses),
    upstream: sitesOf(s.restoredUpstream.buses),
    viaTies: sitesOf(s.restoredViaTies.flatMap((g) => g.buses)),
    island: sitesOf(s.toIsland.flatMap((g) => g.buses)),
    unserved: sitesOf(s.unserved.flatMap((g) => g.buses)),
    steps: result.steps,
    restorationTimeS: s.restorationTimeS,
    network: result.network,
  };
}
