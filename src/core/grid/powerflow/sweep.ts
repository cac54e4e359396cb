/**
 * Backward/forward sweep power flow for radial networks with one source per island (the fast path).
 *
 * Each energised component is a tree rooted at its REF bus, whose voltage is held at the set-point
 * of its generator (or the bus's vm) and the bus's angle. One iteration:
 * - backward: every bus draws I = conj(S/V) for its constant-power net load (load − generation)
 *   plus Ysh·V for its shunt, at the present voltages; in reverse BFS order each branch carries the
 *   current its child's subtree draws up to the parent, adding the line-charging current at both
 *   ends of its series element;
 * - forward: in BFS order, each child voltage follows from its parent's across the branch.
 * The branch is MATPOWER's π model: at the from end an ideal transformer 1 : 1/(tap·e^{j·shift}),
 * then the series impedance r + jx, with half the charging susceptance b at each end of it.
 *
 * Convergence is judged on the power mismatch at every non-source bus (not on voltage change):
 * S = V·conj(I) from the present voltages, where I sums the bus's shunt current, the charging
 * currents at those voltages and the series currents of its branches, against the specified
 * injection. The series currents are the ones the forward sweep just used, so Ohm's law holds for
 * them with the present voltages by construction; taking them rather than (V_a − V_b)/z keeps the
 * check exact for near-zero impedances (case16am has a 1e-8 Ω tie whose y·ΔV is pure rounding
 * noise, ~1e-7 pu, above the 1e-8 pu tolerance). A converged result therefore satisfies the
 * equations Newton-Raphson solves.
 *
 * Speed: state lives in typed arrays indexed by "position" (buses renumbered in BFS order,
 * components one after another, so a parent precedes its children), complex numbers as interleaved
 * (re, im) pairs; the iteration allocates nothing. The mismatch of the present voltages and the
 * backward sweep from them both need a leaves-to-root pass, so they share one; an iteration is two
 * passes over the arrays. Build a `SweepSolver` once per network and call `solve(pd, qd)` per step.
 */
import type { NetworkBranch, PowerFlowOptions, PowerFlowSolution, PowerNetwork } from '../network.js';
import { PowerFlowError } from './power-flow-error.js';
import { analyseTopology, type NetworkTopology, type TopologyComponent } from './topology.js';

export { PowerFlowError } from './power-flow-error.js';

export interface SweepOptions extends PowerFlowOptions {
  /**
   * Start each solve from the previous converged voltages instead of the no-load profile (fewer
   * iterations for time series whose loads change little between steps). Default false: a solve
   * then depends only on its inputs.
   */
  warmStart?: boolean;
  /**
   * Keep iterating (within maxIterations) until the last sweep also moved no voltage by more than
   * this, pu (default 1e-7). The mismatch alone under-determines voltages behind very high
   * impedances (case1197 has 1000 pu service branches: a 1e-8 pu mismatch leaves 3e-5 pu of
   * voltage error); convergence is still reported on the mismatch.
   */
  voltageStepPu?: number;
}

const DEFAULT_TOLERANCE_PU = 1e-8;
const DEFAULT_MAX_ITERATIONS = 200;
const DEFAULT_VOLTAGE_STEP_PU = 1e-7;
/** Stride of `SweepModel.branch`: zr, zx, bh. */
const BR = 3;
/** Stride of `SweepModel.xfmr`: ar, ai, wr, wi, ur, ui. */
const XF = 6;

/** Solves one power flow with the network's own loads. */
export function solveSweep(network: PowerNetwork, options: SweepOptions = {}): PowerFlowSolution {
  return new SweepSolver(network, options).solve();
}

