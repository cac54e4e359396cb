/**
 * `gridmesh ledger verify`: re-checks a run's ledger (`ledger.sqlite`) from its signed inputs alone,
 * without trusting anything the run computed (docs/ledger.md, "Checking a ledger").
 *
 *   1. Identities: the trust setup is re-derived from the stored scenario and seed (simulation keys
 *      are deterministic), which gives every admitted meter and owner key, its site and its unit,
 *      and every unit's validators.
 *   2. Per stored statement: every reading and order leaf is a well-formed record signed by an
 *      admitted device of that unit; trade leaves decode and name sites of the unit; the Merkle
 *      roots of the stored leaves are the statement's roots; settlement re-executed from the leaves
 *      (and the statement's payouts) gives the stored hash; the body hashes to the stored hash; the
 *      signatures recover to distinct validators of the unit, at least the quorum ⌈2n/3⌉.
 *   3. Every unit has a statement for every slot of the run.
 *   4. The chain: the embedded chain's journal is replayed into a fresh in-memory chain (nothing is
 *      written back) and its blocks compared with the stored ones; on an `rpc` ledger the node is
 *      asked instead. Every committed statement is on chain with its hash, and every account's
 *      balance is the sum of its deltas and payouts over the committed statements.
 *
 * The store is opened read-only: verifying never changes the file. Every problem is reported with
 * its location (`unit n1 slot 17 reading 3`); verification goes on after a problem.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { Address, Hex } from 'viem';
import { GridmeshError, TrustError, UsageError } from '../../core/errors.js';
import { parseScenario } from '../../core/sim/scenario-validate.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import { prepareTrust, type TrustSetup } from '../../core/trust/trust-setup.js';
import { executeUnitSettlement, type UnitSlotInputs } from '../../core/trust/unit-settlement.js';
import { decodeTradeLeaf, type SiteTrade } from '../../core/trust/trade-leaf.js';
import { merkleRoot } from '../../core/ledger/merkle-tree.js';
import { idOf, payoutMinor, statementHash, type Statement } from '../../core/ledger/statement.js';
import { statementFromJson } from '../../core/ledger/statement-json.js';
import { isSignatureHex, recoverSignerSync } from '../../core/ledger/statement-signing.js';
import { quorumThreshold } from '../../core/ledger/quorum.js';
import { diffStatements } from '../../core/ledger/statement-diff.js';
import { decodeSignedReading, verifySignedReading } from '../../core/identity/signed-reading.js';
import { decodeSignedOrder, verifySignedOrder } from '../../core/identity/signed-order.js';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { connectChain, openEmbeddedChain, ChainError, type ContractAddresses, type JournalTx, type SettlementChain } from '../chain/index.js';
import { ParallelOrderVerifier, ParallelReadingVerifier } from '../ingest/parallel-signature-verifier.js';
import { LEDGER_FILE } from './simulation-ledger.js';

export type LeafKind = 'readings' | 'orders' | 'trades';
export const LEAF_KINDS: readonly LeafKind[] = ['readings', 'orders', 'trades'];
const LEAF_TABLE: Record<LeafKind, string> = { readings: 'signed_readings', orders: 'signed_orders', trades: 'trades' };

/** Problems kept in the report (the rest are counted): a wrecked ledger must not exhaust memory. */
export const MAX_PROBLEMS_KEPT = 10_000;
/** Ledgers up to this size are read into memory (no file is touched, not even SQLite's -shm). */
export const MAX_IN_MEMORY_LEDGER_BYTES = 512 * 2 ** 20;
/** Statements read per query. */
const PAGE = 512;
/** Statements whose leaf signatures go to the worker threads together. */
const GROUP = 64;
const ZERO_ID: Hex = `0x${'0'.repeat(64)}`;
const HASH_RE = /^0x[0-9a-f]{64}$/;

// ---- the ledger file, read-only ----------------------------------------------------------------

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
    return { scenario, seed, slots, chain };
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

// ---- identities ---------------------------------------------------------------------------------

interface UnitInfo {
  readonly index: number;
  readonly areaId: string;
  readonly microgrid: Hex;
  readonly marketAccount: Hex;
  /** Validator address (lower case) → validator id. */
  readonly validators: ReadonlyMap<string, string>;
  readonly quorum: number;
}

interface DeviceInfo {
  readonly did: string;
  readonly siteId: string;
  readonly account: Hex;
  readonly unit: number;
  readonly publicKey: KeyObject;
  /** idOf(meter DID): the device id of flexibility payouts. */
  readonly deviceId: Hex;
}

/** What a ledger is checked against: derived from the scenario and seed, never read from the ledger. */
export interface LedgerIdentities {
  readonly units: readonly UnitInfo[];
  readonly unitByMicrogrid: ReadonlyMap<string, UnitInfo>;
  readonly meters: ReadonlyMap<string, DeviceInfo>;
  readonly owners: ReadonlyMap<string, DeviceInfo>;
  /** Site account (lower case) → its site and unit. */
  readonly siteAccounts: ReadonlyMap<string, { siteId: string; unit: number; meter: DeviceInfo }>;
  /** Every account this run can move money on (sites, units' market accounts, flexibility buyers) → its name. */
  readonly accountNames: ReadonlyMap<string, string>;
  readonly flexBuyers: ReadonlySet<string>;
  /** Every admitted device's raw public key (hex) → its key object. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Every admitted device's raw public key (hex) → its DID (saves a base58 encoding per leaf). */
  readonly dids: ReadonlyMap<string, string>;
}

