/**
 * Validators on worker threads (ADR 0016). Each validator of a unit re-executes the unit's
 * settlement from the same signed inputs and signs the statement hash; `TrustRun` does that
 * in-process, one validator after the other. A node that signs for several validators (the
 * simulation's keys, or a host running several controllers) can hand the work to this pool instead:
 * one job per unit and slot, spread over the threads, so the units' validators work in parallel, as
 * they do when each runs on its own machine. The main thread stays free to tally votes and drive
 * the chain while the threads compute.
 *
 * Bounded: at most `maxPending` jobs in flight (more fail at once with ValidatorPoolError('busy')).
 * A job whose inputs a validator refuses (e.g. trades beyond the signed orders) fails with
 * ValidatorPoolError('refused') and the validator's reason. A worker that dies fails its jobs with
 * ValidatorPoolError('worker-failed') and is replaced. Idle workers do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Hex } from 'viem';
import type { SignedVote } from '../../core/ledger/quorum.js';
import type { SettlementDomain } from '../../core/ledger/statement-signing.js';
import type { Statement } from '../../core/ledger/statement.js';
import type { UnitSlotInputs } from '../../core/trust/unit-settlement.js';

export const MAX_POOL_THREADS = 64;
export const DEFAULT_MAX_PENDING = 4_096;

export interface UnitVoteJob {
  readonly inputs: UnitSlotInputs;
  /** The validators that vote here, with their keys (each signs its own vote). */
  readonly validators: readonly { readonly id: string; readonly privateKey: Hex }[];
  readonly domain: SettlementDomain;
}

export interface PoolVote extends SignedVote {
  readonly hash: Hex;
}

/** @internal The message to a worker. */
export interface VoteRequest {
  readonly id: number;
  readonly job: UnitVoteJob;
}

/** @internal A worker's answer. */
export type VoteReply =
  | {
    readonly id: number;
    /** Each distinct statement once; a vote names its index. */
    readonly statements: readonly Statement[];
    readonly votes: readonly { readonly validator: string; readonly hash: Hex; readonly statement: number; readonly signature: Hex }[];
  }
  | { readonly id: number; readonly error: string };

export type ValidatorPoolErrorKind = 'bad-config' | 'busy' | 'closed' | 'refused' | 'worker-failed';

export class ValidatorPoolError extends Error {
  override readonly name = 'ValidatorPoolError';
  constructor(readonly kind: ValidatorPoolErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export interface ValidatorPoolOptions {
  /**
   * Worker threads; default os.availableParallelism() − 1 (at least 1): one core stays with the
   * main thread, which tallies and drives the chain (faster than every core in bench/trust.bench.ts).
   */
  readonly threads?: number;
  /** Jobs in flight at most; default 4,096. */
  readonly maxPending?: number;
}

interface Pending {
  readonly slot: WorkerSlot;
  readonly resolve: (votes: Map<string, PoolVote>) => void;
  readonly reject: (error: Error) => void;
}

interface WorkerSlot {
  worker: Worker;
  pending: number;
}

const SOURCE_IS_TS = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(SOURCE_IS_TS ? './validator-pool-worker.ts' : './validator-pool-worker.js', import.meta.url);

export class ValidatorPool {
  readonly threads: number;
  readonly maxPending: number;
  private readonly slots: WorkerSlot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(options: ValidatorPoolOptions = {}) {
    this.threads = bounded(options.threads ?? Math.max(1, availableParallelism() - 1), 1, MAX_POOL_THREADS, 'threads');
    this.maxPending = bounded(options.maxPending ?? DEFAULT_MAX_PENDING, 1, 1_000_000, 'maxPending');
    for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn());
  }

  /** Every validator of the job votes; the votes by validator id, in the job's order. */
  vote(job: UnitVoteJob): Promise<Map<string, PoolVote>> {
    if (this.closed) return Promise.reject(new ValidatorPoolError('closed', 'the validator pool is closed'));
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(new ValidatorPoolError('busy', `the validator pool has ${this.pending.size} jobs in flight (at most ${this.maxPending})`));
    }
    const slot = this.slots.reduce((best, s) => (s.pending < best.pending ? s : best));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      if (slot.pending++ === 0) slot.worker.ref();
      const request: VoteRequest = { id, job };
      slot.worker.postMessage(request);
    });
  }

  /** Stops the threads; jobs in flight and later calls fail with ValidatorPoolError('closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(() => true, new ValidatorPoolError('closed', 'the validator pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): WorkerSlot {
    // From the TypeScript sources (tests, tsx) the thread registers tsx's loader first; the build runs .js.
    const worker = SOURCE_IS_TS
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`, { eval: true })
      : new Worker(WORKER_URL);
    const slot: WorkerSlot = { worker, pending: 0 };
    worker.on('message', (reply: VoteReply) => this.settle(reply));
    worker.on('error', (cause) => this.replace(slot, cause));
    worker.on('exit', (code) => this.replace(slot, new Error(`worker exited with code ${code}`)));
    worker.unref(); // after the listeners: a 'message' listener refs the port again
    return slot;
  }

  private settle(reply: VoteReply): void {
    const job = this.pending.get(reply.id);
    if (job === undefined) return;
    this.pending.delete(reply.id);
    this.release(job.slot);
    if ('error' in reply) {
      job.reject(new ValidatorPoolError('refused', `a validator refused the unit's inputs: ${reply.error}`));
      return;
    }
    job.resolve(new Map(reply.votes.map((v) => [v.validator, { statement: reply.statements[v.statement] as Statement, signature: v.signature, hash: v.hash }])));
  }

  private replace(slot: WorkerSlot, cause: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const message = cause instanceof Error ? cause.message : String(cause);
    this.fail((p) => p.slot === slot, new ValidatorPoolError('worker-failed', `a validator thread failed: ${message}`, { cause }));
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
  }

  private fail(which: (p: Pending) => boolean, error: ValidatorPoolError): void {
    for (const [id, p] of this.pending) {
      if (!which(p)) continue;
      this.pending.delete(id);
      this.release(p.slot);
      p.reject(error);
    }
  }

  private release(slot: WorkerSlot): void {
    if (--slot.pending === 0) slot.worker.unref();
  }
}

function bounded(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidatorPoolError('bad-config', `${field}: expected an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}