/** Per-position data fixed for the network. */
interface SweepModel {
  /** Number of energised buses (positions). */
  readonly n: number;
  readonly busAt: Int32Array;
  /** Parent position, −1 for a root (source). */
  readonly parent: Int32Array;
  /** Branch feeding each position: series impedance z (r, x) and half its charging susceptance bh. */
  readonly branch: Float64Array;
  /** 1 when the branch feeding the position has an off-nominal tap or a phase shift. */
  readonly isXfmr: Uint8Array;
  /**
   * Complex voltage factors of the ideal transformer (read only where isXfmr): the series element
   * sees a·V(parent) at its parent end and u·V(child) at its child end, u = 1/w. For the from-end tap
   * t = tap·e^{j·shift}: a = 1/t, w = 1 when the parent is the from bus; a = 1, w = t when the child
   * is. For a plain line a = w = u = 1.
   */
  readonly xfmr: Float64Array;
  /** Positions with a bus shunt, and its admittance (g, b) pairs. */
  readonly shuntAt: Int32Array;
  readonly shuntY: Float64Array;
  /** Fixed generation at non-source positions, (p, q) pairs, pu. */
  readonly gen: Float64Array;
  /** Source voltages (re, im) pairs at root positions. */
  readonly rootV: Float64Array;
}

export class SweepSolver {
  readonly topology: NetworkTopology;
  readonly busCount: number;
  private readonly model: SweepModel;
  private readonly tolerancePu: number;
  private readonly maxIterations: number;
  private readonly warmStart: boolean;
  private readonly voltageStepPu: number;
  private readonly defaultPd: Float64Array;
  private readonly defaultQd: Float64Array;
  private readonly busIds: readonly number[];
  // Work arrays by position, (re, im) pairs: net load (consumption − generation), voltage, current
  // drawn from each bus into its subtree, net current sent into the network, series branch current.
  private readonly load: Float64Array;
  private readonly v: Float64Array;
  private readonly draw: Float64Array;
  private readonly out: Float64Array;
  private readonly series: Float64Array;
  private haveWarmStart = false;
  private worstPosition = -1;

  /** Throws PowerFlowError when the network is not radial, has PV buses or several sources per island. */
  constructor(network: PowerNetwork, options: SweepOptions = {}) {
    this.tolerancePu = options.tolerancePu ?? DEFAULT_TOLERANCE_PU;
    this.maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    this.warmStart = options.warmStart ?? false;
    this.voltageStepPu = options.voltageStepPu ?? DEFAULT_VOLTAGE_STEP_PU;
    if (!(this.voltageStepPu >= 0)) throw new PowerFlowError(`voltageStepPu must be ≥ 0, got ${this.voltageStepPu}`);
    if (!(this.tolerancePu > 0)) throw new PowerFlowError(`tolerancePu must be positive, got ${this.tolerancePu}`);
    if (!Number.isInteger(this.maxIterations) || this.maxIterations < 0) {
      throw new PowerFlowError(`maxIterations must be a whole number ≥ 0, got ${this.maxIterations}`);
    }
    this.topology = analyseTopology(network);
    checkSweepApplies(network, this.topology);
    this.busCount = network.buses.length;
    this.model = buildModel(network, this.topology);
    const pairs = 2 * this.model.n;
    this.load = new Float64Array(pairs);
    this.v = new Float64Array(pairs);
    this.draw = new Float64Array(pairs);
    this.out = new Float64Array(pairs);
    this.series = new Float64Array(pairs);
    this.defaultPd = Float64Array.from(network.buses, (b) => b.pdPu);
    this.defaultQd = Float64Array.from(network.buses, (b) => b.qdPu);
    this.busIds = network.buses.map((b) => b.id);
  }

