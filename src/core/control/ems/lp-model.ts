/**
 * A small builder for linear (and mixed-integer) programs with named variables and rows, written out
 * as CPLEX LP format text for any solver that reads it (HiGHS here). It minimises.
 *
 * - Variables are continuous in [lower, upper] (default [0, ∞)) or binary; each carries its
 *   objective coefficient (added to with `addCost`).
 * - Rows have one sense. A range `lo ≤ expr ≤ hi` is written as two rows (`rangeRow`): HiGHS 1.15
 *   reported the double-bounded form infeasible (shared/STACK.md).
 * - Duplicate terms in a row are merged; zero coefficients are left out. Output order is insertion
 *   order, so the same model always gives the same text.
 */
import { assert } from '../../assert.js';
import { formatLinearExpression, formatLpBound, formatLpNumber, isLpName, type LpTerm } from './lp-text.js';

export type RowSense = '<=' | '>=' | '=';

interface LpVariable {
  readonly lower: number;
  readonly upper: number;
  readonly binary: boolean;
  cost: number;
}

interface LpRow {
  readonly name: string;
  readonly terms: readonly LpTerm[];
  readonly sense: RowSense;
  readonly rhs: number;
}

export interface VariableOptions {
  readonly lower?: number;
  readonly upper?: number;
  readonly cost?: number;
  readonly binary?: boolean;
}

function mergeTerms(terms: readonly LpTerm[]): LpTerm[] {
  const byName = new Map<string, number>();
  for (const { coef, name } of terms) byName.set(name, (byName.get(name) ?? 0) + coef);
  const merged: LpTerm[] = [];
  for (const [name, coef] of byName) if (coef !== 0) merged.push({ coef, name });
  return merged;
}

export class LpModel {
  private readonly variables = new Map<string, LpVariable>();
  private readonly rows: LpRow[] = [];
  private readonly rowNames = new Set<string>();

  get variableCount(): number { return this.variables.size; }
  get rowCount(): number { return this.rows.length; }
  get hasBinaries(): boolean {
    for (const v of this.variables.values()) if (v.binary) return true;
    return false;
  }

  /** Declares a variable; returns its name. */
  variable(name: string, options: VariableOptions = {}): string {
    assert(isLpName(name), `LP model: bad variable name '${name}'`);
    assert(!this.variables.has(name), `LP model: variable '${name}' declared twice`);
    const binary = options.binary ?? false;
    const lower = binary ? 0 : (options.lower ?? 0);
    const upper = binary ? 1 : (options.upper ?? Infinity);
    assert(!Number.isNaN(lower) && !Number.isNaN(upper) && lower <= upper && lower !== Infinity && upper !== -Infinity,
      `LP model: variable '${name}' has bounds [${lower}, ${upper}]`);
    const cost = options.cost ?? 0;
    assert(Number.isFinite(cost), `LP model: variable '${name}' has cost ${cost}`);
    this.variables.set(name, { lower, upper, binary, cost });
    return name;
  }

  addCost(name: string, cost: number): void {
    const v = this.variables.get(name);
    assert(v !== undefined, `LP model: cost on undeclared variable '${name}'`);
    assert(Number.isFinite(cost), `LP model: cost ${cost} on '${name}'`);
    v.cost += cost;
  }

  row(name: string, terms: readonly LpTerm[], sense: RowSense, rhs: number): void {
    assert(isLpName(name), `LP model: bad row name '${name}'`);
    assert(!this.rowNames.has(name), `LP model: row '${name}' declared twice`);
    assert(Number.isFinite(rhs), `LP model: row '${name}' has right-hand side ${rhs}`);
    for (const t of terms) {
      assert(this.variables.has(t.name), `LP model: row '${name}' uses undeclared variable '${t.name}'`);
      assert(Number.isFinite(t.coef), `LP model: row '${name}' has coefficient ${t.coef} on '${t.name}'`);
    }
    const merged = mergeTerms(terms);
    assert(merged.length > 0, `LP model: row '${name}' has no terms`);
    this.rowNames.add(name);
    this.rows.push({ name, terms: merged, sense, rhs });
  }

  /** `lo ≤ expr ≤ hi` as the two rows `<name>_lo` and `<name>_hi` (an infinite side is left out). */
  rangeRow(name: string, terms: readonly LpTerm[], lo: number, hi: number): void {
    if (lo !== -Infinity) this.row(`${name}_lo`, terms, '>=', lo);
    if (hi !== Infinity) this.row(`${name}_hi`, terms, '<=', hi);
  }

  toLpText(): string {
    const lines: string[] = ['Minimize'];
    const objective: LpTerm[] = [];
    for (const [name, v] of this.variables) if (v.cost !== 0) objective.push({ coef: v.cost, name });
    lines.push(` obj: ${formatLinearExpression(objective)}`, 'Subject To');
    for (const r of this.rows) lines.push(` ${r.name}: ${formatLinearExpression(r.terms)} ${r.sense} ${formatLpNumber(r.rhs)}`);
    lines.push('Bounds');
    const binaries: string[] = [];
    for (const [name, v] of this.variables) {
      if (v.binary) binaries.push(name);
      else {
        const line = boundLine(name, v.lower, v.upper);
        if (line !== undefined) lines.push(` ${line}`);
      }
    }
    if (binaries.length > 0) {
      lines.push('Binaries');
      for (let i = 0; i < binaries.length; i += 8) lines.push(` ${binaries.slice(i, i + 8).join(' ')}`);
    }
    lines.push('End', '');
    return lines.join('\n');
  }
}

function boundLine(name: string, lower: number, upper: number): string | undefined {
  if (lower === 0 && upper === Infinity) return undefined; // the reader's default
  if (lower === -Infinity && upper === Infinity) return `${name} free`;
  if (lower === upper) return `${name} = ${formatLpNumber(lower)}`;
  if (upper === Infinity) return `${name} >= ${formatLpNumber(lower)}`;
  return `${formatLpBound(lower)} <= ${name} <= ${formatLpNumber(upper)}`;
}
