/**
 * Where statements go: the Settlement contract, through the chain adapter. The contract is
 * idempotent by (microgrid, slot): the same statement twice is 'duplicate' and applied once; a
 * different statement for a settled slot is 'conflict' and not applied.
 */
import type { Hex } from 'viem';
import type { Statement } from '../../core/ledger/statement.js';

export interface SubmitReceipt {
  readonly outcome: 'committed' | 'duplicate' | 'conflict';
  readonly txHash: Hex;
  readonly gasUsed: bigint;
  readonly blockNumber: bigint;
}

export interface StatementSink {
  /** Sends the statement with its signatures (sorted by signer) and waits for the receipt. */
  submitStatement(s: Statement, signatures: readonly Hex[]): Promise<SubmitReceipt>;
  /** The hash the chain holds for this microgrid and slot, or null. */
  statementHashOf(microgrid: Hex, slot: bigint): Promise<Hex | null>;
}
