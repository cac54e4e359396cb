/**
 * `gridmesh ledger verify | prove | check` through the command functions: a clean ledger, every kind
 * of tampering (each must exit 1 and name where), usage errors (exit 2), proofs that hold and proofs
 * that do not, and an `rpc` ledger settled on a JSON-RPC endpoint (an embedded chain served over
 * HTTP by this test, so no node process is needed).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbeddedChain, type EmbeddedChain } from '../../adapters/chain/index.js';
import { simulateWithTrust } from '../../adapters/trust/simulate-with-trust.js';
import { TrustError, UsageError } from '../../core/errors.js';
import { idOf } from '../../core/ledger/statement.js';
import { aScenario } from '../../core/sim/scenario.fixture.js';
import { buildProgram } from '../program.js';
import { ledgerCheckCommand, ledgerProveCommand, ledgerVerifyCommand, type LedgerIo } from './ledger.js';
import { usageFailure } from './usage-failure.fixture.js';

const UNITS = ['tso', 'dso', 'n1', 'n2'];
const unitOf = (microgrid: string): string => UNITS.find((a) => idOf(`area:${a}`) === microgrid) ?? microgrid;

interface VerifyJson {
  ok: boolean;
  checked: Record<string, number>;
  problems: { where: string; what: string }[];
  moreProblems: number;
}

let root: string;
let base: string;
let rpcBase: string;
let served: { url: string; chain: EmbeddedChain; server: Server };

/** An embedded chain answering JSON-RPC over HTTP, standing in for a node (`--chain-rpc`). */
async function serveEmbeddedChain(): Promise<{ url: string; chain: EmbeddedChain; server: Server }> {
  const chain = await openEmbeddedChain();
  const answer = async (m: { id: unknown; method: string; params?: unknown[] }): Promise<object> => {
    try {
      return { jsonrpc: '2.0', id: m.id, result: await chain.provider.request({ method: m.method, params: m.params ?? [] }) };
    } catch (e) {
      const err = e as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: '2.0', id: m.id, error: { code: err.code ?? -32603, message: err.message ?? String(e), data: err.data } };
    }
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as Parameters<typeof answer>[0] | Parameters<typeof answer>[0][];
      void (Array.isArray(message) ? Promise.all(message.map(answer)) : answer(message)).then((out) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(out));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, chain, server };
}

/** A copy of a ledger folder, edited with plain SQL. */
function tampered(from: string, name: string, edit: (db: Database.Database) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const suffix of ['', '-wal']) {
    if (existsSync(join(from, `ledger.sqlite${suffix}`))) copyFileSync(join(from, `ledger.sqlite${suffix}`), join(dir, `ledger.sqlite${suffix}`));
  }
  const db = new Database(join(dir, 'ledger.sqlite'));
  try {
    edit(db);
  } finally {
    db.close();
  }
  return dir;
}

const quiet: LedgerIo = { progress: () => undefined };

async function verifyJson(dir: string, flags: { chainRpc?: string } = {}): Promise<{ exitCode: number; json: VerifyJson }> {
  const out = await ledgerVerifyCommand(dir, { json: true, ...flags }, quiet);
  return { exitCode: out.exitCode, json: JSON.parse(out.stdout) as VerifyJson };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gridmesh-ledger-cli-'));
  base = join(root, 'run');
  await simulateWithTrust(aScenario(), { days: 0.1 }, { outDir: base });
  served = await serveEmbeddedChain();
  rpcBase = join(root, 'rpc-run');
  // Another seed: other keys and validators than the embedded run.
  await simulateWithTrust(aScenario(), { days: 0.05, seed: 8 }, { outDir: rpcBase, chainRpc: served.url });
});

afterAll(async () => {
  await new Promise<void>((resolve) => served.server.close(() => resolve()));
  await served.chain.close();
  rmSync(root, { recursive: true, force: true });
});

