import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { InvariantError } from '../../core/assert.js';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { idOf, statementHash } from '../../core/ledger/statement.js';
import { LedgerStore } from './ledger-store.js';
import { LedgerLimitError, LedgerStoreError, StatementConflictError, StatementOrderError } from './ledger-store-errors.js';

const sig = (n: number): Hex => `0x${n.toString(16).padStart(2, '0').repeat(64)}1b`;
const north = idOf('area:north');
const south = idOf('area:south');

let store: LedgerStore;
beforeEach(() => {
  store = LedgerStore.open(':memory:');
});
afterEach(() => store.close());

describe('StatementQueue', () => {
  it('queues a statement with its signatures and returns it intact', () => {
    const s = aStatement({ microgrid: north, slot: 4n });
    expect(store.queue.enqueue(s, [sig(1), sig(2)], 4n)).toBe('queued');
    const row = store.queue.get(north, 4n);
    expect(row).toMatchObject({ status: 'queued', hash: statementHash(s), signatures: [sig(1), sig(2)], queuedAtSlot: 4n, committedAtSlot: null, attempts: 0 });
    expect(row?.statement).toEqual(s);
    expect(store.queue.openCount()).toBe(1);
  });

  it('is idempotent: the same statement again is a no-op', () => {
    const s = aStatement({ microgrid: north, slot: 4n });
    store.queue.enqueue(s, [sig(1)], 4n);
    expect(store.queue.enqueue(s, [sig(9)], 5n)).toBe('already-queued');
    expect(store.queue.get(north, 4n)?.signatures).toEqual([sig(1)]);
    expect(store.queue.openCount()).toBe(1);
  });

  it('error: another statement for the same microgrid and slot', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 4n }), [sig(1)], 4n);
    const other = aStatement({ microgrid: north, slot: 4n, tradesRoot: idOf('other') });
    expect(() => store.queue.enqueue(other, [sig(1)], 4n)).toThrow(StatementConflictError);
  });

  it('queues several statements in one transaction, all or none', () => {
    const a = aStatement({ microgrid: north, slot: 1n });
    const b = aStatement({ microgrid: south, slot: 1n });
    expect(store.queue.enqueueMany([{ statement: a, signatures: [sig(1)] }, { statement: b, signatures: [sig(2)] }], 1n)).toEqual(['queued', 'queued']);
    const c = aStatement({ microgrid: north, slot: 2n });
    const rival = aStatement({ microgrid: south, slot: 1n, tradesRoot: idOf('rival') });
    expect(() => store.queue.enqueueMany([{ statement: c, signatures: [sig(1)] }, { statement: rival, signatures: [sig(1)] }], 2n)).toThrow(StatementConflictError);
    expect(store.queue.get(north, 2n)).toBeUndefined();
    expect(store.queue.openCount()).toBe(2);
    expect(store.queue.enqueueMany([{ statement: a, signatures: [sig(1)] }, { statement: c, signatures: [sig(1)] }], 2n)).toEqual(['already-queued', 'queued']);
    expect(store.queue.openCount()).toBe(3);
  });

  it('lists pending statements in slot order, then microgrid', () => {
    store.queue.enqueue(aStatement({ microgrid: south, slot: 2n }), [sig(1)], 2n);
    store.queue.enqueue(aStatement({ microgrid: north, slot: 3n }), [sig(1)], 3n);
    store.queue.enqueue(aStatement({ microgrid: north, slot: 2n }), [sig(1)], 3n);
    const order = [north, south].sort();
    expect(store.queue.pending().map((r) => [r.slot, r.microgrid])).toEqual([[2n, order[0]], [2n, order[1]], [3n, north]]);
    expect(store.queue.pending({ limit: 1 })).toHaveLength(1);
  });

  it('error: a slot earlier than one already sent cannot be queued', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 5n }), [sig(1)], 5n);
    store.queue.claim([{ microgrid: north, slot: 5n }]);
    expect(() => store.queue.enqueue(aStatement({ microgrid: north, slot: 4n }), [sig(1)], 6n)).toThrow(StatementOrderError);
    expect(store.queue.enqueue(aStatement({ microgrid: south, slot: 4n }), [sig(1)], 6n)).toBe('queued');
  });

  it('moves claimed statements through their states and counts them', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 1n }), [sig(1)], 1n);
    store.queue.enqueue(aStatement({ microgrid: north, slot: 2n }), [sig(1)], 2n);
    store.queue.enqueue(aStatement({ microgrid: north, slot: 3n }), [sig(1)], 2n);
    const claimed = store.queue.claim([1n, 2n, 3n].map((slot) => ({ microgrid: north, slot })));
    expect(claimed.map((c) => c.status)).toEqual(['submitting', 'submitting', 'submitting']);
    store.queue.settle([
      { kind: 'landed', key: { microgrid: north, slot: 1n }, outcome: 'committed', atSlot: 9n, txHash: idOf('tx'), gasUsed: 1n, blockNumber: 2n },
      { kind: 'error', key: { microgrid: north, slot: 2n }, error: 'boom', final: false },
      { kind: 'unsent', key: { microgrid: north, slot: 3n } },
    ]);
    expect(store.queue.get(north, 1n)).toMatchObject({ status: 'committed', committedAtSlot: 9n, txHash: idOf('tx'), gasUsed: 1n, blockNumber: 2n });
    expect(store.queue.get(north, 2n)).toMatchObject({ status: 'queued', error: 'boom', attempts: 1 });
    expect(store.queue.get(north, 3n)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(store.queue.counts()).toEqual({ queued: 2, submitting: 0, committed: 1, duplicate: 0, conflict: 0, failed: 0 });
    expect(store.queue.openCount()).toBe(2);
    expect(store.queue.settlementLags()).toEqual([{ microgrid: north, slot: 1n, status: 'committed', queuedAtSlot: 1n, committedAtSlot: 9n, lagSlots: 8n }]);
  });

  it('never claims a later slot while an earlier one of its microgrid is still open', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 1n }), [sig(1)], 1n);
    store.queue.enqueue(aStatement({ microgrid: north, slot: 2n }), [sig(1)], 2n);
    store.queue.enqueue(aStatement({ microgrid: south, slot: 2n }), [sig(1)], 2n);
    const claimed = store.queue.claim([{ microgrid: north, slot: 2n }, { microgrid: south, slot: 2n }]);
    expect(claimed.map((c) => c.microgrid)).toEqual([south]);
    expect(store.queue.get(north, 2n)?.status).toBe('queued');
  });

  it('fails a statement for good and puts it back on request', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 1n }), [sig(1)], 1n);
    store.queue.claim([{ microgrid: north, slot: 1n }]);
    store.queue.settle([{ kind: 'error', key: { microgrid: north, slot: 1n }, error: 'reverted', final: true }]);
    expect(store.queue.get(north, 1n)?.status).toBe('failed');
    expect(store.queue.openCount()).toBe(1);
    store.queue.requeueFailed(north, 1n);
    expect(store.queue.get(north, 1n)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(() => store.queue.requeueFailed(north, 1n)).toThrow(LedgerStoreError);
  });

  it('asserts when asked to settle a statement that is not submitting', () => {
    store.queue.enqueue(aStatement({ microgrid: north, slot: 1n }), [sig(1)], 1n);
    expect(() => store.queue.settle([{ kind: 'unsent', key: { microgrid: north, slot: 1n } }])).toThrow(InvariantError);
  });

  it('error: refuses bad signatures, too many signatures and a full queue', () => {
    const limited = LedgerStore.open(':memory:', { maxSignatures: 2, maxOpenStatements: 1, maxStatementBytes: 100_000 });
    const s = aStatement({ microgrid: north, slot: 1n });
    expect(() => limited.queue.enqueue(s, [], 1n)).toThrow(/at least one signature/);
    expect(() => limited.queue.enqueue(s, ['0x12'], 1n)).toThrow(/signatures\[0\]/);
    expect(() => limited.queue.enqueue(s, [sig(1), sig(2), sig(3)], 1n)).toThrow(LedgerLimitError);
    limited.queue.enqueue(s, [sig(1)], 1n);
    expect(() => limited.queue.enqueue(aStatement({ microgrid: north, slot: 2n }), [sig(1)], 1n)).toThrow(/queue is full/);
    limited.close();
  });

  it('error: refuses a statement body over its limit', () => {
    const limited = LedgerStore.open(':memory:', { maxStatementBytes: 500 });
    expect(() => limited.queue.enqueue(aStatement(), [sig(1)], 1n)).toThrow(/statement body is too large/);
    limited.close();
  });
});
