/**
 * Operating limits a restored configuration must meet, and the bound on the work FLISR may do.
 * Voltages apply to every energised bus, loading to every in-service branch with a rating
 * (rateA 0 means unrated, i.e. unlimited).
 */
import { FlisrError } from './flisr-error.js';

export interface FlisrLimits {
  /** Lowest bus voltage accepted, pu. */
  readonly vminPu: number;
  /** Highest bus voltage accepted, pu. */
  readonly vmaxPu: number;
  /** Highest branch loading accepted, % of rateA. */
  readonly maxLoadingPct: number;
}

export const DEFAULT_FLISR_LIMITS: FlisrLimits = { vminPu: 0.9, vmaxPu: 1.1, maxLoadingPct: 100 };

/** Default bound on the power flows one FLISR run may solve (restoration candidates and shedding). */
export const DEFAULT_MAX_POWER_FLOWS = 1000;

export function resolveLimits(limits: Partial<FlisrLimits> = {}): FlisrLimits {
  const resolved = { ...DEFAULT_FLISR_LIMITS, ...stripUndefined(limits) };
  const { vminPu, vmaxPu, maxLoadingPct } = resolved;
  if (!Number.isFinite(vminPu) || vminPu <= 0) throw new FlisrError(`limit vminPu must be a positive number of pu, got ${vminPu}`);
  if (!Number.isFinite(vmaxPu) || vmaxPu <= vminPu) {
    throw new FlisrError(`limit vmaxPu must be a number above vminPu (${vminPu} pu), got ${vmaxPu}`);
  }
  if (!Number.isFinite(maxLoadingPct) || maxLoadingPct <= 0) {
    throw new FlisrError(`limit maxLoadingPct must be a positive percentage, got ${maxLoadingPct}`);
  }
  return resolved;
}

function stripUndefined(limits: Partial<FlisrLimits>): Partial<FlisrLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<FlisrLimits>;
}
