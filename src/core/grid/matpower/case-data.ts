/** The raw content of a case file after its statements ran: MATPOWER's units, not yet per-unit. */
export type MatrixName = 'bus' | 'gen' | 'branch';

export const MATRIX_NAMES: readonly MatrixName[] = ['bus', 'gen', 'branch'];

/** A numeric matrix, row-major; each row remembers the source line it came from. */
export interface CaseMatrix {
  readonly cols: number;
  readonly rowLines: readonly number[];
  readonly data: Float64Array;
  /** Line of the statement that assigned the matrix. */
  readonly line: number;
}

export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

export interface CaseData {
  /** Name from `function mpc = NAME`, if present. */
  functionName: string | undefined;
  version: Located<string> | undefined;
  baseMva: Located<number> | undefined;
  readonly matrices: Partial<Record<MatrixName, CaseMatrix>>;
}

export function rowCount(matrix: CaseMatrix): number {
  return matrix.rowLines.length;
}

/** Value at a 0-based row and a 1-based (MATPOWER) column. */
export function cell(matrix: CaseMatrix, row: number, column: number): number {
  return matrix.data[row * matrix.cols + column - 1] as number;
}
