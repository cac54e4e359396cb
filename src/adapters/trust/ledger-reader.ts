/**
 * The ledger file of a run, opened read-only: a closed ledger of moderate size is read into memory
 * (nothing on disk changes), otherwise SQLite opens it read-only in place. Typed accessors for the
 * meta data, statements (paged), leaves, the chain journal and the stored blocks.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { Address, Hex } from 'viem';
import { GridmeshError, TrustError, UsageError } from '../../core/errors.js';
import { parseScenario } from '../../core/sim/scenario-validate.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import type { ContractAddresses, JournalTx } from '../chain/index.js';
import { LEDGER_FILE } from './simulation-ledger.js';

export type LeafKind = 'readings' | 'orders' | 'trades';
export const LEAF_KINDS: readonly LeafKind[] = ['readings', 'orders', 'trades'];
const LEAF_TABLE: Record<LeafKind, string> = { readings: 'signed_readings', orders: 'signed_orders', trades: 'trades' };

/** Ledgers up to this size are read into memory (no file is touched, not even SQLite's -shm). */
export const MAX_IN_MEMORY_LEDGER_BYTES = 512 * 2 ** 20;
/** Statements read per query. */
const PAGE = 512;

export interface ChainMeta {
  readonly kind: 'embedded' | 'rpc';
  readonly chainId: bigint;
  readonly addresses: ContractAddresses;
  readonly rpcUrl?: string;
}

export interface LedgerMeta {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly slots: number;
  /**
   * Slots that must have a statement: all of them for a simulation's ledger; for a node's (which may
   * still be running) the slots it has recorded so far.
   */
  readonly expectedSlots: number;
  readonly chain: ChainMeta;
}

export interface StatementRow {
  readonly microgrid: string;
  readonly slot: number;
  readonly hash: string;
  readonly body: string;
  readonly signatures: string;
  readonly status: string;
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

export interface LeafRow {
  readonly idx: number;
  /** The signing device's DID; '' for trades. */
  readonly device: string;
  readonly bytes: Uint8Array;
}

export interface BlockRow {
  readonly number: number;
  readonly hash: string;
  readonly txHashes: string;
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte 0x-prefixed address').transform((s) => s as Address);
const chainMetaSchema = z.object({
  kind: z.enum(['embedded', 'rpc']),
  chainId: z.string().regex(/^[0-9]{1,78}$/, 'expected a decimal chain id').transform(BigInt),
  addresses: z.object({ registry: address, credits: address, settlement: address }),
  rpcUrl: z.string().optional(),
});

/** The ledger file of a run (`DIR/ledger.sqlite`, or the file itself), opened read-only. */
export class LedgerFile {
  private readonly q: ReturnType<typeof prepare>;

  private constructor(readonly path: string, private readonly db: Database.Database) {
    this.q = prepare(db);
  }

  /**
   * `where`: a run's output folder or the ledger file. A missing or foreign file is a UsageError.
   * A closed ledger (no pending write-ahead log) of up to MAX_IN_MEMORY_LEDGER_BYTES is read into
   * memory and opened from there, so nothing on disk changes; otherwise (a run still writing, or a
   * huge file) SQLite opens it read-only in place, which may leave its usual `-shm` file beside it.
   */
  static open(where: string): LedgerFile {
    const path = resolveLedgerPath(where);
    let db: Database.Database;
    try {
      db = inMemory(path) ?? new Database(path, { readonly: true, fileMustExist: true });
    } catch (cause) {
      throw new UsageError(`cannot open the ledger ${path}: ${(cause as Error).message}`, { cause });
    }
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      if (row?.value !== '1') throw new UsageError(`${path} has ledger schema version ${row?.value ?? '(none)'}; this gridmesh reads version 1`);
      return new LedgerFile(path, db);
    } catch (cause) {
      db.close();
      if (cause instanceof GridmeshError) throw cause;
      throw new UsageError(`${path} is not a gridmesh ledger: ${(cause as Error).message}`, { cause });
    }
  }

  close(): void {
    this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.q.meta.get(key) as { value: string } | undefined)?.value;
  }

  /** The run's scenario, seed, slot count and chain; a TrustError listing what is wrong otherwise. */
  ledgerMeta(): LedgerMeta {
    const problems: string[] = [];
    const text = (key: string): string | undefined => {
      const v = this.meta(key);
      if (v === undefined) problems.push(`${key}: missing`);
      return v;
    };
    const scenarioText = text('scenario');
    const seedText = text('seed');
    const slotsText = text('slots');
    const chainText = text('chain');
    let scenario: Scenario | undefined;
    if (scenarioText !== undefined) {
      try {
        scenario = parseScenario(JSON.parse(scenarioText));
      } catch (e) {
        problems.push(`scenario: not a valid scenario (${e instanceof GridmeshError ? [e.message, ...e.details.slice(0, 3)].join('; ') : (e as Error).message})`);
      }
    }
    const integer = (key: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      if (!/^[0-9]{1,10}$/.test(v)) {
        problems.push(`${key}: expected a non-negative integer (got ${JSON.stringify(v.slice(0, 40))})`);
        return undefined;
      }
      return Number(v);
    };
    const seed = integer('seed', seedText);
    const slots = integer('slots', slotsText);
    let chain: ChainMeta | undefined;
    if (chainText !== undefined) {
      try {
        const parsed = chainMetaSchema.safeParse(JSON.parse(chainText));
        if (parsed.success) chain = parsed.data;
        else problems.push(...parsed.error.issues.slice(0, 5).map((i) => `chain.${i.path.join('.')}: ${i.message}`));
      } catch (e) {
        problems.push(`chain: not JSON (${(e as Error).message})`);
      }
    }
    if (problems.length > 0 || scenario === undefined || seed === undefined || slots === undefined || chain === undefined) {
      throw new TrustError(`the ledger's meta data is unusable`, { details: problems });
    }
    const recorded = this.meta('writer') === 'node' ? integer('last_recorded_slot', this.meta('last_recorded_slot') ?? '0') : undefined;
    const expectedSlots = recorded === undefined ? slots : this.meta('last_recorded_slot') === undefined ? 0 : Math.min(slots, recorded + 1);
    return { scenario, seed, slots, expectedSlots, chain };
  }