  /**
   * Solves with the given bus loads (pu, indexed by bus, consumption positive; generation at
   * non-source buses is taken from the network), or with the network's own loads when omitted.
   * Buses without a source (de-energised, ISOLATED) get 0 pu. The returned arrays are new on
   * every call, so the caller may keep them.
   */
  solve(pdPu: Float64Array = this.defaultPd, qdPu: Float64Array = this.defaultQd): PowerFlowSolution {
    this.setLoads(pdPu, qdPu);
    // The last pass of the previous solve left its backward currents pending: apply them.
    if (this.warmStart && this.haveWarmStart) this.forward();
    else this.startFromNoLoad();

    const step2Max = this.voltageStepPu * this.voltageStepPu;
    let iterations = 0;
    let step2 = 0;
    let mismatch = this.mismatchAndBackward();
    while (iterations < this.maxIterations && Number.isFinite(mismatch) && !(mismatch <= this.tolerancePu && step2 <= step2Max)) {
      step2 = this.forward();
      iterations++;
      mismatch = this.mismatchAndBackward();
    }
    const converged = mismatch <= this.tolerancePu;
    this.haveWarmStart = converged;
    return {
      method: 'sweep',
      converged,
      iterations,
      maxMismatchPu: Number.isFinite(mismatch) ? mismatch : Infinity,
      worstBus: this.worstPosition < 0 ? -1 : (this.model.busAt[this.worstPosition] as number),
      ...this.polarVoltages(),
    };
  }

  private setLoads(pdPu: Float64Array, qdPu: Float64Array): void {
    if (pdPu.length !== this.busCount || qdPu.length !== this.busCount) {
      throw new PowerFlowError(`load arrays must have one entry per bus (${this.busCount})`, {
        details: [`pdPu has ${pdPu.length}, qdPu has ${qdPu.length}`],
      });
    }
    const { n, busAt, gen } = this.model;
    const load = this.load;
    for (let i = 0; i < n; i++) {
      const bus = busAt[i] as number;
      const pd = pdPu[bus] as number;
      const qd = qdPu[bus] as number;
      if (!Number.isFinite(pd) || !Number.isFinite(qd)) {
        throw new PowerFlowError(`the load at bus ${this.busIds[bus]} is not a finite number`, { details: [`pd ${pd}, qd ${qd} pu`] });
      }
      load[2 * i] = pd - (gen[2 * i] as number);
      load[2 * i + 1] = qd - (gen[2 * i + 1] as number);
    }
  }

  /** Voltages with no current flowing: each bus at its source's voltage through the taps. */
  private startFromNoLoad(): void {
    const { n, parent, rootV } = this.model;
    this.series.fill(0);
    for (let i = 0; i < n; i++) {
      if (parent[i] === -1) {
        this.v[2 * i] = rootV[2 * i] as number;
        this.v[2 * i + 1] = rootV[2 * i + 1] as number;
      }
    }
    this.forward();
  }

  /** Voltages, root to leaves: V(child) = (a·V(parent) − z·Is)·w. Returns the largest |ΔV|². */
  private forward(): number {
    const { n, parent, branch, isXfmr, xfmr } = this.model;
    const { v, series } = this;
    let step2 = 0;
    for (let c = 0; c < n; c++) {
      const p = parent[c] as number;
      if (p < 0) continue;
      let aR = 1, aI = 0, wR = 1, wI = 0;
      if (isXfmr[c] === 1) {
        aR = xfmr[XF * c] as number;
        aI = xfmr[XF * c + 1] as number;
        wR = xfmr[XF * c + 2] as number;
        wI = xfmr[XF * c + 3] as number;
      }
      const r = branch[BR * c] as number;
      const x = branch[BR * c + 1] as number;
      const isr = series[2 * c] as number;
      const isi = series[2 * c + 1] as number;
      const pr = v[2 * p] as number;
      const pi = v[2 * p + 1] as number;
      const dr = pr * aR - pi * aI - (r * isr - x * isi);
      const di = pr * aI + pi * aR - (r * isi + x * isr);
      const nr = dr * wR - di * wI;
      const ni = dr * wI + di * wR;
      const sr = nr - (v[2 * c] as number);
      const si = ni - (v[2 * c + 1] as number);
      const s2 = sr * sr + si * si;
      if (s2 > step2) step2 = s2;
      v[2 * c] = nr;
      v[2 * c + 1] = ni;
    }
    return step2;
  }

