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
import { FIRST_MEMBER_BUS } from './feeder-network.js';

export interface LineFaultPlan {
  /** Scenario event index. */
  readonly event: number;
  readonly area: number;
  readonly section: number;
  /** Site positions by what happens to them while the fault lasts. */
  readonly isolated: Int32Array;
  readonly upstream: Int32Array;
  readonly island: Int32Array;
  readonly unserved: Int32Array;
  readonly steps: readonly FlisrStep[];
  readonly restorationTimeS: number;
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
    event, area, section,
    isolated: sitesOf(s.isolated.buses),
    upstream: sitesOf(s.restoredUpstream.buses),
    island: sitesOf(s.toIsland.flatMap((g) => g.buses)),
    unserved: sitesOf(s.unserved.flatMap((g) => g.buses)),
    steps: result.steps,
    restorationTimeS: s.restorationTimeS,
  };
}
