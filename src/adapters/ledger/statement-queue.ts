/**
 * The durable queue of co-signed statements (docs/ledger.md, "Statement lifecycle"):
 *
 *   queued ──claim──▶ submitting ──▶ committed | duplicate | conflict      (settled: left the queue)
 *      ▲                  │
 *      └── unsent/error ──┘──▶ failed (after maxAttempts errors; blocks its microgrid until requeued)
 *
 * One row per (microgrid, slot). Enqueuing is idempotent: the same statement again is a no-op,
 * another statement for the same microgrid and slot is a StatementConflictError. Every state change
 * is a committed SQLite transaction (synchronous=FULL) before the call returns. The submitter
 * (statement-submitter.ts) drives the transitions; this class keeps them consistent.
 */
import type Database from 'better-sqlite3';
import type { Hex } from 'viem';
import { isSignatureHex } from '../../core/ledger/statement-signing.js';
import { statementFromJson, statementToJson } from '../../core/ledger/statement-json.js';
import { statementHash, type Statement } from '../../core/ledger/statement.js';
import { assert } from '../../core/assert.js';
import { checkLimit, type LedgerLimits } from './ledger-limits.js';
import { LedgerLimitError, LedgerStoreError, StatementConflictError, StatementOrderError } from './ledger-store-errors.js';
import { bytes32, slotNumber } from './ledger-values.js';

export type StatementStatus = 'queued' | 'submitting' | 'committed' | 'duplicate' | 'conflict' | 'failed';
export const STATEMENT_STATUSES: readonly StatementStatus[] = ['queued', 'submitting', 'committed', 'duplicate', 'conflict', 'failed'];

/** Not yet on chain. */
export const OPEN_STATUSES: readonly StatementStatus[] = ['queued', 'submitting', 'failed'];

export interface StatementKey {
  readonly microgrid: Hex;
  readonly slot: bigint;
}

export interface OpenStatementKey extends StatementKey {
  readonly status: 'queued' | 'submitting' | 'failed';
  readonly hash: Hex;
}

export interface QueuedStatement extends StatementKey {
  readonly hash: Hex;
  readonly statement: Statement;
  /** As enqueued (sorted by signer address, as the contract requires). */
  readonly signatures: readonly Hex[];
  readonly status: StatementStatus;
  readonly queuedAtSlot: bigint;
  /** The slot at which the statement left the queue (committed, duplicate or conflict). */
  readonly committedAtSlot: bigint | null;
  readonly txHash: Hex | null;
  readonly gasUsed: bigint | null;
  readonly blockNumber: bigint | null;
  readonly error: string | null;
  /** Submissions that ended in an error. */
  readonly attempts: number;
}

/** How a claimed statement ended; applied by `settle`. */
export type SubmissionResult =
  | {
    readonly kind: 'landed';
    readonly key: StatementKey;
    readonly outcome: 'committed' | 'duplicate' | 'conflict';
    readonly atSlot: bigint;
    readonly txHash?: Hex | undefined;
    readonly gasUsed?: bigint | undefined;
    readonly blockNumber?: bigint | undefined;
    readonly note?: string | undefined;
  }
  /** Not sent (or known not to be on chain): back to queued. */
  | { readonly kind: 'unsent'; readonly key: StatementKey }
  /** The sink threw: back to queued, or failed when `final`. */
  | { readonly kind: 'error'; readonly key: StatementKey; readonly error: string; readonly final: boolean };

export interface SettlementLag extends StatementKey {
  readonly status: 'committed' | 'duplicate' | 'conflict';
  readonly queuedAtSlot: bigint;
  readonly committedAtSlot: bigint;
  /** committedAtSlot − queuedAtSlot: how long the statement waited (e.g. an island's backlog). */
  readonly lagSlots: bigint;
}

export type EnqueueResult = 'queued' | 'already-queued';

interface NewRow {
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly hash: Hex;
  readonly body: string;
  readonly signatures: string;
}

interface Row {
  microgrid: Hex; slot: bigint; hash: Hex; body: string; signatures: string; status: StatementStatus;
  tx_hash: Hex | null; gas_used: bigint | null; block_number: bigint | null; queued_at_slot: bigint;
  committed_at_slot: bigint | null; error: string | null; attempts: bigint;
}

export class StatementQueue {
  private readonly sql: ReturnType<typeof prepare>;
  private open: number;

  constructor(private readonly db: Database.Database, readonly limits: LedgerLimits) {
    this.sql = prepare(db);
    this.open = Number((this.sql.countOpen.get() as { n: bigint }).n);
  }