  /** Starts both accumulators of each bus with its shunt current Ysh·V (most buses have none). */
  private startAccumulators(): void {
    const { shuntAt, shuntY } = this.model;
    const { v, draw, out } = this;
    draw.fill(0);
    out.fill(0);
    for (let k = 0; k < shuntAt.length; k++) {
      const i = shuntAt[k] as number;
      const g = shuntY[2 * k] as number;
      const b = shuntY[2 * k + 1] as number;
      const er = v[2 * i] as number;
      const ei = v[2 * i + 1] as number;
      out[2 * i] = draw[2 * i] = g * er - b * ei;
      out[2 * i + 1] = draw[2 * i + 1] = g * ei + b * er;
    }
  }

  /**
   * One leaves-to-root pass at the present voltages. For each bus, once its children are done:
   * - mismatch: the current it sends into the network (shunt, charging and the series currents
   *   that produced the present voltages) gives S = V·conj(I), compared with −(net load);
   * - backward sweep: the current drawn by its load, shunt and subtree gives the series current of
   *   the branch to its parent (kept for the forward sweep) and what the parent draws.
   * Returns the largest |ΔP| or |ΔQ| (NaN when the voltages collapsed) and sets `worstPosition`.
   */
  private mismatchAndBackward(): number {
    const { n, parent, branch, isXfmr, xfmr } = this.model;
    const { v, load, draw, out, series } = this;
    this.startAccumulators();
    let worst = -1;
    let worstAt = -1;
    let nanAt = -1;
    for (let c = n - 1; c >= 0; c--) {
      const p = parent[c] as number;
      if (p < 0) continue;
      let aR = 1, aI = 0, wR = 1, wI = 0, uR = 1, uI = 0;
      if (isXfmr[c] === 1) {
        const o = XF * c;
        aR = xfmr[o] as number;
        aI = xfmr[o + 1] as number;
        wR = xfmr[o + 2] as number;
        wI = xfmr[o + 3] as number;
        uR = xfmr[o + 4] as number;
        uI = xfmr[o + 5] as number;
      }
      const h = branch[BR * c + 2] as number;
      const vr = v[2 * c] as number;
      const vi = v[2 * c + 1] as number;
      const pr = v[2 * p] as number;
      const pi = v[2 * p + 1] as number;
      // Voltages at the ends of the series element: X = a·V(parent), E = u·V(child).
      const xr = pr * aR - pi * aI;
      const xi = pr * aI + pi * aR;
      const er = vr * uR - vi * uI;
      const ei = vr * uI + vi * uR;

      // Mismatch: with the series current Iv that produced these voltages, the child receives
      // (Iv − j·h·E)·conj(u) and the parent sends (Iv + j·h·X)·conj(a).
      const ivr = series[2 * c] as number;
      const ivi = series[2 * c + 1] as number;
      const kr = ivr + h * ei;
      const ki = ivi - h * er;
      const outR = (out[2 * c] as number) - (kr * uR + ki * uI);
      const outI = (out[2 * c + 1] as number) - (ki * uR - kr * uI);
      const tr = ivr - h * xi;
      const ti = ivi + h * xr;
      out[2 * p] = (out[2 * p] as number) + tr * aR + ti * aI;
      out[2 * p + 1] = (out[2 * p + 1] as number) + ti * aR - tr * aI;
      const lp = load[2 * c] as number;
      const lq = load[2 * c + 1] as number;
      const dp = Math.abs(vr * outR + vi * outI + lp);
      const dq = Math.abs(vi * outR - vr * outI + lq);
      const d = dp > dq ? dp : dq;
      if (d > worst) {
        worst = d;
        worstAt = c;
      } else if (d !== d) nanAt = c;

      // Backward: J = subtree + shunt + conj(S/V); series current Is = conj(w)·J + j·h·E;
      // the parent draws (Is + j·h·X)·conj(a).
      const inv2 = 1 / (vr * vr + vi * vi);
      const jr = (draw[2 * c] as number) + (lp * vr + lq * vi) * inv2;
      const ji = (draw[2 * c + 1] as number) + (lp * vi - lq * vr) * inv2;
      const isr = wR * jr + wI * ji - h * ei;
      const isi = wR * ji - wI * jr + h * er;
      series[2 * c] = isr;
      series[2 * c + 1] = isi;
      const sr = isr - h * xi;
      const si = isi + h * xr;
      draw[2 * p] = (draw[2 * p] as number) + sr * aR + si * aI;
      draw[2 * p + 1] = (draw[2 * p + 1] as number) + si * aR - sr * aI;
    }
    this.worstPosition = nanAt >= 0 ? nanAt : worstAt;
    return nanAt >= 0 ? NaN : Math.max(worst, 0);
  }

