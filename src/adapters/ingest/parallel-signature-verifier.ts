/**
 * Verifies the Ed25519 signatures of many signed records (readings, orders) on worker threads.
 * Records are packed into batches of at most maxBatchRecords, copied into a fresh ArrayBuffer that
 * is transferred (not cloned) to the least busy worker; results come back the same way. The
 * result has one byte per record: 1 = valid signature by the key inside the record, 0 = not.
 * Checking that the key belongs to an admitted device stays with the gate
 * (`gate.ingestVerified(bytes, slot, valid)`).
 *
 * A worker that fails (uncaught error, unexpected exit) fails its pending batches with an
 * IngestWorkerError('worker-failed') and is replaced. Idle workers do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ORDER_LAYOUT } from '../../core/identity/signed-order.js';
import { READING_LAYOUT } from '../../core/identity/signed-reading.js';
import { KEY_OFFSET, type SignedLayout } from '../../core/identity/signed-layout.js';
import { IngestWorkerError } from './ingest-errors.js';
import { VERIFIER_WORKER_SOURCE } from './verifier-worker-source.js';

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

interface Job {
  readonly worker: WorkerSlot;
  readonly resolve: (results: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface WorkerSlot {
  worker: Worker;
  pending: number;
}

export class ParallelSignatureVerifier {
  readonly threads: number;
  readonly maxBatchRecords: number;
  readonly maxRecordsPerCall: number;
  private readonly slots: WorkerSlot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextJobId = 0;
  private closed = false;
  private readonly workerData: Record<string, number>;

  constructor(readonly layout: SignedLayout, private readonly options: ParallelVerifierOptions = {}) {
    this.threads = bounded(options.threads ?? availableParallelism(), 1, MAX_THREADS, 'threads');
    this.maxBatchRecords = bounded(options.maxBatchRecords ?? MAX_BATCH_RECORDS_DEFAULT, 1, MAX_BATCH_RECORDS_LIMIT, 'maxBatchRecords');
    this.maxRecordsPerCall = bounded(options.maxRecordsPerCall ?? MAX_RECORDS_PER_CALL_DEFAULT, 1, 100_000_000, 'maxRecordsPerCall');
    const keyCacheSize = bounded(options.keyCacheSize ?? KEY_CACHE_SIZE_DEFAULT, 1, 10_000_000, 'keyCacheSize');
    this.workerData = { recordBytes: layout.recordBytes, messageBytes: layout.messageBytes, formatByte: layout.formatByte, keyOffset: KEY_OFFSET, keyCacheSize };
    for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn());
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
    this.failJobs(() => true, new IngestWorkerError('closed', 'the verifier was closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
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
    const slot = this.slots.reduce((best, s) => (s.pending < best.pending ? s : best));
    const id = this.nextJobId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.jobs.set(id, { worker: slot, resolve, reject });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage({ id, buffer: batch.buffer }, [batch.buffer]);
    });
  }

  private spawn(): WorkerSlot {
    const worker = new Worker(this.options.workerSource ?? VERIFIER_WORKER_SOURCE, { eval: true, workerData: this.workerData });
    const slot: WorkerSlot = { worker, pending: 0 };
    worker.on('message', (reply: { id: number; results?: ArrayBuffer; error?: string }) => this.settle(reply));
    worker.on('error', (cause) => this.replace(slot, cause));
    worker.on('exit', (code) => this.replace(slot, new Error(`worker exited with code ${code}`)));
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker's port again
    return slot;
  }

  private settle(reply: { id: number; results?: ArrayBuffer; error?: string }): void {
    const job = this.jobs.get(reply.id);
    if (job === undefined) return;
    this.jobs.delete(reply.id);
    this.release(job.worker);
    if (reply.results instanceof ArrayBuffer) job.resolve(new Uint8Array(reply.results));
    else job.reject(new IngestWorkerError('bad-batch', `the worker rejected a batch: ${reply.error ?? 'no reason given'}`));
  }

  /** Fails the pending jobs of a failed worker and puts a fresh worker in its place. */
  private replace(slot: WorkerSlot, cause: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const message = cause instanceof Error ? cause.message : String(cause);
    this.failJobs((job) => job.worker === slot, new IngestWorkerError('worker-failed', `a verification worker failed: ${message}`, { cause }));
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
  }

  private failJobs(which: (job: Job) => boolean, error: IngestWorkerError): void {
    for (const [id, job] of this.jobs) {
      if (!which(job)) continue;
      this.jobs.delete(id);
      this.release(job.worker);
      job.reject(error);
    }
  }

  private release(slot: WorkerSlot): void {
    if (--slot.pending === 0) slot.worker.unref();
  }
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
