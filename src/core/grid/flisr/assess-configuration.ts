/**
 * Whether a switching configuration may be energised: solve its power flow and check every
 * energised bus voltage against [vminPu, vmaxPu] and every rated in-service branch against
 * maxLoadingPct (rateA 0 = unrated = unlimited). A power flow that does not converge is a rejection,
 * not an error: FLISR then tries something else.
 *
 * Given a baseline (the configuration before the switching), an element already outside a limit
 * before does not block the switching as long as it is not pushed further out (beyond numerical
 * noise: VOLTAGE_NOISE_PU, LOADING_NOISE_PCT); every other energised bus and in-service branch,
 * and every bus the switching energises, must be within limits. So a violation on an unrelated
 * feeder does not veto a restoration, while FLISR never deepens an existing undervoltage or
 * overload. The final state is checked without a baseline and reports any violation left.
 */
import type { PowerNetwork } from '../network.js';
import { PowerFlowError } from '../powerflow/power-flow-error.js';
import { runPowerFlow, type MethodChoice } from '../powerflow/run-power-flow.js';
import { branchLabel, type BranchLabel } from './branch-ref.js';
import { FlisrError } from './flisr-error.js';
import type { FlisrLimits } from './limits.js';

export interface Assessment {
  readonly acceptable: boolean;
  /** "within limits", or the first violation found (case bus numbers). */
  readonly reason: string;
  /** Voltage extremes over energised buses (null when the power flow failed). */
  readonly vmin: { readonly pu: number; readonly bus: number } | null;
  readonly vmax: { readonly pu: number; readonly bus: number } | null;
  /** Most loaded rated branch; null when no in-service branch is rated or the power flow failed. */
  readonly maxLoading: { readonly pct: number; readonly branch: BranchLabel } | null;
  readonly lossesKw: number;
  /** The solved state, usable as the baseline of a later switching (null when the power flow failed). */
  readonly state: OperatingState | null;
}

/** Per bus voltage (0 when de-energised) and per branch loading (NaN when unrated). */
export interface OperatingState {
  readonly vmPu: Float64Array;
  readonly loadingPct: Float64Array;
}

/** Differences below these are solver noise, not a change (the sweep converges to ~1e-8 pu). */
export const VOLTAGE_NOISE_PU = 1e-6;
export const LOADING_NOISE_PCT = 1e-4;

/** Counts power flows against the run's bound (a limit on the work, not on time). */
export class PowerFlowBudget {
  used = 0;
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new FlisrError(`maxPowerFlows must be a positive integer, got ${max}`);
  }
  spend(): void {
    if (this.used >= this.max) {
      throw new FlisrError(`FLISR needed more than ${this.max} power flows`, {
        details: ['raise maxPowerFlows, or give fewer ties or sectionalisers'],
      });
    }
    this.used++;
  }
}

/** The network with each branch in service where `status[k]` is 1. */
export function withBranchStatus(network: PowerNetwork, status: Uint8Array): PowerNetwork {
  const branches = network.branches.map((br, k) => (br.inService === (status[k] === 1) ? br : { ...br, inService: status[k] === 1 }));
  return { ...network, branches };
}

export function assessConfiguration(
  network: PowerNetwork,
  limits: FlisrLimits,
  method: MethodChoice,
  budget: PowerFlowBudget,
  baseline: OperatingState | null = null,
): Assessment {
  budget.spend();
  let run: ReturnType<typeof runPowerFlow>;
  try {
    run = runPowerFlow(network, method);
  } catch (error) {
    if (!(error instanceof PowerFlowError)) throw error;
    return { ...REJECTED, reason: `power flow failed: ${error.message}` };
  }
  const { flows, report, solution } = run;
  const vmin = { pu: flows.vmin.pu, bus: flows.vmin.busId };
  const vmax = { pu: flows.vmax.pu, bus: flows.vmax.busId };
  let worst = -1;
  flows.loadingPct.forEach((pct, k) => {
    if (network.branches[k]?.inService === true && !Number.isNaN(pct) && (worst < 0 || pct > (flows.loadingPct[worst] as number))) worst = k;
  });
  const maxLoading = worst < 0 ? null : { pct: flows.loadingPct[worst] as number, branch: branchLabel(network, worst) };
  const state = { vmPu: energisedVoltages(network, solution.vmPu), loadingPct: flows.loadingPct };
  const reason = violation(network, limits, state, baseline);
  return { acceptable: reason === null, reason: reason ?? 'within limits', vmin, vmax, maxLoading, lossesKw: report.lossesKw, state };
}

/** A rejection before or without a power-flow solution. */
export const REJECTED: Assessment = {
  acceptable: false, reason: 'rejected', vmin: null, vmax: null, maxLoading: null, lossesKw: NaN, state: null,
};

function energisedVoltages(network: PowerNetwork, vmPu: Float64Array): Float64Array {
  return vmPu.map((vm, i) => (vm > 0 && network.buses[i]?.type !== 'ISOLATED' ? vm : 0));
}

/** The worst new or deepened violation (undervoltage, then overvoltage, then overload), or null. */
function violation(network: PowerNetwork, limits: FlisrLimits, now: OperatingState, before: OperatingState | null): string | null {
  let low = -1;
  let high = -1;
  now.vmPu.forEach((vm, i) => {
    if (vm === 0) return;
    // 0 when de-energised before: a restored bus must be within limits.
    const old = before === null ? 0 : (before.vmPu[i] as number);
    const lowCounts = old === 0 || old >= limits.vminPu || vm < old - VOLTAGE_NOISE_PU;
    const highCounts = old === 0 || old <= limits.vmaxPu || vm > old + VOLTAGE_NOISE_PU;
    if (vm < limits.vminPu && lowCounts && (low < 0 || vm < (now.vmPu[low] as number))) low = i;
    if (vm > limits.vmaxPu && highCounts && (high < 0 || vm > (now.vmPu[high] as number))) high = i;
  });
  const busId = (i: number): number => network.buses[i]?.id ?? i;
  if (low >= 0) return `voltage ${(now.vmPu[low] as number).toFixed(4)} pu at bus ${busId(low)} below ${limits.vminPu} pu`;
  if (high >= 0) return `voltage ${(now.vmPu[high] as number).toFixed(4)} pu at bus ${busId(high)} above ${limits.vmaxPu} pu`;
  let over = -1;
  now.loadingPct.forEach((pct, k) => {
    const old = before === null ? 0 : (before.loadingPct[k] as number);
    const counts = !(old > limits.maxLoadingPct) || pct > old + LOADING_NOISE_PCT;
    if (network.branches[k]?.inService === true && pct > limits.maxLoadingPct && counts && (over < 0 || pct > (now.loadingPct[over] as number))) over = k;
  });
  if (over < 0) return null;
  const b = branchLabel(network, over);
  return `branch ${b.from}–${b.to} loaded ${(now.loadingPct[over] as number).toFixed(2)} % above ${limits.maxLoadingPct} %`;
}
