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
 * ValidatorPoolError('worker-failed') and is replaced (WorkerJobPool). Idle workers do not keep the
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Hex } from 'viem';
import type { SignedVote } from '../../core/ledger/quorum.js';
import type { SettlementDomain } from '../../core/ledger/statement-signing.js';
import type { Statement } from '../../core/ledger/statement.js';
import type { UnitSlotInputs } from '../../core/trust/unit-settlement.js';
import { WorkerJobPool } from '../worker-job-pool.js';

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

const SOURCE_IS_TS = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(SOURCE_IS_TS ? './validator-pool-worker.ts' : './validator-pool-worker.js', import.meta.url);

export class ValidatorPool {
  readonly threads: number;
  readonly maxPending: number;
  private readonly jobs: WorkerJobPool<VoteReply, Map<string, PoolVote>>;
  private closed = false;

  constructor(options: ValidatorPoolOptions = {}) {
    this.threads = bounded(options.threads ?? Math.max(1, availableParallelism() - 1), 1, MAX_POOL_THREADS, 'threads');
    this.maxPending = bounded(options.maxPending ?? DEFAULT_MAX_PENDING, 1, 1_000_000, 'maxPending');
    this.jobs = new WorkerJobPool({
      threads: this.threads,
      spawn: startThread,
      interpret: (reply) => {
        if ('error' in reply) throw new ValidatorPoolError('refused', `a validator refused the unit's inputs: ${reply.error}`);
        return new Map(reply.votes.map((v) => [v.validator, { statement: reply.statements[v.statement] as Statement, signature: v.signature, hash: v.hash }]));
      },
      workerFailed: (message, cause) => new ValidatorPoolError('worker-failed', `a validator thread failed: ${message}`, { cause }),
      closed: () => new ValidatorPoolError('closed', 'the validator pool was closed'),
    });
  }

  /** Every validator of the job votes; the votes by validator id, in the job's order. */
  vote(job: UnitVoteJob): Promise<Map<string, PoolVote>> {
    if (this.closed) return Promise.reject(new ValidatorPoolError('closed', 'the validator pool is closed'));
    if (this.jobs.pendingCount >= this.maxPending) {
      return Promise.reject(new ValidatorPoolError('busy', `the validator pool has ${this.jobs.pendingCount} jobs in flight (at most ${this.maxPending})`));
    }
    return this.jobs.post((id): VoteRequest => ({ id, job }));
  }

  /** Stops the threads; jobs in flight and later calls fail with ValidatorPoolError('closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.close();
  }
}

/** From the TypeScript sources (tests, tsx) the thread registers tsx's loader first; the build runs .js. */
function startThread(): Worker {
  return SOURCE_IS_TS
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`, { eval: true })
    : new Worker(WORKER_URL);
}

function bounded(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidatorPoolError('bad-config', `${field}: expected an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}