  statementCount(): number {
    return (this.q.countStatements.get() as { n: number }).n;
  }

  /** Statements in (slot, microgrid) order, a page at a time (no open cursor between pages). */
  *statements(): Generator<StatementRow> {
    let after: [number, string] = [-1, ''];
    for (;;) {
      const rows = this.q.statementPage.all(after[0], after[1], PAGE) as RawStatementRow[];
      for (const r of rows) yield toStatementRow(r);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < PAGE) return;
      after = [last.slot, last.microgrid];
    }
  }

  statement(microgrid: Hex, slot: number): StatementRow | undefined {
    const r = this.q.statement.get(microgrid.toLowerCase(), slot) as RawStatementRow | undefined;
    return r === undefined ? undefined : toStatementRow(r);
  }

  leaves(kind: LeafKind, microgrid: string, slot: number): LeafRow[] {
    return (this.q.leaves[kind].all(microgrid, slot) as { idx: number; device: string; bytes: Buffer }[])
      .map((r) => ({ idx: r.idx, device: r.device, bytes: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) }));
  }

  /** The (microgrid, slot) pairs that have leaves of this kind. */
  leafSlots(kind: LeafKind): { microgrid: string; slot: number; n: number }[] {
    return this.q.leafSlots[kind].all() as { microgrid: string; slot: number; n: number }[];
  }

  journal(): JournalTx[] {
    return (this.q.journal.all() as { from_addr: Address; to_addr: Address | null; data: Buffer; reverted: number }[]).map((r) => {
      const tx: JournalTx = { from: r.from_addr, to: r.to_addr, data: `0x${r.data.toString('hex')}` };
      return r.reverted === 1 ? { ...tx, reverted: true } : tx;
    });
  }

  blocks(): BlockRow[] {
    return (this.q.blocks.all() as { number: number; hash: string; tx_hashes: string }[]).map((r) => ({ number: r.number, hash: r.hash, txHashes: r.tx_hashes }));
  }
}

interface RawStatementRow {
  microgrid: string; slot: number; hash: string; body: string; signatures: string; status: string; tx_hash: string | null; block_number: number | null;
}

function toStatementRow(r: RawStatementRow): StatementRow {
  return { microgrid: r.microgrid, slot: r.slot, hash: r.hash, body: r.body, signatures: r.signatures, status: r.status, txHash: r.tx_hash, blockNumber: r.block_number };
}

function prepare(db: Database.Database) {
  const cols = 'microgrid, slot, hash, body, signatures, status, tx_hash, block_number';
  const perKind = (sql: (kind: LeafKind, table: string) => string) => ({
    readings: db.prepare(sql('readings', LEAF_TABLE.readings)),
    orders: db.prepare(sql('orders', LEAF_TABLE.orders)),
    trades: db.prepare(sql('trades', LEAF_TABLE.trades)),
  });
  return {
    meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    countStatements: db.prepare('SELECT count(*) AS n FROM statements'),
    statementPage: db.prepare(`SELECT ${cols} FROM statements WHERE (slot, microgrid) > (?, ?) ORDER BY slot, microgrid LIMIT ?`),
    statement: db.prepare(`SELECT ${cols} FROM statements WHERE microgrid = ? AND slot = ?`),
    leaves: perKind((kind, t) => `SELECT idx, ${kind === 'trades' ? "'' AS device" : 'device'}, bytes FROM ${t} WHERE microgrid = ? AND slot = ? ORDER BY idx`),
    leafSlots: perKind((_, t) => `SELECT microgrid, slot, count(*) AS n FROM ${t} GROUP BY microgrid, slot ORDER BY slot, microgrid`),
    journal: db.prepare('SELECT from_addr, to_addr, data, reverted FROM chain_journal ORDER BY seq'),
    blocks: db.prepare('SELECT number, hash, tx_hashes FROM chain_blocks ORDER BY number'),
  };
}

/** The file as an in-memory database, when it is closed (empty or no WAL) and not too large. */
function inMemory(path: string): Database.Database | null {
  const size = statSync(path).size;
  let wal: number;
  try {
    wal = statSync(`${path}-wal`).size;
  } catch {
    wal = 0;
  }
  if (wal > 0 || size > MAX_IN_MEMORY_LEDGER_BYTES) return null;
  const bytes = readFileSync(path);
  // A WAL-mode file (header bytes 18-19 = 2) cannot be opened from memory; the copy says rollback mode (1).
  if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes, { readonly: true });
}

/** `DIR/ledger.sqlite` for a folder, the path itself for a file; a UsageError when neither exists. */
export function resolveLedgerPath(where: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(where).isDirectory();
  } catch {
    throw new UsageError(`no ledger at ${where}: expected a run's output folder holding ${LEDGER_FILE} (gridmesh simulate --out DIR) or the file itself`);
  }
  if (!isDir) return where;
  const path = join(where, LEDGER_FILE);
  try {
    statSync(path);
  } catch {
    throw new UsageError(`${where} holds no ${LEDGER_FILE}: was it written by \`gridmesh simulate --mode autonomous\` with the trust layer on?`);
  }
  return path;
}