  /**
   * Queues a co-signed statement for submission. Idempotent on (microgrid, slot): the same hash
   * again returns 'already-queued' and changes nothing (whatever its state); another hash is a
   * StatementConflictError. A slot earlier than one of the same microgrid that is already
   * submitting or settled is a StatementOrderError (it could only land out of order).
   */
  enqueue(statement: Statement, signatures: readonly Hex[], queuedAtSlot: bigint): EnqueueResult {
    return this.enqueueMany([{ statement, signatures }], queuedAtSlot)[0] as EnqueueResult;
  }

  /** Several statements in one transaction (one fsync): all are queued, or none (on an error). */
  enqueueMany(items: readonly { readonly statement: Statement; readonly signatures: readonly Hex[] }[], queuedAtSlot: bigint): EnqueueResult[] {
    slotNumber(queuedAtSlot, 'queuedAtSlot');
    const rows = items.map((item) => this.newRow(item.statement, item.signatures));
    const results = this.db.transaction(() => {
      let added = 0;
      return rows.map((row) => {
        const result = this.insertRow(row, queuedAtSlot, this.open + added);
        if (result === 'queued') added++;
        return result;
      });
    }).immediate();
    this.open += results.filter((r) => r === 'queued').length;
    return results;
  }

  private newRow(statement: Statement, signatures: readonly Hex[]): NewRow {
    const microgrid = bytes32(statement.microgrid, 'statement.microgrid');
    const slot = slotNumber(statement.slot, 'statement.slot');
    const body = JSON.stringify(statementToJson(statement));
    checkLimit('a statement body', Buffer.byteLength(body), this.limits.maxStatementBytes, 'bytes');
    checkSignatures(signatures, this.limits.maxSignatures);
    return { microgrid, slot, hash: statementHash(statement), body, signatures: JSON.stringify(signatures.map((s) => s.toLowerCase())) };
  }

  private insertRow(row: NewRow, queuedAtSlot: bigint, open: number): EnqueueResult {
    const { microgrid, slot, hash } = row;
    const existing = this.sql.selectHash.get(microgrid, slot) as { hash: Hex } | undefined;
    if (existing !== undefined) {
      if (existing.hash === hash) return 'already-queued';
      throw new StatementConflictError(`another statement is already queued for microgrid ${microgrid} slot ${slot}`, {
        details: [`queued: ${existing.hash}`, `new:    ${hash}`],
      });
    }
    const later = this.sql.selectLaterLeft.get(microgrid, slot) as { slot: bigint; status: string } | undefined;
    if (later !== undefined) {
      throw new StatementOrderError(`slot ${slot} of microgrid ${microgrid} comes too late: slot ${later.slot} is already ${later.status}`);
    }
    if (open >= this.limits.maxOpenStatements) {
      throw new LedgerLimitError(`the statement queue is full: at most ${this.limits.maxOpenStatements} statements wait for the chain`);
    }
    this.sql.insert.run(microgrid, slot, hash, row.body, row.signatures, queuedAtSlot);
    return 'queued';
  }

  get(microgrid: Hex, slot: bigint): QueuedStatement | undefined {
    const row = this.sql.selectOne.get(bytes32(microgrid, 'microgrid'), slot) as Row | undefined;
    return row === undefined ? undefined : toQueued(row);
  }

  /** Statements not yet on chain (queued, submitting, failed), in slot order, then microgrid. */
  pending(options: { limit?: number } = {}): QueuedStatement[] {
    const limit = options.limit ?? -1;
    return (this.sql.selectOpen.all(limit) as Row[]).map(toQueued);
  }

  /** Statements in one state (e.g. 'committed'), or all of them, in slot order, then microgrid. */
  list(status?: StatementStatus): QueuedStatement[] {
    const rows = (status === undefined ? this.sql.selectAll.all() : this.sql.selectByStatus.all(status)) as Row[];
    return rows.map(toQueued);
  }

  /** The newest statements (highest slot first), of one microgrid or all; at most `limit`. */
  recent(limit: number, microgrid?: Hex): QueuedStatement[] {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const rows = (microgrid === undefined ? this.sql.selectRecent.all(limit) : this.sql.selectRecentOf.all(bytes32(microgrid, 'microgrid'), limit)) as Row[];
    return rows.map(toQueued);
  }

  /** Keys and states of the statements not yet on chain, in slot order, then microgrid. */
  openKeys(): OpenStatementKey[] {
    return this.sql.selectOpenKeys.all() as OpenStatementKey[];
  }

