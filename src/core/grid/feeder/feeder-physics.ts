/**
 * Power flow of one feeder for one slot: the members' net exchange (Wh, positive = export) becomes
 * bus injections, the sweep solves, and the result is the feeder's losses in whole Wh plus its
 * voltage and loading extremes. The solver is built once per feeder and warm-started every slot.
 */
import { kwToWh } from '../../units.js';
import type { FeederSpec } from '../../sim/scenario-schema.js';
import type { PowerNetwork } from '../network.js';
import { SweepSolver } from '../powerflow/sweep.js';
import { buildFeederNetwork, FEEDER_BASE_MVA, FIRST_MEMBER_BUS } from './feeder-network.js';

export interface FeederSlotResult {
  converged: boolean;
  lossWh: number;
  vminPu: number;
  vmaxPu: number;
  maxLoadingPct: number;
}

/** A slot whose power flow has no solution (voltage collapse): no losses booked, limits failed. */
export function collapsed(r: FeederSlotResult): FeederSlotResult {
  r.lossWh = 0;
  r.vminPu = 0;
  r.vmaxPu = 0;
  r.maxLoadingPct = Number.POSITIVE_INFINITY;
  return r;
}

export class FeederPhysics {
  readonly network: PowerNetwork;
  private readonly solver: SweepSolver;
  private readonly pd: Float64Array;
  private readonly qd: Float64Array;
  private readonly tanPhi: number;
  /** Rectangular bus voltages (re, im interleaved), reused every slot. */
  private readonly v: Float64Array;
  readonly result: FeederSlotResult = { converged: true, lossWh: 0, vminPu: 1, vmaxPu: 1, maxLoadingPct: 0 };

  constructor(name: string, readonly spec: FeederSpec, readonly members: number, transformerKva: number) {
    this.network = buildFeederNetwork(name, spec, members, transformerKva);
    this.solver = new SweepSolver(this.network, { warmStart: true, maxIterations: 100 });
    this.pd = new Float64Array(this.network.buses.length);
    this.qd = new Float64Array(this.network.buses.length);
    this.tanPhi = Math.tan(Math.acos(spec.powerFactor));
    this.v = new Float64Array(2 * this.network.buses.length);
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
    if (!solution.converged) return collapsed(r);
    this.seriesFlows(solution.vmPu, solution.vaRad, r);
    r.lossWh = Math.max(0, kwToWh(r.lossWh * FEEDER_BASE_MVA * 1000, slotHours));
    return r;
  }

  /**
   * Losses (pu, into `r.lossWh` before conversion), voltage extremes and the highest loading. The
   * generated feeder has series branches only (no charging, shunts or taps), so this is the same as
   * `branchFlows` for it, without its allocations: the per-slot hot path of the simulation.
   */
  private seriesFlows(vm: Float64Array, va: Float64Array, r: FeederSlotResult): void {
    const v = this.v;
    let vmin = Number.POSITIVE_INFINITY;
    let vmax = 0;
    for (let i = 0; i < vm.length; i++) {
      const m = vm[i] as number;
      v[2 * i] = m * Math.cos(va[i] as number);
      v[2 * i + 1] = m * Math.sin(va[i] as number);
      if (m < vmin) vmin = m;
      if (m > vmax) vmax = m;
    }
    let loss = 0;
    let loading = 0;
    for (const br of this.network.branches) {
      const dr = (v[2 * br.from] as number) - (v[2 * br.to] as number);
      const di = (v[2 * br.from + 1] as number) - (v[2 * br.to + 1] as number);
      const z2 = br.rPu * br.rPu + br.xPu * br.xPu;
      const i2 = (dr * dr + di * di) / z2; // |I|² = |ΔV|² / |z|²
      loss += i2 * br.rPu;
      // |S| at either end is |V_end|·|I|; the loading is the larger end over the rating.
      const vEnd = Math.max(vm[br.from] as number, vm[br.to] as number);
      if (br.rateAMva > 0) loading = Math.max(loading, (100 * Math.sqrt(i2) * vEnd * FEEDER_BASE_MVA) / br.rateAMva);
    }
    r.lossWh = loss;
    r.vminPu = vmin;
    r.vmaxPu = vmax;
    r.maxLoadingPct = loading;
  }
}
