/**
 * Newton–Raphson power flow in polar coordinates (MATPOWER's newtonpf).
 *
 * Unknowns: θ at PV and PQ buses, |V| at PQ buses (interleaved per bus: θ_b then |V|_b). Mismatch
 * F = [ΔP(pv, pq); ΔQ(pq)] of S = V·conj(Ybus·V) − Sbus. The Jacobian comes from MATPOWER's
 * dSbus_dV, entry by entry on the Ybus pattern, straight into a fixed sparse pattern, factored by
 * `SparseLu` (ordering and pivots reused across iterations and solves).
 *
 * Buses: each connected component (in-service branches) holding a REF bus is solved with every REF
 * bus as a slack (fixed |V| and θ). Buses of type ISOLATED and components without a REF bus are
 * de-energised: |V| = θ = 0 in the solution and listed in `deenergisedBuses` for the caller to
 * report. A PV bus with no in-service generator is treated as PQ. Generator reactive limits are not
 * enforced (MATPOWER's default). Sbus = Σ in-service generation − load, in pu.
 *
 * Start: |V| = 1 at PQ buses, the generator set-point vg at PV and REF buses (the bus's vm when it
 * has no in-service generator), θ = the angle of the component's first REF bus everywhere.
 */
import { assert } from '../../assert.js';
import { GridmeshError } from '../../errors.js';
import type { PowerFlowOptions, PowerFlowSolution, PowerNetwork } from '../network.js';
import { buildYbus, csrIndexOf, type ComplexCsr } from './admittance.js';
import { SingularMatrixError, SparseLu } from './sparse-lu.js';

export interface NewtonSolveOptions {
  /** 'flat' (default) or 'previous': start from the last solve's voltages (time series). */
  start?: 'flat' | 'previous';
}

const PQ = 0;
const PV = 1;
const REF = 2;
const OFF = 3;
const DEG = Math.PI / 180;
/** A mismatch within this many ε of its terms' size is at the floating-point floor (see `mismatch`). */
const FLOOR_ULPS = 8;

/** A Newton solver built once per network (Ybus, index maps, Jacobian pattern, LU ordering). */
export class NewtonSolver {
  /** Indices of buses left out of the solve (ISOLATED, or in a component with no REF bus). */
  readonly deenergisedBuses: readonly number[];
  private readonly network: PowerNetwork;
  private readonly tolerancePu: number;
  private readonly maxIterations: number;
  private readonly ybus: ComplexCsr;
  private readonly kind: Uint8Array;
  /** Energised buses in index order. */
  private readonly active: Int32Array;
  private readonly thetaCol: Int32Array;
  private readonly vmCol: Int32Array;
  /** Bus of each unknown (and of each mismatch row). */
  private readonly unknownBus: Int32Array;
  private readonly vmStart: Float64Array;
  private readonly vaStart: Float64Array;
  private readonly genP: Float64Array;
  private readonly genQ: Float64Array;
  private readonly jacobian: JacobianPattern;
  private readonly lu: SparseLu;
  private readonly pInj: Float64Array;
  private readonly qInj: Float64Array;
  private readonly vm: Float64Array;
  private readonly va: Float64Array;
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;
  private readonly iRe: Float64Array;
  private readonly iIm: Float64Array;
  private readonly f: Float64Array;
  private readonly dx: Float64Array;
  private worstUnknown = -1;
  /** Whether every |F_r| ≤ max(tolerance, the rounding floor of its bus), set by `mismatch`. */
  private withinTolerance = false;
  /** Rounding floor of each bus's mismatch, pu (see `mismatch`). */
  private readonly floor: Float64Array;
  private solved = false;