  /** How many statements wait for the chain (queued, submitting, failed). */
  openCount(): number {
    return this.open;
  }

  counts(): Record<StatementStatus, number> {
    const counts = Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, 0])) as Record<StatementStatus, number>;
    for (const row of this.sql.countByStatus.all() as { status: StatementStatus; n: bigint }[]) counts[row.status] = Number(row.n);
    return counts;
  }

  /** Settled statements with the slots they were queued and settled at, in settlement order of slots. */
  settlementLags(options: { microgrid?: Hex } = {}): SettlementLag[] {
    const rows = (options.microgrid === undefined
      ? this.sql.selectLags.all()
      : this.sql.selectLagsOf.all(bytes32(options.microgrid, 'microgrid'))) as { microgrid: Hex; slot: bigint; status: SettlementLag['status']; queued_at_slot: bigint; committed_at_slot: bigint }[];
    return rows.map((r) => ({
      microgrid: r.microgrid, slot: r.slot, status: r.status, queuedAtSlot: r.queued_at_slot,
      committedAtSlot: r.committed_at_slot, lagSlots: r.committed_at_slot - r.queued_at_slot,
    }));
  }

  /** Puts a failed statement back in the queue (e.g. after the cause was fixed). */
  requeueFailed(microgrid: Hex, slot: bigint): void {
    const changes = this.sql.requeueFailed.run(bytes32(microgrid, 'microgrid'), slot).changes;
    if (changes === 0) throw new LedgerStoreError(`no failed statement for microgrid ${microgrid} slot ${slot}`);
  }

  /**
   * Marks the given queued statements 'submitting' in one transaction and returns them in the
   * given order. A key is skipped, with every later key of its microgrid, when it is no longer
   * queued or when an open statement of an earlier slot of its microgrid is not part of the claim
   * (it was enqueued meanwhile): a later slot never goes out before an earlier one.
   */
  claim(keys: readonly StatementKey[]): QueuedStatement[] {
    return this.db.transaction(() => {
      const claimed: QueuedStatement[] = [];
      const lastClaimed = new Map<Hex, bigint>();
      const skipped = new Set<Hex>();
      for (const key of keys) {
        const microgrid = bytes32(key.microgrid, 'microgrid');
        if (skipped.has(microgrid)) continue;
        const before = this.sql.selectOpenBefore.get(microgrid, key.slot) as { slot: bigint } | undefined;
        const inOrder = before === undefined || before.slot === lastClaimed.get(microgrid);
        if (!inOrder || this.sql.markSubmitting.run(microgrid, key.slot).changes === 0) {
          skipped.add(microgrid);
          continue;
        }
        lastClaimed.set(microgrid, key.slot);
        const row = toQueued(this.sql.selectOne.get(microgrid, key.slot) as Row);
        // What goes to the chain must be what was enqueued (the body round-trips through JSON).
        assert(statementHash(row.statement) === row.hash, 'a stored statement body does not match its hash', { microgrid, slot: key.slot });
        claimed.push(row);
      }
      return claimed;
    }).immediate();
  }

  /** Statements left 'submitting' (by a process that stopped before recording the outcome). */
  submitting(): QueuedStatement[] {
    return (this.sql.selectSubmitting.all() as Row[]).map(toQueued);
  }

  /** Applies the results of claimed statements in one transaction. */
  settle(results: readonly SubmissionResult[]): void {
    this.db.transaction(() => {
      for (const r of results) this.settleOne(r);
    }).immediate();
  }

  private settleOne(r: SubmissionResult): void {
    const microgrid = bytes32(r.key.microgrid, 'microgrid');
    const text = (s: string | undefined): string | null => (s === undefined ? null : s.slice(0, this.limits.maxTextChars));
    let changes: number;
    if (r.kind === 'landed') {
      changes = this.sql.markLanded.run({
        microgrid, slot: r.key.slot, status: r.outcome, tx: r.txHash?.toLowerCase() ?? null, gas: r.gasUsed ?? null,
        block: r.blockNumber ?? null, at: r.atSlot, error: text(r.note),
      }).changes;
      if (changes === 1) this.open--;
    } else if (r.kind === 'unsent') {
      changes = this.sql.markUnsent.run(microgrid, r.key.slot).changes;
    } else {
      changes = this.sql.markError.run({ microgrid, slot: r.key.slot, status: r.final ? 'failed' : 'queued', error: text(r.error) }).changes;
    }
    assert(changes === 1, 'settled a statement that was not submitting', { microgrid, slot: r.key.slot, kind: r.kind });
  }
}

