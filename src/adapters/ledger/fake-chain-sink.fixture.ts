/**
 * An in-memory stand-in for the Settlement contract, idempotent like it: the same statement twice
 * is 'duplicate' (applied once), another statement for a settled slot is 'conflict'.
 */
import { keccak256, stringToHex, type Hex } from 'viem';
import { statementHash, type Statement } from '../../core/ledger/statement.js';
import type { StatementSink, SubmitReceipt } from './statement-sink.js';

export interface AppliedStatement {
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly hash: Hex;
}

export class FakeChainSink implements StatementSink {
  /** What the chain holds, by `${microgrid}:${slot}`. */
  readonly held = new Map<string, Hex>();
  /** Statements applied, in the order they were applied. */
  readonly applied: AppliedStatement[] = [];
  submissions = 0;
  private block = 0n;

  constructor(private readonly options: {
    /** Throw instead of submitting (e.g. the chain is unreachable, or the call reverts). */
    readonly failWhen?: (s: Statement, attempt: number) => boolean;
    /** Apply the statement, then throw (e.g. the receipt timed out). */
    readonly loseReceiptWhen?: (s: Statement) => boolean;
  } = {}) {}

  async submitStatement(s: Statement, signatures: readonly Hex[]): Promise<SubmitReceipt> {
    this.submissions++;
    if (signatures.length === 0) throw new Error('no signatures');
    if (this.options.failWhen?.(s, this.submissions) === true) throw new Error('the chain is unreachable');
    const hash = statementHash(s);
    const key = `${s.microgrid.toLowerCase()}:${s.slot}`;
    const held = this.held.get(key);
    let outcome: SubmitReceipt['outcome'] = 'committed';
    if (held === hash) outcome = 'duplicate';
    else if (held !== undefined) outcome = 'conflict';
    else {
      this.held.set(key, hash);
      this.applied.push({ microgrid: s.microgrid.toLowerCase() as Hex, slot: s.slot, hash });
    }
    this.block++;
    if (this.options.loseReceiptWhen?.(s) === true) throw new Error('timed out waiting for the receipt');
    return { outcome, txHash: keccak256(stringToHex(`tx:${this.submissions}`)), gasUsed: 90_000n, blockNumber: this.block };
  }

  async statementHashOf(microgrid: Hex, slot: bigint): Promise<Hex | null> {
    return this.held.get(`${microgrid.toLowerCase()}:${slot}`) ?? null;
  }
}
