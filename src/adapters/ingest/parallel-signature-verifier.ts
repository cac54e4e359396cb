/**
 * Verifies the Ed25519 signatures of many signed records (readings, orders) on worker threads.
 * Records are packed into batches of at most maxBatchRecords, copied into a fresh ArrayBuffer that
 * is transferred (not cloned) to the least busy worker; results come back the same way. The
 * result has one byte per record: 1 = valid signature by the key inside the record, 0 = not.
 * Checking that the key belongs to an admitted device stays with the gate
 * (`gate.ingestVerified(bytes, slot, valid)`).
 *
 * A worker that fails (uncaught error, unexpected exit) fails its pending batches with an
 * IngestWorkerError('worker-failed') and is replaced (WorkerJobPool). Idle workers do not keep the
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ORDER_LAYOUT } from '../../core/identity/signed-order.js';
import { READING_LAYOUT } from '../../core/identity/signed-reading.js';
import { KEY_OFFSET, type SignedLayout } from '../../core/identity/signed-layout.js';
import { IngestWorkerError } from './ingest-errors.js';
import { VERIFIER_WORKER_SOURCE } from './verifier-worker-source.js';
import { WorkerJobPool } from '../worker-job-pool.js';

export const MAX_BATCH_RECORDS_DEFAULT = 1024;
export const MAX_BATCH_RECORDS_LIMIT = 65_536;
export const MAX_RECORDS_PER_CALL_DEFAULT = 1_000_000;
export const MAX_THREADS = 64;
export const KEY_CACHE_SIZE_DEFAULT = 100_000;

export interface ParallelVerifierOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Records per batch sent to a worker; default 1024. */
  readonly maxBatchRecords?: number;
  /** Records per verify() call; default 1,000,000. */
  readonly maxRecordsPerCall?: number;
  /** Public keys cached per worker; default 100,000. */
  readonly keyCacheSize?: number;
  /** The worker's code (plain CommonJS); default VERIFIER_WORKER_SOURCE. */
  readonly workerSource?: string;
}

export class ParallelSignatureVerifier {
  readonly threads: number;
  readonly maxBatchRecords: number;
  readonly maxRecordsPerCall: number;
  private readonly jobs: WorkerJobPool<VerifierReply, Uint8Array<ArrayBuffer>>;
  private closed = false;

  constructor(readonly layout: SignedLayout, private readonly options: ParallelVerifierOptions = {}) {
    this.threads = bounded(options.threads ?? availableParallelism(), 1, MAX_THREADS, 'threads');
    this.maxBatchRecords = bounded(options.maxBatchRecords ?? MAX_BATCH_RECORDS_DEFAULT, 1, MAX_BATCH_RECORDS_LIMIT, 'maxBatchRecords');
    this.maxRecordsPerCall = bounded(options.maxRecordsPerCall ?? MAX_RECORDS_PER_CALL_DEFAULT, 1, 100_000_000, 'maxRecordsPerCall');
    const keyCacheSize = bounded(options.keyCacheSize ?? KEY_CACHE_SIZE_DEFAULT, 1, 10_000_000, 'keyCacheSize');
    const workerData = { recordBytes: layout.recordBytes, messageBytes: layout.messageBytes, formatByte: layout.formatByte, keyOffset: KEY_OFFSET, keyCacheSize };
    this.jobs = new WorkerJobPool({
      threads: this.threads,
      spawn: () => new Worker(options.workerSource ?? VERIFIER_WORKER_SOURCE, { eval: true, workerData }),
      interpret: (reply) => {
        if (reply.results instanceof ArrayBuffer) return new Uint8Array(reply.results);
        throw new IngestWorkerError('bad-batch', `the worker rejected a batch: ${reply.error ?? 'no reason given'}`);
      },
      workerFailed: (message, cause) => new IngestWorkerError('worker-failed', `a verification worker failed: ${message}`, { cause }),
      closed: () => new IngestWorkerError('closed', 'the verifier was closed'),
    });
  }

  /** One byte per record: 1 = valid signature, 0 = invalid (records of the wrong length are 0 and not sent). */
  async verify(records: readonly Uint8Array[]): Promise<Uint8Array> {
    this.checkCall(records.length);
    const { recordBytes } = this.layout;
    const results = new Uint8Array(records.length);
    const wellSized: number[] = [];
    records.forEach((record, i) => {
      if (record.length === recordBytes) wellSized.push(i);
    });
    const batches: Promise<void>[] = [];
    for (let start = 0; start < wellSized.length; start += this.maxBatchRecords) {
      const indices = wellSized.slice(start, start + this.maxBatchRecords);
      const packed = new Uint8Array(indices.length * recordBytes);
      indices.forEach((index, k) => packed.set(records[index]!, k * recordBytes));
      batches.push(this.post(packed).then((batch) => indices.forEach((index, k) => (results[index] = batch[k]!))));
    }
    await Promise.all(batches);
    return results;
  }

  /**
   * Verifies records packed back to back in one buffer (e.g. straight from the network). A buffer
   * that is not a whole number of records fails with IngestWorkerError('bad-batch').
   */
  async verifyPacked(packed: Uint8Array): Promise<Uint8Array> {
    const { recordBytes } = this.layout;
    this.checkCall(Math.ceil(packed.length / recordBytes));
    const batchBytes = this.maxBatchRecords * recordBytes;
    const parts: Promise<Uint8Array>[] = [];
    for (let start = 0; start < packed.length; start += batchBytes) parts.push(this.post(packed.slice(start, start + batchBytes)));
    const batches = await Promise.all(parts);
    const results = new Uint8Array(batches.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const batch of batches) {
      results.set(batch, offset);
      offset += batch.length;
    }
    return results;
  }

  /** Stops the workers; pending and later calls fail with IngestWorkerError('closed'). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.close();
  }

  private checkCall(records: number): void {
    if (this.closed) throw new IngestWorkerError('closed', 'the verifier is closed');
    if (records > this.maxRecordsPerCall) {
      throw new IngestWorkerError('too-many-records', `at most ${this.maxRecordsPerCall} records per call (got ${records})`);
    }
  }

  /** Sends one batch (its buffer is transferred) to the least busy worker. */
  private post(batch: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new IngestWorkerError('closed', 'the verifier is closed'));
    return this.jobs.post((id) => ({ id, buffer: batch.buffer }), [batch.buffer]);
  }
}

interface VerifierReply {
  readonly id: number;
  readonly results?: ArrayBuffer;
  readonly error?: string;
}

/** Verifies signed readings (113-byte records) on worker threads. */
export class ParallelReadingVerifier extends ParallelSignatureVerifier {
  constructor(options: ParallelVerifierOptions = {}) {
    super(READING_LAYOUT, options);
  }
}

/** Verifies signed orders (115-byte records) on worker threads. */
export class ParallelOrderVerifier extends ParallelSignatureVerifier {
  constructor(options: ParallelVerifierOptions = {}) {
    super(ORDER_LAYOUT, options);
  }
}

function bounded(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IngestWorkerError('bad-config', `${field}: expected an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}