function checkSignatures(signatures: readonly Hex[], max: number): void {
  if (signatures.length === 0) throw new LedgerStoreError('a statement needs at least one signature');
  checkLimit('the signature list', signatures.length, max, 'signatures');
  const bad = signatures.findIndex((s) => !isSignatureHex(s));
  if (bad >= 0) throw new LedgerStoreError(`signatures[${bad}] must be 65 bytes of 0x-prefixed hex`);
}

function toQueued(row: Row): QueuedStatement {
  const statement = statementFromJson(JSON.parse(row.body));
  return {
    microgrid: row.microgrid, slot: row.slot, hash: row.hash, statement,
    signatures: JSON.parse(row.signatures) as Hex[],
    status: row.status, queuedAtSlot: row.queued_at_slot, committedAtSlot: row.committed_at_slot,
    txHash: row.tx_hash, gasUsed: row.gas_used, blockNumber: row.block_number, error: row.error, attempts: Number(row.attempts),
  };
}

function prepare(db: Database.Database) {
  const open = "status IN ('queued', 'submitting', 'failed')";
  const columns = 'microgrid, slot, hash, body, signatures, status, tx_hash, gas_used, block_number, queued_at_slot, committed_at_slot, error, attempts';
  const p = (sql: string) => db.prepare(sql).safeIntegers(true);
  return {
    countOpen: p(`SELECT count(*) AS n FROM statements WHERE ${open}`),
    selectHash: p('SELECT hash FROM statements WHERE microgrid = ? AND slot = ?'),
    selectLaterLeft: p(`SELECT slot, status FROM statements WHERE microgrid = ? AND slot > ? AND status IN ('submitting', 'committed', 'duplicate', 'conflict') ORDER BY slot LIMIT 1`),
    insert: p(`INSERT INTO statements (microgrid, slot, hash, body, signatures, status, queued_at_slot) VALUES (?, ?, ?, ?, ?, 'queued', ?)`),
    selectOne: p(`SELECT ${columns} FROM statements WHERE microgrid = ? AND slot = ?`),
    selectOpen: p(`SELECT ${columns} FROM statements WHERE ${open} ORDER BY slot, microgrid LIMIT ?`),
    selectByStatus: p(`SELECT ${columns} FROM statements WHERE status = ? ORDER BY slot, microgrid`),
    selectAll: p(`SELECT ${columns} FROM statements ORDER BY slot, microgrid`),
    selectRecent: p(`SELECT ${columns} FROM statements ORDER BY slot DESC, microgrid LIMIT ?`),
    selectRecentOf: p(`SELECT ${columns} FROM statements WHERE microgrid = ? ORDER BY slot DESC LIMIT ?`),
    selectOpenKeys: p(`SELECT microgrid, slot, status, hash FROM statements WHERE ${open} ORDER BY slot, microgrid`),
    selectSubmitting: p(`SELECT ${columns} FROM statements WHERE status = 'submitting' ORDER BY slot, microgrid`),
    selectOpenBefore: p(`SELECT slot FROM statements WHERE microgrid = ? AND slot < ? AND ${open} ORDER BY slot DESC LIMIT 1`),
    countByStatus: p('SELECT status, count(*) AS n FROM statements GROUP BY status'),
    selectLags: p(`SELECT microgrid, slot, status, queued_at_slot, committed_at_slot FROM statements WHERE committed_at_slot IS NOT NULL ORDER BY committed_at_slot, slot, microgrid`),
    selectLagsOf: p(`SELECT microgrid, slot, status, queued_at_slot, committed_at_slot FROM statements WHERE microgrid = ? AND committed_at_slot IS NOT NULL ORDER BY slot`),
    requeueFailed: p(`UPDATE statements SET status = 'queued', attempts = 0 WHERE microgrid = ? AND slot = ? AND status = 'failed'`),
    markSubmitting: p(`UPDATE statements SET status = 'submitting' WHERE microgrid = ? AND slot = ? AND status = 'queued'`),
    markLanded: p(`UPDATE statements SET status = @status, tx_hash = @tx, gas_used = @gas, block_number = @block, committed_at_slot = @at, error = @error
      WHERE microgrid = @microgrid AND slot = @slot AND status = 'submitting'`),
    markUnsent: p(`UPDATE statements SET status = 'queued' WHERE microgrid = ? AND slot = ? AND status = 'submitting'`),
    markError: p(`UPDATE statements SET status = @status, error = @error, attempts = attempts + 1
      WHERE microgrid = @microgrid AND slot = @slot AND status = 'submitting'`),
  };
}
