import { describe, expect, it } from 'vitest';
import { keccak256, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { idOf, statementHash } from '../../core/ledger/statement.js';
import { expectRevert, readFn, statementOf, validators } from './chain.fixture.js';
import { ChainError } from './chain-errors.js';
import type { ChainJournal, JournalTx, SettlementChain } from './chain-types.js';
import { openEmbeddedChain, type EmbeddedChainOptions } from './embedded-chain.js';
import { signStatement } from './statement-signing.js';

function memoryJournal(initial: readonly JournalTx[] = []): ChainJournal & { entries: JournalTx[] } {
  const entries = [...initial];
  return { entries, append: (tx) => void entries.push(tx), load: () => [...entries] };
}

const vs = validators(4, 'embedded');
const mg = idOf('area:embedded');
const gatekeeperKey = keccak256(stringToHex('gatekeeper key'));

/** A fixed workload touching every kind of transaction, including a reverted one. */
async function workload(chain: SettlementChain): Promise<void> {
  const gatekeeper = privateKeyToAccount(gatekeeperKey).address;
  await chain.grantGatekeeper(gatekeeper);
  const asGk = chain.withSender({ privateKey: gatekeeperKey });
  await asGk.registerDevices([{ device: idOf('device:bat'), area: mg, credentialHash: idOf('c'), ratedPowerW: 3000, kind: 2 }]);
  await asGk.registerMicrogrid(mg, vs.map((v) => v.address));
  const sign = (s: Parameters<SettlementChain['submitStatement']>[0]) => signStatement(s, chain.chainId, chain.addresses.settlement, vs.slice(1).map((v) => v.key));
  const payout = { device: idOf('device:bat'), account: idOf('site:s1'), buyer: idOf('market:m'), verifiedWh: 500n, priceMinorPerKwh: 90n, penaltyMinor: 0n };
  for (let slot = 0n; slot < 3n; slot++) {
    const s = statementOf(mg, slot, { 'site:s1': 100n + slot, 'site:s2': -60n, 'market:m': -40n - slot }, slot === 1n ? [payout] : []);
    await chain.submitStatement(s, await sign(s));
  }
  const dup = statementOf(mg, 0n, { 'site:s1': 100n, 'site:s2': -60n, 'market:m': -40n });
  expect((await chain.submitStatement(dup, await sign(dup))).outcome).toBe('duplicate');
  const conflicting = statementOf(mg, 0n, { 'site:s1': 1n, 'market:m': -1n });
  expect((await chain.submitStatement(conflicting, await sign(conflicting))).outcome).toBe('conflict');
  await expectRevert(chain.submitStatement(dup, []), 'BelowQuorum(0, 3)');
}

async function snapshot(chain: SettlementChain) {
  return {
    addresses: chain.addresses,
    balances: await Promise.all(['site:s1', 'site:s2', 'market:m'].map((n) => chain.balanceOf(idOf(n)))),
    hashes: await Promise.all([0n, 1n, 2n].map((s) => chain.statementHashOf(mg, s))),
    committed: await chain.committedCount(),
    blocks: (await chain.blocks()).map((b) => [b.number, b.hash, b.timestamp, b.transactions]),
  };
}

describe('embedded chain', () => {
  it('starts with the contracts deployed and wired, deterministic block times', async () => {
    const chain = await openEmbeddedChain({ initialDate: '2030-06-01T00:00:00Z', blockTimeSeconds: 12 });
    try {
      expect(chain.chainId).toBe(31337n);
      expect(chain.sender).toBe(chain.accounts[0]);
      expect(chain.accounts.length).toBe(20);
      expect((await readFn(chain, 'SettlementCredits', chain.addresses.credits, 'settlement'))[0]).toBe(chain.addresses.settlement);
      expect((await readFn(chain, 'Settlement', chain.addresses.settlement, 'admin'))[0]).toBe(chain.accounts[0]);
      const genesis = BigInt(Date.parse('2030-06-01T00:00:00Z') / 1000);
      const blocks = await chain.blocks();
      expect(blocks.length).toBe(5); // genesis, three deployments, setSettlement
      for (const b of blocks) expect(b.timestamp).toBe(genesis + 12n * b.number);
      expect(blocks[1]!.parentHash).toBe(blocks[0]!.hash);
      expect((await chain.blocks(2n, 3n)).map((b) => b.number)).toEqual([2n, 3n]);
    } finally {
      await chain.close();
    }
  });

  it('is deterministic: the same transactions give the same blocks', async () => {
    const [a, b] = [await openEmbeddedChain(), await openEmbeddedChain()];
    await workload(a);
    await workload(b);
    expect(await snapshot(a)).toEqual(await snapshot(b));
    await Promise.all([a.close(), b.close()]);
  });

  it('journals every mined transaction and replays it into the same chain', async () => {
    const journal = memoryJournal();
    const first = await openEmbeddedChain({ journal });
    await workload(first);
    const before = await snapshot(first);
    await first.close();
    expect(journal.entries.length).toBe(4 + 1 + 1 + 1 + 3 + 2 + 1);
    expect(journal.entries.filter((t) => t.reverted === true).length).toBe(1);
    expect(journal.entries[0]!.to).toBeNull();

    const second = await openEmbeddedChain({ journal });
    expect(second.replayed).toBe(journal.entries.length);
    expect(journal.entries.length).toBe(second.replayed); // replay appends nothing
    expect(await snapshot(second)).toEqual(before);
    expect(before.hashes.every((h) => h !== null)).toBe(true);

    const s = statementOf(mg, 9n, { 'site:s1': 1n, 'site:s2': -1n });
    await second.submitStatement(s, await signStatement(s, second.chainId, second.addresses.settlement, vs.slice(0, 3).map((v) => v.key)));
    expect(journal.entries.length).toBe(second.replayed + 1);
    expect(await second.statementHashOf(mg, 9n)).toBe(statementHash(s));
    await second.close();
  });

  it('finishes a deployment the journal shows was interrupted', async () => {
    const full = memoryJournal();
    const reference = await openEmbeddedChain({ journal: full });
    await reference.close();
    const partial = memoryJournal(full.entries.slice(0, 2));
    const chain = await openEmbeddedChain({ journal: partial });
    expect(chain.addresses).toEqual(reference.addresses);
    expect(partial.entries).toEqual(full.entries);
    expect((await readFn(chain, 'SettlementCredits', chain.addresses.credits, 'settlement'))[0]).toBe(chain.addresses.settlement);
    await chain.close();
  });

  it('refuses a journal that does not replay', async () => {
    const full = memoryJournal();
    const chain = await openEmbeddedChain({ journal: full });
    const stranger = chain.accounts[5] as Address;
    await chain.close();
    const grant = (await (async () => {
      const j = memoryJournal(full.entries);
      const c = await openEmbeddedChain({ journal: j });
      await c.grantGatekeeper(stranger);
      await c.close();
      return j.entries.at(-1)!;
    })());
    // The same grant sent by a non-admin fails now although the journal says it succeeded.
    const forged = memoryJournal([...full.entries, { ...grant, from: stranger }]);
    const e = await openEmbeddedChain({ journal: forged }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChainError);
    expect((e as ChainError).message).toMatch(/journal does not replay: transaction #4 now fails/);
    // A transaction recorded as reverted that now succeeds.
    const flipped = memoryJournal([...full.entries, { ...grant, reverted: true }]);
    await expect(openEmbeddedChain({ journal: flipped })).rejects.toThrow(/#4 was reverted and now succeeds/);
  });

  it('serialises concurrent transactions', async () => {
    const chain = await openEmbeddedChain();
    await chain.registerMicrogrid(mg, vs.map((v) => v.address));
    const statements = [1n, 2n, 3n, 4n, 5n].map((slot) => statementOf(mg, slot, { 'site:p': slot, 'site:q': -slot }));
    const sigs = await Promise.all(statements.map((s) => signStatement(s, chain.chainId, chain.addresses.settlement, vs.slice(0, 3).map((v) => v.key))));
    const results = await Promise.all(statements.map((s, i) => chain.submitStatement(s, sigs[i]!)));
    expect(results.map((r) => r.outcome)).toEqual(Array(5).fill('committed'));
    expect(new Set(results.map((r) => r.blockNumber)).size).toBe(5);
    expect(await chain.balanceOf(idOf('site:p'))).toBe(15n);
    await chain.close();
  });

  it('keeps working after raw provider use (a raw transaction, evm_snapshot / evm_revert)', async () => {
    const chain = await openEmbeddedChain();
    const p = chain.provider;
    await p.request({ method: 'eth_sendTransaction', params: [{ from: chain.accounts[1], to: chain.accounts[2], value: '0x1' }] });
    await chain.grantGatekeeper(chain.accounts[3] as Address);
    const snap = await p.request({ method: 'evm_snapshot' });
    await chain.grantGatekeeper(chain.accounts[4] as Address);
    await chain.grantGatekeeper(chain.accounts[5] as Address);
    await p.request({ method: 'evm_revert', params: [snap] });
    await chain.grantGatekeeper(chain.accounts[6] as Address);
    expect(await chain.isGatekeeper(chain.accounts[4] as Address)).toBe(false);
    expect(await chain.isGatekeeper(chain.accounts[6] as Address)).toBe(true);
    const blocks = await chain.blocks();
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.timestamp).toBeGreaterThan(blocks[i - 1]!.timestamp);
    await chain.close();
  });

  it('validates its options', async () => {
    const bad = async (o: EmbeddedChainOptions, re: RegExp) => {
      const e = await openEmbeddedChain(o).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ChainError);
      expect((e as Error).message).toMatch(re);
    };
    await bad({ blockTimeSeconds: 0 }, /blockTimeSeconds/);
    await bad({ initialDate: 'yesterday' }, /initialDate/);
    await bad({ deviceBatchSize: 0 }, /deviceBatchSize/);
  });

  it('exposes typed errors with the contract error and the failed transaction', async () => {
    const chain = await openEmbeddedChain();
    const e = await expectRevert(chain.withSender({ address: chain.accounts[3] as Address }).grantGatekeeper(chain.accounts[4] as Address), 'NotAdmin');
    expect(e.message).toBe(`DeviceRegistry.grantGatekeeper reverted: NotAdmin(${chain.accounts[3]})`);
    expect(e.details[0]).toMatch(/^transaction 0x[0-9a-f]{64}$/);
    const tx = e.details[0]!.slice('transaction '.length) as Hex;
    const last = (await chain.blocks()).at(-1)!;
    expect(last.transactions).toEqual([tx]); // mined, and kept in the chain
    await chain.close();
  });
});
