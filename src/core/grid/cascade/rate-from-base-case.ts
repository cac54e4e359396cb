/**
 * Branch ratings for cases that have none. Most MATPOWER distribution cases leave rateA at 0
 * (unlimited); a common study approach rates each branch at its base-case loading plus a margin, so
 * the base case is secure and a contingency or load growth shows which branches overload first.
 *
 * Each in-service branch gets rateA = (1 + marginPct/100) · max(|S_from|, |S_to|) of a base-case
 * power flow, in MVA. A branch that carries nothing in the base case (|S| = 0: a dead end with no
 * load, or a branch in a de-energised part) gets 0, i.e. stays unrated, as do out-of-service
 * branches (their rating is left as it was). Existing ratings of in-service branches are replaced.
 */
import type { PowerNetwork } from '../network.js';
import { runPowerFlow, type MethodChoice } from '../powerflow/run-power-flow.js';
import { CascadeError } from './cascade-error.js';

export const MAX_MARGIN_PCT = 1000;

export function rateFromBaseCase(network: PowerNetwork, marginPct: number, method: MethodChoice = 'auto'): PowerNetwork {
  if (!(Number.isFinite(marginPct) && marginPct >= 0 && marginPct <= MAX_MARGIN_PCT)) {
    throw new CascadeError(`the rating margin must be a number from 0 to ${MAX_MARGIN_PCT} %, got ${marginPct}`);
  }
  const { flows } = runPowerFlow(network, method);
  const factor = 1 + marginPct / 100;
  return {
    ...network,
    branches: network.branches.map((br, k) => {
      if (!br.inService) return br;
      const sPu = Math.max(Math.hypot(flows.pFromPu[k] as number, flows.qFromPu[k] as number), Math.hypot(flows.pToPu[k] as number, flows.qToPu[k] as number));
      return { ...br, rateAMva: factor * sPu * network.baseMva };
    }),
  };
}

/**
 * The network with every out-of-service branch closed: distribution cases list their normally-open
 * tie switches as out-of-service branches, so this gives the meshed network.
 */
export function withAllBranchesClosed(network: PowerNetwork): PowerNetwork {
  return { ...network, branches: network.branches.map((br) => (br.inService ? br : { ...br, inService: true })) };
}
