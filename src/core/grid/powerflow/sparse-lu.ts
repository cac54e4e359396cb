/**
 * Sparse LU factorisation P·A·Q = L·U of a real square matrix in compressed sparse columns, for
 * power-flow Jacobians (unsymmetric values, structurally symmetric or nearly so).
 *
 * - Ordering (`analyse`, once per pattern): minimum degree on the pattern of A + Aᵀ, with exact
 *   degrees on an explicit elimination graph. Power networks are so sparse that the graph stays
 *   small; a tree (radial feeder) is ordered leaves first and factors with no fill at all.
 * - Numeric factorisation: left-looking Gilbert–Peierls (as in CSparse's cs_lu and KLU) with
 *   threshold partial pivoting that prefers the diagonal: the diagonal entry is the pivot when
 *   |a_kk| ≥ `pivotThreshold`·max|a_ik| (default 0.001, KLU's default), so the fill-reducing order is
 *   kept unless the diagonal is too small, which still guards against zero and tiny pivots (pure
 *   resistive branches make dP/dθ small). A Jacobian's diagonal is usually fine, but diagonal-only
 *   pivoting would fail on such cases, hence the threshold.
 * - Refactorisation: the first `factor` records the pivot order and the patterns of L and U; later
 *   calls with new values on the same pattern (Newton iterations, time steps) reuse them and only
 *   redo the arithmetic. If a reused pivot falls below the threshold, that call pivots afresh.
 * - A column with no acceptable pivot (all candidates zero or not finite, or the pivot below
 *   `singularTolerance` times the column's largest entry in A) throws `SingularMatrixError`.
 */
import { assert } from '../../assert.js';
import { GridmeshError } from '../../errors.js';

/** The pattern of a square sparse matrix in compressed sparse columns. */
export interface CscPattern {
  readonly n: number;
  /** Column j's entries are at positions colPtr[j] … colPtr[j + 1] − 1. */
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
}

export interface CscMatrix extends CscPattern {
  readonly values: Float64Array;
}

export interface SparseLuOptions {
  /** 'minimum-degree' (default), 'natural', or a column order to use as given. */
  ordering?: 'minimum-degree' | 'natural' | Int32Array;
  /** Keep the diagonal as pivot while |diagonal| ≥ this × the column's largest candidate (default 0.001). */
  pivotThreshold?: number;
  /** A pivot at or below this × the column's largest |a_ij| counts as zero (default 1e-14). */
  singularTolerance?: number;
}

/** The matrix has no usable pivot in a column: singular or numerically singular. */
export class SingularMatrixError extends GridmeshError {
  override readonly name = 'SingularMatrixError';
  constructor(
    /** Column of A (original numbering) where elimination found no pivot. */
    readonly column: number,
    pivot: number,
  ) {
    super(`sparse LU: the matrix is singular (no usable pivot in column ${column})`, {
      details: [`largest candidate pivot ${pivot}`],
    });
  }
}

export class SparseLu {
  readonly n: number;
  /** Column order: step k eliminates column q[k] of A. */
  readonly q: Int32Array;
  private readonly pattern: CscPattern;
  private readonly pivotThreshold: number;
  private readonly singularTolerance: number;
  /** Row permutation: row i of A is row pinv[i] of L·U; −1 while unknown. */
  private pinv: Int32Array;
  private lp: Int32Array = new Int32Array(0);
  private li: Int32Array = new Int32Array(0);
  private lx: Float64Array = new Float64Array(0);
  private up: Int32Array = new Int32Array(0);
  private ui: Int32Array = new Int32Array(0);
  private ux: Float64Array = new Float64Array(0);
  private factored = false;
  private readonly x: Float64Array;
  private readonly xi: Int32Array;
  private readonly mark: Int32Array;
  private markStamp = 0;

