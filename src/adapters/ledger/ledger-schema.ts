/**
 * The SQLite schema of the ledger store (docs/ledger.md). Hex values (ids, hashes, addresses) are
 * stored in lower case so keys compare exactly; bigints as INTEGER (int64) or decimal strings in JSON.
 * The leaf tables are WITHOUT ROWID: their key is the only index they need (a quarter smaller).
 */
import Database from 'better-sqlite3';
import { LedgerSchemaError } from './ledger-store-errors.js';

export const SCHEMA_VERSION = 1;

const OPEN_STATUSES = "('queued', 'submitting', 'failed')";

const DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE signed_readings (
  microgrid TEXT NOT NULL, slot INTEGER NOT NULL, idx INTEGER NOT NULL, device TEXT NOT NULL, bytes BLOB NOT NULL,
  PRIMARY KEY (microgrid, slot, idx)) STRICT, WITHOUT ROWID;
CREATE TABLE signed_orders (
  microgrid TEXT NOT NULL, slot INTEGER NOT NULL, idx INTEGER NOT NULL, device TEXT NOT NULL, bytes BLOB NOT NULL,
  PRIMARY KEY (microgrid, slot, idx)) STRICT, WITHOUT ROWID;
CREATE TABLE trades (
  microgrid TEXT NOT NULL, slot INTEGER NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL,
  PRIMARY KEY (microgrid, slot, idx)) STRICT, WITHOUT ROWID;

CREATE TABLE rejections (slot INTEGER NOT NULL, device TEXT NOT NULL, reason TEXT NOT NULL) STRICT;
CREATE INDEX rejections_by_slot ON rejections (slot);

CREATE TABLE statements (
  microgrid TEXT NOT NULL,
  slot INTEGER NOT NULL,
  hash TEXT NOT NULL,
  body TEXT NOT NULL,
  signatures TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'submitting', 'committed', 'duplicate', 'conflict', 'failed')),
  tx_hash TEXT,
  gas_used INTEGER,
  block_number INTEGER,
  queued_at_slot INTEGER NOT NULL,
  committed_at_slot INTEGER,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (microgrid, slot)) STRICT;
CREATE INDEX statements_open ON statements (slot, microgrid) WHERE status IN ${OPEN_STATUSES};
CREATE INDEX statements_open_by_microgrid ON statements (microgrid, slot) WHERE status IN ${OPEN_STATUSES};

CREATE TABLE dissent (
  microgrid TEXT NOT NULL, slot INTEGER NOT NULL, validator TEXT NOT NULL, hash TEXT NOT NULL, fields TEXT NOT NULL,
  PRIMARY KEY (microgrid, slot, validator)) STRICT;

CREATE TABLE chain_journal (
  seq INTEGER PRIMARY KEY, from_addr TEXT NOT NULL, to_addr TEXT, data BLOB NOT NULL, reverted INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE TABLE chain_blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, tx_hashes TEXT NOT NULL) STRICT;
`;

/**
 * Opens (creating if needed) a ledger database: WAL journal, synchronous=FULL. SQLite's
 * `synchronous` is per connection, so FULL covers every table, not only the queue: each commit
 * is on disk (fsync of the WAL) before it returns, which is what the submitter's protocol needs to
 * survive a power cut, not just a killed process. Writes are batched in transactions to keep the
 * fsyncs few.
 */
export function openLedgerDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    if (!hasMeta) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw new LedgerSchemaError('the file is an SQLite database but not a gridmesh ledger (no meta table)');
      db.exec(DDL);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      return;
    }
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    if (row?.value !== String(SCHEMA_VERSION)) {
      throw new LedgerSchemaError(`the ledger file has schema version ${row?.value ?? '(none)'}; this gridmesh reads version ${SCHEMA_VERSION}`);
    }
  }).immediate();
}
