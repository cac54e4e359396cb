/** Typed errors of the ledger store and the statement queue (expected failures, not bugs). */
import { GridmeshError } from '../../core/errors.js';

export class LedgerStoreError extends GridmeshError {
  override readonly name: string = 'LedgerStoreError';
}

/** A blob, body, list or queue exceeds its bound (see LedgerLimits). */
export class LedgerLimitError extends LedgerStoreError {
  override readonly name = 'LedgerLimitError';
}

/** The file was written by another schema version of gridmesh. */
export class LedgerSchemaError extends LedgerStoreError {
  override readonly name = 'LedgerSchemaError';
}

/** A different statement (another hash) is already queued or settled for this microgrid and slot. */
export class StatementConflictError extends LedgerStoreError {
  override readonly name = 'StatementConflictError';
}

/** Enqueuing this slot would let it land after a later slot of the same microgrid. */
export class StatementOrderError extends LedgerStoreError {
  override readonly name = 'StatementOrderError';
}