  constructor(network: PowerNetwork, options: PowerFlowOptions = {}) {
    this.network = network;
    this.tolerancePu = options.tolerancePu ?? 1e-8;
    this.maxIterations = options.maxIterations ?? 50;
    if (!(this.tolerancePu > 0)) throw new GridmeshError(`power-flow tolerance must be positive, got ${this.tolerancePu}`);
    if (!Number.isInteger(this.maxIterations) || this.maxIterations < 1) {
      throw new GridmeshError(`power-flow maxIterations must be a positive integer, got ${this.maxIterations}`);
    }
    const n = network.buses.length;
    const buses = classifyBuses(network);
    this.kind = buses.kind;
    this.vmStart = buses.vmStart;
    this.vaStart = buses.vaStart;
    this.genP = buses.genP;
    this.genQ = buses.genQ;
    this.deenergisedBuses = buses.deenergised;
    this.ybus = buildYbus(withoutIsolatedBranches(network));
    const idx = numberUnknowns(this.kind);
    this.active = idx.active;
    this.thetaCol = idx.thetaCol;
    this.vmCol = idx.vmCol;
    this.unknownBus = idx.unknownBus;
    this.jacobian = jacobianPattern(this.ybus, this.active, this.thetaCol, this.vmCol, idx.unknownBus.length);
    this.lu = SparseLu.analyse(this.jacobian);
    const m = idx.unknownBus.length;
    this.pInj = new Float64Array(n);
    this.qInj = new Float64Array(n);
    this.vm = new Float64Array(n);
    this.va = new Float64Array(n);
    this.vRe = new Float64Array(n);
    this.vIm = new Float64Array(n);
    this.iRe = new Float64Array(n);
    this.iIm = new Float64Array(n);
    this.f = new Float64Array(m);
    this.dx = new Float64Array(m);
    this.floor = roundingFloor(this.ybus);
  }

  /** Number of unknowns (θ at PV and PQ buses plus |V| at PQ buses). */
  get unknowns(): number {
    return this.unknownBus.length;
  }

  /**
   * Solves with these loads (pu, consumption positive, one per bus). Generation stays as in the
   * network: give time-varying generation at PQ buses as negative load. A 'previous' start falls back
   * to a flat start until a solve has converged. `worstBus` is −1 when nothing is unknown (only
   * REF buses). Throws a GridmeshError when the Jacobian is singular, naming the bus.
   */
  solve(pdPu: ArrayLike<number>, qdPu: ArrayLike<number>, options: NewtonSolveOptions = {}): PowerFlowSolution {
    this.setInjections(pdPu, qdPu);
    if (options.start !== 'previous' || !this.solved) this.flatStart();
    let mismatch = this.mismatch();
    let iterations = 0;
    while (!this.withinTolerance && Number.isFinite(mismatch) && iterations < this.maxIterations) {
      this.newtonStep();
      iterations++;
      mismatch = this.mismatch();
    }
    this.solved = this.withinTolerance;
    return {
      method: 'newton',
      converged: this.withinTolerance,
      iterations,
      maxMismatchPu: Number.isNaN(mismatch) ? Infinity : mismatch,
      worstBus: this.worstUnknown < 0 ? -1 : (this.unknownBus[this.worstUnknown] as number),
      vmPu: this.vm.slice(),
      vaRad: this.va.slice(),
    };
  }

  private setInjections(pdPu: ArrayLike<number>, qdPu: ArrayLike<number>): void {
    const n = this.network.buses.length;
    if (pdPu.length !== n || qdPu.length !== n) {
      throw new GridmeshError(`power flow: ${pdPu.length} active and ${qdPu.length} reactive loads for ${n} buses`);
    }
    for (let b = 0; b < n; b++) {
      const pd = pdPu[b] as number;
      const qd = qdPu[b] as number;
      if (!Number.isFinite(pd) || !Number.isFinite(qd)) {
        throw new GridmeshError(`power flow: the load at bus ${this.network.buses[b]?.id} is not a finite number`, { details: [`pd ${pd}, qd ${qd} pu`] });
      }
      this.pInj[b] = (this.genP[b] as number) - pd;
      this.qInj[b] = (this.genQ[b] as number) - qd;
    }
  }

  private flatStart(): void {
    const { vm, va, vRe, vIm } = this;
    vm.fill(0);
    va.fill(0);
    vRe.fill(0);
    vIm.fill(0);
    for (const b of this.active) {
      vm[b] = this.kind[b] === PQ ? 1 : (this.vmStart[b] as number);
      va[b] = this.vaStart[b] as number;
      vRe[b] = (vm[b] as number) * Math.cos(va[b] as number);
      vIm[b] = (vm[b] as number) * Math.sin(va[b] as number);
    }
  }

