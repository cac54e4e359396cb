/**
 * Runs the statements of a case file, in order, against a small interpreter state. Supported
 * statements (anything else is a CaseFileError `line N: cannot interpret "…"`):
 *
 * - `function mpc = NAME` (first statement only)
 * - `mpc.version = '2'`, `mpc.baseMVA = <expr>`
 * - `mpc.bus = [ … ]`, `mpc.gen = [ … ]`, `mpc.branch = [ … ]` (elements may be expressions such as
 *   `12/sqrt(3)`); any other `mpc.<field> = …` (gencost, bus_name, …) is skipped unread
 * - `define_constants`, `[PQ, PV, …] = idx_bus` (also idx_brch, idx_gen, idx_cost)
 * - `name = <scalar expr>`
 * - `mpc.bus(ROWS, COLS) = <expr>` with ROWS `:` or one row number and COLS one column or a list
 *   `[PD, QD]`; the right side is evaluated element-wise (see evaluate.ts)
 */
import { lineError } from './case-file-error.js';
import { MATRIX_NAMES, type CaseData, type CaseMatrix, type MatrixName } from './case-data.js';
import { INDEX_FUNCTIONS } from './constants.js';
import { evaluate, evaluateCell, evaluateIndices, evaluateScalar, matrixOf, selectRows, type Scope } from './evaluate.js';
import { parseExpression, Unsupported, type Expr } from './expression.js';
import { statementText, type Statement, type Token } from './tokens.js';

interface State extends Scope {
  structName: string;
  readonly variables: Map<string, number>;
  readonly data: CaseData;
  /** Whether a statement has run yet (a `function` line must come first). */
  started: boolean;
}

export function interpret(statements: readonly Statement[]): CaseData {
  const state: State = {
    structName: 'mpc',
    variables: new Map(),
    data: { functionName: undefined, version: undefined, baseMva: undefined, matrices: {} },
    started: false,
  };
  for (const statement of statements) {
    try {
      run(statement, state);
    } catch (error) {
      const unsupported = error instanceof Unsupported ? error : stackOverflow(error, statement.line);
      if (unsupported === undefined) throw error;
      const line = unsupported.line > 0 ? unsupported.line : statement.line;
      throw lineError(line, `cannot interpret "${statementText(statement, line)}": ${unsupported.reason}`);
    }
    state.started = true;
  }
  return state.data;
}

/** A hostile expression (e.g. 10⁶ chained `+`) may exhaust the stack while it is evaluated. */
function stackOverflow(error: unknown, line: number): Unsupported | undefined {
  if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) return undefined;
  return new Unsupported(line, 'expression too complex');
}

function run(statement: Statement, state: State): void {
  const tokens = statement.tokens;
  const first = tokens[0] as Token;
  if (first.kind === 'id' && first.text === 'function') return runFunction(statement, state);
  if (tokens.length === 1 && first.kind === 'id' && first.text === 'define_constants') return;
  const eq = tokens.findIndex((t) => t.kind === 'op' && t.text === '=');
  if (eq <= 0) throw new Unsupported(statement.line, 'not an assignment');
  const target = parseExpression(tokens.slice(0, eq));
  const valueTokens = tokens.slice(eq + 1);
  if (valueTokens.length === 0) throw new Unsupported(statement.line, 'nothing after "="');
  if (target.kind === 'field' && isStruct(target.object, state) && !isKnownField(target.field)) return;
  if (target.kind === 'call' && target.callee.kind === 'field' && isStruct(target.callee.object, state) && !isKnownField(target.callee.field)) return;
  assign(target, parseExpression(valueTokens), statement.line, state);
}

function assign(target: Expr, value: Expr, line: number, state: State): void {
  if (target.kind === 'name') return assignVariable(target.name, value, line, state);
  if (target.kind === 'matrix') return assignIndexNames(target, value, state);
  if (target.kind === 'field' && isStruct(target.object, state)) return assignField(target.field, value, line, state);
  if (target.kind === 'call' && target.callee.kind === 'field') return assignColumns(target, value, line, state);
  throw new Unsupported(line, 'unsupported assignment target');
}

function runFunction(statement: Statement, state: State): void {
  const [, output, eq, name, ...rest] = statement.tokens;
  const ok = output?.kind === 'id' && eq?.kind === 'op' && eq.text === '=' && name?.kind === 'id' && rest.length === 0;
  if (!ok) throw new Unsupported(statement.line, 'expected "function mpc = NAME" (MATPOWER case format version 2)');
  if (state.started) throw new Unsupported(statement.line, 'a function line must be the first statement');
  state.structName = output.text;
  state.data.functionName = name.text;
}

