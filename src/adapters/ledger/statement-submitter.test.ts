import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { idOf, statementHash, type Statement } from '../../core/ledger/statement.js';
import { FakeChainSink } from './fake-chain-sink.fixture.js';
import { LedgerStore } from './ledger-store.js';
import { StatementSubmitter, type SubmitProgress } from './statement-submitter.js';

const sig: Hex = `0x${'ab'.repeat(64)}1c`;
const north = idOf('area:north').toLowerCase() as Hex;
const south = idOf('area:south').toLowerCase() as Hex;
const st = (microgrid: Hex, slot: bigint): Statement => aStatement({ microgrid, slot });

let store: LedgerStore;
beforeEach(() => {
  store = LedgerStore.open(':memory:');
});
afterEach(() => store.close());

function enqueueSlots(microgrid: Hex, slots: readonly number[], queuedAtSlot = 0n): void {
  for (const slot of slots) store.queue.enqueue(st(microgrid, BigInt(slot)), [sig], queuedAtSlot === 0n ? BigInt(slot) : queuedAtSlot);
}

const appliedSlots = (sink: FakeChainSink, microgrid: Hex) => sink.applied.filter((a) => a.microgrid === microgrid).map((a) => a.slot);

describe('StatementSubmitter', () => {
  it('commits queued statements in slot order and records the slot they landed at', async () => {
    enqueueSlots(north, [1, 2, 3]);
    enqueueSlots(south, [2]);
    const sink = new FakeChainSink();
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 5n, maxBatch: 2 });
    expect(report).toMatchObject({ sent: 4, committed: 4, duplicate: 0, errors: 0, islanded: 0, blocked: 0, open: 0 });
    expect(sink.applied.map((a) => a.slot)).toEqual([1n, 2n, 2n, 3n]);
    expect(store.queue.get(north, 3n)).toMatchObject({ status: 'committed', committedAtSlot: 5n, gasUsed: 90_000n });
    expect(store.queue.get(north, 3n)?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('marks a statement the chain already holds as duplicate, applied once', async () => {
    const s = st(north, 1n);
    const sink = new FakeChainSink();
    await sink.submitStatement(s, [sig]);
    store.queue.enqueue(s, [sig], 1n);
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 2n });
    expect(report.duplicate).toBe(1);
    expect(store.queue.get(north, 1n)?.status).toBe('duplicate');
    expect(sink.applied).toHaveLength(1);
  });

  it('marks a conflict when the chain holds another statement for the slot', async () => {
    const sink = new FakeChainSink();
    await sink.submitStatement(aStatement({ microgrid: north, slot: 1n, tradesRoot: idOf('other') }), [sig]);
    enqueueSlots(north, [1, 2]);
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 3n });
    expect(report).toMatchObject({ conflict: 1, committed: 1 });
    const row = store.queue.get(north, 1n);
    expect(row?.status).toBe('conflict');
    expect(row?.error).toContain(statementHash(aStatement({ microgrid: north, slot: 1n, tradesRoot: idOf('other') })));
  });

  it('keeps an islanded microgrid queued and sends its backlog in order when it reconnects', async () => {
    enqueueSlots(north, [1, 2, 3, 4]);
    enqueueSlots(south, [1, 2]);
    const sink = new FakeChainSink();
    const submitter = new StatementSubmitter(store.queue);
    let connected = false;
    const isUp = (mg: Hex) => mg !== north || connected;
    const first = await submitter.submitPending(sink, { currentSlot: 4n, connected: isUp });
    expect(first).toMatchObject({ committed: 2, islanded: 4, open: 4 });
    connected = true;
    const progress: SubmitProgress[] = [];
    const second = await submitter.submitPending(sink, { currentSlot: 10n, connected: isUp, onProgress: (p) => progress.push(p) });
    expect(second).toMatchObject({ committed: 4, islanded: 0, open: 0 });
    expect(appliedSlots(sink, north)).toEqual([1n, 2n, 3n, 4n]);
    expect(progress.map((p) => `${p.done}/${p.total} ${p.slot} ${p.outcome}`)).toEqual(['1/4 1 committed', '2/4 2 committed', '3/4 3 committed', '4/4 4 committed']);
    expect(store.queue.settlementLags({ microgrid: north }).map((l) => l.lagSlots)).toEqual([9n, 8n, 7n, 6n]);
  });

  it('stops a microgrid at an error, retries later, and fails for good after maxAttempts', async () => {
    enqueueSlots(north, [1, 2, 3]);
    enqueueSlots(south, [1, 2]);
    let down = true;
    const sink = new FakeChainSink({ failWhen: (s) => down && s.microgrid.toLowerCase() === north && s.slot === 2n });
    const submitter = new StatementSubmitter(store.queue, { maxAttempts: 2 });
    const first = await submitter.submitPending(sink, { currentSlot: 3n });
    expect(first).toMatchObject({ committed: 3, errors: 1, failed: 0, open: 2 });
    expect(appliedSlots(sink, north)).toEqual([1n]);
    expect(store.queue.get(north, 2n)).toMatchObject({ status: 'queued', attempts: 1, error: 'Error: the chain is unreachable' });
    expect(store.queue.get(north, 3n)?.status).toBe('queued');
    const second = await submitter.submitPending(sink, { currentSlot: 4n });
    expect(second).toMatchObject({ errors: 1, failed: 1 });
    expect(store.queue.get(north, 2n)?.status).toBe('failed');
    const third = await submitter.submitPending(sink, { currentSlot: 5n });
    expect(third).toMatchObject({ sent: 0, blocked: 2 });
    down = false;
    store.queue.requeueFailed(north, 2n);
    const fourth = await submitter.submitPending(sink, { currentSlot: 6n });
    expect(fourth).toMatchObject({ committed: 2, open: 0 });
    expect(appliedSlots(sink, north)).toEqual([1n, 2n, 3n]);
  });

  it('records a statement as committed when it landed although the submission threw', async () => {
    enqueueSlots(north, [1, 2]);
    const sink = new FakeChainSink({ loseReceiptWhen: (s) => s.slot === 1n });
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 3n });
    expect(report).toMatchObject({ committed: 2, errors: 0, open: 0 });
    expect(store.queue.get(north, 1n)?.error).toMatch(/^on chain although the submission failed: Error: timed out/);
    expect(sink.applied).toHaveLength(2);
  });

  it('recovers statements left submitting by a crash', async () => {
    enqueueSlots(north, [1, 2, 3]);
    enqueueSlots(south, [1]);
    const sink = new FakeChainSink();
    // A crashed process had claimed all four and got north 1 on chain; south 1 had a rival statement.
    store.queue.claim([{ microgrid: north, slot: 1n }, { microgrid: south, slot: 1n }, { microgrid: north, slot: 2n }, { microgrid: north, slot: 3n }]);
    await sink.submitStatement(st(north, 1n), [sig]);
    await sink.submitStatement(aStatement({ microgrid: south, slot: 1n, tradesRoot: idOf('rival') }), [sig]);
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 7n });
    expect(report.recovered).toEqual({ checked: 4, committed: 1, conflict: 1, requeued: 2 });
    expect(report).toMatchObject({ committed: 2, open: 0 });
    expect(store.queue.get(north, 1n)).toMatchObject({ status: 'committed', committedAtSlot: 7n, txHash: null });
    expect(store.queue.get(south, 1n)?.status).toBe('conflict');
    expect(sink.applied.filter((a) => a.microgrid === north).map((a) => a.slot)).toEqual([1n, 2n, 3n]);
  });

  it('sends at most maxStatements per call', async () => {
    enqueueSlots(north, [1, 2, 3, 4, 5]);
    const sink = new FakeChainSink();
    const report = await new StatementSubmitter(store.queue).submitPending(sink, { currentSlot: 5n, maxStatements: 2 });
    expect(report).toMatchObject({ sent: 2, open: 3 });
  });

  it('error: refuses a second call while one is running', async () => {
    enqueueSlots(north, [1]);
    const submitter = new StatementSubmitter(store.queue);
    const sink = new FakeChainSink();
    const running = submitter.submitPending(sink, { currentSlot: 1n });
    await expect(submitter.submitPending(sink, { currentSlot: 1n })).rejects.toThrow(/already running/);
    await running;
  });

  it('puts unsent statements back when progress reporting throws', async () => {
    enqueueSlots(north, [1, 2, 3]);
    const sink = new FakeChainSink();
    const submitter = new StatementSubmitter(store.queue);
    const onProgress = () => { throw new Error('display gone'); };
    await expect(submitter.submitPending(sink, { currentSlot: 1n, onProgress })).rejects.toThrow('display gone');
    expect(store.queue.counts()).toMatchObject({ committed: 1, queued: 2, submitting: 0 });
  });

  it('applies every statement exactly once, in slot order per microgrid, whatever happens (property)', async () => {
    const microgrids = [north, south, idOf('area:east').toLowerCase() as Hex];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('enqueue' as const), mg: fc.nat({ max: 2 }), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('submit' as const), up: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), batch: fc.integer({ min: 1, max: 4 }), max: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant('outage' as const), on: fc.boolean() }),
      fc.record({ kind: fc.constant('restart' as const) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
      const s = LedgerStore.open(':memory:', {});
      let outage = false;
      const sink = new FakeChainSink({ failWhen: () => outage });
      let submitter = new StatementSubmitter(s.queue, { maxAttempts: 1_000 });
      const next = [0, 0, 0];
      let slot = 0n;
      for (const x of steps) {
        slot++;
        if (x.kind === 'enqueue') {
          for (let k = 0; k < x.n; k++) s.queue.enqueue(st(microgrids[x.mg] as Hex, BigInt(next[x.mg]!++)), [sig], slot);
        } else if (x.kind === 'submit') {
          await submitter.submitPending(sink, { currentSlot: slot, maxBatch: x.batch, maxStatements: x.max, connected: (mg) => x.up[microgrids.indexOf(mg)] === true });
        } else if (x.kind === 'outage') {
          outage = x.on;
        } else {
          submitter = new StatementSubmitter(s.queue, { maxAttempts: 1_000 });
        }
      }
      outage = false;
      await submitter.submitPending(sink, { currentSlot: slot + 1n });
      const total = next.reduce((a, b) => a + b, 0);
      expect(sink.applied).toHaveLength(total);
      for (const [i, mg] of microgrids.entries()) expect(appliedSlots(sink, mg)).toEqual(Array.from({ length: next[i]! }, (_, k) => BigInt(k)));
      expect(s.queue.counts()).toMatchObject({ committed: total, queued: 0, submitting: 0, failed: 0 });
      s.close();
    }), { numRuns: 60 });
  });
});