describe('gridmesh ledger verify', () => {
  it('a clean ledger: exit 0, the counts, and the file is left as it was', async () => {
    const before = readFileSync(join(base, 'ledger.sqlite'));
    const lines: string[] = [];
    const out = await ledgerVerifyCommand(base, {}, { progress: (l) => lines.push(l) });
    expect(out.exitCode).toBe(0);
    const text = out.stdout.split('\n');
    expect(text[0]).toBe(`ledger ${join(base, 'ledger.sqlite')}: OK`);
    expect(text[1]).toBe('checked   40 statements (4 units × 10 slots), 210 readings, 150 orders, 210 trades, 160 signatures');
    expect(text[2]).toMatch(/^chain {5}embedded \(chain 31337, Settlement 0x[0-9a-fA-F]{40}\): 50 journalled transactions replayed, 51 blocks, 40 statements on chain, 0 waiting, \d+ balances$/);
    expect(lines[0]).toBe('verify: re-deriving the identities of 21 sites from the scenario and seed');
    expect(lines).toContain('verify: 40/40 statements checked');
    expect(lines.some((l) => l.startsWith('verify: chain: replaying 50 journalled transactions'))).toBe(true);
    expect(readFileSync(join(base, 'ledger.sqlite')).equals(before)).toBe(true);
    expect(existsSync(join(base, 'ledger.sqlite-shm'))).toBe(false);

    const { exitCode, json } = await verifyJson(base);
    expect(exitCode).toBe(0);
    expect(Object.keys(json)).toEqual(['ok', 'ledger', 'chain', 'checked', 'problems', 'moreProblems']);
    expect(json.ok).toBe(true);
    expect(json.problems).toEqual([]);
    expect(json.checked).toMatchObject({ units: 4, slots: 10, statements: 40, committed: 40, open: 0, readings: 210, orders: 150, trades: 210, signatures: 160, journalTransactions: 50, blocks: 51 });
    expect(json.checked['accounts']).toBeGreaterThan(21);
  });

  it('a flipped byte in a stored reading: bad signature at that reading, and the readings root', async () => {
    let at = '';
    const dir = tampered(base, 'reading-byte', (db) => {
      const r = db.prepare('SELECT microgrid, slot, idx, bytes FROM signed_readings ORDER BY slot, microgrid, idx LIMIT 1 OFFSET 7').get() as { microgrid: string; slot: number; idx: number; bytes: Buffer };
      r.bytes[40] = (r.bytes[40] as number) ^ 0x01; // importWh
      db.prepare('UPDATE signed_readings SET bytes = ? WHERE microgrid = ? AND slot = ? AND idx = ?').run(r.bytes, r.microgrid, r.slot, r.idx);
      at = `unit ${unitOf(r.microgrid)} slot ${r.slot}`;
      at += ` reading ${r.idx}`;
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toContainEqual({ where: at, what: expect.stringMatching(/^bad signature: the record does not verify with the key of the meter of site /) as string });
    const statementAt = at.replace(/ reading \d+$/, '');
    expect(json.problems).toContainEqual({ where: statementAt, what: expect.stringMatching(/^readings root: the \d+ stored leaves give 0x[0-9a-f]{64}, the statement says 0x[0-9a-f]{64}$/) as string });
    expect(json.problems).toContainEqual({ where: statementAt, what: expect.stringMatching(/^re-executing settlement from the stored leaves gives hash/) as string });
  });

  it('a deleted statement: "no statement" at that unit and slot, and the chain\'s balances disagree', async () => {
    const dir = tampered(base, 'deleted-statement', (db) => {
      db.prepare('DELETE FROM statements WHERE microgrid = ? AND slot = 4').run(idOf('area:n1'));
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toContainEqual({ where: 'unit n1 slot 4', what: 'no statement' });
    expect(json.problems).toContainEqual({ where: 'chain', what: 'the Settlement contract counts 40 committed statements, the ledger 39' });
    expect(json.problems.some((p) => p.where.startsWith('account ') && /the chain's balance is -?\d+, the committed statements add up to -?\d+/.test(p.what))).toBe(true);
    const text = await ledgerVerifyCommand(dir, { progress: false }, quiet);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('\n  unit n1 slot 4: no statement\n');
  });

  it('a changed delta in a statement body: hash mismatch at the statement, balance mismatch at the account', async () => {
    let where = '';
    let account = '';
    const dir = tampered(base, 'changed-delta', (db) => {
      const rows = db.prepare('SELECT microgrid, slot, body FROM statements ORDER BY slot, microgrid').all() as { microgrid: string; slot: number; body: string }[];
      const row = rows.find((r) => (JSON.parse(r.body) as { accounts: string[] }).accounts.length >= 2) as (typeof rows)[number];
      const body = JSON.parse(row.body) as { accounts: string[]; deltasMinor: string[] };
      body.deltasMinor[0] = String(BigInt(body.deltasMinor[0] as string) + 100n);
      body.deltasMinor[1] = String(BigInt(body.deltasMinor[1] as string) - 100n); // still balanced
      db.prepare('UPDATE statements SET body = ? WHERE microgrid = ? AND slot = ?').run(JSON.stringify(body), row.microgrid, row.slot);
      where = `unit ${unitOf(row.microgrid)} slot ${row.slot}`;
      account = body.accounts[0] as string;
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toContainEqual({
      where,
      what: expect.stringMatching(/^the statement body hashes to 0x[0-9a-f]{64}, not to its stored hash 0x[0-9a-f]{64} \(the body differs from re-executed settlement in deltasMinor\[0\], deltasMinor\[1\]\)$/) as string,
    });
    const accountProblems = json.problems.filter((p) => p.where.startsWith('account '));
    expect(accountProblems).toHaveLength(2);
    expect(accountProblems.map((p) => p.what).join('\n')).toMatch(/the chain's balance is (-?\d+), the committed statements add up to/);
    expect(account).toMatch(/^0x/);
  });

  it('a changed chain journal row: the replay fails at that transaction', async () => {
    const dir = tampered(base, 'journal', (db) => {
      const r = db.prepare('SELECT seq, data FROM chain_journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; data: Buffer };
      r.data[r.data.length - 40] = (r.data[r.data.length - 40] as number) ^ 0xff;
      db.prepare('UPDATE chain_journal SET data = ? WHERE seq = ?').run(r.data, r.seq);
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    // The statement's bytes changed: its signatures no longer recover to the validators, so it reverts.
    expect(json.problems).toEqual([{ where: 'chain journal transaction 49', what: expect.stringMatching(/^does not replay: it now fails \(journal replay #49 reverted: UnknownSigner\(0x[0-9a-fA-F]{40}\)/) as string }]);
  });

  it('a changed sender in the chain journal: the replayed block differs from the stored one', async () => {
    const dir = tampered(base, 'journal-from', (db) => {
      const r = db.prepare('SELECT seq FROM chain_journal ORDER BY seq DESC LIMIT 1').get() as { seq: number };
      db.prepare('UPDATE chain_journal SET from_addr = ? WHERE seq = ?').run('0x00000000000000000000000000000000000000aa', r.seq);
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toContainEqual({ where: 'chain block 50', what: expect.stringMatching(/^stored hash 0x[0-9a-f]{64}, the replay gives 0x[0-9a-f]{64}$/) as string });
  });

  it('a changed block hash: named by its block number', async () => {
    const dir = tampered(base, 'block-hash', (db) => {
      db.prepare('UPDATE chain_blocks SET hash = ? WHERE number = 20').run(`0x${'ab'.repeat(32)}`);
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toEqual([{ where: 'chain block 20', what: expect.stringMatching(/^stored hash 0xabab.*, the replay gives 0x[0-9a-f]{64}$/) as string }]);
  });

  it('signatures below the quorum, and one by a stranger', async () => {
    const dir = tampered(base, 'signatures', (db) => {
      const rows = db.prepare('SELECT microgrid, slot, signatures FROM statements WHERE slot IN (2, 3) AND microgrid = ?').all(idOf('area:n2')) as { microgrid: string; slot: number; signatures: string }[];
      const [two, three] = rows as [(typeof rows)[number], (typeof rows)[number]];
      db.prepare('UPDATE statements SET signatures = ? WHERE microgrid = ? AND slot = ?').run(JSON.stringify((JSON.parse(two.signatures) as string[]).slice(0, 2)), two.microgrid, two.slot);
      const sigs = JSON.parse(three.signatures) as string[];
      sigs[1] = (JSON.parse(two.signatures) as string[])[1] as string; // valid signature, wrong statement
      db.prepare('UPDATE statements SET signatures = ? WHERE microgrid = ? AND slot = ?').run(JSON.stringify(sigs), three.microgrid, three.slot);
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toContainEqual({ where: 'unit n2 slot 2', what: '2 valid signatures of validators of unit n2; the quorum is 3 of 4' });
    expect(json.problems).toContainEqual({ where: 'unit n2 slot 3 signature 1', what: expect.stringMatching(/^recovers to 0x[0-9a-f]{40}, which is not a validator of unit n2/) as string });
  });

  it('lists at most --max-problems in text, with a count of the rest', async () => {
    const dir = tampered(base, 'many', (db) => {
      db.prepare('DELETE FROM statements WHERE microgrid = ?').run(idOf('area:n2'));
    });
    const out = await ledgerVerifyCommand(dir, { maxProblems: '3', progress: false }, quiet);
    expect(out.exitCode).toBe(1);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ledger .*: \d+ problems$/);
    const listed = lines.slice(lines.indexOf('problems:') + 1);
    expect(listed.slice(0, 3)).toEqual(['  unit n2 slot 0: no statement', '  unit n2 slot 1: no statement', '  unit n2 slot 2: no statement']);
    expect(listed[3]).toMatch(/^ {2}… and \d+ more \(--max-problems N or --json to list them\)$/);
  });

  it('unusable meta is a problem, not a crash', async () => {
    const dir = tampered(base, 'meta', (db) => {
      db.prepare("UPDATE meta SET value = 'seven' WHERE key = 'seed'").run();
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems).toEqual([{ where: 'meta', what: 'seed: expected a non-negative integer (got "seven")' }]);
  });

  it('usage errors exit 2', async () => {
    expect((await usageFailure(ledgerVerifyCommand(join(root, 'nowhere'), {}, quiet))).message).toMatch(/^no ledger at .*nowhere: expected a run's output folder/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect((await usageFailure(ledgerVerifyCommand(empty, {}, quiet))).message).toMatch(/holds no ledger\.sqlite/);
    writeFileSync(join(empty, 'ledger.sqlite'), 'not a database at all, just text');
    expect((await usageFailure(ledgerVerifyCommand(empty, {}, quiet))).message).toMatch(/is not a gridmesh ledger/);
    expect(await usageFailure(ledgerVerifyCommand(base, { maxProblems: 'many' }, quiet))).toBeInstanceOf(UsageError);
    expect((await usageFailure(ledgerVerifyCommand(base, { chainRpc: 'ftp://x' }, quiet))).message).toBe('--chain-rpc must be an http(s) URL, got "ftp://x"');
    expect((await usageFailure(ledgerVerifyCommand(base, { chainRpc: served.url }, quiet))).message).toMatch(/^--chain-rpc is for ledgers settled on a JSON-RPC node; this run used the embedded chain/);
  });

  it('an rpc ledger: asks the node (stored URL or --chain-rpc) and finds a changed delta', async () => {
    const clean = await verifyJson(rpcBase);
    expect(clean.json.problems).toEqual([]);
    expect(clean.exitCode).toBe(0);
    expect(clean.json.checked).toMatchObject({ statements: 20, committed: 20, journalTransactions: 0 });
    expect((await verifyJson(rpcBase, { chainRpc: served.url })).exitCode).toBe(0);

    const dir = tampered(rpcBase, 'rpc-delta', (db) => {
      const row = (db.prepare('SELECT microgrid, slot, body FROM statements ORDER BY slot, microgrid').all() as { microgrid: string; slot: number; body: string }[])
        .find((r) => (JSON.parse(r.body) as { accounts: string[] }).accounts.length >= 2) as { microgrid: string; slot: number; body: string };
      const body = JSON.parse(row.body) as { deltasMinor: string[] };
      body.deltasMinor[0] = String(BigInt(body.deltasMinor[0] as string) - 1n);
      body.deltasMinor[1] = String(BigInt(body.deltasMinor[1] as string) + 1n);
      db.prepare('UPDATE statements SET body = ? WHERE microgrid = ? AND slot = ?').run(JSON.stringify(body), row.microgrid, row.slot);
    });
    const { exitCode, json } = await verifyJson(dir);
    expect(exitCode).toBe(1);
    expect(json.problems.filter((p) => p.where.startsWith('account '))).toHaveLength(2);

    const unreachable = await verifyJson(rpcBase, { chainRpc: 'http://127.0.0.1:9' });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.json.problems).toEqual([{ where: 'chain', what: expect.stringMatching(/^cannot attach to the contracts at http:\/\/127\.0\.0\.1:9: cannot reach the chain/) as string }]);
  });

  it('is wired into the gridmesh program: exit code 1 on problems', async () => {
    const dir = tampered(base, 'wired', (db) => {
      db.prepare('UPDATE chain_blocks SET hash = ? WHERE number = 3').run(`0x${'cd'.repeat(32)}`);
    });
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const previous = process.exitCode;
    try {
      await buildProgram().parseAsync(['node', 'gridmesh', 'ledger', 'verify', dir, '--json', '--no-progress']);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = previous;
      stdout.mockRestore();
    }
    expect((JSON.parse(written.join('')) as VerifyJson).problems).toEqual([{ where: 'chain block 3', what: expect.any(String) as string }]);
  });
});

describe('gridmesh ledger prove and check', () => {
  const meterDid = async (): Promise<string> => {
    const db = new Database(join(base, 'ledger.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT device FROM signed_readings WHERE microgrid = ? AND slot = 5 ORDER BY idx LIMIT 1 OFFSET 2').get(idOf('area:n1')) as { device: string }).device;
    } finally {
      db.close();
    }
  };

  it('proves a meter\'s reading (by DID or site), an order and a trade; check says they hold', async () => {
    const did = await meterDid();
    const out = await ledgerProveCommand(base, { unit: 'n1', slot: '5', reading: did });
    expect(out.exitCode).toBe(0);
    const proof = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(proof)).toEqual(['format', 'kind', 'unit', 'microgrid', 'slot', 'device', 'site', 'leaf', 'index', 'leafCount', 'siblings', 'root', 'statementHash', 'statement', 'signatures', 'chain']);
    expect(proof).toMatchObject({ format: 'gridmesh-ledger-proof/1', kind: 'readings', unit: 'n1', microgrid: idOf('area:n1'), slot: 5, device: did, index: 2 });
    expect(proof['site']).toMatch(/^n1-/);
    expect(proof['chain']).toMatchObject({ kind: 'embedded', chainId: '31337', status: 'committed' });

    const file = join(root, 'proofs', 'reading.json');
    const written = await ledgerProveCommand(base, { unit: 'n1', slot: '5', reading: proof['site'] as string, out: file });
    expect(written.stdout).toMatch(new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: proof of reading 2 \\(${did}\\) of unit n1 slot 5, statement 0x[0-9a-f]{64} \\(committed in block \\d+\\)\\n$`));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(proof);

    const checked = await ledgerCheckCommand(file, {});
    expect(checked.exitCode).toBe(0);
    const lines = checked.stdout.trimEnd().split('\n');
    for (const name of ['leaf', 'merkle', 'root', 'statement', 'signatures']) expect(lines.some((l) => l.startsWith(`  ok      ${name.padEnd(10)}`))).toBe(true);
    expect(lines.filter((l) => /^ {10}signer \d: 0x[0-9a-fA-F]{40}$/.test(l))).toHaveLength(4);
    expect(lines.at(-1)).toBe('proof holds');
    expect(checked.stdout).toContain(`reading of ${did}: import `);

    for (const [name, flags] of [['order', { order: '0' }], ['trade', { trade: 'n1-h0' }], ['kind', { kind: 'trades', index: '1' }]] as const) {
      const f = join(root, 'proofs', `${name}.json`);
      await ledgerProveCommand(base, { unit: 'n1', slot: '5', ...flags, out: f });
      const result = await ledgerCheckCommand(f, { json: true });
      expect(result.exitCode, name).toBe(0);
      expect((JSON.parse(result.stdout) as { ok: boolean; signers: string[] })).toMatchObject({ ok: true, signers: expect.arrayContaining([expect.stringMatching(/^0x/)]) as unknown });
    }
  });

  it('a tampered proof fails the checks it breaks (exit 1)', async () => {
    const proof = JSON.parse((await ledgerProveCommand(base, { unit: 'n2', slot: '3', kind: 'readings', index: '1' })).stdout) as Record<string, unknown>;
    const write = (name: string, p: Record<string, unknown>): string => {
      const f = join(root, 'proofs', `${name}.json`);
      mkdirSync(join(root, 'proofs'), { recursive: true });
      writeFileSync(f, JSON.stringify(p));
      return f;
    };
    const failed = async (p: Record<string, unknown>, name: string): Promise<string[]> => {
      const out = await ledgerCheckCommand(write(name, p), {});
      expect(out.exitCode, name).toBe(1);
      expect(out.stdout.trimEnd().split('\n').at(-1)).toMatch(/^proof FAILED: /);
      return out.stdout.split('\n').filter((l) => l.startsWith('  FAILED')).map((l) => l.slice(10).split(' ')[0] as string);
    };
    const leaf = proof['leaf'] as string;
    const flipped = `${leaf.slice(0, 90)}${leaf[90] === '0' ? '1' : '0'}${leaf.slice(91)}`;
    expect(await failed({ ...proof, leaf: flipped }, 'leaf')).toEqual(['leaf', 'merkle']);
    const siblings = [...(proof['siblings'] as string[])];
    siblings[0] = `0x${'11'.repeat(32)}`;
    expect(await failed({ ...proof, siblings }, 'sibling')).toEqual(['merkle']);
    expect(await failed({ ...proof, index: 0 }, 'index')).toEqual(['merkle']);
    const statement = { ...(proof['statement'] as Record<string, unknown>), slot: '4' };
    expect(await failed({ ...proof, statement }, 'statement')).toEqual(['statement']);
    const signatures = [...(proof['signatures'] as string[])];
    signatures.reverse();
    expect(await failed({ ...proof, signatures }, 'signature-order')).toEqual(['signatures']);
    expect(await failed({ ...proof, statementHash: `0x${'22'.repeat(32)}` }, 'hash')).toEqual(['statement', 'signatures']);
  });

  it('a malformed proof file is a usage error naming the path (exit 2)', async () => {
    const proof = JSON.parse((await ledgerProveCommand(base, { unit: 'n1', slot: '1', kind: 'orders', index: '0' })).stdout) as Record<string, unknown>;
    const f = join(root, 'proofs', 'bad.json');
    mkdirSync(join(root, 'proofs'), { recursive: true });
    writeFileSync(f, JSON.stringify({ ...proof, siblings: ['0x12'], chain: { ...(proof['chain'] as object), chainId: 'one' }, extra: 1 }));
    const e = await usageFailure(ledgerCheckCommand(f, {}));
    expect(e).toBeInstanceOf(TrustError);
    expect(e.message).toBe(`${f}: not a valid ledger proof`);
    expect(e.details).toEqual(expect.arrayContaining(['siblings[0]: expected 32 bytes of 0x-prefixed hex', 'chain.chainId: expected a decimal chain id', '(proof): Unrecognized key: "extra"']));
    writeFileSync(f, JSON.stringify({ ...proof, statement: { ...(proof['statement'] as object), deltasMinor: [1] } }));
    expect((await usageFailure(ledgerCheckCommand(f, {}))).details).toEqual(['statement.deltasMinor.0: expected an integer as a decimal string']);
    writeFileSync(f, '{\n  "format": ,\n}');
    expect((await usageFailure(ledgerCheckCommand(f, {}))).message).toBe(`${f} is not valid JSON: syntax error at line 2, column 13`);
    expect((await usageFailure(ledgerCheckCommand(join(root, 'proofs', 'none.json'), {}))).message).toMatch(/^cannot read proof file .*none\.json: no such file$/);
  });

  it('prove: clear usage errors for unknown unit, slot, device and bad selectors', async () => {
    const usage = async (flags: Parameters<typeof ledgerProveCommand>[1]): Promise<string> => {
      const e = await usageFailure(ledgerProveCommand(base, flags));
      expect(e).toBeInstanceOf(UsageError);
      return e.message;
    };
    expect(await usage({ slot: '1', reading: 'n1-h0' })).toMatch(/^--unit AREA is required/);
    expect(await usage({ unit: 'n1', reading: 'n1-h0' })).toBe('--slot N is required');
    expect(await usage({ unit: 'atlantis', slot: '1', reading: 'n1-h0' })).toBe('--unit atlantis: no such settlement unit; the ledger\'s units are tso, dso, n1, n2');
    expect(await usage({ unit: 'n1-s1', slot: '1', reading: 'n1-h0' })).toBe('--unit n1-s1: area n1-s1 is not a settlement unit; its statements are those of unit n1');
    expect(await usage({ unit: 'n1', slot: '10', reading: 'n1-h0' })).toBe('--slot 10 is outside the run: the ledger has slots 0..9');
    expect(await usage({ unit: 'n1', slot: 'x', reading: 'n1-h0' })).toBe('--slot must be a non-negative integer, got "x"');
    expect(await usage({ unit: 'n1', slot: '1' })).toBe('give exactly one of --reading DID|SITE, --order INDEX, --trade SITE or --kind KIND --index I');
    expect(await usage({ unit: 'n1', slot: '1', reading: 'n1-h0', trade: 'n1-h0' })).toMatch(/\(got --reading, --trade\)$/);
    expect(await usage({ unit: 'n1', slot: '1', order: '0', index: '1' })).toBe('--index goes with --kind readings|orders|trades');
    expect(await usage({ unit: 'n1', slot: '1', kind: 'leaves', index: '1' })).toBe('--kind must be one of readings, orders, trades, got "leaves"');
    expect(await usage({ unit: 'n1', slot: '1', kind: 'orders' })).toBe('--kind needs --index I (the leaf index, 0-based)');
    expect(await usage({ unit: 'n1', slot: '1', reading: 'nobody' })).toBe('--reading nobody: neither a device DID (did:key:…) nor a site of the scenario');
    expect(await usage({ unit: 'n2', slot: '1', reading: 'n1-h0' })).toMatch(/^unit n2 slot 1 holds no reading of did:key:\S+ \(the meter of site n1-h0\): \d+ readings are stored/);
    expect(await usage({ unit: 'n1', slot: '1', trade: 'atlantis' })).toBe('--trade atlantis: no such site in the scenario');
    expect(await usage({ unit: 'n1', slot: '1', kind: 'trades', index: '999' })).toMatch(/^unit n1 slot 1 has \d+ trades leaves \(index 0\.\.\d+\); there is no trade 999$/);
  });

  it('check --chain-rpc: the chain holds the statement and its validators signed it', async () => {
    const f = join(root, 'proofs', 'rpc.json');
    await ledgerProveCommand(rpcBase, { unit: 'n1', slot: '2', trade: 'n1-h0', out: f });
    const out = await ledgerCheckCommand(f, { chainRpc: served.url });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/ok {6}chain {7}the Settlement contract holds 0x[0-9a-f]{64} for \(microgrid, slot 2\)/);
    expect(out.stdout).toMatch(/ok {6}chain {7}the signers are 4 of the microgrid's 4 validators on chain \(quorum 3\)/);
    const offline = await ledgerCheckCommand(f, {});
    expect(offline.stdout).toContain('(not checked on chain: give --chain-rpc URL to check the statement and its validators there)');

    // The embedded run's proof against the node: the contracts there (same deployer, same
    // addresses) never saw that statement, nor its validators.
    const g = join(root, 'proofs', 'embedded.json');
    await ledgerProveCommand(base, { unit: 'n1', slot: '2', trade: 'n1-h0', out: g });
    const other = await ledgerCheckCommand(g, { chainRpc: served.url, json: true });
    expect(other.exitCode).toBe(1);
    const result = JSON.parse(other.stdout) as { ok: boolean; checks: { check: string; ok: boolean; detail: string }[] };
    expect(result.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['chain', 'chain']);
    expect(result.checks.find((c) => !c.ok)?.detail).toMatch(/holds no statement for \(microgrid, slot 2\)/);
    expect((await usageFailure(ledgerCheckCommand(f, { chainRpc: 'nope' }))).message).toMatch(/^--chain-rpc must be an http\(s\) URL/);
  });
});
