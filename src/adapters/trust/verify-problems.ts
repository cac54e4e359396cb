/**
 * The verification report: its types and options, the bounded problem list, the counters, and the
 * helpers that word a problem's location and cause.
 */
import type { Hex } from 'viem';
import { GridmeshError } from '../../core/errors.js';
import type { LedgerIdentities } from './ledger-identities.js';

/** Problems kept in the report (the rest are counted): a wrecked ledger must not exhaust memory. */
export const MAX_PROBLEMS_KEPT = 10_000;
/** The account of a leaf whose signer is no admitted device. */
export const ZERO_ID: Hex = `0x${'0'.repeat(64)}`;
/** A stored 32-byte hash or id: 0x and 64 lower-case hex digits. */
export const HASH_RE = /^0x[0-9a-f]{64}$/;

export interface LedgerProblem {
  /** Where: `unit n1 slot 17 reading 3`, `chain block 42`, `account site:house-1`, `meta`. */
  readonly where: string;
  readonly what: string;
}

export interface VerifyCounts {
  units: number;
  slots: number;
  statements: number;
  /** Statements on chain (committed or duplicate) whose hash the chain holds. */
  committed: number;
  /** Statements still waiting for the chain (queued, submitting, failed). */
  open: number;
  readings: number;
  orders: number;
  trades: number;
  signatures: number;
  journalTransactions: number;
  blocks: number;
  accounts: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly ledger: string;
  readonly chain: { readonly kind: 'embedded' | 'rpc'; readonly chainId: string; readonly settlement: string; readonly rpcUrl?: string } | null;
  readonly checked: VerifyCounts;
  /** The first MAX_PROBLEMS_KEPT problems, in the order found. */
  readonly problems: readonly LedgerProblem[];
  /** Problems found beyond those listed. */
  readonly moreProblems: number;
}

export interface VerifyOptions {
  /** JSON-RPC endpoint of an `rpc` ledger's chain (default: the URL stored in the ledger). */
  readonly chainRpc?: string;
  /** Called as statements are checked, and once per chain stage. */
  readonly onProgress?: (event: VerifyProgress) => void;
  readonly maxProblemsKept?: number;
  /**
   * Worker threads per record kind for the Ed25519 signatures of readings and orders (default:
   * half the cores, none on a single core; 0 = verify on the main thread).
   */
  readonly threads?: number;
}

export type VerifyProgress =
  | { readonly stage: 'identities'; readonly sites: number }
  | { readonly stage: 'statements'; readonly done: number; readonly total: number }
  | { readonly stage: 'chain'; readonly what: string };

export class Problems {
  readonly list: LedgerProblem[] = [];
  more = 0;
  constructor(private readonly max: number) {}
  add(where: string, what: string): void {
    if (this.list.length < this.max) this.list.push({ where, what });
    else this.more++;
  }
  get count(): number {
    return this.list.length + this.more;
  }
}

export function emptyCounts(): VerifyCounts {
  return { units: 0, slots: 0, statements: 0, committed: 0, open: 0, readings: 0, orders: 0, trades: 0, signatures: 0, journalTransactions: 0, blocks: 0, accounts: 0 };
}

/** A unit's name in problem locations: its area id, or the raw id of an unknown microgrid. */
export function unitWhere(ids: LedgerIdentities, microgrid: string, slot: number): string {
  const u = ids.unitByMicrogrid.get(microgrid.toLowerCase());
  return `${u === undefined ? `microgrid ${microgrid}` : `unit ${u.areaId}`} slot ${slot}`;
}

export function describe(e: unknown): string {
  if (e instanceof GridmeshError) return [e.message, ...e.details.slice(0, 5)].join('; ');
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}
