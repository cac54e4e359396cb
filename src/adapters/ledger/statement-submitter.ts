/**
 * Crash-safe submission of queued statements to the chain (docs/ledger.md, "Crash safety").
 *
 * Protocol:
 * 1. A batch of queued statements is marked 'submitting' in one committed transaction before any
 *    of them is sent.
 * 2. They are sent one by one, in slot order; the outcomes are recorded in one transaction at the
 *    end of the batch (or as soon as anything throws).
 * 3. After a crash, `recover` asks the chain for every statement left 'submitting': the same hash
 *    on chain → committed (it landed before the crash); none → queued again; another hash →
 *    conflict. `submitPending` recovers first, once per submitter.
 * Resubmitting is always safe because the Settlement contract is idempotent by (microgrid, slot):
 * a statement it already holds is a 'duplicate', never applied twice.
 *
 * Order: statements of one microgrid go out strictly in slot order. A statement whose submission
 * threw stops its microgrid for the rest of the call; after `maxAttempts` errors it is 'failed' and
 * blocks the later slots of its microgrid until `queue.requeueFailed` (an operator decision).
 * Microgrids for which `connected` says false (islanded) keep their statements queued.
 */
import type { Hex } from 'viem';
import { LedgerStoreError } from './ledger-store-errors.js';
import type { StatementSink } from './statement-sink.js';
import type { OpenStatementKey, QueuedStatement, StatementKey, StatementQueue, SubmissionResult } from './statement-queue.js';

export const DEFAULT_MAX_BATCH = 64;
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface SubmitterOptions {
  /** Submissions of one statement that may throw before it is marked 'failed'. */
  readonly maxAttempts?: number;
}

export interface SubmitOptions {
  /** The slot now: recorded as `committed_at_slot` of what lands. */
  readonly currentSlot: bigint;
  /** Statements marked 'submitting' per transaction (default 64). */
  readonly maxBatch?: number;
  /** At most this many statements are sent by this call (default: all that may go). */
  readonly maxStatements?: number;
  /** Whether the microgrid (lower-case bytes32 id) can reach the chain; default: all can. */
  readonly connected?: (microgrid: Hex) => boolean;
  /** Called after each statement, e.g. to drive a progress bar through an island's backlog. */
  readonly onProgress?: (progress: SubmitProgress) => void;
}

export interface SubmitProgress {
  readonly done: number;
  /** Statements planned for this call; `done` stays below it when a microgrid stops at an error. */
  readonly total: number;
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly outcome: 'committed' | 'duplicate' | 'conflict' | 'error';
}

export interface RecoverReport {
  /** Statements found 'submitting'. */
  readonly checked: number;
  readonly committed: number;
  readonly conflict: number;
  readonly requeued: number;
}

export interface SubmitReport {
  readonly recovered: RecoverReport | null;
  readonly sent: number;
  readonly committed: number;
  readonly duplicate: number;
  readonly conflict: number;
  /** Submissions that threw (statement back in the queue or failed). */
  readonly errors: number;
  /** Statements that reached `maxAttempts` in this call. */
  readonly failed: number;
  /** Statements kept back because their microgrid is not connected. */
  readonly islanded: number;
  /** Statements kept back behind a failed (or still submitting) statement of their microgrid. */
  readonly blocked: number;
  /** Statements still waiting for the chain after this call. */
  readonly open: number;
}

interface Run {
  readonly sink: StatementSink;
  readonly options: SubmitOptions;
  readonly total: number;
  /** Microgrids that must send nothing more in this call (an error, or the queue changed). */
  readonly stopped: Set<Hex>;
  readonly tally: { sent: number; committed: number; duplicate: number; conflict: number; errors: number; failed: number };
}

interface Plan {
  readonly eligible: StatementKey[];
  readonly islanded: number;
  readonly blocked: number;
}

export class StatementSubmitter {
  private readonly maxAttempts: number;
  private busy = false;
  private recovered = false;