function assignVariable(name: string, value: Expr, line: number, state: State): void {
  if (name === state.structName) throw new Unsupported(line, `${name} can only be assigned field by field`);
  const x = evaluateScalar(value, state);
  if (!Number.isFinite(x)) throw lineError(line, `${name} is not a finite number (${x})`);
  state.variables.set(name, x);
}

/** `[PQ, PV, REF, …] = idx_bus`: binds the names to the function's outputs, in order. */
function assignIndexNames(target: Extract<Expr, { kind: 'matrix' }>, value: Expr, state: State): void {
  const outputs = value.kind === 'name' ? INDEX_FUNCTIONS[value.name] : undefined;
  if (outputs === undefined) throw new Unsupported(value.line, 'only idx_bus, idx_brch, idx_gen or idx_cost can be unpacked');
  const cells = target.rows.length === 1 ? (target.rows[0]?.cells ?? []) : [];
  const names = cells.flatMap((c) => (typeof c !== 'number' && c.kind === 'name' ? [c.name] : []));
  if (names.length === 0 || names.length !== cells.length || names.length > outputs.length) {
    throw new Unsupported(target.line, `expected a list of at most ${outputs.length} names`);
  }
  names.forEach((name, i) => state.variables.set(name, (outputs[i] as readonly [string, number])[1]));
}

function assignField(field: string, value: Expr, line: number, state: State): void {
  if (field === 'version') {
    if (value.kind !== 'str') throw lineError(line, `${state.structName}.version must be the string '2' (MATPOWER case format version 2)`);
    if (value.value !== '2') throw lineError(line, `unsupported MATPOWER case format version '${value.value}': only version '2' is supported`);
    state.data.version = { value: value.value, line };
  } else if (field === 'baseMVA') {
    const base = evaluateScalar(value, state);
    if (!Number.isFinite(base) || base <= 0) throw lineError(line, `baseMVA must be a positive number (got ${base})`);
    state.data.baseMva = { value: base, line };
  } else {
    state.data.matrices[field as MatrixName] = readMatrix(field, value, line, state);
  }
}

function readMatrix(field: string, value: Expr, line: number, state: State): CaseMatrix {
  if (value.kind !== 'matrix') throw new Unsupported(value.line, `${state.structName}.${field} must be a matrix literal [ … ]`);
  const cols = value.rows[0]?.cells.length ?? 0;
  const data = new Float64Array(value.rows.length * cols);
  value.rows.forEach((row, r) => {
    if (row.cells.length !== cols) {
      throw lineError(row.line, `${state.structName}.${field} row has ${row.cells.length} values, expected ${cols} like the first row (line ${value.rows[0]?.line})`);
    }
    row.cells.forEach((c, j) => {
      const x = evaluateCell(c, state);
      if (!Number.isFinite(x)) throw lineError(row.line, `${state.structName}.${field} value ${j + 1} is not a finite number (${x})`);
      data[r * cols + j] = x;
    });
  });
  return { cols, rowLines: value.rows.map((row) => row.line), data, line };
}

/** `mpc.bus(:, [PD, QD]) = <expr>`: element-wise update of the selected cells. */
function assignColumns(target: Extract<Expr, { kind: 'call' }>, value: Expr, line: number, state: State): void {
  const matrix = matrixOf(target.callee as Extract<Expr, { kind: 'field' }>, state);
  if (matrix === undefined) throw new Unsupported(line, 'unsupported assignment target');
  if (target.args.length !== 2) throw new Unsupported(line, 'a matrix is indexed as (rows, columns)');
  const rows = selectRows(target.args[0] as Expr, matrix, state);
  const cols = evaluateIndices(target.args[1] as Expr, state, matrix.cols, 'column');
  const result = evaluate(value, state);
  if (typeof result !== 'number' && (result.rows !== rows.length || result.cols !== cols.length)) {
    throw new Unsupported(line, `cannot assign a ${result.rows}×${result.cols} value to ${rows.length}×${cols.length} cells`);
  }
  const data = matrix.data;
  rows.forEach((row, i) =>
    cols.forEach((col, j) => {
      const x = typeof result === 'number' ? result : (result.data[i * cols.length + j] as number);
      if (!Number.isFinite(x)) throw lineError(line, `the result for row ${row + 1}, column ${col} is not a finite number (${x})`);
      data[row * matrix.cols + col - 1] = x;
    }),
  );
}

function isStruct(expr: Expr, state: State): boolean {
  return expr.kind === 'name' && expr.name === state.structName;
}

function isKnownField(field: string): boolean {
  return field === 'version' || field === 'baseMVA' || (MATRIX_NAMES as readonly string[]).includes(field);
}