  private constructor(pattern: CscPattern, q: Int32Array, options: SparseLuOptions) {
    this.n = pattern.n;
    this.pattern = pattern;
    this.q = q;
    this.pivotThreshold = options.pivotThreshold ?? 0.001;
    this.singularTolerance = options.singularTolerance ?? 1e-14;
    this.pinv = new Int32Array(this.n);
    this.x = new Float64Array(this.n);
    this.xi = new Int32Array(2 * this.n);
    this.mark = new Int32Array(this.n);
  }

  /** Symbolic analysis: checks the pattern and computes the fill-reducing column order. */
  static analyse(pattern: CscPattern, options: SparseLuOptions = {}): SparseLu {
    checkPattern(pattern);
    const ordering = options.ordering ?? 'minimum-degree';
    let q: Int32Array;
    if (ordering === 'natural') q = Int32Array.from({ length: pattern.n }, (_, i) => i);
    else if (ordering === 'minimum-degree') q = minimumDegreeOrder(pattern);
    else q = checkedPermutation(ordering, pattern.n);
    return new SparseLu(pattern, q, options);
  }

  /** Number of stored entries in L (strictly lower part) and U (with its diagonal). */
  get factorNonzeros(): number {
    return (this.lp[this.n] ?? 0) + (this.up[this.n] ?? 0);
  }

  /** Numeric factorisation of the matrix with the analysed pattern and these values. */
  factor(values: Float64Array): void {
    assert(values.length === this.pattern.rowIdx.length, 'sparse LU: the values do not fit the analysed pattern', {
      values: values.length,
      pattern: this.pattern.rowIdx.length,
    });
    if (this.factored && this.refactor(values)) return;
    this.factored = false;
    this.factorWithPivoting(values);
    this.factored = true;
  }

  /** Solves A·x = b with the last factorisation; `out` may be `b` itself. */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    assert(this.factored, 'sparse LU: solve before a successful factor');
    const { n, pinv, lp, li, lx, up, ui, ux, q } = this;
    const w = this.x;
    for (let i = 0; i < n; i++) w[pinv[i] as number] = b[i] as number;
    for (let j = 0; j < n; j++) {
      const wj = w[j] as number;
      if (wj === 0) continue;
      for (let p = lp[j] as number, end = lp[j + 1] as number; p < end; p++) {
        w[li[p] as number] = (w[li[p] as number] as number) - (lx[p] as number) * wj;
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      const diag = (up[k + 1] as number) - 1;
      const wk = (w[k] as number) / (ux[diag] as number);
      w[k] = wk;
      if (wk === 0) continue;
      for (let p = up[k] as number; p < diag; p++) {
        w[ui[p] as number] = (w[ui[p] as number] as number) - (ux[p] as number) * wk;
      }
    }
    for (let k = 0; k < n; k++) {
      out[q[k] as number] = w[k] as number;
      w[k] = 0;
    }
    return out;
  }

  /** Gilbert–Peierls with threshold pivoting; records the pivot order and the L and U patterns. */
  private factorWithPivoting(values: Float64Array): void {
    const n = this.n;
    const { colPtr, rowIdx } = this.pattern;
    const x = this.x;
    const xi = this.xi;
    this.pinv.fill(-1);
    const L = new GrowingColumns(n, rowIdx.length + n);
    const U = new GrowingColumns(n, rowIdx.length + n);
    for (let k = 0; k < n; k++) {
      const col = this.q[k] as number;
      const top = this.reach(col, L);
      for (let p = top; p < n; p++) x[xi[p] as number] = 0;
      let colMax = 0;
      for (let p = colPtr[col] as number, end = colPtr[col + 1] as number; p < end; p++) {
        x[rowIdx[p] as number] = (x[rowIdx[p] as number] as number) + (values[p] as number);
        colMax = Math.max(colMax, Math.abs(values[p] as number));
      }
      this.eliminate(top, L);
      const pivotRow = this.choosePivot(top, col, colMax);
      const pivot = x[pivotRow] as number;
      for (let p = top; p < n; p++) {
        const i = xi[p] as number;
        const row = this.pinv[i] as number;
        if (row >= 0) U.push(row, x[i] as number);
        else if (i !== pivotRow) L.push(i, (x[i] as number) / pivot);
        x[i] = 0;
      }
      U.push(k, pivot);
      this.pinv[pivotRow] = k;
      L.close(k);
      U.close(k);
    }
    this.adoptFactors(L, U);
  }