  /**
   * Currents I = Ybus·V, the mismatch vector F, and its largest magnitude (NaN if any entry is NaN).
   *
   * A mismatch at or below its bus's rounding floor (see `roundingFloor`) also counts as converged.
   */
  private mismatch(): number {
    const { rowPtr, colIdx, re, im } = this.ybus;
    const { vRe, vIm, iRe, iIm, f, active, thetaCol, vmCol, pInj, qInj } = this;
    for (let t = 0; t < active.length; t++) {
      const i = active[t] as number;
      let sr = 0;
      let si = 0;
      for (let k = rowPtr[i] as number, end = rowPtr[i + 1] as number; k < end; k++) {
        const j = colIdx[k] as number;
        const g = re[k] as number;
        const h = im[k] as number;
        sr += g * (vRe[j] as number) - h * (vIm[j] as number);
        si += g * (vIm[j] as number) + h * (vRe[j] as number);
      }
      iRe[i] = sr;
      iIm[i] = si;
      const a = vRe[i] as number;
      const b = vIm[i] as number;
      const tc = thetaCol[i] as number;
      if (tc >= 0) f[tc] = a * sr + b * si - (pInj[i] as number);
      const vc = vmCol[i] as number;
      if (vc >= 0) f[vc] = b * sr - a * si - (qInj[i] as number);
    }
    return this.largestMismatch();
  }

  private largestMismatch(): number {
    const { f, unknownBus, floor, tolerancePu } = this;
    let worst = 0;
    this.worstUnknown = f.length > 0 ? 0 : -1;
    this.withinTolerance = true;
    for (let r = 0; r < f.length; r++) {
      const v = Math.abs(f[r] as number);
      if (Number.isNaN(v)) {
        this.worstUnknown = r;
        this.withinTolerance = false;
        return NaN;
      }
      if (v > worst) {
        worst = v;
        this.worstUnknown = r;
      }
      if (v > tolerancePu && v > (floor[unknownBus[r] as number] as number)) this.withinTolerance = false;
    }
    return worst;
  }

  private newtonStep(): void {
    this.assembleJacobian();
    try {
      this.lu.factor(this.jacobian.values);
    } catch (error) {
      if (!(error instanceof SingularMatrixError)) throw error;
      const bus = this.network.buses[this.unknownBus[error.column] as number];
      throw new GridmeshError(`Newton power flow: the Jacobian is singular at bus ${bus?.id}`, {
        details: ['an island may lack voltage support, or the load is beyond the voltage-collapse point'],
        cause: error,
      });
    }
    this.lu.solve(this.f, this.dx);
    const { vm, va, vRe, vIm, dx, active } = this;
    for (let t = 0; t < active.length; t++) {
      const b = active[t] as number;
      const tc = this.thetaCol[b] as number;
      if (tc < 0) continue;
      va[b] = (va[b] as number) - (dx[tc] as number);
      const vc = this.vmCol[b] as number;
      if (vc >= 0) vm[b] = (vm[b] as number) - (dx[vc] as number);
      vRe[b] = (vm[b] as number) * Math.cos(va[b] as number);
      vIm[b] = (vm[b] as number) * Math.sin(va[b] as number);
    }
  }

  /**
   * J11 = Re dS/dθ, J12 = Re dS/d|V|, J21 = Im dS/dθ, J22 = Im dS/d|V|, with (MATPOWER's dSbus_dV)
   *   dS_i/dθ_j  = −j·V_i·conj(Y_ij·V_j)     + [i = j]·j·V_i·conj(I_i)
   *   dS_i/d|V|_j = V_i·conj(Y_ij·V_j/|V_j|) + [i = j]·conj(I_i)·V_i/|V_i|
   */
  private assembleJacobian(): void {
    const { rowPtr, colIdx, re, im } = this.ybus;
    const { vRe, vIm, vm, iRe, iIm } = this;
    const { values, slotPa, slotQa, slotPm, slotQm } = this.jacobian;
    const active = this.active;
    for (let t = 0; t < active.length; t++) {
      const i = active[t] as number;
      const a = vRe[i] as number;
      const b = vIm[i] as number;
      for (let k = rowPtr[i] as number, end = rowPtr[i + 1] as number; k < end; k++) {
        const j = colIdx[k] as number;
        const g = re[k] as number;
        const h = im[k] as number;
        const c = vRe[j] as number;
        const d = vIm[j] as number;
        const wr = g * c - h * d;
        const wi = g * d + h * c;
        let saRe = b * wr - a * wi;
        let saIm = -a * wr - b * wi;
        const inv = 1 / (vm[j] as number);
        let smRe = (a * wr + b * wi) * inv;
        let smIm = (b * wr - a * wi) * inv;
        if (i === j) {
          const ir = iRe[i] as number;
          const ii = iIm[i] as number;
          saRe -= b * ir - a * ii;
          saIm += a * ir + b * ii;
          smRe += (ir * a + ii * b) * inv;
          smIm += (ir * b - ii * a) * inv;
        }
        const pa = slotPa[k] as number;
        if (pa >= 0) values[pa] = saRe;
        const qa = slotQa[k] as number;
        if (qa >= 0) values[qa] = saIm;
        const pm = slotPm[k] as number;
        if (pm >= 0) values[pm] = smRe;
        const qm = slotQm[k] as number;
        if (qm >= 0) values[qm] = smIm;
      }
    }
  }
}

