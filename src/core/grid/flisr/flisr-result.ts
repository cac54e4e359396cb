/**
 * What a FLISR run returns: the switching sequence as ordered steps with simulated times, and a
 * summary for results and reports. Buses and branches are named by the case file's bus numbers.
 */
import type { PowerNetwork } from '../network.js';
import type { BranchLabel } from './branch-ref.js';
import type { BusGroup } from './bus-groups.js';
import type { FlisrLimits } from './limits.js';
import type { TieEvaluation } from './restore-section.js';

/**
 * fault: the fault appears on a branch; trip: the feeder breaker opens; open/close: a switch
 * operation (isolate, reclose, shed, restore); island: a de-energised section with a grid-forming
 * resource, left to island; unserved: a de-energised section without one.
 */
export type FlisrAction = 'fault' | 'trip' | 'open' | 'close' | 'island' | 'unserved';
export type SwitchKind = 'breaker' | 'sectionaliser' | 'tie';
export type StepPurpose = 'fault' | 'protection' | 'isolate' | 'reclose' | 'shed' | 'restore' | 'left';

export interface FlisrStep extends BusGroup {
  /** 1-based position in the sequence. */
  readonly step: number;
  /** Simulated seconds after the fault (see timing.ts). */
  readonly timeS: number;
  readonly action: FlisrAction;
  readonly purpose: StepPurpose;
  /** The faulted branch or the switch operated; null for island/unserved. */
  readonly branch: BranchLabel | null;
  readonly switchKind: SwitchKind | null;
  /** One line for people. */
  readonly note: string;
}

export interface RestoredViaTie extends BusGroup {
  readonly tie: BranchLabel;
  /** Sectionalisers opened to shed the far end first (empty: the whole section was restored). */
  readonly shedSwitches: readonly BranchLabel[];
  readonly timeS: number;
}

export interface FinalState {
  readonly vmin: { readonly pu: number; readonly bus: number };
  readonly vmax: { readonly pu: number; readonly bus: number };
  /** Most loaded rated branch; null when no branch is rated. */
  readonly maxLoading: { readonly pct: number; readonly branch: BranchLabel } | null;
  readonly lossesKw: number;
  readonly radial: boolean;
  /** Whether the final configuration meets the limits (the reclosed upstream part may not). */
  readonly withinLimits: boolean;
  readonly violation: string | null;
}

export interface FlisrSummary {
  readonly case: string;
  readonly limits: FlisrLimits;
  readonly faultedBranch: BranchLabel;
  readonly breaker: BranchLabel;
  /** Everything the breaker trip de-energised. */
  readonly interrupted: BusGroup;
  /** The faulted section and the switches that isolate it. */
  readonly isolated: BusGroup & { readonly switches: readonly BranchLabel[] };
  /** Re-energised by reclosing the breaker (empty when the breaker is the isolating switch). */
  readonly restoredUpstream: BusGroup;
  readonly restoredViaTies: readonly RestoredViaTie[];
  /** Sections left de-energised that hold a grid-forming resource: to island on local resources. */
  readonly toIsland: readonly BusGroup[];
  /** Sections left de-energised without one. */
  readonly unserved: readonly BusGroup[];
  readonly totals: {
    readonly interruptedKw: number;
    readonly restoredKw: number;
    readonly isolatedKw: number;
    readonly toIslandKw: number;
    readonly unservedKw: number;
  };
  /** Time of the last switch operation, s. */
  readonly restorationTimeS: number;
  readonly final: FinalState;
  readonly tieEvaluations: readonly TieEvaluation[];
  readonly powerFlows: number;
}

export interface FlisrResult {
  readonly steps: readonly FlisrStep[];
  readonly summary: FlisrSummary;
  /** The network in its final configuration (the faulted branch out of service). */
  readonly network: PowerNetwork;
}
