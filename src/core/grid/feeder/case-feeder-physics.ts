/**
 * Power flow of a feeder imported from a MATPOWER case (scenario `feeder.matpower`): the case gives
 * topology, impedances, taps, shunts and its source (REF bus); the simulation gives the loads — the
 * case's own loads are replaced by the members' exchange at their buses (`memberBuses`). The method
 * is chosen once (sweep when radial with one source, else Newton) and warm-started every slot.
 */
import { ScenarioError } from '../../errors.js';
import type { FeederSpec } from '../../sim/scenario-schema.js';
import { kwToWh } from '../../units.js';
import type { PowerFlowSolution, PowerNetwork } from '../network.js';
import { branchFlows } from '../powerflow/branch-flows.js';
import { NewtonSolver } from '../powerflow/newton.js';
import { chooseMethod } from '../powerflow/run-power-flow.js';
import { SweepSolver } from '../powerflow/sweep.js';
import { collapsed, type FeederSlotResult } from './feeder-physics.js';

export class CaseFeederPhysics {
  readonly network: PowerNetwork;
  private readonly solveLoads: (pd: Float64Array, qd: Float64Array) => PowerFlowSolution;
  private readonly pd: Float64Array;
  private readonly qd: Float64Array;
  private readonly tanPhi: number;
  readonly result: FeederSlotResult = { converged: true, lossWh: 0, vminPu: 1, vmaxPu: 1, maxLoadingPct: 0 };

  /** `memberBus[k]`: the bus index (in `network.buses`) of member k. */
  constructor(readonly spec: FeederSpec, network: PowerNetwork, readonly memberBus: Int32Array) {
    this.network = { ...network, buses: network.buses.map((b) => ({ ...b, pdPu: 0, qdPu: 0 })) };
    this.pd = new Float64Array(network.buses.length);
    this.qd = new Float64Array(network.buses.length);
    this.tanPhi = Math.tan(Math.acos(spec.powerFactor));
    if (chooseMethod(this.network) === 'sweep') {
      const sweep = new SweepSolver(this.network, { warmStart: true, maxIterations: 100 });
      this.solveLoads = (pd, qd) => sweep.solve(pd, qd);
    } else {
      const newton = new NewtonSolver(this.network);
      this.solveLoads = (pd, qd) => newton.solve(pd, qd, { start: 'previous' });
    }
  }

  static forArea(spec: FeederSpec, area: string, network: PowerNetwork, memberIds: readonly string[]): CaseFeederPhysics {
    const busIndex = new Map(network.buses.map((b, i) => [b.id, i]));
    const placed = spec.memberBuses ?? {};
    const problems: string[] = [];
    const memberBus = Int32Array.from(memberIds, (m) => {
      const bus = placed[m];
      const index = bus === undefined ? undefined : busIndex.get(bus);
      if (index === undefined) problems.push(`feeder of ${area}: memberBuses.${m}: a bus of ${network.name} (got ${bus ?? 'none'})`);
      else if (network.buses[index]?.type === 'REF') problems.push(`feeder of ${area}: memberBuses.${m}: not the source bus ${bus}`);
      return index ?? 0;
    });
    if (problems.length > 0) throw new ScenarioError(`feeder of ${area} does not fit its case ${network.name}`, { details: problems });
    return new CaseFeederPhysics(spec, network, memberBus);
  }

  /** The case with the members' exchange (Wh, positive = export) as its bus loads. */
  networkWithLoads(memberNetWh: readonly number[], slotHours: number): PowerNetwork {
    const toPu = 1 / (slotHours * 1e6 * this.network.baseMva);
    const pd = new Float64Array(this.network.buses.length);
    for (let m = 0; m < this.memberBus.length; m++) {
      const bus = this.memberBus[m] as number;
      pd[bus] = (pd[bus] as number) - (memberNetWh[m] as number) * toPu;
    }
    return {
      ...this.network,
      buses: this.network.buses.map((b, i) => ({ ...b, pdPu: pd[i] as number, qdPu: (pd[i] as number) > 0 ? (pd[i] as number) * this.tanPhi : 0 })),
    };
  }

  /** The same feeder in another switching state (during a line fault), with the same members. */
  reconfigured(network: PowerNetwork): CaseFeederPhysics {
    return new CaseFeederPhysics(this.spec, network, this.memberBus);
  }

  solve(memberNetWh: Float64Array, slotHours: number): FeederSlotResult {
    const toPu = 1 / (slotHours * 1e6 * this.network.baseMva); // Wh per slot → MW → pu
    this.pd.fill(0);
    this.qd.fill(0);
    for (let m = 0; m < this.memberBus.length; m++) {
      const bus = this.memberBus[m] as number;
      const p = -(memberNetWh[m] as number) * toPu;
      this.pd[bus] = (this.pd[bus] as number) + p;
      this.qd[bus] = (this.qd[bus] as number) + (p > 0 ? p * this.tanPhi : 0);
    }
    const r = this.result;
    const solution = this.solveLoads(this.pd, this.qd);
    r.converged = solution.converged;
    if (!solution.converged) return collapsed(r);
    const flows = branchFlows(this.network, solution);
    r.lossWh = Math.max(0, kwToWh(flows.totalLossPPu * this.network.baseMva * 1000, slotHours));
    r.vminPu = flows.vmin.pu;
    r.vmaxPu = flows.vmax.pu;
    let loading = 0;
    for (let k = 0; k < flows.loadingPct.length; k++) {
      const x = flows.loadingPct[k] as number;
      if (x > loading) loading = x;
    }
    r.maxLoadingPct = loading;
    return r;
  }
}
