/**
 * Evaluates parsed expressions. A value is a scalar or a block of matrix cells (the columns an
 * expression like `mpc.bus(:, [PD, QD])` selects); arithmetic is element-wise with scalars
 * broadcast, as MATLAB does for these operands. Matrix products, matrix division and anything else
 * that is not element-wise are reported as unsupported rather than guessed.
 */
import { cell, rowCount, type CaseData, type CaseMatrix, type MatrixName } from './case-data.js';
import { NAMED_CONSTANTS } from './constants.js';
import { Unsupported, type BinaryOp, type Cell, type Expr } from './expression.js';

export interface Block {
  readonly rows: number;
  readonly cols: number;
  /** Row-major. */
  readonly data: Float64Array;
}

export type Value = number | Block;

/** What an expression can read: scalar variables and the case being built. */
export interface Scope {
  /** Name of the function's output struct (`mpc` in `function mpc = case9`). */
  readonly structName: string;
  readonly variables: ReadonlyMap<string, number>;
  readonly data: CaseData;
}

const FUNCTIONS: ReadonlyMap<string, (x: number) => number> = new Map([
  ['sin', Math.sin], ['cos', Math.cos], ['tan', Math.tan],
  ['asin', Math.asin], ['acos', Math.acos], ['atan', Math.atan],
  ['sqrt', Math.sqrt], ['abs', Math.abs], ['exp', Math.exp], ['log', Math.log],
]);

const READABLE: ReadonlySet<string> = new Set<MatrixName>(['bus', 'gen', 'branch']);

export function evaluate(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case 'num':
      return expr.value;
    case 'name':
      return lookUp(expr.name, expr.line, scope);
    case 'unary': {
      const arg = evaluate(expr.arg, scope);
      return expr.op === '-' ? map(arg, (x) => -x) : arg;
    }
    case 'binary':
      return binary(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope), expr.line);
    case 'call':
      return call(expr, scope);
    case 'field':
      return readField(expr, scope);
    case 'matrix':
      return matrixLiteral(expr, scope);
    case 'str':
      throw new Unsupported(expr.line, `a string ('${expr.value}') where a number is expected`);
    case 'colon':
    case 'range':
      throw new Unsupported(expr.line, 'a ":" range outside an index');
  }
}

/** A scalar (or 1×1) value. */
export function evaluateScalar(expr: Expr, scope: Scope): number {
  const value = evaluate(expr, scope);
  if (typeof value === 'number') return value;
  if (value.rows === 1 && value.cols === 1) return value.data[0] as number;
  throw new Unsupported(expr.line, `expected a single number, got a ${value.rows}×${value.cols} matrix`);
}

/** A matrix element's value. */
export function evaluateCell(cell: Cell, scope: Scope): number {
  return typeof cell === 'number' ? cell : evaluateScalar(cell, scope);
}

/** 1-based indices `k` or `[k1 k2 …]`, each an integer in 1..`limit`. */
export function evaluateIndices(expr: Expr, scope: Scope, limit: number, what: string): number[] {
  const value = evaluate(expr, scope);
  const indices = typeof value === 'number' ? [value] : value.rows === 1 || value.cols === 1 ? [...value.data] : undefined;
  if (indices === undefined || indices.length === 0) throw new Unsupported(expr.line, `${what} must be one index or a list of indices`);
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 1 || index > limit) {
      throw new Unsupported(expr.line, `${what} ${index} is not an integer between 1 and ${limit}`);
    }
  }
  return indices;
}

function lookUp(name: string, line: number, scope: Scope): number {
  const value = scope.variables.get(name) ?? NAMED_CONSTANTS.get(name);
  if (value !== undefined) return value;
  if (FUNCTIONS.has(name)) throw new Unsupported(line, `function ${name} needs one argument`);
  throw new Unsupported(line, `unknown name "${name}"`);
}

function readField(expr: Extract<Expr, { kind: 'field' }>, scope: Scope): Value {
  if (expr.object.kind !== 'name' || expr.object.name !== scope.structName) {
    throw new Unsupported(expr.line, 'field access is only supported on the case struct');
  }
  if (expr.field === 'baseMVA') {
    const base = scope.data.baseMva;
    if (base === undefined) throw new Unsupported(expr.line, `${scope.structName}.baseMVA is read before it is set`);
    return base.value;
  }
  throw new Unsupported(expr.line, `${scope.structName}.${expr.field} can only be read as ${scope.structName}.${expr.field}(rows, columns) of bus, gen or branch`);
}

