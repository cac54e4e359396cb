/**
 * The bookkeeping shared by gridmesh's worker-thread pools (ParallelSignatureVerifier,
 * ValidatorPool): a fixed number of threads, each job posted to the least busy one with an id, its
 * promise settled by the reply with that id. A thread that fails (uncaught error, unexpected exit)
 * fails its pending jobs and is replaced. Idle threads do not keep the process alive. What a reply
 * means, and which errors to raise, is the owner's.
 */
import type { Transferable, Worker } from 'node:worker_threads';

export interface WorkerJobPoolOptions<Reply extends { readonly id: number }, Result> {
  readonly threads: number;
  /** Starts one thread (the pool adds its listeners). */
  readonly spawn: () => Worker;
  /** The job's result from its reply; throw an Error to reject the job with it. */
  readonly interpret: (reply: Reply) => Result;
  /** The error for the jobs of a thread that failed. */
  readonly workerFailed: (message: string, cause: unknown) => Error;
  /** The error for jobs still pending at close(). */
  readonly closed: () => Error;
}

interface Slot {
  worker: Worker;
  pending: number;
}

interface Pending<Result> {
  readonly slot: Slot;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}

export class WorkerJobPool<Reply extends { readonly id: number }, Result> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending<Result>>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: WorkerJobPoolOptions<Reply, Result>) {
    for (let i = 0; i < options.threads; i++) this.slots.push(this.spawn());
  }

  /** Jobs posted and not yet settled. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Posts `message(id)` to the least busy thread, transferring `transfer`. */
  post(message: (id: number) => unknown, transfer: readonly Transferable[] = []): Promise<Result> {
    const slot = this.slots.reduce((best, s) => (s.pending < best.pending ? s : best));
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage(message(id), transfer);
    });
  }

  /** Fails the pending jobs with `options.closed()` and stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(() => true, this.options.closed());
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = this.options.spawn();
    const slot: Slot = { worker, pending: 0 };
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (cause) => this.replace(slot, cause));
    worker.on('exit', (code) => this.replace(slot, new Error(`worker exited with code ${code}`)));
    worker.unref(); // after the listeners: a 'message' listener refs the port again
    return slot;
  }

  private settle(reply: Reply): void {
    const job = this.pending.get(reply.id);
    if (job === undefined) return;
    this.pending.delete(reply.id);
    this.release(job.slot);
    let result: Result;
    try {
      result = this.options.interpret(reply);
    } catch (error) {
      job.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    job.resolve(result);
  }

  /** Fails the pending jobs of a failed thread and puts a fresh one in its place. */
  private replace(slot: Slot, cause: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const message = cause instanceof Error ? cause.message : String(cause);
    this.fail((p) => p.slot === slot, this.options.workerFailed(message, cause));
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
  }

  private fail(which: (p: Pending<Result>) => boolean, error: Error): void {
    for (const [id, p] of this.pending) {
      if (!which(p)) continue;
      this.pending.delete(id);
      this.release(p.slot);
      p.reject(error);
    }
  }

  private release(slot: Slot): void {
    if (--slot.pending === 0) slot.worker.unref();
  }
}
