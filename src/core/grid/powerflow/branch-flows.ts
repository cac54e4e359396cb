/**
 * Branch flows, losses, loading and voltage extremes from a power-flow solution, with MATPOWER's
 * branch model (π model, from-end tap t = tap·e^{j·shift}):
 *   I_from = ((y + j·b/2)/|t|²)·V_from − (y/conj(t))·V_to
 *   I_to   = −(y/t)·V_from + (y + j·b/2)·V_to,              y = 1/(r + jx)
 * and S = V·conj(I) at each end (power flowing into the branch, pu).
 *
 * Losses are MATPOWER's (`get_losses`): the series-element loss |V_from/t − V_to|²/conj(z), so
 * lossPPu = pFrom + pTo and lossQPu is the series I²x; the line-charging reactive power is not a loss
 * (qFrom + qTo = lossQ − charging). Totals therefore match MATPOWER's reported losses.
 */
import { assert } from '../../assert.js';
import type { PowerFlowSolution, PowerNetwork } from '../network.js';

export interface VoltageExtreme {
  readonly pu: number;
  /** Bus index (−1 when no bus is energised). */
  readonly bus: number;
  /** The case file's bus number (NaN when no bus is energised). */
  readonly busId: number;
}

export interface BranchFlows {
  /** Power into the branch at each end, pu (positive = flowing from that bus into the branch). */
  readonly pFromPu: Float64Array;
  readonly qFromPu: Float64Array;
  readonly pToPu: Float64Array;
  readonly qToPu: Float64Array;
  /** Series-element losses, pu. */
  readonly lossPPu: Float64Array;
  readonly lossQPu: Float64Array;
  /** max(|S_from|, |S_to|) / rateA, %; NaN for an unrated branch (rateA 0). */
  readonly loadingPct: Float64Array;
  readonly totalLossPPu: number;
  readonly totalLossQPu: number;
  /** Extremes over energised buses (vm > 0, not ISOLATED). */
  readonly vmin: VoltageExtreme;
  readonly vmax: VoltageExtreme;
}

export function branchFlows(network: PowerNetwork, solution: PowerFlowSolution): BranchFlows {
  const nb = network.buses.length;
  assert(solution.vmPu.length === nb && solution.vaRad.length === nb, 'solution does not match the network', {
    buses: nb, vm: solution.vmPu.length, va: solution.vaRad.length,
  });
  const vr = new Float64Array(nb);
  const vi = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    vr[i] = (solution.vmPu[i] as number) * Math.cos(solution.vaRad[i] as number);
    vi[i] = (solution.vmPu[i] as number) * Math.sin(solution.vaRad[i] as number);
  }
  const nl = network.branches.length;
  const f = (): Float64Array => new Float64Array(nl);
  const flows = { pFromPu: f(), qFromPu: f(), pToPu: f(), qToPu: f(), lossPPu: f(), lossQPu: f(), loadingPct: f() };
  let totalLossPPu = 0;
  let totalLossQPu = 0;
  network.branches.forEach((br, k) => {
    const unrated = !(br.rateAMva > 0);
    if (!br.inService) {
      flows.loadingPct[k] = unrated ? NaN : 0;
      return;
    }
    const e = branchEndFlows(br, vr[br.from] as number, vi[br.from] as number, vr[br.to] as number, vi[br.to] as number);
    flows.pFromPu[k] = e.pFrom;
    flows.qFromPu[k] = e.qFrom;
    flows.pToPu[k] = e.pTo;
    flows.qToPu[k] = e.qTo;
    flows.lossPPu[k] = e.lossP;
    flows.lossQPu[k] = e.lossQ;
    totalLossPPu += e.lossP;
    totalLossQPu += e.lossQ;
    const sMaxPu = Math.max(Math.hypot(e.pFrom, e.qFrom), Math.hypot(e.pTo, e.qTo));
    flows.loadingPct[k] = unrated ? NaN : ((sMaxPu * network.baseMva) / br.rateAMva) * 100;
  });
  return { ...flows, totalLossPPu, totalLossQPu, ...voltageExtremes(network, solution.vmPu) };
}

interface EndFlows {
  pFrom: number;
  qFrom: number;
  pTo: number;
  qTo: number;
  lossP: number;
  lossQ: number;
}

/** Flows of one branch from its end voltages (rectangular, pu). */
export function branchEndFlows(
  br: PowerNetwork['branches'][number],
  fr: number,
  fi: number,
  tr: number,
  ti: number,
): EndFlows {
  const denom = br.rPu * br.rPu + br.xPu * br.xPu;
  const yr = br.rPu / denom;
  const yi = -br.xPu / denom;
  const h = br.bPu / 2;
  const tap = br.tap === 0 ? 1 : br.tap;
  const shift = (br.shiftDeg * Math.PI) / 180;
  // V_from / t: the voltage behind the ideal transformer.
  const er = (fr * Math.cos(shift) + fi * Math.sin(shift)) / tap;
  const ei = (fi * Math.cos(shift) - fr * Math.sin(shift)) / tap;
  const dr = er - tr;
  const di = ei - ti;
  // Series current (from side → to side).
  const isr = dr * yr - di * yi;
  const isi = dr * yi + di * yr;
  // Power into the series element plus its shunt halves, at each end. The ideal transformer is
  // lossless, so the power entering at the from bus equals the power entering behind it.
  const ifr = isr - h * ei;
  const ifi = isi + h * er;
  const itr = -isr - h * ti;
  const iti = -isi + h * tr;
  const drop2 = dr * dr + di * di;
  return {
    pFrom: er * ifr + ei * ifi,
    qFrom: ei * ifr - er * ifi,
    pTo: tr * itr + ti * iti,
    qTo: ti * itr - tr * iti,
    lossP: (drop2 * br.rPu) / denom,
    lossQ: (drop2 * br.xPu) / denom,
  };
}

function voltageExtremes(network: PowerNetwork, vmPu: Float64Array): { vmin: VoltageExtreme; vmax: VoltageExtreme } {
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < vmPu.length; i++) {
    const vm = vmPu[i] as number;
    if (!(vm > 0) || network.buses[i]?.type === 'ISOLATED') continue;
    if (lo < 0 || vm < (vmPu[lo] as number)) lo = i;
    if (hi < 0 || vm > (vmPu[hi] as number)) hi = i;
  }
  const extreme = (i: number): VoltageExtreme =>
    i < 0 ? { pu: NaN, bus: -1, busId: NaN } : { pu: vmPu[i] as number, bus: i, busId: network.buses[i]?.id ?? NaN };
  return { vmin: extreme(lo), vmax: extreme(hi) };
}
