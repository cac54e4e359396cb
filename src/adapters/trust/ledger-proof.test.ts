/**
 * `buildProof`, `parseProof` and `checkProof` on a small simulated ledger: every leaf of a slot
 * proves and checks, the signers are the unit's validators, and what breaks a proof (or the store
 * behind it) is named.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustError, UsageError } from '../../core/errors.js';
import { idOf } from '../../core/ledger/statement.js';
import { simValidatorKey } from '../../core/ledger/validator-keys.js';
import { aScenario } from '../../core/sim/scenario.fixture.js';
import { simulateWithTrust } from './simulate-with-trust.js';
import { buildProof, checkProof, parseProof, PROOF_FORMAT, type LedgerProof } from './ledger-proof.js';
import { LedgerFile, type LeafKind } from './ledger-verify.js';

let root: string;
let base: string;

/** A proof as it travels: through JSON and back. */
function roundTrip(p: LedgerProof): ReturnType<typeof parseProof> {
  return parseProof(JSON.parse(JSON.stringify(p)));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gridmesh-ledger-proof-'));
  base = join(root, 'run');
  await simulateWithTrust(aScenario(), { days: 0.1 }, { outDir: base });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('ledger proofs', () => {
  it('every leaf of a slot proves and checks; the signers are the unit\'s validators', async () => {
    const file = LedgerFile.open(base);
    const counts = Object.fromEntries((['readings', 'orders', 'trades'] as const).map((k) => [k, file.leaves(k, idOf('area:n1'), 4).length])) as Record<LeafKind, number>;
    file.close();
    expect(counts.readings).toBeGreaterThan(2);
    const validators = new Set(Array.from({ length: 3 }, (_, k) => simValidatorKey(7, `validator:n1:${k}`).address).concat(simValidatorKey(7, 'validator:dso:dso').address));
    for (const kind of ['readings', 'orders', 'trades'] as const) {
      for (let index = 0; index < counts[kind]; index++) {
        const proof = buildProof(base, { unit: 'n1', slot: 4, select: { by: 'index', kind, index } });
        expect(proof).toMatchObject({ format: PROOF_FORMAT, kind, unit: 'n1', slot: 4, index, leafCount: counts[kind] });
        const result = await checkProof(roundTrip(proof));
        expect(result.checks.filter((c) => !c.ok), `${kind} ${index}`).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.signers.every((a) => a !== null && validators.has(a))).toBe(true);
        expect(result.signers).toHaveLength(4);
      }
    }
  });

  it('names the device and the site; the leaf check decodes what was signed', async () => {
    const byIndex = buildProof(base, { unit: 'n1', slot: 4, select: { by: 'index', kind: 'readings', index: 0 } });
    expect(byIndex.device).toMatch(/^did:key:z6Mk/);
    expect(byIndex.site).toMatch(/^n1-|^hospital$/);
    const bySite = buildProof(base, { unit: 'n1', slot: 4, select: { by: 'reading', device: byIndex.site as string } });
    expect(bySite).toEqual(byIndex);
    const byDid = buildProof(base, { unit: 'n1', slot: 4, select: { by: 'reading', device: byIndex.device as string } });
    expect(byDid).toEqual(byIndex);
    const order = await checkProof(roundTrip(buildProof(base, { unit: 'n1', slot: 4, select: { by: 'index', kind: 'orders', index: 0 } })));
    expect(order.checks[0]?.detail).toMatch(/^order of did:key:\S+: (bid|offer) \d+ Wh at -?\d+ minor\/kWh \(sequence \d+\), signed by that key$/);
    const trade = buildProof(base, { unit: 'n2', slot: 4, select: { by: 'trade', site: 'farm' } });
    expect(trade).toMatchObject({ kind: 'trades', device: null, site: 'farm' });
    const t = await checkProof(roundTrip(trade));
    expect(t.checks[0]).toEqual({ check: 'leaf', ok: true, detail: expect.stringMatching(/^trade of account 0x[0-9a-f]{64} \(site farm\): bought \d+ Wh/) as string });
    const wrongSite = await checkProof(roundTrip({ ...trade, site: 'hospital' }));
    expect(wrongSite.checks[0]).toMatchObject({ check: 'leaf', ok: false, detail: expect.stringMatching(/but its account 0x[0-9a-f]{64} is not site:hospital$/) as string });
    const wrongSlot = await checkProof(roundTrip({ ...byIndex, slot: 5 }));
    expect(wrongSlot.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['leaf', 'statement']);
  });

  it('parseProof names every bad field by its path', () => {
    const proof = JSON.parse(JSON.stringify(buildProof(base, { unit: 'n2', slot: 2, select: { by: 'index', kind: 'trades', index: 0 } }))) as Record<string, unknown>;
    const details = (value: unknown): readonly string[] => {
      try {
        parseProof(value);
      } catch (e) {
        expect(e).toBeInstanceOf(TrustError);
        return (e as TrustError).details;
      }
      throw new Error('expected a TrustError');
    };
    expect(details({ ...proof, format: 'gridmesh-ledger-proof/0', leafCount: 0, leaf: '0xabc' })).toEqual([
      'format: Invalid input: expected "gridmesh-ledger-proof/1"',
      'leaf: expected the leaf as 0x-prefixed hex (1 to 16384 bytes)',
      'leafCount: Too small: expected number to be >=1',
    ]);
    expect(details({ ...proof, signatures: ['0x00'], chain: { ...(proof['chain'] as object), settlement: 'here' } })).toEqual([
      'signatures[0]: expected a 65-byte 0x-prefixed hex signature',
      'chain.settlement: expected a 20-byte 0x-prefixed address',
    ]);
    expect(details({ ...proof, statement: { ...(proof['statement'] as object), accounts: 'none' } })).toEqual(['statement.accounts: Invalid input: expected array, received string']);
    expect(details([])).toEqual(['(proof): Invalid input: expected object, received array']);
  });

  it('refuses to prove from a store that does not match its statement, or a slot without one', () => {
    const dir = join(root, 'broken');
    mkdirSync(dir);
    copyFileSync(join(base, 'ledger.sqlite'), join(dir, 'ledger.sqlite'));
    const db = new Database(join(dir, 'ledger.sqlite'));
    db.prepare('DELETE FROM trades WHERE microgrid = ? AND slot = 6 AND idx = 0').run(idOf('area:n1'));
    db.prepare('DELETE FROM statements WHERE microgrid = ? AND slot = 7').run(idOf('area:n1'));
    db.close();
    expect(() => buildProof(dir, { unit: 'n1', slot: 6, select: { by: 'index', kind: 'trades', index: 0 } }))
      .toThrow(new TrustError('unit n1 slot 6: the stored trades or statement do not match the statement\'s hash; run `gridmesh ledger verify`'));
    expect(() => buildProof(dir, { unit: 'n1', slot: 7, select: { by: 'index', kind: 'trades', index: 0 } })).toThrow(/^unit n1 slot 7 has no statement in the ledger/);
    expect(() => buildProof(join(root, 'nothing'), { unit: 'n1', slot: 1, select: { by: 'index', kind: 'trades', index: 0 } })).toThrow(UsageError);
  });

  it('checkProof on chain: an unreachable node is a failed check, not a crash', async () => {
    const proof = roundTrip(buildProof(base, { unit: 'dso', slot: 1, select: { by: 'trade', site: 'factory' } }));
    const r = await checkProof(proof, { chainRpc: 'http://127.0.0.1:9' });
    expect(r.ok).toBe(false);
    expect(r.checks.at(-1)).toMatchObject({ check: 'chain', ok: false, detail: expect.stringMatching(/^cannot attach to the proof's contracts at http:\/\/127\.0\.0\.1:9: cannot reach the chain/) as string });
  });
});