/** One Newton power flow with the network's own loads, from a flat start. */
export function solveNewton(network: PowerNetwork, options: PowerFlowOptions = {}): PowerFlowSolution {
  const solver = new NewtonSolver(network, options);
  return solver.solve(
    network.buses.map((b) => b.pdPu),
    network.buses.map((b) => b.qdPu),
  );
}

/**
 * Each bus's mismatch is a sum of terms as large as |V_i|·|Y_ij|·|V_j|, so it can be neither computed
 * nor driven below about ε·Σ_j|Y_ij| pu (at |V| ≈ 1). Near-zero impedances lift that floor above any
 * sensible tolerance: case16am joins two buses through 1e-8 Ω, |Y| ≈ 1.6e9 pu, floor ≈ 1e-7 pu, where
 * the remaining voltage correction is below one ulp. On ordinary networks the floor is ~1e-12 pu and
 * the tolerance alone decides.
 */
function roundingFloor(y: ComplexCsr): Float64Array {
  const floor = new Float64Array(y.n);
  for (let i = 0; i < y.n; i++) {
    let size = 0;
    for (let k = y.rowPtr[i] as number; k < (y.rowPtr[i + 1] as number); k++) size += Math.hypot(y.re[k] as number, y.im[k] as number);
    floor[i] = FLOOR_ULPS * Number.EPSILON * size;
  }
  return floor;
}

interface BusClasses {
  kind: Uint8Array;
  vmStart: Float64Array;
  vaStart: Float64Array;
  genP: Float64Array;
  genQ: Float64Array;
  deenergised: number[];
}

function classifyBuses(network: PowerNetwork): BusClasses {
  const n = network.buses.length;
  const kind = new Uint8Array(n);
  const vmStart = new Float64Array(n);
  const genP = new Float64Array(n);
  const genQ = new Float64Array(n);
  const hasGen = new Uint8Array(n);
  network.buses.forEach((bus, b) => {
    kind[b] = bus.type === 'REF' ? REF : bus.type === 'PV' ? PV : bus.type === 'PQ' ? PQ : OFF;
    vmStart[b] = bus.vmPu;
  });
  network.gens.forEach((gen, g) => {
    if (!gen.inService) return;
    if (!(gen.bus >= 0 && gen.bus < n)) throw new GridmeshError(`generator ${g} refers to bus index ${gen.bus} outside 0…${n - 1}`);
    genP[gen.bus] = (genP[gen.bus] as number) + gen.pgPu;
    genQ[gen.bus] = (genQ[gen.bus] as number) + gen.qgPu;
    hasGen[gen.bus] = 1;
    vmStart[gen.bus] = gen.vgPu;
  });
  for (let b = 0; b < n; b++) if (kind[b] === PV && hasGen[b] === 0) kind[b] = PQ;
  const component = components(network, kind);
  const refAngle = new Map<number, number>();
  for (let b = 0; b < n; b++) {
    const c = component[b] as number;
    if (kind[b] === REF && !refAngle.has(c)) refAngle.set(c, (network.buses[b]?.vaDeg ?? 0) * DEG);
  }
  const vaStart = new Float64Array(n);
  const deenergised: number[] = [];
  for (let b = 0; b < n; b++) {
    const angle = refAngle.get(component[b] as number);
    if (kind[b] === OFF || angle === undefined) {
      kind[b] = OFF;
      deenergised.push(b);
    } else vaStart[b] = angle;
  }
  return { kind, vmStart, vaStart, genP, genQ, deenergised };
}