export function ledgerIdentities(setup: TrustSetup): LedgerIdentities {
  const units = setup.units.map((u, index): UnitInfo => ({
    index, areaId: u.unit.areaId, microgrid: u.microgrid.toLowerCase() as Hex, marketAccount: u.marketAccount.toLowerCase() as Hex,
    validators: new Map(u.validators.map((v) => [v.address.toLowerCase(), v.id])),
    quorum: quorumThreshold(u.validators.length),
  }));
  const meters = new Map<string, DeviceInfo>();
  const owners = new Map<string, DeviceInfo>();
  const siteAccounts = new Map<string, { siteId: string; unit: number; meter: DeviceInfo }>();
  const accountNames = new Map<string, string>();
  const keys = new Map<string, KeyObject>();
  const dids = new Map<string, string>();
  setup.sites.forEach((s, i) => {
    for (const k of [s.meter, s.owner]) {
      const hex = Buffer.from(k.publicKeyRaw).toString('hex');
      keys.set(hex, k.publicKey);
      dids.set(hex, k.did);
    }
    const unit = setup.unitOfSite[i] as number;
    const account = s.account.toLowerCase() as Hex;
    const meter: DeviceInfo = { did: s.meter.did, siteId: s.siteId, account, unit, publicKey: s.meter.publicKey, deviceId: idOf(s.meter.did) };
    meters.set(s.meter.did, meter);
    owners.set(s.owner.did, { did: s.owner.did, siteId: s.siteId, account, unit, publicKey: s.owner.publicKey, deviceId: idOf(s.owner.did) });
    siteAccounts.set(account, { siteId: s.siteId, unit, meter });
    accountNames.set(account, `site:${s.siteId}`);
  });
  for (const u of units) accountNames.set(u.marketAccount, `market:${u.areaId}`);
  const flexBuyers = new Set<string>();
  for (const b of ['tso', 'dso']) {
    const id = idOf(`flexibility:${b}`);
    flexBuyers.add(id);
    accountNames.set(id, `flexibility:${b}`);
  }
  return { units, unitByMicrogrid: new Map(units.map((u) => [u.microgrid, u])), meters, owners, siteAccounts, accountNames, flexBuyers, keys, dids };
}

// ---- the report -----------------------------------------------------------------------------------

export interface LedgerProblem {
  /** Where: `unit n1 slot 17 reading 3`, `chain block 42`, `account site:house-1`, `meta`. */
  readonly where: string;
  readonly what: string;
}

export interface VerifyCounts {
  units: number;
  slots: number;
  statements: number;
  /** Statements on chain (committed or duplicate) whose hash the chain holds. */
  committed: number;
  /** Statements still waiting for the chain (queued, submitting, failed). */
  open: number;
  readings: number;
  orders: number;
  trades: number;
  signatures: number;
  journalTransactions: number;
  blocks: number;
  accounts: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly ledger: string;
  readonly chain: { readonly kind: 'embedded' | 'rpc'; readonly chainId: string; readonly settlement: string; readonly rpcUrl?: string } | null;
  readonly checked: VerifyCounts;
  /** The first MAX_PROBLEMS_KEPT problems, in the order found. */
  readonly problems: readonly LedgerProblem[];
  /** Problems found beyond those listed. */
  readonly moreProblems: number;
}

export interface VerifyOptions {
  /** JSON-RPC endpoint of an `rpc` ledger's chain (default: the URL stored in the ledger). */
  readonly chainRpc?: string;
  /** Called as statements are checked, and once per chain stage. */
  readonly onProgress?: (event: VerifyProgress) => void;
  readonly maxProblemsKept?: number;
  /**
   * Worker threads per record kind for the Ed25519 signatures of readings and orders (default:
   * half the cores, none on a single core; 0 = verify on the main thread).
   */
  readonly threads?: number;
}

export type VerifyProgress =
  | { readonly stage: 'identities'; readonly sites: number }
  | { readonly stage: 'statements'; readonly done: number; readonly total: number }
  | { readonly stage: 'chain'; readonly what: string };

class Problems {
  readonly list: LedgerProblem[] = [];
  more = 0;
  constructor(private readonly max: number) {}
  add(where: string, what: string): void {
    if (this.list.length < this.max) this.list.push({ where, what });
    else this.more++;
  }
  get count(): number {
    return this.list.length + this.more;
  }
}

function emptyCounts(): VerifyCounts {
  return { units: 0, slots: 0, statements: 0, committed: 0, open: 0, readings: 0, orders: 0, trades: 0, signatures: 0, journalTransactions: 0, blocks: 0, accounts: 0 };
}

// ---- verification -----------------------------------------------------------------------------------