  /** Rows reachable from column `col` of A in the graph of L: xi[top … n − 1] in topological order. */
  private reach(col: number, L: GrowingColumns): number {
    const { colPtr, rowIdx } = this.pattern;
    const n = this.n;
    const stamp = ++this.markStamp;
    let top = n;
    for (let p = colPtr[col] as number, end = colPtr[col + 1] as number; p < end; p++) {
      const i = rowIdx[p] as number;
      if (this.mark[i] !== stamp) top = this.depthFirst(i, top, stamp, L);
    }
    return top;
  }

  /** Iterative depth-first search from row i (CSparse's cs_dfs): xi[0 …] is the stack, xi[n …] its positions. */
  private depthFirst(start: number, topIn: number, stamp: number, L: GrowingColumns): number {
    const { xi, mark, pinv, n } = this;
    let top = topIn;
    let head = 0;
    xi[0] = start;
    while (head >= 0) {
      const j = xi[head] as number;
      const jcol = pinv[j] as number;
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        xi[n + head] = jcol < 0 ? 0 : (L.ptr[jcol] as number);
      }
      let done = true;
      const end = jcol < 0 ? 0 : (L.ptr[jcol + 1] as number);
      for (let p = xi[n + head] as number; p < end; p++) {
        const i = L.idx[p] as number;
        if (mark[i] === stamp) continue;
        xi[n + head] = p + 1;
        xi[++head] = i;
        done = false;
        break;
      }
      if (done) {
        head--;
        xi[--top] = j;
      }
    }
    return top;
  }

  /** x ← L⁻¹x over the reach, in topological order (rows are original numbering here). */
  private eliminate(top: number, L: GrowingColumns): void {
    const { x, xi, pinv, n } = this;
    for (let px = top; px < n; px++) {
      const j = xi[px] as number;
      const jcol = pinv[j] as number;
      if (jcol < 0) continue;
      const xj = x[j] as number;
      if (xj === 0) continue;
      for (let p = L.ptr[jcol] as number, end = L.ptr[jcol + 1] as number; p < end; p++) {
        x[L.idx[p] as number] = (x[L.idx[p] as number] as number) - (L.val[p] as number) * xj;
      }
    }
  }

  /** The diagonal row if it passes the threshold, else the largest candidate; throws if none is usable. */
  private choosePivot(top: number, col: number, colMax: number): number {
    const { x, xi, pinv, n } = this;
    let best = -1;
    let bestAbs = -1;
    for (let p = top; p < n; p++) {
      const i = xi[p] as number;
      if ((pinv[i] as number) >= 0) continue;
      const a = Math.abs(x[i] as number);
      if (a > bestAbs) {
        bestAbs = a;
        best = i;
      }
    }
    const tiny = this.singularTolerance * colMax;
    if (best < 0 || !(bestAbs > tiny) || !Number.isFinite(bestAbs)) {
      for (let p = top; p < n; p++) x[xi[p] as number] = 0;
      throw new SingularMatrixError(col, bestAbs < 0 ? 0 : bestAbs);
    }
    const diagAbs = (pinv[col] as number) < 0 && this.mark[col] === this.markStamp ? Math.abs(x[col] as number) : -1;
    return diagAbs >= this.pivotThreshold * bestAbs && diagAbs > tiny ? col : best;
  }

  /** Stores L with rows renumbered to pivot order and each U column sorted (diagonal last). */
  private adoptFactors(L: GrowingColumns, U: GrowingColumns): void {
    const n = this.n;
    this.lp = L.ptr;
    const lnz = L.ptr[n] as number;
    this.li = L.idx.slice(0, lnz);
    this.lx = L.val.slice(0, lnz);
    for (let p = 0; p < this.li.length; p++) this.li[p] = this.pinv[this.li[p] as number] as number;
    this.up = U.ptr;
    const unz = U.ptr[n] as number;
    this.ui = U.idx.slice(0, unz);
    this.ux = U.val.slice(0, unz);
    for (let k = 0; k < n; k++) sortSegment(this.ui, this.ux, this.up[k] as number, (this.up[k + 1] as number) - 1);
  }

  /** Recomputes L and U on the recorded patterns and pivots; false when a pivot became unacceptable. */
  private refactor(values: Float64Array): boolean {
    const { n, x, pinv, lp, li, lx, up, ui, ux } = this;
    const { colPtr, rowIdx } = this.pattern;
    for (let k = 0; k < n; k++) {
      const col = this.q[k] as number;
      let colMax = 0;
      for (let p = colPtr[col] as number, end = colPtr[col + 1] as number; p < end; p++) {
        const r = pinv[rowIdx[p] as number] as number;
        const v = values[p] as number;
        x[r] = (x[r] as number) + v;
        colMax = Math.max(colMax, Math.abs(v));
      }
      const diag = (up[k + 1] as number) - 1;
      for (let p = up[k] as number; p < diag; p++) {
        const j = ui[p] as number;
        const xj = x[j] as number;
        ux[p] = xj;
        x[j] = 0;
        if (xj === 0) continue;
        for (let s = lp[j] as number, end = lp[j + 1] as number; s < end; s++) {
          x[li[s] as number] = (x[li[s] as number] as number) - (lx[s] as number) * xj;
        }
      }
      const pivot = x[k] as number;
      x[k] = 0;
      ux[diag] = pivot;
      let maxAbs = 0;
      for (let s = lp[k] as number, end = lp[k + 1] as number; s < end; s++) {
        const r = li[s] as number;
        const v = x[r] as number;
        maxAbs = Math.max(maxAbs, Math.abs(v));
        lx[s] = v / pivot;
        x[r] = 0;
      }
      const pivotAbs = Math.abs(pivot);
      if (!(pivotAbs > this.singularTolerance * colMax && pivotAbs >= this.pivotThreshold * maxAbs && pivotAbs < Infinity)) {
        return false;
      }
    }
    return true;
  }
}