  constructor(private readonly queue: StatementQueue, options: SubmitterOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Resolves statements left 'submitting' by a crash, by asking the chain what it holds. */
  async recover(sink: StatementSink, options: { currentSlot: bigint }): Promise<RecoverReport> {
    return this.exclusive(() => this.recoverNow(sink, options.currentSlot));
  }

  /** Sends what may go now, in slot order; recovers first if this submitter has not yet. */
  async submitPending(sink: StatementSink, options: SubmitOptions): Promise<SubmitReport> {
    return this.exclusive(async () => {
      const recovered = this.recovered ? null : await this.recoverNow(sink, options.currentSlot);
      const plan = planSubmissions(this.queue.openKeys(), options.connected ?? (() => true), options.maxStatements ?? Infinity);
      const run: Run = {
        sink, options, total: plan.eligible.length, stopped: new Set(),
        tally: { sent: 0, committed: 0, duplicate: 0, conflict: 0, errors: 0, failed: 0 },
      };
      const maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
      for (let start = 0; start < plan.eligible.length; start += maxBatch) {
        const chunk = plan.eligible.slice(start, start + maxBatch).filter((k) => !run.stopped.has(k.microgrid));
        await this.submitBatch(run, chunk);
      }
      return { recovered, ...run.tally, islanded: plan.islanded, blocked: plan.blocked, open: this.queue.openCount() };
    });
  }

  /** Claims a batch (one transaction), sends it, records the outcomes (one transaction). */
  private async submitBatch(run: Run, chunk: readonly StatementKey[]): Promise<void> {
    const claimed = this.queue.claim(chunk);
    const claimedKeys = new Set(claimed.map((r) => `${r.microgrid}:${r.slot}`));
    // A key claim() skipped means its microgrid changed under us: leave the rest of it for the next call.
    for (const k of chunk) if (!claimedKeys.has(`${k.microgrid}:${k.slot}`)) run.stopped.add(k.microgrid);
    const results: SubmissionResult[] = [];
    try {
      for (const row of claimed) {
        if (run.stopped.has(row.microgrid)) {
          results.push({ kind: 'unsent', key: row });
          continue;
        }
        const result = await this.submitOne(run, row);
        results.push(result);
        this.count(run, result);
      }
    } finally {
      for (const row of claimed.slice(results.length)) results.push({ kind: 'unsent', key: row });
      this.queue.settle(results);
    }
  }

  private async submitOne(run: Run, row: QueuedStatement): Promise<SubmissionResult> {
    const atSlot = run.options.currentSlot;
    try {
      const receipt = await run.sink.submitStatement(row.statement, row.signatures);
      const note = receipt.outcome === 'conflict' ? await conflictNote(run.sink, row) : undefined;
      return { kind: 'landed', key: row, outcome: receipt.outcome, atSlot, txHash: receipt.txHash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, note };
    } catch (error) {
      // The transaction may have landed all the same (e.g. the receipt timed out): ask the chain.
      if (await landedAnyway(run.sink, row)) {
        return { kind: 'landed', key: row, outcome: 'committed', atSlot, note: `on chain although the submission failed: ${errorText(error)}` };
      }
      return { kind: 'error', key: row, error: errorText(error), final: row.attempts + 1 >= this.maxAttempts };
    }
  }

  private count(run: Run, result: SubmissionResult): void {
    const { tally } = run;
    tally.sent++;
    let outcome: SubmitProgress['outcome'] = 'error';
    if (result.kind === 'landed') {
      outcome = result.outcome;
      tally[outcome]++;
    } else if (result.kind === 'error') {
      tally.errors++;
      if (result.final) tally.failed++;
      run.stopped.add(result.key.microgrid);
    }
    run.options.onProgress?.({ done: tally.sent, total: run.total, microgrid: result.key.microgrid, slot: result.key.slot, outcome });
  }

  private async exclusive<T>(run: () => Promise<T>): Promise<T> {
    if (this.busy) throw new LedgerStoreError('the statement submitter is already running (one call at a time)');
    this.busy = true;
    try {
      return await run();
    } finally {
      this.busy = false;
    }
  }

  private async recoverNow(sink: StatementSink, currentSlot: bigint): Promise<RecoverReport> {
    const rows = this.queue.submitting();
    const results: SubmissionResult[] = [];
    let committed = 0;
    let conflict = 0;
    try {
      for (const row of rows) {
        const onChain = await sink.statementHashOf(row.microgrid, row.slot);
        if (onChain === null) {
          results.push({ kind: 'unsent', key: row });
        } else if (onChain.toLowerCase() === row.hash) {
          committed++;
          results.push({ kind: 'landed', key: row, outcome: 'committed', atSlot: currentSlot, note: 'found on chain after a restart' });
        } else {
          conflict++;
          results.push({ kind: 'landed', key: row, outcome: 'conflict', atSlot: currentSlot, note: `the chain holds ${onChain} for this slot` });
        }
      }
    } finally {
      this.queue.settle(results);
    }
    this.recovered = true;
    return { checked: rows.length, committed, conflict, requeued: rows.length - committed - conflict };
  }
}

/** The queued statements that may go now, in slot order; counts what is held back and why. */
function planSubmissions(keys: readonly OpenStatementKey[], connected: (microgrid: Hex) => boolean, max: number): Plan {
  const eligible: StatementKey[] = [];
  const isConnected = new Map<Hex, boolean>();
  const blockedMicrogrids = new Set<Hex>();
  let islanded = 0;
  let blocked = 0;
  for (const key of keys) {
    let up = isConnected.get(key.microgrid);
    if (up === undefined) isConnected.set(key.microgrid, (up = connected(key.microgrid)));
    if (!up) {
      islanded++;
    } else if (blockedMicrogrids.has(key.microgrid) || key.status !== 'queued') {
      blockedMicrogrids.add(key.microgrid);
      blocked++;
    } else if (eligible.length < max) {
      eligible.push({ microgrid: key.microgrid, slot: key.slot });
    }
  }
  return { eligible, islanded, blocked };
}

async function landedAnyway(sink: StatementSink, row: QueuedStatement): Promise<boolean> {
  try {
    return (await sink.statementHashOf(row.microgrid, row.slot))?.toLowerCase() === row.hash;
  } catch {
    return false; // the chain cannot be read either: count the error, retry later
  }
}

async function conflictNote(sink: StatementSink, row: QueuedStatement): Promise<string> {
  try {
    return `the chain holds ${(await sink.statementHashOf(row.microgrid, row.slot)) ?? '(nothing)'} for this slot`;
  } catch (error) {
    return `the chain holds another statement for this slot (reading its hash failed: ${errorText(error)})`;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
