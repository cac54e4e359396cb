/**
 * One power flow as a user asks for it: pick the method (`auto`: the sweep when every island is
 * radial with one source and no voltage-regulating generators, else Newton-Raphson), solve, and
 * report in the units and numbering of the case file. A solve that does not converge is an error
 * naming the worst bus, never a silent result.
 */
import type { PowerFlowMethod, PowerFlowOptions, PowerFlowSolution, PowerNetwork } from '../network.js';
import { branchFlows, type BranchFlows } from './branch-flows.js';
import { solveNewton } from './newton.js';
import { PowerFlowError } from './power-flow-error.js';
import { checkSweepApplies, solveSweep } from './sweep.js';
import { analyseTopology } from './topology.js';

export type MethodChoice = PowerFlowMethod | 'auto';
export const METHOD_CHOICES: readonly MethodChoice[] = ['auto', 'sweep', 'newton'];

/** The `--json` contract of `gridmesh powerflow` (bus numbers are the case file's own). */
export interface PowerFlowReport {
  case: string;
  method: PowerFlowMethod;
  converged: boolean;
  iterations: number;
  maxMismatchPu: number;
  lossesKw: number;
  lossesKvar: number;
  vmin: { pu: number; bus: number };
  vmax: { pu: number; bus: number };
  /** Buses without a source (de-energised), by case bus number. */
  deEnergisedBuses: number[];
  buses: { bus: number; vmPu: number; vaDeg: number }[];
  /** Flows into the branch at each end (positive = from that bus into the branch), losses, loading vs rateA. */
  branches: { from: number; to: number; pFromKw: number; qFromKvar: number; pToKw: number; qToKvar: number; lossKw: number; loadingPct: number | null }[];
}

export interface PowerFlowRun {
  readonly report: PowerFlowReport;
  readonly solution: PowerFlowSolution;
  readonly flows: BranchFlows;
}

export function chooseMethod(network: PowerNetwork): PowerFlowMethod {
  try {
    checkSweepApplies(network, analyseTopology(network));
    return 'sweep';
  } catch (error) {
    if (error instanceof PowerFlowError) return 'newton';
    throw error;
  }
}

export function runPowerFlow(network: PowerNetwork, choice: MethodChoice = 'auto', options: PowerFlowOptions = {}): PowerFlowRun {
  const method = choice === 'auto' ? chooseMethod(network) : choice;
  const solution = method === 'sweep' ? solveSweep(network, options) : solveNewton(network, options);
  if (!solution.converged) {
    const bus = network.buses[solution.worstBus]?.id ?? solution.worstBus;
    throw new PowerFlowError(`power flow (${method}) did not converge after ${solution.iterations} iterations`, {
      details: [`largest mismatch ${solution.maxMismatchPu.toExponential(3)} pu at bus ${bus}`,
        'check for overloaded or very long feeders, wrong units, or try the other --method'],
    });
  }
  const flows = branchFlows(network, solution);
  return { report: reportOf(network, method, solution, flows), solution, flows };
}

function reportOf(network: PowerNetwork, method: PowerFlowMethod, s: PowerFlowSolution, flows: BranchFlows): PowerFlowReport {
  const kw = network.baseMva * 1000;
  const busId = (index: number): number => network.buses[index]?.id ?? index;
  const topology = analyseTopology(network);
  return {
    case: network.name,
    method,
    converged: s.converged,
    iterations: s.iterations,
    maxMismatchPu: s.maxMismatchPu,
    lossesKw: flows.totalLossPPu * kw,
    lossesKvar: flows.totalLossQPu * kw,
    vmin: { pu: flows.vmin.pu, bus: flows.vmin.busId },
    vmax: { pu: flows.vmax.pu, bus: flows.vmax.busId },
    deEnergisedBuses: Array.from(topology.deEnergisedBuses, busId),
    buses: network.buses.map((b, i) => ({ bus: b.id, vmPu: s.vmPu[i] as number, vaDeg: ((s.vaRad[i] as number) * 180) / Math.PI })),
    branches: network.branches.map((br, k) => ({
      from: busId(br.from), to: busId(br.to),
      pFromKw: (flows.pFromPu[k] as number) * kw, qFromKvar: (flows.qFromPu[k] as number) * kw,
      pToKw: (flows.pToPu[k] as number) * kw, qToKvar: (flows.qToPu[k] as number) * kw, lossKw: (flows.lossPPu[k] as number) * kw,
      loadingPct: Number.isNaN(flows.loadingPct[k] as number) ? null : (flows.loadingPct[k] as number),
    })),
  };
}