/** Column-by-column storage that grows as columns are appended. */
class GrowingColumns {
  readonly ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  private size = 0;

  constructor(n: number, capacity: number) {
    this.ptr = new Int32Array(n + 1);
    this.idx = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
  }

  push(i: number, v: number): void {
    if (this.size === this.idx.length) {
      const idx = new Int32Array(2 * this.size + 16);
      idx.set(this.idx);
      const val = new Float64Array(idx.length);
      val.set(this.val);
      this.idx = idx;
      this.val = val;
    }
    this.idx[this.size] = i;
    this.val[this.size] = v;
    this.size++;
  }

  close(k: number): void {
    this.ptr[k + 1] = this.size;
  }
}

/** Insertion sort of idx[lo … hi) with val alongside (U columns are short). */
function sortSegment(idx: Int32Array, val: Float64Array, lo: number, hi: number): void {
  for (let a = lo + 1; a < hi; a++) {
    const i = idx[a] as number;
    const v = val[a] as number;
    let b = a - 1;
    while (b >= lo && (idx[b] as number) > i) {
      idx[b + 1] = idx[b] as number;
      val[b + 1] = val[b] as number;
      b--;
    }
    idx[b + 1] = i;
    val[b + 1] = v;
  }
}

/** The pattern comes from code (a Jacobian builder), so a malformed one is a bug. */
function checkPattern(pattern: CscPattern): void {
  const { n, colPtr, rowIdx } = pattern;
  assert(colPtr.length === n + 1 && colPtr[0] === 0 && colPtr[n] === rowIdx.length, 'sparse LU: colPtr must run from 0 to nnz over n + 1 entries', { n });
  for (let j = 0; j < n; j++) assert((colPtr[j + 1] as number) >= (colPtr[j] as number), 'sparse LU: colPtr decreases', { column: j });
  for (const i of rowIdx) assert(i >= 0 && i < n, 'sparse LU: row index out of range', { row: i, n });
}

