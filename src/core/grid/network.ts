/**
 * An electrical network in per-unit on a system base (MATPOWER's model): buses, branches (lines and
 * transformers, π model), shunts and generators. Built by the MATPOWER importer or by the feeder
 * generator; consumed by the power-flow solvers. Powers in MW/MVAr at the system level are stored
 * here already divided by `baseMva` (per-unit); bus numbers are the case file's own.
 *
 * Sign conventions: load (pdPu, qdPu) is consumption; generation (pgPu, qgPu) is injection; a bus's
 * net injection is Σ gen − load. Shunt gs/bs are admittances in pu at 1.0 pu voltage (positive bs is
 * capacitive, injects reactive power).
 */
export type BusType = 'PQ' | 'PV' | 'REF' | 'ISOLATED';

export interface NetworkBus {
  /** The case file's bus number. */
  readonly id: number;
  readonly type: BusType;
  readonly pdPu: number;
  readonly qdPu: number;
  readonly gsPu: number;
  readonly bsPu: number;
  /** Initial / set-point voltage magnitude and angle (degrees). */
  readonly vmPu: number;
  readonly vaDeg: number;
  readonly baseKv: number;
  readonly vmaxPu: number;
  readonly vminPu: number;
}

export interface NetworkBranch {
  /** Indices into `buses` (not bus numbers). */
  readonly from: number;
  readonly to: number;
  readonly rPu: number;
  readonly xPu: number;
  /** Total line charging susceptance, pu. */
  readonly bPu: number;
  /** Long-term rating, MVA (0 = unlimited). */
  readonly rateAMva: number;
  /** Off-nominal tap ratio at the from end (1 for a line; MATPOWER's 0 means 1). */
  readonly tap: number;
  readonly shiftDeg: number;
  readonly inService: boolean;
}

export interface NetworkGen {
  /** Index into `buses`. */
  readonly bus: number;
  readonly pgPu: number;
  readonly qgPu: number;
  /** Voltage set-point of a PV/REF bus, pu. */
  readonly vgPu: number;
  readonly inService: boolean;
}

export interface PowerNetwork {
  readonly name: string;
  readonly baseMva: number;
  readonly buses: readonly NetworkBus[];
  readonly branches: readonly NetworkBranch[];
  readonly gens: readonly NetworkGen[];
}

export type PowerFlowMethod = 'sweep' | 'newton';

export interface PowerFlowOptions {
  /** Largest power mismatch accepted, pu (default 1e-8). */
  tolerancePu?: number;
  /** Default 50 for Newton, 200 for the sweep. */
  maxIterations?: number;
}

/** Voltages of a converged (or not) solve; flows are derived by `branchFlows`. */
export interface PowerFlowSolution {
  readonly method: PowerFlowMethod;
  readonly converged: boolean;
  readonly iterations: number;
  /** Largest absolute P or Q mismatch at the end, pu. */
  readonly maxMismatchPu: number;
  /** Index of the bus with the largest mismatch. */
  readonly worstBus: number;
  readonly vmPu: Float64Array;
  readonly vaRad: Float64Array;
}
