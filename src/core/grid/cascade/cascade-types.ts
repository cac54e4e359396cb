/**
 * The contract of an overload cascade simulation (`runCascade`): what starts it, how the grid
 * responds, and what is reported. Bus numbers are the case file's own; powers are kW of active power
 * (load is consumption, positive).
 */
import type { PriorityClass } from '../../assets/capabilities.js';

export type { PriorityClass };

/** Shedding order: the first class is shed first, critical load last. */
export const SHED_ORDER: readonly PriorityClass[] = ['normal', 'essential', 'critical'];
/** The rank of critical load in SHED_ORDER. */
export const CRITICAL_RANK = 2;

export type CascadeMode = 'baseline' | 'autonomous';
export const CASCADE_MODES: readonly CascadeMode[] = ['baseline', 'autonomous'];

/** A branch by the case bus numbers of its ends (either order). */
export interface BranchRef {
  readonly from: number;
  readonly to: number;
}

/**
 * What starts the cascade: the outage of one branch, of several at once (N-k), or a load increase
 * (every load multiplied by `loadScale`, or only the loads of `buses`).
 */
export type CascadeTrigger =
  | { readonly branch: BranchRef }
  | { readonly branches: readonly BranchRef[] }
  | { readonly loadScale: number; readonly buses?: readonly number[] };

/**
 * A microgrid that can island: its buses (case numbers) and the active power its local generation
 * and storage can supply, kW. The first bus hosts the grid-forming unit: when that bus loses its
 * supply, the microgrid islands with those of its buses that it still reaches over in-service
 * branches between its own buses. A bus belongs to at most one microgrid.
 */
export interface MicrogridSpec {
  readonly name?: string;
  readonly buses: readonly number[];
  readonly capacityKw: number;
}

export interface CascadeOptions {
  readonly mode: CascadeMode;
  /** A rated branch loaded above this (% of rateA) trips; default 100. */
  readonly tripAbovePct?: number;
  /** Priority class per case bus number; unlisted buses are 'normal'. */
  readonly priorities?: Readonly<Record<number, PriorityClass>>;
  /** Microgrids that island when they lose supply (used in autonomous mode only). */
  readonly islandable?: readonly MicrogridSpec[];
  /** Bound on overload rounds after the trigger; a cascade still tripping beyond it is an error. Default 50. */
  readonly maxRounds?: number;
}

export interface TrippedBranch {
  /** Case bus numbers of the branch ends, as in the case file. */
  readonly from: number;
  readonly to: number;
  /** Loading when it tripped, % of rateA; null for a trigger outage. */
  readonly loadingPct: number | null;
}

export interface CascadeRound {
  /** 0 is the trigger; 1, 2, … are overload rounds. */
  readonly round: number;
  readonly tripped: readonly TrippedBranch[];
  /** Buses that lost supply this round and were not islanded (ascending case numbers). */
  readonly deEnergisedBuses: readonly number[];
  /** Of those, buses lost because their island's power flow collapsed (no solution). */
  readonly collapsedBuses: readonly number[];
  /** Buses that went on serving as a microgrid island this round. */
  readonly islandedBuses: readonly number[];
  /** Load lost with the de-energised buses this round, kW. */
  readonly lostLoadKw: number;
  /** Load shed by the controllers this round (to relieve overloads, hold a collapsing island, or fit an island's capacity), kW. */
  readonly shedLoadKw: number;
  /** Human-readable remarks (voltage collapse, overloads that shedding could not relieve). */
  readonly notes: readonly string[];
}

export interface CascadeSummary {
  /** Branches tripped on overload (the trigger outage is not counted). */
  readonly linesTripped: number;
  /** Buses whose load was lost (de-energised, not islanded). */
  readonly customersLost: number;
  /** Buses with some load shed. */
  readonly customersShed: number;
  readonly loadLostKw: number;
  readonly loadShedKw: number;
  /** Load served by microgrid islands at the end. */
  readonly loadIslandedKw: number;
  /** Load after the trigger (a load-scale trigger included), and load still served at the end. */
  readonly demandKw: number;
  readonly servedKw: number;
  readonly criticalDemandKw: number;
  readonly criticalServedKw: number;
  /** Overload rounds in which something happened (round 0, the trigger, not counted). */
  readonly rounds: number;
}

export interface CascadeResult {
  readonly case: string;
  readonly mode: CascadeMode;
  readonly trigger: string;
  readonly tripAbovePct: number;
  readonly rounds: readonly CascadeRound[];
  readonly summary: CascadeSummary;
  /** Where each energised bus ended up (case bus numbers): served (with the share of its load shed), lost or islanded. */
  readonly buses: readonly BusOutcome[];
}

export interface BusOutcome {
  readonly bus: number;
  readonly outcome: 'served' | 'lost' | 'islanded';
  /** Share of the bus's demand the controllers shed, 0..1. */
  readonly shedShare: number;
}
