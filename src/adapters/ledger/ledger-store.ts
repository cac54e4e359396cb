/**
 * The durable ledger of one node (docs/ledger.md): the Merkle leaves of every slot (signed
 * readings, signed orders, trades, in leaf order, so any item can be proven later), rejected
 * inputs, the statement queue, validator dissent, the embedded chain's journal and blocks, and
 * meta values (chain id, contract addresses, scenario seed). One SQLite file, one writer.
 */
import type Database from 'better-sqlite3';
import type { Address, Hex } from 'viem';
import { MerkleTree } from '../../core/ledger/merkle-tree.js';
import { checkLimit, DEFAULT_LEDGER_LIMITS, type LedgerLimits } from './ledger-limits.js';
import { openLedgerDatabase } from './ledger-schema.js';
import { LedgerStoreError } from './ledger-store-errors.js';
import { address, bytes32, hexString, slotNumber } from './ledger-values.js';
import { StatementQueue } from './statement-queue.js';

export type LeafKind = 'readings' | 'orders' | 'trades';

/** A signed reading or order: the device that signed it and the signed bytes (the leaf). */
export interface SignedLeaf {
  readonly device: string;
  readonly bytes: Uint8Array;
}

export interface StoredLeaf {
  readonly idx: number;
  /** The signing device; '' for trades. */
  readonly device: string;
  readonly bytes: Uint8Array;
}

export interface Rejection {
  readonly device: string;
  readonly reason: string;
}

export interface DissentRow {
  readonly validator: string;
  readonly hash: Hex;
  readonly fields: readonly string[];
}

/**
 * A transaction as the embedded chain journals it (replayed in order on restart); the same shape
 * as the chain adapter's `JournalTx`. Addresses are kept as given (checksum case included).
 */
export interface JournalTx {
  readonly from: Address;
  /** null: a contract deployment. */
  readonly to: Address | null;
  readonly data: Hex;
  /** Mined but reverted (kept so a replay rebuilds the very same blocks). */
  readonly reverted?: boolean;
}

/** What `appendJournal` accepts: any 0x-hex strings (checked). */
export interface JournalTxInput {
  readonly from: string;
  readonly to: string | null;
  readonly data: string;
  readonly reverted?: boolean;
}

export interface StoredBlock {
  readonly number: bigint;
  readonly hash: Hex;
  readonly txHashes: readonly Hex[];
}

const LEAF_TABLES: Record<LeafKind, string> = { readings: 'signed_readings', orders: 'signed_orders', trades: 'trades' };

export class LedgerStore {
  readonly queue: StatementQueue;
  private readonly sql: ReturnType<typeof prepare>;

  private constructor(private readonly db: Database.Database, readonly limits: LedgerLimits) {
    this.sql = prepare(db);
    this.queue = new StatementQueue(db, limits);
  }

  /** Opens or creates the ledger at `path` (':memory:' for a throw-away store). */
  static open(path: string, limits: Partial<LedgerLimits> = {}): LedgerStore {
    return new LedgerStore(openLedgerDatabase(path), { ...DEFAULT_LEDGER_LIMITS, ...limits });
  }

  close(): void {
    this.db.close();
  }

  /** Runs `write` in one transaction (nested calls become savepoints): all of it is stored or none. */
  atomically<T>(write: () => T): T {
    return this.db.transaction(write)();
  }

  // ---- Merkle leaves -------------------------------------------------------------------------

  putSignedReadings(microgrid: Hex, slot: bigint, leaves: readonly SignedLeaf[]): void {
    this.putLeaves('readings', microgrid, slot, leaves);
  }

  putSignedOrders(microgrid: Hex, slot: bigint, leaves: readonly SignedLeaf[]): void {
    this.putLeaves('orders', microgrid, slot, leaves);
  }

  putTrades(microgrid: Hex, slot: bigint, leaves: readonly Uint8Array[]): void {
    this.putLeaves('trades', microgrid, slot, leaves.map((bytes) => ({ device: '', bytes })));
  }

  /**
   * Stores the leaves of one kind for one slot, in leaf order, in one transaction. Storing the
   * same leaves again is a no-op (a slot re-run after a restart); different leaves are an error,
   * since statements may already commit to the stored ones.
   */
  putLeaves(kind: LeafKind, microgrid: Hex, slot: bigint, leaves: readonly SignedLeaf[]): void {
    const mg = bytes32(microgrid, 'microgrid');
    slotNumber(slot);
    checkLimit(`${kind} of one slot`, leaves.length, this.limits.maxLeavesPerSlot, 'leaves');
    for (const leaf of leaves) {
      checkLimit(`a ${kind} leaf`, leaf.bytes.length, this.limits.maxLeafBytes, 'bytes');
      checkLimit('a device id', leaf.device.length, this.limits.maxTextChars, 'characters');
    }
    this.db.transaction(() => {
      const existing = this.leaves(kind, mg, slot);
      if (existing.length > 0) {
        if (!sameLeaves(existing, leaves)) {
          throw new LedgerStoreError(`different ${kind} are already stored for microgrid ${mg} slot ${slot}`);
        }
        return;
      }
      const insert = this.sql.insertLeaf[kind];
      leaves.forEach((leaf, idx) => {
        if (kind === 'trades') insert.run(mg, slot, idx, leaf.bytes);
        else insert.run(mg, slot, idx, leaf.device, leaf.bytes);
      });
    }).immediate();
  }