  private polarVoltages(): { vmPu: Float64Array; vaRad: Float64Array } {
    const { n, busAt } = this.model;
    const v = this.v;
    const vmPu = new Float64Array(this.busCount);
    const vaRad = new Float64Array(this.busCount);
    for (let i = 0; i < n; i++) {
      const bus = busAt[i] as number;
      const er = v[2 * i] as number;
      const ei = v[2 * i + 1] as number;
      vmPu[bus] = Math.sqrt(er * er + ei * ei);
      vaRad[bus] = Math.atan2(ei, er);
    }
    return { vmPu, vaRad };
  }
}

function busLabel(network: PowerNetwork, bus: number): string {
  return `bus ${network.buses[bus]?.id ?? `#${bus}`}`;
}

/**
 * The sweep's preconditions: radial islands, one source each, no voltage-regulating generators.
 * Throws a PowerFlowError saying which does not hold (and that Newton-Raphson is the way).
 */
export function checkSweepApplies(network: PowerNetwork, topology: NetworkTopology): void {
  const live = topology.components.filter((c) => c.energised);
  const meshed = live.filter((c) => !c.radial);
  if (meshed.length > 0) {
    throw new PowerFlowError('the sweep needs a radial network; use newton', {
      details: meshed.map((c) => `island of ${busLabel(network, c.root)}: ${c.buses.length} buses, ${c.branches.length} branches (a tree has ${c.buses.length - 1})`),
    });
  }
  const multiSource = live.filter((c) => c.refBuses.length > 1);
  if (multiSource.length > 0) {
    throw new PowerFlowError('the sweep needs one source (REF bus) per island; use newton', {
      details: multiSource.map((c) => `one island has sources at ${Array.from(c.refBuses, (b) => busLabel(network, b)).join(', ')}`),
    });
  }
  const pvBuses = new Set<number>();
  for (const gen of network.gens) {
    if (gen.inService && network.buses[gen.bus]?.type === 'PV' && topology.componentOf[gen.bus] !== -1) pvBuses.add(gen.bus);
  }
  if (pvBuses.size > 0) {
    throw new PowerFlowError('the sweep does not support PV buses (generators regulating voltage); use newton', {
      details: [...pvBuses].map((b) => `${busLabel(network, b)} is a PV bus with an in-service generator`),
    });
  }
}

type MutableModel = { -readonly [K in keyof SweepModel]: SweepModel[K] };

function buildModel(network: PowerNetwork, topology: NetworkTopology): SweepModel {
  const live = topology.components.filter((c) => c.energised);
  const n = live.reduce((sum, c) => sum + c.order.length, 0);
  const m: MutableModel = {
    n,
    busAt: new Int32Array(n),
    parent: new Int32Array(n).fill(-1),
    branch: new Float64Array(BR * n),
    isXfmr: new Uint8Array(n),
    xfmr: new Float64Array(XF * n),
    shuntAt: new Int32Array(0),
    shuntY: new Float64Array(0),
    gen: new Float64Array(2 * n),
    rootV: new Float64Array(2 * n),
  };
  const positionOf = new Int32Array(network.buses.length).fill(-1);
  let pos = 0;
  for (const c of live) pos = placeComponent(network, m, c, pos, positionOf);
  setBusInjections(network, m, positionOf);
  return m;
}