/** Verifies the ledger at `where` (a run folder or the file). Never writes to it. */
export async function verifyLedger(where: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const file = LedgerFile.open(where);
  const problems = new Problems(options.maxProblemsKept ?? MAX_PROBLEMS_KEPT);
  const checked = emptyCounts();
  const report = (chain: VerifyReport['chain']): VerifyReport => ({
    ok: problems.count === 0, ledger: file.path, chain, checked, problems: problems.list, moreProblems: problems.more,
  });
  try {
    let meta: LedgerMeta;
    try {
      meta = file.ledgerMeta();
    } catch (e) {
      if (!(e instanceof TrustError)) throw e;
      for (const d of e.details) problems.add('meta', d);
      return report(null);
    }
    if (options.chainRpc !== undefined && meta.chain.kind === 'embedded') {
      throw new UsageError('--chain-rpc is for ledgers settled on a JSON-RPC node; this run used the embedded chain, which verify replays from the ledger\'s journal');
    }
    const chainInfo = {
      kind: meta.chain.kind, chainId: meta.chain.chainId.toString(), settlement: meta.chain.addresses.settlement,
      ...(meta.chain.kind === 'rpc' ? { rpcUrl: options.chainRpc ?? meta.chain.rpcUrl ?? '' } : {}),
    };
    options.onProgress?.({ stage: 'identities', sites: meta.scenario.sites.length });
    const ids = ledgerIdentities(await prepareTrust(meta.scenario, meta.seed, meta.slots));
    checked.units = ids.units.length;
    checked.slots = meta.slots;
    const expected = await checkStatements(file, meta, ids, problems, checked, options);
    checkOrphanLeaves(file, meta, ids, problems);
    await checkChain(file, meta, ids, expected, problems, checked, options);
    return report(chainInfo);
  } finally {
    file.close();
  }
}

/** A unit's name in problem locations: its area id, or the raw id of an unknown microgrid. */
function unitWhere(ids: LedgerIdentities, microgrid: string, slot: number): string {
  const u = ids.unitByMicrogrid.get(microgrid.toLowerCase());
  return `${u === undefined ? `microgrid ${microgrid}` : `unit ${u.areaId}`} slot ${slot}`;
}

/** Pass over every statement; returns the balances the committed statements add up to. */
async function checkStatements(file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, problems: Problems, checked: VerifyCounts, options: VerifyOptions): Promise<Map<string, bigint>> {
  const seen = ids.units.map(() => new Uint8Array(meta.slots));
  const balances = new Map<string, bigint>();
  const total = file.statementCount();
  const verifier = recordVerifier(options.threads ?? Math.floor(availableParallelism() / 2), ids);
  let done = 0;
  const run = async (group: StatementRow[]): Promise<void> => {
    for (const { row, statement } of await checkGroup(file, group, meta, ids, verifier, problems, checked)) {
      checked.statements++;
      const u = ids.unitByMicrogrid.get(row.microgrid.toLowerCase());
      if (u !== undefined && row.slot >= 0 && row.slot < meta.slots) (seen[u.index] as Uint8Array)[row.slot] = 1;
      if (statement !== null && (row.status === 'committed' || row.status === 'duplicate')) addBalances(balances, statement);
      done++;
      if (done % 100 === 0 || done === total) options.onProgress?.({ stage: 'statements', done, total });
    }
  };
  try {
    let group: StatementRow[] = [];
    for (const row of file.statements()) {
      group.push(row);
      if (group.length < GROUP) continue;
      await run(group);
      group = [];
    }
    if (group.length > 0) await run(group);
  } finally {
    await verifier.close();
  }
  for (const u of ids.units) {
    const s = seen[u.index] as Uint8Array;
    for (let slot = 0; slot < meta.slots; slot++) if (s[slot] === 0) problems.add(`unit ${u.areaId} slot ${slot}`, 'no statement');
  }
  return balances;
}

