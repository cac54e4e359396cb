/** Bounds of the ledger store (CONVENTIONS 6): exceeding one is a LedgerLimitError. */
import { MAX_MERKLE_LEAVES } from '../../core/ledger/merkle-tree.js';
import { LedgerLimitError } from './ledger-store-errors.js';

export interface LedgerLimits {
  /** Bytes of one signed reading, signed order or trade (a Merkle leaf). */
  readonly maxLeafBytes: number;
  /** Leaves of one kind in one slot of one microgrid. */
  readonly maxLeavesPerSlot: number;
  /** Bytes of a statement's JSON body. */
  readonly maxStatementBytes: number;
  /** Signatures attached to one statement. */
  readonly maxSignatures: number;
  /** Statements queued, being submitted or failed (not yet on chain). */
  readonly maxOpenStatements: number;
  /** Bytes of one journalled transaction's data. */
  readonly maxJournalDataBytes: number;
  /** Characters of a meta value (e.g. the scenario a simulated ledger was made from). */
  readonly maxMetaChars: number;
  /** Characters of a rejection reason, an id or an error message kept with a row. */
  readonly maxTextChars: number;
}

export const DEFAULT_LEDGER_LIMITS: LedgerLimits = {
  maxLeafBytes: 16 * 1024,
  maxLeavesPerSlot: MAX_MERKLE_LEAVES,
  maxStatementBytes: 1024 * 1024,
  maxSignatures: 64,
  maxOpenStatements: 1_000_000,
  maxJournalDataBytes: 1024 * 1024,
  maxTextChars: 64 * 1024,
  maxMetaChars: 256 * 1024 * 1024,
};

export function checkLimit(what: string, size: number, max: number, unit: string): void {
  if (size > max) throw new LedgerLimitError(`${what} is too large: at most ${max} ${unit} (got ${size})`);
}