/** Lays out one component from position `pos` on; returns the next free position. */
function placeComponent(network: PowerNetwork, m: MutableModel, c: TopologyComponent, pos: number, positionOf: Int32Array): number {
  for (let k = 0; k < c.order.length; k++, pos++) {
    const bus = c.order[k] as number;
    positionOf[bus] = pos;
    m.busAt[pos] = bus;
    const parentBus = c.parentBus[k] as number;
    if (parentBus < 0) setSource(network, m, pos, bus);
    else {
      m.parent[pos] = positionOf[parentBus] as number;
      setBranch(network, m, pos, network.branches[c.parentBranch[k] as number] as NetworkBranch, parentBus);
    }
  }
  return pos;
}

/** The source holds its first in-service generator's set-point (else the bus's vm) and the bus's angle. */
function setSource(network: PowerNetwork, m: MutableModel, pos: number, bus: number): void {
  const b = network.buses[bus] as PowerNetwork['buses'][number];
  const gen = network.gens.find((g) => g.inService && g.bus === bus);
  const vm = gen === undefined ? b.vmPu : gen.vgPu;
  const va = (b.vaDeg * Math.PI) / 180;
  m.rootV[2 * pos] = vm * Math.cos(va);
  m.rootV[2 * pos + 1] = vm * Math.sin(va);
}

function setBranch(network: PowerNetwork, m: MutableModel, pos: number, br: NetworkBranch, parentBus: number): void {
  const denom = br.rPu * br.rPu + br.xPu * br.xPu;
  if (!(denom > 0)) {
    throw new PowerFlowError(`branch ${busLabel(network, br.from)}–${busLabel(network, br.to)} has zero impedance`, {
      details: ['merge its two buses, or give it a small impedance'],
    });
  }
  m.branch.set([br.rPu, br.xPu, br.bPu / 2], BR * pos);
  const tap = br.tap === 0 ? 1 : br.tap;
  if (tap === 1 && br.shiftDeg === 0) return;
  const shift = (br.shiftDeg * Math.PI) / 180;
  const tr = tap * Math.cos(shift);
  const ti = tap * Math.sin(shift);
  const t2 = tap * tap;
  m.isXfmr[pos] = 1;
  // [a, w, u]: a = 1/t, w = u = 1 when the parent is the from bus; a = 1, w = t, u = 1/t when the child is.
  const factors = br.from === parentBus ? [tr / t2, -ti / t2, 1, 0, 1, 0] : [1, 0, tr, ti, tr / t2, -ti / t2];
  m.xfmr.set(factors, XF * pos);
}

/** Shunts of energised buses; generation at non-source buses (a source's generators are the slack). */
function setBusInjections(network: PowerNetwork, m: MutableModel, positionOf: Int32Array): void {
  const shuntAt: number[] = [];
  const shuntY: number[] = [];
  network.buses.forEach((b, bus) => {
    const pos = positionOf[bus] as number;
    if (pos < 0 || (b.gsPu === 0 && b.bsPu === 0)) return;
    shuntAt.push(pos);
    shuntY.push(b.gsPu, b.bsPu);
  });
  m.shuntAt = Int32Array.from(shuntAt);
  m.shuntY = Float64Array.from(shuntY);
  for (const gen of network.gens) {
    const pos = positionOf[gen.bus] as number;
    if (!gen.inService || pos < 0 || m.parent[pos] === -1) continue;
    m.gen[2 * pos] = (m.gen[2 * pos] as number) + gen.pgPu;
    m.gen[2 * pos + 1] = (m.gen[2 * pos + 1] as number) + gen.qgPu;
  }
}
