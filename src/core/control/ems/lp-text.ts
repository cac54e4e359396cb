/**
 * Pieces of CPLEX LP format text (the format HiGHS reads): numbers, names and linear expressions.
 * Numbers are written as JavaScript's shortest round-trip decimal (`String(x)`, e.g. `0.0325`,
 * `1e-7`), which is deterministic and exact; a non-finite number is a bug in the caller.
 */
import { assert } from '../../assert.js';

/** One term of a linear expression: coefficient × variable. */
export interface LpTerm {
  readonly coef: number;
  readonly name: string;
}

/** Words the LP reader treats as section keywords (compared case-insensitively). */
const RESERVED = new Set([
  'st', 'subject', 'to', 'bound', 'bounds', 'bin', 'binary', 'binaries', 'gen', 'general', 'generals',
  'end', 'free', 'inf', 'infinity', 'min', 'max', 'minimize', 'maximize', 'minimise', 'maximise', 'semi', 'semis',
]);

/** Names the builder accepts: a letter or underscore, then letters, digits and underscores. */
export function isLpName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name) && !RESERVED.has(name.toLowerCase());
}

export function formatLpNumber(x: number): string {
  assert(Number.isFinite(x), `LP text: a number must be finite, got ${x}`);
  return x === 0 ? '0' : String(x);
}

/** A bound, where ±Infinity are written as the reader's `inf`. */
export function formatLpBound(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return formatLpNumber(x);
}

/** Terms per line: the reader accepts continuation lines, and short lines keep the text readable. */
const TERMS_PER_LINE = 8;

/** `3 x - y + 0.5 z`, wrapped every few terms; terms with a zero coefficient are left out. */
export function formatLinearExpression(terms: readonly LpTerm[]): string {
  let text = '';
  let written = 0;
  for (const { coef, name } of terms) {
    if (coef === 0) continue;
    const magnitude = Math.abs(coef);
    const sign = coef < 0 ? '-' : '+';
    const body = magnitude === 1 ? name : `${formatLpNumber(magnitude)} ${name}`;
    if (written === 0) text += coef < 0 ? `- ${body}` : body;
    else text += `${written % TERMS_PER_LINE === 0 ? '\n   ' : ' '}${sign} ${body}`;
    written++;
  }
  return text;
}
