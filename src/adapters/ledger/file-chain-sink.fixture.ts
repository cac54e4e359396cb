/**
 * A fake Settlement contract whose state lives in its own SQLite file, so it survives the kill of
 * the process that submits to it (crash tests). Idempotent like the contract; every application is
 * logged in `applies`, so a test can check that each statement was applied exactly once.
 */
import Database from 'better-sqlite3';
import { keccak256, stringToHex, type Hex } from 'viem';
import { statementHash, type Statement } from '../../core/ledger/statement.js';
import type { StatementSink, SubmitReceipt } from './statement-sink.js';

export interface FileChainHooks {
  /** Called before the chain applies a statement (n counts this process's submissions from 1). */
  readonly beforeApply?: (n: number) => void;
  /** Called once the chain's transaction is committed, before the receipt is returned. */
  readonly afterApply?: (n: number) => void;
}

export class FileChainSink implements StatementSink {
  private readonly db: Database.Database;
  private submissions = 0;

  constructor(path: string, private readonly hooks: FileChainHooks = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS held (microgrid TEXT NOT NULL, slot INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (microgrid, slot));
      CREATE TABLE IF NOT EXISTS applies (seq INTEGER PRIMARY KEY, microgrid TEXT NOT NULL, slot INTEGER NOT NULL, hash TEXT NOT NULL);`);
  }

  async submitStatement(s: Statement, _signatures: readonly Hex[]): Promise<SubmitReceipt> {
    const n = ++this.submissions;
    await Promise.resolve();
    this.hooks.beforeApply?.(n);
    const hash = statementHash(s);
    const microgrid = s.microgrid.toLowerCase();
    const outcome = this.db.transaction((): SubmitReceipt['outcome'] => {
      const held = this.db.prepare('SELECT hash FROM held WHERE microgrid = ? AND slot = ?').get(microgrid, s.slot) as { hash: string } | undefined;
      if (held !== undefined) return held.hash === hash ? 'duplicate' : 'conflict';
      this.db.prepare('INSERT INTO held (microgrid, slot, hash) VALUES (?, ?, ?)').run(microgrid, s.slot, hash);
      this.db.prepare('INSERT INTO applies (microgrid, slot, hash) VALUES (?, ?, ?)').run(microgrid, s.slot, hash);
      return 'committed';
    }).immediate();
    this.hooks.afterApply?.(n);
    await Promise.resolve();
    return { outcome, txHash: keccak256(stringToHex(`${microgrid}:${s.slot}:${n}`)), gasUsed: 80_000n, blockNumber: BigInt(n) };
  }

  async statementHashOf(microgrid: Hex, slot: bigint): Promise<Hex | null> {
    const row = this.db.prepare('SELECT hash FROM held WHERE microgrid = ? AND slot = ?').get(microgrid.toLowerCase(), slot) as { hash: Hex } | undefined;
    return row?.hash ?? null;
  }

  /** Every application, in order. */
  applies(): { microgrid: Hex; slot: bigint; hash: Hex }[] {
    return this.db.prepare('SELECT microgrid, slot, hash FROM applies ORDER BY seq').safeIntegers(true).all() as { microgrid: Hex; slot: bigint; hash: Hex }[];
  }

  close(): void {
    this.db.close();
  }
}
