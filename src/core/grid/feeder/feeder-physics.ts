/**
 * Power flow of one feeder for one slot: the members' net exchange (Wh, positive = export) becomes
 * bus injections, the sweep solves, and the result is the feeder's losses in whole Wh plus its
 * voltage and loading extremes. The solver is built once per feeder and warm-started every slot.
 */
import { kwToWh } from '../../units.js';
import type { FeederSpec } from '../../sim/scenario-schema.js';
import type { PowerNetwork } from '../network.js';
import { branchFlows } from '../powerflow/branch-flows.js';
import { SweepSolver } from '../powerflow/sweep.js';
import { buildFeederNetwork, FEEDER_BASE_MVA, FIRST_MEMBER_BUS } from './feeder-network.js';

export interface FeederSlotResult {
  converged: boolean;
  lossWh: number;
  vminPu: number;
  vmaxPu: number;
  maxLoadingPct: number;
}

export class FeederPhysics {
  readonly network: PowerNetwork;
  private readonly solver: SweepSolver;
  private readonly pd: Float64Array;
  private readonly qd: Float64Array;
  private readonly tanPhi: number;
  readonly result: FeederSlotResult = { converged: true, lossWh: 0, vminPu: 1, vmaxPu: 1, maxLoadingPct: 0 };

  constructor(name: string, readonly spec: FeederSpec, readonly members: number, transformerKva: number) {
    this.network = buildFeederNetwork(name, spec, members, transformerKva);
    this.solver = new SweepSolver(this.network, { warmStart: true, maxIterations: 100 });
    this.pd = new Float64Array(this.network.buses.length);
    this.qd = new Float64Array(this.network.buses.length);
    this.tanPhi = Math.tan(Math.acos(spec.powerFactor));
  }

  /** `memberNetWh[k]`: net export of member k this slot (negative = import). */
  solve(memberNetWh: Float64Array, slotHours: number): FeederSlotResult {
    const toPu = 1 / (slotHours * 1000 * 1000 * FEEDER_BASE_MVA); // Wh per slot → MW → pu
    for (let m = 0; m < this.members; m++) {
      const p = -(memberNetWh[m] as number) * toPu;
      this.pd[FIRST_MEMBER_BUS + m] = p;
      this.qd[FIRST_MEMBER_BUS + m] = p > 0 ? p * this.tanPhi : 0;
    }
    const r = this.result;
    const solution = this.solver.solve(this.pd, this.qd);
    r.converged = solution.converged;
    if (!solution.converged) {
      r.lossWh = 0;
      r.vminPu = 0;
      r.vmaxPu = 0;
      r.maxLoadingPct = Number.POSITIVE_INFINITY;
      return r;
    }
    const flows = branchFlows(this.network, solution);
    r.lossWh = Math.max(0, kwToWh(flows.totalLossPPu * FEEDER_BASE_MVA * 1000, slotHours));
    r.vminPu = flows.vmin.pu;
    r.vmaxPu = flows.vmax.pu;
    let loading = 0;
    for (let k = 0; k < flows.loadingPct.length; k++) loading = Math.max(loading, flows.loadingPct[k] as number);
    r.maxLoadingPct = loading;
    return r;
  }
}
