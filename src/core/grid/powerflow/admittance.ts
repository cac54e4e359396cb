/**
 * The bus admittance matrix Ybus, built like MATPOWER's `makeYbus`: each in-service branch is a π
 * model with series admittance ys = 1/(r + jx), total charging b split half at each end, and an
 * ideal transformer of complex ratio t = tap·e^{j·shift} at the from end:
 *
 *   Ytt = ys + j·b/2      Yff = Ytt / |t|²      Yft = −ys / conj(t)      Ytf = −ys / t
 *
 * Bus shunts gs + j·bs (pu at 1.0 pu voltage) add to the diagonal. Ybus is stored in compressed
 * sparse rows with column indices sorted in each row, parallel branches merged, and the diagonal
 * always present (zero for a bus with no branch and no shunt). Every in-service branch stores both
 * (from, to) and (to, from), so the pattern is structurally symmetric even where the values are not
 * (phase shifters).
 */
import { GridmeshError } from '../../errors.js';
import type { NetworkBranch, PowerNetwork } from '../network.js';

/** A square complex matrix in compressed sparse rows (per-unit admittances for Ybus). */
export interface ComplexCsr {
  readonly n: number;
  /** Row i's entries are at positions rowPtr[i] … rowPtr[i + 1] − 1. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** The four π-model admittances of one branch, pu (I_from = yff·V_from + yft·V_to, and so on). */
export interface BranchAdmittance {
  readonly yffRe: number;
  readonly yffIm: number;
  readonly yftRe: number;
  readonly yftIm: number;
  readonly ytfRe: number;
  readonly ytfIm: number;
  readonly yttRe: number;
  readonly yttIm: number;
}

const DEG = Math.PI / 180;

/** MATPOWER's branch admittances; throws for a branch with zero series impedance. */
export function branchAdmittance(branch: NetworkBranch, index = 0): BranchAdmittance {
  const z2 = branch.rPu * branch.rPu + branch.xPu * branch.xPu;
  if (!(z2 > 0) || !Number.isFinite(z2)) {
    throw new GridmeshError(`branch ${index} has a series impedance of zero or not a number`, {
      details: [`r = ${branch.rPu} pu, x = ${branch.xPu} pu: model a closed switch as a small impedance`],
    });
  }
  const ysRe = branch.rPu / z2;
  const ysIm = -branch.xPu / z2;
  const tap = branch.tap === 0 ? 1 : branch.tap;
  const tRe = tap * Math.cos(branch.shiftDeg * DEG);
  const tIm = tap * Math.sin(branch.shiftDeg * DEG);
  const t2 = tRe * tRe + tIm * tIm;
  const yttIm = ysIm + branch.bPu / 2;
  // −ys / conj(t) = −ys·t / |t|²;  −ys / t = −ys·conj(t) / |t|²
  return {
    yffRe: ysRe / t2,
    yffIm: yttIm / t2,
    yftRe: -(ysRe * tRe - ysIm * tIm) / t2,
    yftIm: -(ysRe * tIm + ysIm * tRe) / t2,
    ytfRe: -(ysRe * tRe + ysIm * tIm) / t2,
    ytfIm: -(ysIm * tRe - ysRe * tIm) / t2,
    yttRe: ysRe,
    yttIm,
  };
}

/** Ybus of the network's in-service branches and bus shunts. */
export function buildYbus(network: PowerNetwork): ComplexCsr {
  const n = network.buses.length;
  const rows: Triplets[] = Array.from({ length: n }, (_, i) => ({ cols: [i], re: [0], im: [0] }));
  network.buses.forEach((bus, i) => add(rows, i, i, bus.gsPu, bus.bsPu));
  network.branches.forEach((branch, k) => {
    if (!branch.inService) return;
    const { from: f, to: t } = branch;
    if (f < 0 || f >= n || t < 0 || t >= n) {
      throw new GridmeshError(`branch ${k} refers to a bus index outside 0…${n - 1}`, { details: [`from ${f}, to ${t}`] });
    }
    const y = branchAdmittance(branch, k);
    add(rows, f, f, y.yffRe, y.yffIm);
    add(rows, f, t, y.yftRe, y.yftIm);
    add(rows, t, f, y.ytfRe, y.ytfIm);
    add(rows, t, t, y.yttRe, y.yttIm);
  });
  return compress(rows);
}

/** Position of entry (i, j) in a CSR matrix with sorted rows, or −1 when it is not stored. */
export function csrIndexOf(m: ComplexCsr, i: number, j: number): number {
  let lo = m.rowPtr[i] as number;
  let hi = (m.rowPtr[i + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.colIdx[mid] as number;
    if (c === j) return mid;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

interface Triplets {
  cols: number[];
  re: number[];
  im: number[];
}

function add(rows: Triplets[], i: number, j: number, re: number, im: number): void {
  const row = rows[i] as Triplets;
  const at = row.cols.indexOf(j);
  if (at >= 0) {
    row.re[at] = (row.re[at] as number) + re;
    row.im[at] = (row.im[at] as number) + im;
  } else {
    row.cols.push(j);
    row.re.push(re);
    row.im.push(im);
  }
}

function compress(rows: readonly Triplets[]): ComplexCsr {
  const n = rows.length;
  const rowPtr = new Int32Array(n + 1);
  rows.forEach((row, i) => (rowPtr[i + 1] = (rowPtr[i] as number) + row.cols.length));
  const nnz = rowPtr[n] as number;
  const colIdx = new Int32Array(nnz);
  const re = new Float64Array(nnz);
  const im = new Float64Array(nnz);
  rows.forEach((row, i) => {
    const order = row.cols.map((_, a) => a).sort((a, b) => (row.cols[a] as number) - (row.cols[b] as number));
    let p = rowPtr[i] as number;
    for (const a of order) {
      colIdx[p] = row.cols[a] as number;
      re[p] = row.re[a] as number;
      im[p] = row.im[a] as number;
      p++;
    }
  });
  return { n, rowPtr, colIdx, re, im };
}
