import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyProof } from '../../core/ledger/merkle-tree.js';
import { idOf } from '../../core/ledger/statement.js';
import { LedgerStore } from './ledger-store.js';
import { LedgerLimitError, LedgerSchemaError, LedgerStoreError } from './ledger-store-errors.js';

const mg = idOf('area:riverside');
const reading = (i: number) => ({ device: `did:key:dev-${i}`, bytes: Buffer.from(`reading ${i}`) });

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridmesh-ledger-'));
  path = join(dir, 'ledger.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LedgerStore', () => {
  it('opens in WAL mode with synchronous=FULL and records its schema version', () => {
    const store = LedgerStore.open(path);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '1' });
    db.close();
    const again = LedgerStore.open(path);
    expect(again.getMeta('schema_version')).toBe('1');
    again.close();
  });

  it('keeps leaves in order so any of them can be proven later', () => {
    let store = LedgerStore.open(path);
    const leaves = Array.from({ length: 10 }, (_, i) => reading(i));
    store.putSignedReadings(mg, 3n, leaves);
    store.close();
    store = LedgerStore.open(path);
    const tree = store.merkleTree('readings', mg, 3n);
    expect(tree.size).toBe(10);
    const leaf = store.leaf('readings', mg, 3n, 7);
    expect(leaf?.device).toBe('did:key:dev-7');
    expect(verifyProof(leaf?.bytes as Uint8Array, tree.proof(7), tree.root())).toBe(true);
    expect(store.leaves('readings', mg, 4n)).toEqual([]);
    store.close();
  });

  it('keeps readings, orders and trades apart', () => {
    const store = LedgerStore.open(path);
    store.putSignedReadings(mg, 1n, [reading(1)]);
    store.putSignedOrders(mg, 1n, [{ device: 'did:key:dev-2', bytes: Buffer.from('order') }]);
    store.putTrades(mg, 1n, [Buffer.from('trade a'), Buffer.from('trade b')]);
    expect(store.leaves('orders', mg, 1n).map((b) => Buffer.from(b).toString())).toEqual(['order']);
    expect(store.leaves('trades', mg, 1n)).toHaveLength(2);
    expect(store.leaf('trades', mg, 1n, 1)?.device).toBe('');
    store.close();
  });

  it('stores the same leaves twice as a no-op (a re-run slot)', () => {
    const store = LedgerStore.open(path);
    store.putSignedReadings(mg, 1n, [reading(1), reading(2)]);
    store.putSignedReadings(mg, 1n, [reading(1), reading(2)]);
    expect(store.leaves('readings', mg, 1n)).toHaveLength(2);
    store.close();
  });

  it('error: refuses different leaves for a slot already stored', () => {
    const store = LedgerStore.open(path);
    store.putSignedReadings(mg, 1n, [reading(1), reading(2)]);
    expect(() => store.putSignedReadings(mg, 1n, [reading(1)])).toThrow(LedgerStoreError);
    expect(() => store.putSignedReadings(mg, 1n, [reading(1), reading(3)])).toThrow(/different readings/);
    store.close();
  });

  it('error: refuses a leaf, a slot or a meta value over its limit', () => {
    const store = LedgerStore.open(path, { maxLeafBytes: 8, maxLeavesPerSlot: 2, maxTextChars: 10, maxMetaChars: 10 });
    expect(() => store.putTrades(mg, 1n, [Buffer.alloc(9)])).toThrow(LedgerLimitError);
    expect(() => store.putTrades(mg, 1n, [Buffer.alloc(1), Buffer.alloc(1), Buffer.alloc(1)])).toThrow(/at most 2 leaves/);
    expect(() => store.setMeta('seed', '12345678901')).toThrow(LedgerLimitError);
    expect(() => store.addRejections(1n, [{ device: 'd', reason: 'a very long reason' }])).toThrow(LedgerLimitError);
    expect(store.leaves('trades', mg, 1n)).toEqual([]);
    store.close();
  });

  it('error: refuses a microgrid that is not a bytes32 id and a negative slot', () => {
    const store = LedgerStore.open(path);
    expect(() => store.putTrades('0x1234', 1n, [])).toThrow(/32 bytes/);
    expect(() => store.putTrades(mg, -1n, [])).toThrow(/slot must be/);
    store.close();
  });

  it('records rejections and dissent', () => {
    const store = LedgerStore.open(path);
    store.addRejections(5n, [{ device: 'did:key:a', reason: 'bad signature' }, { device: 'did:key:b', reason: 'replayed reading' }]);
    expect(store.rejections(5n)).toEqual([{ device: 'did:key:a', reason: 'bad signature' }, { device: 'did:key:b', reason: 'replayed reading' }]);
    const hash = idOf('h');
    store.addDissent(mg, 5n, [{ validator: 'v3', hash, fields: ['tradesRoot', 'deltasMinor[3]'] }]);
    store.addDissent(mg, 6n, [{ validator: 'v3', hash, fields: ['ordersRoot'] }]);
    expect(store.dissent(mg, 5n)).toEqual([{ validator: 'v3', hash, fields: ['tradesRoot', 'deltasMinor[3]'] }]);
    expect(store.dissentCounts()).toEqual([{ validator: 'v3', slots: 2 }]);
    store.close();
  });

  it('journals chain transactions and blocks in order', () => {
    let store = LedgerStore.open(path);
    const journal = store.chainJournal();
    journal.append({ from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: null, data: '0x6080' });
    store.appendJournalBatch([
      { from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', to: '0x5fbdb2315678afecb367f032d93f642f64180aa3', data: '0x' },
      { from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', to: '0x5fbdb2315678afecb367f032d93f642f64180aa3', data: '0xabcdef', reverted: true },
    ]);
    store.appendBlock({ number: 1n, hash: idOf('b1'), txHashes: [idOf('t1')] });
    store.close();
    store = LedgerStore.open(path);
    expect(store.loadJournal()).toEqual([
      { from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: null, data: '0x6080' },
      { from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', to: '0x5fbdb2315678afecb367f032d93f642f64180aa3', data: '0x' },
      { from: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', to: '0x5fbdb2315678afecb367f032d93f642f64180aa3', data: '0xabcdef', reverted: true },
    ]);
    expect(store.journalLength()).toBe(3);
    expect(store.loadBlocks()).toEqual([{ number: 1n, hash: idOf('b1'), txHashes: [idOf('t1')] }]);
    store.close();
  });

  it('error: refuses journal data that is not hex or too large', () => {
    const store = LedgerStore.open(path, { maxJournalDataBytes: 2 });
    const from = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
    expect(() => store.appendJournal({ from, to: null, data: '0x123' })).toThrow(/whole bytes/);
    expect(() => store.appendJournal({ from, to: null, data: '0x123456' })).toThrow(LedgerLimitError);
    expect(() => store.appendJournal({ from: '0x00', to: null, data: '0x' })).toThrow(/20-byte/);
    expect(store.journalLength()).toBe(0);
    store.close();
  });

  it('keeps meta values', () => {
    const store = LedgerStore.open(path);
    store.setMeta('chainId', '31337');
    store.setMeta('chainId', '1');
    expect(store.getMeta('chainId')).toBe('1');
    expect(store.getMeta('missing')).toBeUndefined();
    expect(() => store.setMeta('schema_version', '2')).toThrow(LedgerStoreError);
    store.close();
  });

  it('error: refuses a file of another schema version or another program', () => {
    LedgerStore.open(path).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => LedgerStore.open(path)).toThrow(LedgerSchemaError);
    const other = join(dir, 'other.sqlite');
    const odb = new Database(other);
    odb.exec('CREATE TABLE t (x)');
    odb.close();
    expect(() => LedgerStore.open(other)).toThrow(/not a gridmesh ledger/);
  });
});