function checkedPermutation(order: Int32Array, n: number): Int32Array {
  const seen = new Uint8Array(n);
  assert(order.length === n, 'sparse LU: the ordering has the wrong length', { length: order.length, n });
  for (const j of order) {
    assert(j >= 0 && j < n && seen[j] === 0, 'sparse LU: the ordering is not a permutation', { column: j });
    seen[j] = 1;
  }
  return order.slice();
}

/**
 * Minimum-degree order of the graph of A + Aᵀ (diagonal ignored): repeatedly eliminate a node of
 * least degree and join its neighbours into a clique. Ties go to the node that reached that degree
 * last, which is deterministic.
 */
export function minimumDegreeOrder(pattern: CscPattern): Int32Array {
  const n = pattern.n;
  const adj = symmetricAdjacency(pattern);
  const buckets = new DegreeBuckets(n);
  for (let v = 0; v < n; v++) buckets.insert(v, (adj[v] as number[]).length);
  const order = new Int32Array(n);
  const marker = new Int32Array(n).fill(-1);
  for (let step = 0; step < n; step++) {
    const v = buckets.popMin();
    order[step] = v;
    const nbrs = adj[v] as number[];
    for (const u of nbrs) removeValue(adj[u] as number[], v);
    for (const u of nbrs) {
      const list = adj[u] as number[];
      for (const w of list) marker[w] = u;
      marker[u] = u;
      for (const w of nbrs) {
        if (marker[w] !== u) list.push(w);
      }
      buckets.move(u, list.length);
    }
    adj[v] = [];
  }
  return order;
}

function symmetricAdjacency(pattern: CscPattern): number[][] {
  const { n, colPtr, rowIdx } = pattern;
  const adj: number[][] = Array.from({ length: n }, () => []);
  const marker = new Int32Array(n).fill(-1);
  const addEdge = (a: number, b: number): void => {
    (adj[a] as number[]).push(b);
    (adj[b] as number[]).push(a);
  };
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j] as number; p < (colPtr[j + 1] as number); p++) {
      const i = rowIdx[p] as number;
      if (i !== j) addEdge(i, j);
    }
  }
  for (let v = 0; v < n; v++) {
    const unique: number[] = [];
    for (const u of adj[v] as number[]) {
      if (marker[u] === v) continue;
      marker[u] = v;
      unique.push(u);
    }
    adj[v] = unique;
  }
  return adj;
}

function removeValue(list: number[], value: number): void {
  const at = list.indexOf(value);
  if (at < 0) return;
  list[at] = list[list.length - 1] as number;
  list.pop();
}

/** Nodes in doubly linked lists by degree, for O(1) removal and a rising minimum pointer. */
class DegreeBuckets {
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly degree: Int32Array;
  private min = 0;

  constructor(n: number) {
    this.head = new Int32Array(n + 1).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.prev = new Int32Array(n).fill(-1);
    this.degree = new Int32Array(n);
  }

  insert(v: number, d: number): void {
    const h = this.head[d] as number;
    this.degree[v] = d;
    this.next[v] = h;
    this.prev[v] = -1;
    if (h >= 0) this.prev[h] = v;
    this.head[d] = v;
    if (d < this.min) this.min = d;
  }

  move(v: number, d: number): void {
    this.remove(v);
    this.insert(v, d);
  }

  popMin(): number {
    while (this.head[this.min] === -1) this.min++;
    const v = this.head[this.min] as number;
    this.remove(v);
    return v;
  }

  private remove(v: number): void {
    const p = this.prev[v] as number;
    const nx = this.next[v] as number;
    if (p >= 0) this.next[p] = nx;
    else this.head[this.degree[v] as number] = nx;
    if (nx >= 0) this.prev[nx] = p;
  }
}