  /** The leaf bytes of one kind for one slot, in leaf order. */
  leaves(kind: LeafKind, microgrid: Hex, slot: bigint): Uint8Array[] {
    const rows = this.sql.selectLeaves[kind].all(bytes32(microgrid, 'microgrid'), slot) as { bytes: Buffer }[];
    return rows.map((r) => r.bytes);
  }

  leaf(kind: LeafKind, microgrid: Hex, slot: bigint, idx: number): StoredLeaf | undefined {
    const row = this.sql.selectLeaf[kind].get(bytes32(microgrid, 'microgrid'), slot, idx) as { device?: string; bytes: Buffer } | undefined;
    return row === undefined ? undefined : { idx, device: row.device ?? '', bytes: row.bytes };
  }

  /** The Merkle tree of one kind for one slot, to take its root or prove a leaf. */
  merkleTree(kind: LeafKind, microgrid: Hex, slot: bigint): MerkleTree {
    return MerkleTree.from(this.leaves(kind, microgrid, slot), this.limits.maxLeavesPerSlot);
  }

  // ---- rejections and dissent ------------------------------------------------------------------

  addRejections(slot: bigint, rejections: readonly Rejection[]): void {
    slotNumber(slot);
    for (const r of rejections) {
      checkLimit('a device id', r.device.length, this.limits.maxTextChars, 'characters');
      checkLimit('a rejection reason', r.reason.length, this.limits.maxTextChars, 'characters');
    }
    this.db.transaction(() => {
      for (const r of rejections) this.sql.insertRejection.run(slot, r.device, r.reason);
    }).immediate();
  }

  rejections(slot: bigint): Rejection[] {
    return this.sql.selectRejections.all(slot) as Rejection[];
  }

  /** Records the validators of a microgrid that computed another hash for this slot (replacing earlier rows). */
  addDissent(microgrid: Hex, slot: bigint, dissenters: readonly DissentRow[]): void {
    const mg = bytes32(microgrid, 'microgrid');
    slotNumber(slot);
    const rows = dissenters.map((d) => ({ validator: d.validator, hash: bytes32(d.hash, 'dissent hash'), fields: JSON.stringify(d.fields) }));
    for (const r of rows) checkLimit('a dissent row', r.validator.length + r.fields.length, this.limits.maxTextChars, 'characters');
    this.db.transaction(() => {
      for (const r of rows) this.sql.upsertDissent.run(mg, slot, r.validator, r.hash, r.fields);
    }).immediate();
  }

  dissent(microgrid: Hex, slot: bigint): DissentRow[] {
    const rows = this.sql.selectDissent.all(bytes32(microgrid, 'microgrid'), slot) as { validator: string; hash: Hex; fields: string }[];
    return rows.map((r) => ({ validator: r.validator, hash: r.hash, fields: JSON.parse(r.fields) as string[] }));
  }

  /** How many slots each validator dissented in, most first. */
  dissentCounts(): { validator: string; slots: number }[] {
    return this.sql.dissentCounts.all() as { validator: string; slots: number }[];
  }

  // ---- embedded chain journal and blocks ------------------------------------------------------

  appendJournal(tx: JournalTxInput): void {
    this.sql.insertJournal.run(...this.journalRow(tx));
  }

  /** Several transactions in one database transaction (one fsync). */
  appendJournalBatch(txs: readonly JournalTxInput[]): void {
    const rows = txs.map((tx) => this.journalRow(tx));
    this.db.transaction(() => {
      for (const row of rows) this.sql.insertJournal.run(...row);
    }).immediate();
  }

  /** All journalled transactions in the order they were appended. */
  loadJournal(): JournalTx[] {
    return [...this.iterateJournal()];
  }

  /** The journal one transaction at a time (for journals too large to hold in memory). */
  *iterateJournal(): Generator<JournalTx> {
    for (const row of this.sql.selectJournal.iterate() as Iterable<{ from_addr: Address; to_addr: Address | null; data: Buffer; reverted: number }>) {
      const tx: JournalTx = { from: row.from_addr, to: row.to_addr, data: `0x${row.data.toString('hex')}` };
      yield row.reverted === 1 ? { ...tx, reverted: true } : tx;
    }
  }

  journalLength(): number {
    return (this.sql.countJournal.get() as { n: number }).n;
  }

  /** The `{ append, load }` interface of the chain adapter's journal, backed by this store. */
  chainJournal(): { append(tx: JournalTxInput): void; load(): JournalTx[] } {
    return { append: (tx) => this.appendJournal(tx), load: () => this.loadJournal() };
  }

