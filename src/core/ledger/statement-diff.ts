/**
 * Which fields of two statements differ, named as paths: `tradesRoot`, `deltasMinor[3]`,
 * `accounts.length`, `payouts[0].verifiedWh`. Used to explain a validator's dissent.
 */
import type { FlexPayout, Statement } from './statement.js';

/** Default bound on the field paths reported for one pair of statements. */
export const MAX_DIFF_FIELDS = 32;

export interface StatementDiff {
  /** Differing fields in statement order (at most the bound). */
  readonly fields: readonly string[];
  /** How many more differing fields there are beyond `fields`. */
  readonly moreFields: number;
}

const SCALARS = ['microgrid', 'slot', 'readingsRoot', 'ordersRoot', 'tradesRoot'] as const;
const PAYOUT_FIELDS = ['device', 'account', 'buyer', 'verifiedWh', 'priceMinorPerKwh', 'penaltyMinor'] as const;

export function diffStatements(a: Statement, b: Statement, maxFields: number = MAX_DIFF_FIELDS): StatementDiff {
  const all: string[] = [];
  for (const key of SCALARS) if (!same(a[key], b[key])) all.push(key);
  diffList('accounts', a.accounts, b.accounts, all, (x, y, path) => (same(x, y) ? [] : [path]));
  diffList('deltasMinor', a.deltasMinor, b.deltasMinor, all, (x, y, path) => (x === y ? [] : [path]));
  diffList('payouts', a.payouts, b.payouts, all, diffPayout);
  return { fields: all.slice(0, maxFields), moreFields: Math.max(0, all.length - maxFields) };
}

function diffList<T>(name: string, a: readonly T[], b: readonly T[], out: string[], diffItem: (x: T, y: T, path: string) => string[]): void {
  if (a.length !== b.length) out.push(`${name}.length`);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) out.push(...diffItem(a[i] as T, b[i] as T, `${name}[${i}]`));
}

function diffPayout(x: FlexPayout, y: FlexPayout, path: string): string[] {
  return PAYOUT_FIELDS.filter((k) => !same(x[k], y[k])).map((k) => `${path}.${k}`);
}

/** Hex compares case-insensitively (a checksummed and a lower-case id are the same bytes32). */
function same(x: string | bigint, y: string | bigint): boolean {
  return typeof x === 'string' && typeof y === 'string' ? x.toLowerCase() === y.toLowerCase() : x === y;
}