/** Whether each signed record's Ed25519 signature verifies with the key it carries (1) or not (0). */
interface RecordVerifier {
  verify(kind: 'readings' | 'orders', records: readonly Uint8Array[]): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * On worker threads (the main thread meanwhile recovers the validators' signatures), or inline:
 * inline, a record whose key is no admitted device's counts as unsigned (that problem is reported
 * anyway, and its signature does not matter).
 */
function recordVerifier(threads: number, ids: LedgerIdentities): RecordVerifier {
  if (threads < 1) {
    const inline = (kind: 'readings' | 'orders', b: Uint8Array): boolean => {
      const key = ids.keys.get(Buffer.from(b.subarray(1, 33)).toString('hex'));
      return key !== undefined && (kind === 'readings' ? verifySignedReading(b, key) : verifySignedOrder(b, key));
    };
    return { verify: async (kind, records) => Uint8Array.from(records, (b) => (inline(kind, b) ? 1 : 0)), close: async () => undefined };
  }
  const pools = { readings: new ParallelReadingVerifier({ threads }), orders: new ParallelOrderVerifier({ threads }) };
  return {
    verify: async (kind, records) => (records.length === 0 ? new Uint8Array(0) : pools[kind].verify(records)),
    close: async () => {
      await Promise.all([pools.readings.close(), pools.orders.close()]);
    },
  };
}

interface SlotLeaves {
  readonly readings: readonly LeafRow[];
  readonly orders: readonly LeafRow[];
  readonly trades: readonly LeafRow[];
}

/**
 * Checks a group of statements: the leaf signatures go to the workers first; while they verify,
 * the main thread recovers the validators' signatures; then everything else, statement by statement
 * (the problems of a statement come out in the same order either way).
 */
async function checkGroup(
  file: LedgerFile, group: readonly StatementRow[], meta: LedgerMeta, ids: LedgerIdentities, verifier: RecordVerifier, problems: Problems, checked: VerifyCounts,
): Promise<{ row: StatementRow; statement: Statement | null }[]> {
  const loaded = group.map((row) => {
    const unit = ids.unitByMicrogrid.get(row.microgrid.toLowerCase());
    const leaves: SlotLeaves | null = unit === undefined ? null : {
      readings: file.leaves('readings', row.microgrid, row.slot),
      orders: file.leaves('orders', row.microgrid, row.slot),
      trades: file.leaves('trades', row.microgrid, row.slot),
    };
    return { row, unit, leaves };
  });
  const validity = Promise.all([
    verifier.verify('readings', loaded.flatMap((l) => l.leaves?.readings.map((r) => r.bytes) ?? [])),
    verifier.verify('orders', loaded.flatMap((l) => l.leaves?.orders.map((r) => r.bytes) ?? [])),
  ]);
  const signatureProblems = loaded.map(({ row, unit }) => {
    const own = new Problems(MAX_PROBLEMS_KEPT);
    if (unit !== undefined && HASH_RE.test(row.hash)) checkSignatures(row, unit, meta.chain, unitWhere(ids, row.microgrid, row.slot), own, checked);
    return own;
  });
  const [readingsValid, ordersValid] = await validity;
  let r = 0;
  let o = 0;
  return loaded.map(({ row, unit, leaves }, i) => {
    const nr = leaves?.readings.length ?? 0;
    const no = leaves?.orders.length ?? 0;
    const valid = { readings: readingsValid.subarray(r, r + nr), orders: ordersValid.subarray(o, o + no) };
    r += nr;
    o += no;
    const statement = checkStatement(row, unit, leaves, valid, meta, ids, problems, checked);
    for (const p of (signatureProblems[i] as Problems).list) problems.add(p.where, p.what);
    return { row, statement };
  });
}

function addBalances(balances: Map<string, bigint>, s: Statement): void {
  const add = (account: Hex, v: bigint): void => {
    const k = account.toLowerCase();
    balances.set(k, (balances.get(k) ?? 0n) + v);
  };
  s.accounts.forEach((a, i) => add(a, s.deltasMinor[i] ?? 0n));
  for (const p of s.payouts) {
    const amount = payoutMinor(p);
    add(p.account, amount);
    add(p.buyer, -amount);
  }
}

interface CheckedLeaves {
  readonly inputs: Pick<UnitSlotInputs, 'readings' | 'orders' | 'trades'>;
  readonly leaves: Record<LeafKind, Uint8Array[]>;
  /** Every leaf decoded (settlement can be re-executed). */
  readonly decodable: boolean;
}

/** All checks of one statement row but its signatures; returns its parsed body (null when it does not parse). */
function checkStatement(
  row: StatementRow, unit: UnitInfo | undefined, stored: SlotLeaves | null, valid: Record<'readings' | 'orders', Uint8Array>,
  meta: LedgerMeta, ids: LedgerIdentities, problems: Problems, checked: VerifyCounts,
): Statement | null {
  const where = unitWhere(ids, row.microgrid, row.slot);
  if (unit === undefined) problems.add(where, 'a statement of a microgrid that is not a settlement unit of the scenario');
  if (row.slot < 0 || row.slot >= meta.slots) problems.add(where, `a statement for a slot outside the run (slots 0..${meta.slots - 1})`);
  const hashOk = HASH_RE.test(row.hash);
  if (!hashOk) problems.add(where, `the stored hash ${JSON.stringify(row.hash.slice(0, 80))} is not 32 bytes of lower-case hex`);

  let statement: Statement | null = null;
  try {
    statement = statementFromJson(JSON.parse(row.body));
  } catch (e) {
    problems.add(where, `the statement body is not a valid statement: ${describe(e)}`);
  }
  let bodyHash: Hex | null = null;
  if (statement !== null) {
    bodyHash = statementHash(statement);
    if (statement.microgrid.toLowerCase() !== row.microgrid.toLowerCase() || statement.slot !== BigInt(row.slot)) {
      problems.add(where, `the statement body is for microgrid ${statement.microgrid} slot ${statement.slot}`);
    }
    checkBalanced(statement, where, problems);
    if (unit !== undefined) checkPayouts(statement, unit, ids, where, problems);
  }
  if (unit === undefined || stored === null) return statement;

  const leaves = checkLeaves(stored, valid, row, unit, ids, where, problems, checked);
  if (statement !== null) {
    for (const kind of LEAF_KINDS) {
      const root = merkleRoot(leaves.leaves[kind]);
      const stated = statement[`${kind}Root`];
      if (root !== stated.toLowerCase()) problems.add(where, `${kind} root: the ${leaves.leaves[kind].length} stored leaves give ${root}, the statement says ${stated}`);
    }
  }

  // Re-execute settlement from the stored leaves (with the statement's payouts).
  let recomputed: Statement | null = null;
  if (statement !== null && leaves.decodable) {
    try {
      recomputed = executeUnitSettlement({ microgrid: unit.microgrid, marketAccount: unit.marketAccount, slot: row.slot, ...leaves.inputs, payouts: statement.payouts });
    } catch (e) {
      problems.add(where, `settlement cannot be re-executed from the stored leaves: ${describe(e)}`);
    }
  }
  const recomputedHash = recomputed === null ? null : statementHash(recomputed);
  if (recomputed !== null && recomputedHash !== row.hash && statement !== null) {
    const diff = diffStatements(recomputed, statement);
    problems.add(where, `re-executing settlement from the stored leaves gives hash ${recomputedHash}, not the stored ${row.hash}` +
      (bodyHash === row.hash ? ` (the statement differs from it in ${fieldList(diff)})` : ''));
  }
  if (bodyHash !== null && bodyHash !== row.hash) {
    const diff = recomputed !== null && recomputedHash === row.hash && statement !== null ? diffStatements(recomputed, statement) : null;
    problems.add(where, `the statement body hashes to ${bodyHash}, not to its stored hash ${row.hash}` +
      (diff === null ? '' : ` (the body differs from re-executed settlement in ${fieldList(diff)})`));
  }
  return statement;
}

function fieldList(diff: { fields: readonly string[]; moreFields: number }): string {
  const shown = diff.fields.slice(0, 8);
  const more = diff.fields.length - shown.length + diff.moreFields;
  return shown.join(', ') + (more > 0 ? ` and ${more} more fields` : '');
}

function checkBalanced(s: Statement, where: string, problems: Problems): void {
  if (s.accounts.length !== s.deltasMinor.length) {
    problems.add(where, `${s.accounts.length} accounts but ${s.deltasMinor.length} deltas`);
    return;
  }
  let sum = 0n;
  for (const d of s.deltasMinor) sum += d;
  if (sum !== 0n) problems.add(where, `the deltas sum to ${sum}, not 0 (the contract refuses it)`);
  for (let i = 1; i < s.accounts.length; i++) {
    if (BigInt(s.accounts[i - 1] as Hex) >= BigInt(s.accounts[i] as Hex)) {
      problems.add(where, `accounts are not strictly ascending at accounts[${i}] (the contract refuses it)`);
      break;
    }
  }
}

function checkPayouts(s: Statement, unit: UnitInfo, ids: LedgerIdentities, where: string, problems: Problems): void {
  s.payouts.forEach((p, i) => {
    const at = `${where} payout ${i}`;
    const site = ids.siteAccounts.get(p.account.toLowerCase());
    if (site === undefined) problems.add(at, `pays account ${p.account}, which is not a site of the scenario`);
    else {
      if (site.unit !== unit.index) problems.add(at, `pays site ${site.siteId}, which unit ${ids.units[site.unit]?.areaId ?? '?'} settles`);
      if (p.device.toLowerCase() !== site.meter.deviceId.toLowerCase()) problems.add(at, `names device ${p.device}, not the meter of site ${site.siteId}`);
    }
    if (!ids.flexBuyers.has(p.buyer.toLowerCase())) problems.add(at, `is paid by ${p.buyer}, which is not a flexibility buyer (flexibility:tso, flexibility:dso)`);
  });
}

function checkLeaves(
  rows: SlotLeaves, valid: Record<'readings' | 'orders', Uint8Array>, row: StatementRow, unit: UnitInfo, ids: LedgerIdentities,
  where: string, problems: Problems, checked: VerifyCounts,
): CheckedLeaves {
  for (const kind of LEAF_KINDS) {
    const gap = rows[kind].findIndex((r, i) => r.idx !== i);
    if (gap >= 0) problems.add(where, `${kind}: leaf indexes are not 0..${rows[kind].length - 1} (position ${gap} holds idx ${rows[kind][gap]?.idx}): a leaf is missing`);
  }
  let decodable = true;
  const readings: UnitSlotInputs['readings'][number][] = [];
  const metered = new Set<string>();
  for (const [i, r] of rows.readings.entries()) {
    checked.readings++;
    const at = `${where} reading ${r.idx}`;
    let decoded;
    try {
      decoded = decodeSignedReading(r.bytes);
    } catch (e) {
      problems.add(at, `not a signed reading: ${describe(e)}`);
      decodable = false;
      continue;
    }
    const device = checkSigner(r, didOf(ids, decoded.deviceKey), ids.meters, ids.owners, 'meter', unit, ids, at, problems);
    if (device !== undefined) {
      if (valid.readings[i] !== 1) problems.add(at, `bad signature: the record does not verify with the key of the meter of site ${device.siteId}`);
      if (metered.has(device.did)) problems.add(at, `a second reading of the meter of site ${device.siteId} in this slot`);
      metered.add(device.did);
    }
    if (decoded.slot !== row.slot) problems.add(at, `a reading of slot ${decoded.slot}, stored in slot ${row.slot}`);
    readings.push({ leaf: r.bytes, device: r.device, account: device?.account ?? ZERO_ID, importWh: decoded.importWh, exportWh: decoded.exportWh });
  }
  const orders: UnitSlotInputs['orders'][number][] = [];
  for (const [i, r] of rows.orders.entries()) {
    checked.orders++;
    const at = `${where} order ${r.idx}`;
    let decoded;
    try {
      decoded = decodeSignedOrder(r.bytes);
    } catch (e) {
      problems.add(at, `not a signed order: ${describe(e)}`);
      decodable = false;
      continue;
    }
    const device = checkSigner(r, didOf(ids, decoded.participantKey), ids.owners, ids.meters, 'owner', unit, ids, at, problems);
    if (device !== undefined && valid.orders[i] !== 1) problems.add(at, `bad signature: the record does not verify with the key of the owner of site ${device.siteId}`);
    if (decoded.slot !== row.slot) problems.add(at, `an order for slot ${decoded.slot}, stored in slot ${row.slot}`);
    orders.push({ leaf: r.bytes, device: r.device, account: device?.account ?? ZERO_ID, side: decoded.side, energyWh: decoded.energyWh });
  }
  const traded = new Set<string>();
  for (const r of rows.trades) {
    checked.trades++;
    const at = `${where} trade ${r.idx}`;
    let t: SiteTrade;
    try {
      t = decodeTradeLeaf(r.bytes);
    } catch (e) {
      problems.add(at, describe(e)); // "not a trade leaf: expected 77 bytes …"
      decodable = false;
      continue;
    }
    const site = ids.siteAccounts.get(t.account.toLowerCase());
    if (site === undefined) problems.add(at, `account ${t.account} is not a site of the scenario`);
    else {
      if (site.unit !== unit.index) problems.add(at, `a trade of site ${site.siteId}, which unit ${ids.units[site.unit]?.areaId ?? '?'} settles`);
      if (traded.has(site.siteId)) problems.add(at, `a second trade leaf of site ${site.siteId} in this slot`);
      traded.add(site.siteId);
    }
    if (t.slot !== row.slot) problems.add(at, `a trade of slot ${t.slot}, stored in slot ${row.slot}`);
  }
  return {
    inputs: { readings, orders, trades: rows.trades.map((r) => r.bytes) },
    leaves: { readings: rows.readings.map((r) => r.bytes), orders: rows.orders.map((r) => r.bytes), trades: rows.trades.map((r) => r.bytes) },
    decodable,
  };
}

function didOf(ids: LedgerIdentities, key: Uint8Array): string {
  return ids.dids.get(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')) ?? didOfPublicKey(key);
}

/** The admitted device whose key signed a leaf, checked against the stored DID and the unit. */
function checkSigner(
  r: LeafRow, keyDid: string, devices: ReadonlyMap<string, DeviceInfo>, others: ReadonlyMap<string, DeviceInfo>,
  role: 'meter' | 'owner', unit: UnitInfo, ids: LedgerIdentities, at: string, problems: Problems,
): DeviceInfo | undefined {
  if (r.device !== keyDid) problems.add(at, `stored as signed by ${r.device} but the record carries the key of ${keyDid}`);
  const device = devices.get(keyDid);
  if (device === undefined) {
    const other = others.get(keyDid);
    problems.add(at, `signed with ${keyDid}, which is not an admitted ${role}${other === undefined ? '' : ` (it is the ${role === 'meter' ? 'owner' : 'meter'} of site ${other.siteId})`}`);
    return undefined;
  }
  if (device.unit !== unit.index) problems.add(at, `signed by the ${role} of site ${device.siteId}, which unit ${ids.units[device.unit]?.areaId ?? '?'} settles`);
  return device;
}

function checkSignatures(row: StatementRow, unit: UnitInfo, chain: ChainMeta, where: string, problems: Problems, checked: VerifyCounts): void {
  let list: unknown;
  try {
    list = JSON.parse(row.signatures);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    problems.add(where, 'the stored signatures are not a JSON list');
    return;
  }
  const signers = new Set<string>();
  let previous = '';
  list.forEach((sig: unknown, i) => {
    checked.signatures++;
    const at = `${where} signature ${i}`;
    if (!isSignatureHex(sig)) {
      problems.add(at, 'not 65 bytes of 0x-prefixed hex');
      return;
    }
    let signer: string;
    try {
      signer = recoverSignerSync(chain.chainId, chain.addresses.settlement, row.hash as Hex, sig).toLowerCase();
    } catch (e) {
      problems.add(at, `does not recover to an address: ${describe(e)}`);
      return;
    }
    const id = unit.validators.get(signer);
    if (id === undefined) {
      problems.add(at, `recovers to ${signer}, which is not a validator of unit ${unit.areaId} (for chain ${chain.chainId}, Settlement ${chain.addresses.settlement} and the stored hash)`);
      return;
    }
    if (signers.has(signer)) {
      problems.add(at, `a second signature of validator ${id}`);
      return;
    }
    if (signer < previous) problems.add(at, `signer ${id} comes after a higher address: signers must be ascending (the contract refuses it)`);
    previous = signer;
    signers.add(signer);
  });
  if (signers.size < unit.quorum) {
    problems.add(where, `${signers.size} valid signatures of validators of unit ${unit.areaId}; the quorum is ${unit.quorum} of ${unit.validators.size}`);
  }
}

/** Leaves stored for a microgrid that is no unit or a slot outside the run. */
function checkOrphanLeaves(file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, problems: Problems): void {
  for (const kind of LEAF_KINDS) {
    for (const k of file.leafSlots(kind)) {
      const unknownUnit = !ids.unitByMicrogrid.has(k.microgrid.toLowerCase());
      if (unknownUnit || k.slot < 0 || k.slot >= meta.slots) {
        problems.add(unitWhere(ids, k.microgrid, k.slot), `${k.n} ${kind} leaves stored for ${unknownUnit ? 'a microgrid that is not a settlement unit' : `a slot outside the run (slots 0..${meta.slots - 1})`}`);
      }
    }
  }
}

// ---- the chain ----------------------------------------------------------------------------------------

async function checkChain(
  file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, expected: Map<string, bigint>,
  problems: Problems, checked: VerifyCounts, options: VerifyOptions,
): Promise<void> {
  const stored = file.blocks();
  checked.blocks = stored.length;
  let chain: SettlementChain;
  if (meta.chain.kind === 'embedded') {
    const journal = file.journal();
    checked.journalTransactions = journal.length;
    options.onProgress?.({ stage: 'chain', what: `replaying ${journal.length} journalled transactions into a fresh embedded chain` });
    try {
      // The replay writes nothing back: the journal's append is a no-op.
      chain = await openEmbeddedChain({ journal: { load: () => journal, append: () => undefined }, initialDate: meta.scenario.start });
    } catch (e) {
      const message = describe(e);
      const tx = /transaction #(\d+)/.exec(message)?.[1];
      const cause = (e as { cause?: unknown }).cause;
      problems.add(tx === undefined ? 'chain journal' : `chain journal transaction ${tx}`,
        message.replace(/^the chain journal does not replay: (transaction #\d+ )?/, 'does not replay: it ') + (cause === undefined ? '' : ` (${describe(cause)})`));
      return;
    }
  } else {
    const rpcUrl = options.chainRpc ?? meta.chain.rpcUrl;
    if (rpcUrl === undefined) {
      problems.add('chain', 'an rpc ledger without its node\'s URL: give --chain-rpc URL');
      return;
    }
    options.onProgress?.({ stage: 'chain', what: `asking the node at ${rpcUrl}` });
    try {
      chain = await connectChain({ rpcUrl, addresses: meta.chain.addresses });
    } catch (e) {
      problems.add('chain', `cannot attach to the contracts at ${rpcUrl}: ${describe(e)}`);
      return;
    }
  }
  try {
    if (chain.chainId !== meta.chain.chainId) problems.add('chain', `the chain id is ${chain.chainId}, the ledger says ${meta.chain.chainId}`);
    for (const k of ['registry', 'credits', 'settlement'] as const) {
      if (chain.addresses[k].toLowerCase() !== meta.chain.addresses[k].toLowerCase()) {
        problems.add('chain', `the replayed ${k} contract is at ${chain.addresses[k]}, the ledger says ${meta.chain.addresses[k]}`);
      }
    }
    await compareValidators(chain, ids, problems);
    const blockTxs = await compareBlocks(chain, stored, meta.chain.kind, problems);
    options.onProgress?.({ stage: 'chain', what: 'comparing statements and balances' });
    await compareStatements(file, chain, ids, blockTxs, problems, checked, meta.chain.kind);
    await compareBalances(chain, ids, expected, problems, checked, meta.chain.kind);
  } catch (e) {
    if (!(e instanceof ChainError)) throw e;
    problems.add('chain', describe(e));
  } finally {
    await chain.close();
  }
}

/** Every unit's validator set and quorum on chain are the ones derived from the seed. */
async function compareValidators(chain: SettlementChain, ids: LedgerIdentities, problems: Problems): Promise<void> {
  for (const u of ids.units) {
    const onChain = (await chain.validatorsOf(u.microgrid)).map((a) => a.toLowerCase()).sort();
    const derived = [...u.validators.keys()].sort();
    if (onChain.join() !== derived.join()) {
      problems.add(`unit ${u.areaId}`, `the chain registers validators ${onChain.join(', ') || '(none)'}, the seed gives ${derived.join(', ')}`);
      continue;
    }
    const quorum = await chain.quorumOf(u.microgrid);
    if (quorum !== u.quorum) problems.add(`unit ${u.areaId}`, `the chain's quorum is ${quorum}, ⌈2n/3⌉ of ${derived.length} validators is ${u.quorum}`);
  }
}

/** Stored blocks against the replayed (embedded) or the node's (rpc) blocks; returns the tx hashes per block when they match. */
async function compareBlocks(chain: SettlementChain, stored: readonly BlockRow[], kind: ChainMeta['kind'], problems: Problems): Promise<Map<number, Set<string>> | null> {
  const last = stored[stored.length - 1];
  if (last === undefined) {
    problems.add('chain blocks', 'the ledger stores no blocks');
    return null;
  }
  const actual = kind === 'embedded' ? await chain.blocks() : await chain.blocks(BigInt(stored[0]?.number ?? 0), BigInt(last.number));
  const byNumber = new Map(actual.map((b) => [Number(b.number), b]));
  const txs = new Map<number, Set<string>>();
  let firstBad: { number: number; what: string } | null = null;
  let bad = 0;
  for (const b of stored) {
    const a = byNumber.get(b.number);
    let what: string | null = null;
    let storedTxs: string[] = [];
    try {
      storedTxs = (JSON.parse(b.txHashes) as unknown[]).map((h) => String(h).toLowerCase());
    } catch {
      what = 'its stored transaction list is not JSON';
    }
    if (a === undefined) what ??= `the ${kind === 'embedded' ? 'replayed chain' : 'node'} has no block ${b.number}`;
    else if (a.hash.toLowerCase() !== b.hash.toLowerCase()) what ??= `stored hash ${b.hash}, the ${kind === 'embedded' ? 'replay gives' : 'node has'} ${a.hash}`;
    else if (a.transactions.map((h) => h.toLowerCase()).join() !== storedTxs.join()) what ??= 'its stored transactions differ from the chain\'s';
    if (what !== null) {
      bad++;
      firstBad ??= { number: b.number, what };
    }
    txs.set(b.number, new Set(storedTxs));
  }
  if (firstBad !== null) {
    problems.add(`chain block ${firstBad.number}`, firstBad.what + (bad > 1 ? ` (and ${bad - 1} more stored blocks differ)` : ''));
  }
  if (kind === 'embedded' && actual.length !== stored.length) {
    problems.add('chain blocks', `the replayed chain has ${actual.length} blocks, the ledger stores ${stored.length}`);
  }
  return firstBad === null ? txs : null;
}

async function compareStatements(
  file: LedgerFile, chain: SettlementChain, ids: LedgerIdentities, blockTxs: Map<number, Set<string>> | null,
  problems: Problems, checked: VerifyCounts, kind: ChainMeta['kind'],
): Promise<void> {
  let onChainCount = 0;
  for (const row of file.statements()) {
    const where = unitWhere(ids, row.microgrid, row.slot);
    if (!HASH_RE.test(row.microgrid) || row.slot < 0) continue;
    const held = await chain.statementHashOf(row.microgrid as Hex, BigInt(row.slot));
    const heldText = held?.toLowerCase() ?? null;
    switch (row.status) {
      case 'committed':
      case 'duplicate':
        onChainCount++;
        if (heldText === null) problems.add(where, `recorded as ${row.status} but the chain holds no statement for it`);
        else if (heldText !== row.hash) problems.add(where, `the chain holds ${heldText}, the ledger's statement is ${row.hash}`);
        else checked.committed++;
        if (row.txHash !== null && row.blockNumber !== null && blockTxs !== null && blockTxs.get(row.blockNumber)?.has(row.txHash.toLowerCase()) !== true) {
          problems.add(where, `its transaction ${row.txHash} is not in block ${row.blockNumber}`);
        }
        break;
      case 'conflict':
        problems.add(where, `conflict: the chain holds ${heldText ?? 'nothing'} for this slot, the ledger's statement is ${row.hash}`);
        break;
      default:
        checked.open++;
        if (heldText === row.hash) problems.add(where, `on chain but still ${row.status} in the ledger`);
        else if (heldText !== null) problems.add(where, `${row.status} in the ledger, and the chain holds another statement for this slot: ${heldText}`);
    }
  }
  if (kind === 'embedded') {
    // The embedded chain belongs to this ledger alone: it holds exactly the settled statements.
    const count = await chain.committedCount();
    if (count !== BigInt(onChainCount)) problems.add('chain', `the Settlement contract counts ${count} committed statements, the ledger ${onChainCount}`);
  }
}

async function compareBalances(chain: SettlementChain, ids: LedgerIdentities, expected: Map<string, bigint>, problems: Problems, checked: VerifyCounts, kind: ChainMeta['kind']): Promise<void> {
  const accounts = new Set<string>([...ids.accountNames.keys(), ...expected.keys()]);
  let positive = 0n;
  for (const account of [...accounts].sort()) {
    const want = expected.get(account) ?? 0n;
    if (want > 0n) positive += want;
    const have = await chain.balanceOf(account as Hex);
    checked.accounts++;
    if (have !== want) {
      problems.add(`account ${ids.accountNames.get(account) ?? account}`, `the chain's balance is ${have}, the committed statements add up to ${want} (minor units)`);
    }
  }
  if (kind === 'embedded') {
    const total = await chain.totalPositive();
    if (total !== positive) problems.add('chain', `the credits contract's totalPositive is ${total}, the committed statements give ${positive}: money on accounts the ledger does not know`);
  }
}

function describe(e: unknown): string {
  if (e instanceof GridmeshError) return [e.message, ...e.details.slice(0, 5)].join('; ');
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}