  appendBlock(block: StoredBlock): void {
    const hashes = block.txHashes.map((h) => bytes32(h, 'transaction hash'));
    this.sql.insertBlock.run(block.number, bytes32(block.hash, 'block hash'), JSON.stringify(hashes));
  }

  /** The highest stored block number, or null when none is stored. */
  lastBlockNumber(): bigint | null {
    const row = this.sql.selectLastBlock.get() as { number: bigint } | undefined;
    return row?.number ?? null;
  }

  loadBlocks(): StoredBlock[] {
    const rows = this.sql.selectBlocks.all() as { number: bigint; hash: Hex; tx_hashes: string }[];
    return rows.map((r) => ({ number: r.number, hash: r.hash, txHashes: JSON.parse(r.tx_hashes) as Hex[] }));
  }

  // ---- meta ---------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.sql.selectMeta.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    checkLimit('a meta key', key.length, 256, 'characters');
    checkLimit(`meta value ${key}`, value.length, this.limits.maxMetaChars, 'characters');
    if (key === 'schema_version') throw new LedgerStoreError('schema_version is set by the store itself');
    this.sql.upsertMeta.run(key, value);
  }

  private journalRow(tx: JournalTxInput): [string, string | null, Buffer, number] {
    const data = hexString(tx.data, 'journal data');
    checkLimit('journalled transaction data', (data.length - 2) / 2, this.limits.maxJournalDataBytes, 'bytes');
    if (tx.to !== null) address(tx.to, 'journal to');
    return [address(tx.from, 'journal from'), tx.to, Buffer.from(data.slice(2), 'hex'), tx.reverted === true ? 1 : 0];
  }
}

function sameLeaves(stored: readonly Uint8Array[], leaves: readonly SignedLeaf[]): boolean {
  return stored.length === leaves.length && stored.every((b, i) => Buffer.compare(b, (leaves[i] as SignedLeaf).bytes) === 0);
}

function prepare(db: Database.Database) {
  const leafStatements = (sql: (table: string) => string) => ({
    readings: db.prepare(sql(LEAF_TABLES.readings)),
    orders: db.prepare(sql(LEAF_TABLES.orders)),
    trades: db.prepare(sql(LEAF_TABLES.trades)),
  });
  const insertLeaf = {
    readings: db.prepare('INSERT INTO signed_readings (microgrid, slot, idx, device, bytes) VALUES (?, ?, ?, ?, ?)'),
    orders: db.prepare('INSERT INTO signed_orders (microgrid, slot, idx, device, bytes) VALUES (?, ?, ?, ?, ?)'),
    trades: db.prepare('INSERT INTO trades (microgrid, slot, idx, bytes) VALUES (?, ?, ?, ?)'),
  };
  return {
    insertLeaf,
    selectLeaves: leafStatements((t) => `SELECT bytes FROM ${t} WHERE microgrid = ? AND slot = ? ORDER BY idx`),
    selectLeaf: {
      readings: db.prepare('SELECT device, bytes FROM signed_readings WHERE microgrid = ? AND slot = ? AND idx = ?'),
      orders: db.prepare('SELECT device, bytes FROM signed_orders WHERE microgrid = ? AND slot = ? AND idx = ?'),
      trades: db.prepare('SELECT bytes FROM trades WHERE microgrid = ? AND slot = ? AND idx = ?'),
    },
    insertRejection: db.prepare('INSERT INTO rejections (slot, device, reason) VALUES (?, ?, ?)'),
    selectRejections: db.prepare('SELECT device, reason FROM rejections WHERE slot = ? ORDER BY rowid'),
    upsertDissent: db.prepare('INSERT OR REPLACE INTO dissent (microgrid, slot, validator, hash, fields) VALUES (?, ?, ?, ?, ?)'),
    selectDissent: db.prepare('SELECT validator, hash, fields FROM dissent WHERE microgrid = ? AND slot = ? ORDER BY validator'),
    dissentCounts: db.prepare('SELECT validator, count(*) AS slots FROM dissent GROUP BY validator ORDER BY slots DESC, validator'),
    insertJournal: db.prepare('INSERT INTO chain_journal (from_addr, to_addr, data, reverted) VALUES (?, ?, ?, ?)'),
    selectJournal: db.prepare('SELECT from_addr, to_addr, data, reverted FROM chain_journal ORDER BY seq'),
    countJournal: db.prepare('SELECT count(*) AS n FROM chain_journal'),
    insertBlock: db.prepare('INSERT INTO chain_blocks (number, hash, tx_hashes) VALUES (?, ?, ?)'),
    selectBlocks: db.prepare('SELECT number, hash, tx_hashes FROM chain_blocks ORDER BY number').safeIntegers(true),
    selectLastBlock: db.prepare('SELECT number FROM chain_blocks ORDER BY number DESC LIMIT 1').safeIntegers(true),
    selectMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    upsertMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}