/** Connected components over in-service branches between buses that are not ISOLATED. */
function components(network: PowerNetwork, kind: Uint8Array): Int32Array {
  const parent = Int32Array.from({ length: network.buses.length }, (_, i) => i);
  const root = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r] as number;
    for (let u = v; parent[u] !== r; ) {
      const up = parent[u] as number;
      parent[u] = r;
      u = up;
    }
    return r;
  };
  for (const br of network.branches) {
    if (!br.inService || kind[br.from] === OFF || kind[br.to] === OFF) continue;
    const a = root(br.from);
    const b = root(br.to);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  return parent.map((_, v) => root(v));
}

/** MATPOWER drops branches to ISOLATED buses; so does the solve (else they would ground the far end). */
function withoutIsolatedBranches(network: PowerNetwork): PowerNetwork {
  const off = (b: number): boolean => network.buses[b]?.type === 'ISOLATED';
  if (!network.branches.some((br) => br.inService && (off(br.from) || off(br.to)))) return network;
  return { ...network, branches: network.branches.map((br) => (off(br.from) || off(br.to) ? { ...br, inService: false } : br)) };
}

function numberUnknowns(kind: Uint8Array) {
  const n = kind.length;
  const thetaCol = new Int32Array(n).fill(-1);
  const vmCol = new Int32Array(n).fill(-1);
  const active: number[] = [];
  const unknownBus: number[] = [];
  for (let b = 0; b < n; b++) {
    if (kind[b] === OFF) continue;
    active.push(b);
    if (kind[b] === REF) continue;
    thetaCol[b] = unknownBus.push(b) - 1;
    if (kind[b] === PQ) vmCol[b] = unknownBus.push(b) - 1;
  }
  return { active: Int32Array.from(active), thetaCol, vmCol, unknownBus: Int32Array.from(unknownBus) };
}

/** The Jacobian's CSC pattern and, per Ybus entry (i, j), where its four derivatives go (−1: none). */
interface JacobianPattern {
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
  readonly slotPa: Int32Array;
  readonly slotQa: Int32Array;
  readonly slotPm: Int32Array;
  readonly slotQm: Int32Array;
}

function jacobianPattern(y: ComplexCsr, active: Int32Array, thetaCol: Int32Array, vmCol: Int32Array, m: number): JacobianPattern {
  const nnzY = y.colIdx.length;
  const slots = [0, 1, 2, 3].map(() => new Int32Array(nnzY).fill(-1));
  const [slotPa, slotQa, slotPm, slotQm] = slots as [Int32Array, Int32Array, Int32Array, Int32Array];
  const colPtr = new Int32Array(m + 1);
  const rows: number[] = [];
  // Column j of Ybus has the pattern of row j (structural symmetry); (i, j) sits at csrIndexOf(y, i, j).
  const fillColumn = (col: number, j: number, slotP: Int32Array, slotQ: Int32Array): void => {
    for (let p = y.rowPtr[j] as number, end = y.rowPtr[j + 1] as number; p < end; p++) {
      const i = y.colIdx[p] as number;
      const k = csrIndexOf(y, i, j);
      assert(k >= 0, 'Ybus is not structurally symmetric', { i, j });
      if ((thetaCol[i] as number) >= 0) slotP[k] = rows.push(thetaCol[i] as number) - 1;
      if ((vmCol[i] as number) >= 0) slotQ[k] = rows.push(vmCol[i] as number) - 1;
    }
    colPtr[col + 1] = rows.length;
  };
  for (const j of active) {
    if ((thetaCol[j] as number) >= 0) fillColumn(thetaCol[j] as number, j, slotPa, slotQa);
    if ((vmCol[j] as number) >= 0) fillColumn(vmCol[j] as number, j, slotPm, slotQm);
  }
  const rowIdx = Int32Array.from(rows);
  return { n: m, colPtr, rowIdx, values: new Float64Array(rowIdx.length), slotPa, slotQa, slotPm, slotQm };
}
