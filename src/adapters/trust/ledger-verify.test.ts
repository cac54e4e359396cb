/**
 * `verifyLedger` on a small simulated ledger: the checks the CLI tests do not reach (leaves in the
 * wrong unit or slot, undecodable leaves, statements still queued or in conflict, a ledger still
 * being written), and the same report with and without worker threads.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { idOf } from '../../core/ledger/statement.js';
import { aScenario } from '../../core/sim/scenario.fixture.js';
import { prepareTrust } from '../../core/trust/trust-setup.js';
import { simulateWithTrust } from './simulate-with-trust.js';
import { LedgerFile, ledgerIdentities, resolveLedgerPath, verifyLedger, type VerifyReport } from './ledger-verify.js';

let root: string;
let base: string;
let clean: VerifyReport;

function copy(name: string, edit?: (db: Database.Database) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(join(base, 'ledger.sqlite'), join(dir, 'ledger.sqlite'));
  if (edit !== undefined) {
    const db = new Database(join(dir, 'ledger.sqlite'));
    try {
      edit(db);
    } finally {
      db.close();
    }
  }
  return dir;
}

const N1 = idOf('area:n1');
const N2 = idOf('area:n2');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gridmesh-ledger-verify-'));
  base = join(root, 'run');
  await simulateWithTrust(aScenario(), { days: 0.1 }, { outDir: base });
  clean = await verifyLedger(base);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('verifyLedger', () => {
  it('a clean ledger has no problems; inline verification (no worker threads) gives the same report', async () => {
    expect(clean.problems).toEqual([]);
    expect(clean.ok).toBe(true);
    expect(clean.chain).toEqual({ kind: 'embedded', chainId: '31337', settlement: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) as string });
    const inline = await verifyLedger(join(base, 'ledger.sqlite'), { threads: 0 });
    expect(inline).toEqual(clean);
    const events: string[] = [];
    await verifyLedger(base, { threads: 1, onProgress: (e) => events.push(e.stage) });
    expect(events[0]).toBe('identities');
    expect(events.filter((e) => e === 'statements').length).toBeGreaterThan(0);
    expect(events.at(-1)).toBe('chain');
  });

  it('re-derives the identities from the scenario and seed alone', async () => {
    const ids = ledgerIdentities(await prepareTrust(aScenario(), 7, 10));
    expect(ids.units.map((u) => u.areaId)).toEqual(['tso', 'dso', 'n1', 'n2']);
    expect(ids.units.map((u) => [u.validators.size, u.quorum])).toEqual([[4, 3], [4, 3], [4, 3], [4, 3]]);
    expect(ids.meters.size).toBe(21);
    expect(ids.owners.size).toBe(21);
    expect(ids.accountNames.get(idOf('site:hospital'))).toBe('site:hospital');
    expect(ids.accountNames.get(idOf('market:n1'))).toBe('market:n1');
    expect(ids.accountNames.get(idOf('flexibility:tso'))).toBe('flexibility:tso');
  });

  it('leaves of another unit or slot, and leaves that do not decode', async () => {
    const dir = copy('misplaced', (db) => {
      // A reading of n2's slot 3 inserted into n1's slot 3, an order of slot 2 moved to slot 3, a short trade leaf.
      const reading = db.prepare('SELECT device, bytes FROM signed_readings WHERE microgrid = ? AND slot = 3 ORDER BY idx LIMIT 1').get(N2) as { device: string; bytes: Buffer };
      const n = (db.prepare('SELECT count(*) AS n FROM signed_readings WHERE microgrid = ? AND slot = 3').get(N1) as { n: number }).n;
      db.prepare('INSERT INTO signed_readings (microgrid, slot, idx, device, bytes) VALUES (?, 3, ?, ?, ?)').run(N1, n, reading.device, reading.bytes);
      const order = db.prepare('SELECT device, bytes FROM signed_orders WHERE microgrid = ? AND slot = 2 ORDER BY idx LIMIT 1').get(N1) as { device: string; bytes: Buffer };
      db.prepare('UPDATE signed_orders SET device = ?, bytes = ? WHERE microgrid = ? AND slot = 3 AND idx = 0').run(order.device, order.bytes, N1);
      db.prepare('UPDATE trades SET bytes = ? WHERE microgrid = ? AND slot = 3 AND idx = 1').run(Buffer.alloc(10), N1);
      db.prepare('INSERT INTO trades (microgrid, slot, idx, bytes) VALUES (?, 99, 0, ?)').run(N1, Buffer.alloc(77));
    });
    const r = await verifyLedger(dir);
    expect(r.ok).toBe(false);
    const at = (where: string): string[] => r.problems.filter((p) => p.where === where).map((p) => p.what);
    const file = LedgerFile.open(base);
    const n = file.leaves('readings', N1, 3).length;
    file.close();
    expect(at(`unit n1 slot 3 reading ${n}`)).toEqual([expect.stringMatching(/^signed by the meter of site n2-\S+, which unit n2 settles$/)]);
    expect(at('unit n1 slot 3 order 0')).toEqual(['an order for slot 2, stored in slot 3']);
    expect(at('unit n1 slot 3 trade 1')).toEqual(['not a trade leaf: expected 77 bytes of version 1, got 10 bytes of version 0']);
    expect(at('unit n1 slot 3')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^readings root: the \d+ stored leaves give/),
      expect.stringMatching(/^orders root: /),
      expect.stringMatching(/^trades root: /),
    ]));
    expect(at('unit n1 slot 99')).toEqual(['1 trades leaves stored for a slot outside the run (slots 0..9)']);
  });

  it('statements still queued are counted as waiting; a conflict or a queued statement the chain holds is a problem', async () => {
    const dir = copy('statuses', (db) => {
      db.prepare("UPDATE statements SET status = 'queued', tx_hash = NULL, block_number = NULL WHERE microgrid = ? AND slot = 9").run(N2);
      db.prepare("UPDATE statements SET status = 'conflict' WHERE microgrid = ? AND slot = 8").run(N2);
    });
    const r = await verifyLedger(dir);
    expect(r.checked.open).toBe(1);
    expect(r.problems).toEqual(expect.arrayContaining([
      { where: 'unit n2 slot 9', what: 'on chain but still queued in the ledger' },
      { where: 'unit n2 slot 8', what: expect.stringMatching(/^conflict: the chain holds 0x[0-9a-f]{64} for this slot, the ledger's statement is 0x/) as string },
    ]));
  });

  it('reads a ledger that is still being written (a non-empty write-ahead log) in place', async () => {
    const dir = copy('live');
    const writer = new Database(join(dir, 'ledger.sqlite'));
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare('DELETE FROM statements WHERE microgrid = ? AND slot = 0').run(N1);
      const r = await verifyLedger(dir);
      expect(r.problems).toContainEqual({ where: 'unit n1 slot 0', what: 'no statement' });
    } finally {
      writer.close();
    }
  });

  it('accepts the folder or the file; refuses what is not a ledger', () => {
    expect(resolveLedgerPath(base)).toBe(join(base, 'ledger.sqlite'));
    expect(resolveLedgerPath(join(base, 'ledger.sqlite'))).toBe(join(base, 'ledger.sqlite'));
    expect(() => resolveLedgerPath(join(root, 'none'))).toThrow(UsageError);
    const dir = join(root, 'foreign');
    mkdirSync(dir);
    const db = new Database(join(dir, 'ledger.sqlite'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => LedgerFile.open(dir)).toThrow(/is not a gridmesh ledger: no such table: meta/);
  });
});