function call(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
  const { callee, args, line } = expr;
  if (callee.kind === 'name' && !scope.variables.has(callee.name)) {
    const fn = FUNCTIONS.get(callee.name);
    if (fn === undefined) throw new Unsupported(line, `unknown function "${callee.name}"`);
    if (args.length !== 1) throw new Unsupported(line, `${callee.name} takes one argument`);
    return map(evaluate(args[0] as Expr, scope), fn);
  }
  const matrix = callee.kind === 'field' ? matrixOf(callee, scope) : undefined;
  if (matrix === undefined) throw new Unsupported(line, 'only functions and bus, gen or branch matrices can be indexed');
  if (args.length !== 2) throw new Unsupported(line, 'a matrix is indexed as (rows, columns)');
  const rows = selectRows(args[0] as Expr, matrix, scope);
  const cols = evaluateIndices(args[1] as Expr, scope, matrix.cols, 'column');
  const data = new Float64Array(rows.length * cols.length);
  rows.forEach((row, i) => cols.forEach((col, j) => (data[i * cols.length + j] = cell(matrix, row, col))));
  return rows.length === 1 && cols.length === 1 ? (data[0] as number) : { rows: rows.length, cols: cols.length, data };
}

/** The case matrix a `struct.field` expression names, if it is one the importer keeps. */
export function matrixOf(expr: Extract<Expr, { kind: 'field' }>, scope: Scope): CaseMatrix | undefined {
  if (expr.object.kind !== 'name' || expr.object.name !== scope.structName || !READABLE.has(expr.field)) return undefined;
  const matrix = scope.data.matrices[expr.field as MatrixName];
  if (matrix === undefined) throw new Unsupported(expr.line, `${scope.structName}.${expr.field} is used before it is set`);
  return matrix;
}

/** 0-based rows of a row selector: `:` (all rows) or one row number. */
export function selectRows(expr: Expr, matrix: CaseMatrix, scope: Scope): number[] {
  const count = rowCount(matrix);
  if (expr.kind === 'colon') return Array.from({ length: count }, (_, i) => i);
  if (expr.kind === 'range') throw new Unsupported(expr.line, 'a row range; only ":" (all rows) or one row number is supported');
  const rows = evaluateIndices(expr, scope, count, 'row');
  if (rows.length !== 1) throw new Unsupported(expr.line, 'only ":" (all rows) or one row number is supported');
  return [(rows[0] as number) - 1];
}

/** A matrix literal in an expression, e.g. a column list `[BR_R BR_X]`. */
function matrixLiteral(expr: Extract<Expr, { kind: 'matrix' }>, scope: Scope): Value {
  const rows = expr.rows.map((row) => row.cells.map((c) => evaluateCell(c, scope)));
  const cols = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== cols)) throw new Unsupported(expr.line, 'rows of different lengths');
  return { rows: rows.length, cols, data: Float64Array.from(rows.flat()) };
}

function map(value: Value, fn: (x: number) => number): Value {
  if (typeof value === 'number') return fn(value);
  return { rows: value.rows, cols: value.cols, data: value.data.map(fn) };
}

const ELEMENT_WISE: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '.*': (a, b) => a * b,
  '/': (a, b) => a / b,
  './': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '.^': (a, b) => a ** b,
};

function binary(op: BinaryOp, left: Value, right: Value, line: number): Value {
  const fn = ELEMENT_WISE[op];
  if (typeof left === 'number' && typeof right === 'number') return fn(left, right);
  if (op === '^') throw new Unsupported(line, 'matrix power "^" (use ".^" for element-wise)');
  if (op === '*' && typeof left !== 'number' && typeof right !== 'number') {
    throw new Unsupported(line, 'matrix product "*" of two matrices (use ".*" for element-wise)');
  }
  if (op === '/' && typeof right !== 'number') throw new Unsupported(line, 'matrix division "/" by a matrix (use "./" for element-wise)');
  if (typeof left === 'number') return map(right, (b) => fn(left, b));
  if (typeof right === 'number') return map(left, (a) => fn(a, right));
  if (left.rows !== right.rows || left.cols !== right.cols) {
    throw new Unsupported(line, `sizes differ (${left.rows}×${left.cols} and ${right.rows}×${right.cols})`);
  }
  return { rows: left.rows, cols: left.cols, data: left.data.map((a, i) => fn(a, right.data[i] as number)) };
}
