import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberToHex, type Address, type Hex } from 'viem';
import { idOf, payoutMinor, signingDigest, statementHash, type FlexPayout, type Statement } from '../../core/ledger/statement.js';
import { deployRaw, expectRevert, readFn, statementOf, validators, type Validator } from './chain.fixture.js';
import { ChainError, ContractRevertError } from './chain-errors.js';
import type { SettlementChain } from './chain-types.js';
import { eventTopic, functionCodec } from './contract-codec.js';
import { openEmbeddedChain, type EmbeddedChain } from './embedded-chain.js';
import { signDigest, signStatement } from './statement-signing.js';

const ZERO: Address = '0x0000000000000000000000000000000000000000';
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('Settlement', () => {
  let chain: EmbeddedChain;
  let admin: Address;
  let dso: Address;
  let stranger: Address;
  let asStranger: SettlementChain;
  const v4 = validators(4, 'riverside');
  const mg = idOf('area:riverside');
  const pv = idOf('device:pv-1');
  const revokedDevice = idOf('device:pv-revoked');
  let nextSlot = 1n;
  const slot = () => nextSlot++;

  const sign = (s: Statement, signers: readonly Validator[]) => signStatement(s, chain.chainId, chain.addresses.settlement, signers.map((v) => v.key));
  const sign3 = (s: Statement) => sign(s, v4.slice(0, 3));

  beforeAll(async () => {
    chain = await openEmbeddedChain();
    [admin, dso, stranger] = chain.accounts as [Address, Address, Address];
    asStranger = chain.withSender({ address: stranger });
    await chain.grantGatekeeper(dso);
    const asDso = chain.withSender({ address: dso });
    await asDso.registerDevices([pv, revokedDevice].map((device) => ({ device, area: mg, credentialHash: idOf('cred'), ratedPowerW: 5000, kind: 1 })));
    await asDso.revokeDevice(revokedDevice);
    await chain.registerMicrogrid(mg, v4.map((v) => v.address));
  });
  afterAll(() => chain.close());

  describe('hashes', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => numberToHex(BigInt(`0x${Buffer.from(b).toString('hex')}`), { size: 32 }));
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const payout: fc.Arbitrary<FlexPayout> = fc.record({ device: bytes32, account: bytes32, buyer: bytes32, verifiedWh: u64, priceMinorPerKwh: u64, penaltyMinor: u64 });
    const statement: fc.Arbitrary<Statement> = fc
      .record({
        microgrid: bytes32,
        slot: u64,
        readingsRoot: bytes32,
        ordersRoot: bytes32,
        tradesRoot: bytes32,
        entries: fc.array(fc.tuple(bytes32, fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n })), { maxLength: 12 }),
        payouts: fc.array(payout, { maxLength: 5 }),
      })
      .map(({ entries, ...rest }) => ({ ...rest, accounts: entries.map((e) => e[0]), deltasMinor: entries.map((e) => e[1]) }));

    it('statementHash and signingDigest equal statement.ts for random statements', async () => {
      await fc.assert(
        fc.asyncProperty(statement, async (s) => {
          const [onChain] = await readFn(chain, 'Settlement', chain.addresses.settlement, 'statementHash', [s]);
          const h = statementHash(s);
          expect(onChain).toBe(h);
          const [digest] = await readFn(chain, 'Settlement', chain.addresses.settlement, 'signingDigest', [h]);
          expect(digest).toBe(signingDigest(chain.chainId, chain.addresses.settlement, h));
        }),
        { numRuns: 60, seed: 11 },
      );
    });

    it('binds the digest to this contract: SIGNING_DOMAIN and another instance', async () => {
      const [domain] = await readFn(chain, 'Settlement', chain.addresses.settlement, 'SIGNING_DOMAIN');
      expect(domain).toBe(idOf('gridmesh.settlement.v1'));
      const other = await deployRaw(chain, admin, 'Settlement', [chain.addresses.registry, chain.addresses.credits, admin]);
      const h = idOf('some statement');
      const [d1] = await readFn(chain, 'Settlement', chain.addresses.settlement, 'signingDigest', [h]);
      const [d2] = await readFn(chain, 'Settlement', other, 'signingDigest', [h]);
      expect(d2).toBe(signingDigest(chain.chainId, other, h));
      expect(d2).not.toBe(d1);
    });
  });

  describe('constructor', () => {
    it('refuses zero addresses', async () => {
      const { registry, credits } = chain.addresses;
      await expectRevert(deployRaw(chain, admin, 'Settlement', [ZERO, credits, admin]), 'ZeroAddress()');
      await expectRevert(deployRaw(chain, admin, 'Settlement', [registry, ZERO, admin]), 'ZeroAddress()');
      await expectRevert(deployRaw(chain, admin, 'Settlement', [registry, credits, ZERO]), 'ZeroAddress()');
    });
  });

  describe('registerMicrogrid', () => {
    it('sets quorum = ceil(2n/3)', async () => {
      const expected: Record<number, number> = { 1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 4, 7: 5, 64: 43 };
      for (const [n, q] of Object.entries(expected)) {
        const id = idOf(`area:quorum-${n}`);
        const vs = validators(Number(n), `q${n}`).map((v) => v.address);
        await chain.registerMicrogrid(id, vs);
        expect(await chain.quorumOf(id)).toBe(q);
        expect(await chain.validatorsOf(id)).toEqual(vs);
      }
      expect(await chain.quorumOf(idOf('area:nowhere'))).toBe(0);
      expect(await chain.validatorsOf(idOf('area:nowhere'))).toEqual([]);
    });

    it('refuses empty, oversized and unordered validator sets', async () => {
      const id = idOf('area:bad-sets');
      const vs = validators(65, 'big').map((v) => v.address);
      await expectRevert(chain.registerMicrogrid(id, []), 'NoValidators()');
      await expectRevert(chain.registerMicrogrid(id, vs), 'TooManyValidators(65, 64)');
      await expectRevert(chain.registerMicrogrid(id, [vs[1]!, vs[0]!]), 'ValidatorsNotAscending(1)');
      await expectRevert(chain.registerMicrogrid(id, [vs[0]!, vs[0]!]), 'ValidatorsNotAscending(1)');
      await expectRevert(chain.registerMicrogrid(id, [ZERO, vs[0]!]), 'ValidatorsNotAscending(0)');
      expect(await chain.quorumOf(id)).toBe(0);
    });

    it('is for the admin and gatekeepers only', async () => {
      const id = idOf('area:gatekept');
      await expectRevert(asStranger.registerMicrogrid(id, [v4[0]!.address]), `NotAdminOrGatekeeper(${stranger})`);
      await chain.withSender({ address: dso }).registerMicrogrid(id, [v4[0]!.address]);
      expect(await chain.quorumOf(id)).toBe(1);
    });

    it('replaces the set on re-registration: old validators can no longer sign', async () => {
      const id = idOf('area:replaced');
      const [oldSet, newSet] = [validators(3, 'old'), validators(1, 'new')];
      const first = await chain.registerMicrogrid(id, oldSet.map((v) => v.address));
      const second = await chain.registerMicrogrid(id, newSet.map((v) => v.address));
      const topic = eventTopic('Settlement', 'MicrogridRegistered');
      const replacedFlag = async (txHash: Hex) => {
        const r = (await chain.provider.request({ method: 'eth_getTransactionReceipt', params: [txHash] })) as { logs: { topics: Hex[]; data: Hex }[] };
        const log = r.logs.find((l) => l.topics[0] === topic)!;
        return BigInt(`0x${log.data.slice(2 + 128, 2 + 192)}`); // (validators offset, quorum, replaced)
      };
      expect(await replacedFlag(first.txHash)).toBe(0n);
      expect(await replacedFlag(second.txHash)).toBe(1n);
      expect(await chain.validatorsOf(id)).toEqual([newSet[0]!.address]);
      expect(await chain.quorumOf(id)).toBe(1);
      const s = statementOf(id, slot(), { 'site:a': 1n, 'site:b': -1n });
      await expectRevert(chain.submitStatement(s, await sign(s, oldSet.slice(0, 2))), `UnknownSigner(${oldSet[0]!.address})`);
      expect((await chain.submitStatement(s, await sign(s, newSet))).outcome).toBe('committed');
    });
  });

  describe('submitStatement', () => {
    it('commits a quorum-signed statement, from any sender', async () => {
      const s = statementOf(mg, slot(), { 'site:house-1': 1250n, 'site:house-2': -1000n, 'market:riverside': -250n });
      const countBefore = await chain.committedCount();
      const before = await Promise.all(s.accounts.map((a) => chain.balanceOf(a)));
      const r = await asStranger.submitStatement(s, await sign3(s));
      expect(r.outcome).toBe('committed');
      expect(r.statementHash).toBe(statementHash(s));
      expect(r.gasUsed).toBeGreaterThan(0n);
      expect(r.blockNumber).toBe(await chain.blockNumber());
      expect(await chain.statementHashOf(mg, s.slot)).toBe(statementHash(s));
      expect(await chain.committedCount()).toBe(countBefore + 1n);
      const after = await Promise.all(s.accounts.map((a) => chain.balanceOf(a)));
      expect(after.map((b, i) => b - before[i]!)).toEqual(s.deltasMinor);
    });

    it('accepts all validators signing, not only a quorum', async () => {
      const s = statementOf(mg, slot(), { 'site:x': 3n, 'site:y': -3n });
      expect((await chain.submitStatement(s, await sign(s, v4))).outcome).toBe('committed');
    });

    it('answers a duplicate with a no-op and a conflict with evidence, without reverting', async () => {
      const s = statementOf(mg, slot(), { 'site:dup-a': 10n, 'site:dup-b': -10n });
      const sigs = await sign3(s);
      await chain.submitStatement(s, sigs);
      const balance = await chain.balanceOf(s.accounts[0]!);
      const count = await chain.committedCount();

      const dup = await chain.submitStatement(s, await sign(s, v4.slice(1)));
      expect(dup.outcome).toBe('duplicate');
      expect(dup.statementHash).toBe(statementHash(s));

      const other = { ...s, deltasMinor: [...s.deltasMinor].reverse() };
      const conflict = await chain.submitStatement(other, await sign3(other));
      expect(conflict).toMatchObject({ outcome: 'conflict', statementHash: statementHash(other), committedHash: statementHash(s) });
      const receipt = (await chain.provider.request({ method: 'eth_getTransactionReceipt', params: [conflict.txHash] })) as { logs: { topics: Hex[]; data: Hex }[] };
      const ev = receipt.logs.find((l) => l.topics[0] === eventTopic('Settlement', 'StatementConflict'))!;
      expect(ev.topics[1]).toBe(mg);
      expect(BigInt(ev.topics[2]!)).toBe(s.slot);
      expect(ev.data).toBe(`${statementHash(s)}${statementHash(other).slice(2)}`);

      expect(await chain.balanceOf(s.accounts[0]!)).toBe(balance);
      expect(await chain.committedCount()).toBe(count);
      expect(await chain.statementHashOf(mg, s.slot)).toBe(statementHash(s));
    });

    it('checks signatures before looking at duplicates', async () => {
      const s = statementOf(mg, slot(), { 'site:c-a': 1n, 'site:c-b': -1n });
      await chain.submitStatement(s, await sign3(s));
      await expectRevert(chain.submitStatement(s, (await sign3(s)).slice(0, 2)), 'BelowQuorum(2, 3)');
    });

    it('refuses an unknown microgrid', async () => {
      const id = idOf('area:unknown');
      const s = statementOf(id, slot(), { 'site:a': 1n, 'site:b': -1n });
      await expectRevert(chain.submitStatement(s, await sign3(s)), `UnknownMicrogrid(${id})`);
    });

    it('refuses fewer signatures than the quorum', async () => {
      const s = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n });
      const sigs = await sign3(s);
      const e = await expectRevert(chain.submitStatement(s, sigs.slice(0, 2)), 'BelowQuorum(2, 3)');
      expect(e.message).toBe('Settlement.submitStatement reverted: BelowQuorum(2, 3)');
      expect(e.name).toBe('ContractRevertError');
      await expectRevert(chain.submitStatement(s, []), 'BelowQuorum(0, 3)');
      expect(await chain.statementHashOf(mg, s.slot)).toBeNull();
    });

    it('refuses malformed, malleable and invalid signatures', async () => {
      const s = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n });
      const sigs = await sign3(s);
      const at = (i: number, sig: Hex) => sigs.map((x, j) => (j === i ? sig : x));
      const good = sigs[1]!;
      const r = good.slice(2, 66);
      const sv = BigInt(`0x${good.slice(66, 130)}`);
      const v = Number.parseInt(good.slice(130), 16);

      await expectRevert(chain.submitStatement(s, at(1, good.slice(0, 130) as Hex)), 'BadSignatureLength(1, 64)');
      await expectRevert(chain.submitStatement(s, at(1, `${good}00`)), 'BadSignatureLength(1, 66)');
      const highS = `0x${r}${(SECP256K1_N - sv).toString(16).padStart(64, '0')}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
      await expectRevert(chain.submitStatement(s, at(1, highS)), 'HighS(1)');
      await expectRevert(chain.submitStatement(s, at(1, `${good.slice(0, 130)}1d` as Hex)), 'BadSignature(1)');
      await expectRevert(chain.submitStatement(s, at(1, `${good.slice(0, 130)}01` as Hex)), 'BadSignature(1)');
      await expectRevert(chain.submitStatement(s, at(1, `0x${'0'.repeat(64)}${good.slice(66)}` as Hex)), 'BadSignature(1)');
    });

    it('wants signers strictly ascending: no duplicates, no other order', async () => {
      const s = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n });
      const sigs = await sign3(s);
      await expectRevert(chain.submitStatement(s, [...sigs].reverse()), 'SignersNotAscending(1)');
      await expectRevert(chain.submitStatement(s, [sigs[0]!, sigs[0]!, sigs[1]!]), 'SignersNotAscending(1)');
    });

    it('refuses a signer that is not a validator of the microgrid', async () => {
      const s = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n });
      const outsider = validators(1, 'outsider')[0]!;
      const signers = [...v4.slice(0, 3), outsider].sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
      await expectRevert(chain.submitStatement(s, await sign(s, signers)), `UnknownSigner(${outsider.address})`);
    });

    it('refuses signatures made for another chain or another contract', async () => {
      const id = idOf('area:single');
      const [solo] = validators(1, 'solo');
      await chain.registerMicrogrid(id, [solo!.address]);
      const s = statementOf(id, slot(), { 'site:a': 1n, 'site:b': -1n });
      const wrongChain = await signDigest(signingDigest(1n, chain.addresses.settlement, statementHash(s)), solo!.key);
      const e1 = await expectRevert(chain.submitStatement(s, [wrongChain]), 'UnknownSigner');
      expect(e1.args[0]).not.toBe(solo!.address);
      const wrongContract = await signDigest(signingDigest(chain.chainId, chain.addresses.credits, statementHash(s)), solo!.key);
      await expectRevert(chain.submitStatement(s, [wrongContract]), 'UnknownSigner');
      expect((await chain.submitStatement(s, await sign(s, [solo!]))).outcome).toBe('committed');
    });

    it('refuses statements whose arrays differ in length, whose accounts are not strictly ascending, or that do not balance', async () => {
      const base = statementOf(mg, slot(), { 'site:a': 5n, 'site:b': -2n, 'site:c': -3n });
      const check = async (s: Statement, sig: string) => expectRevert(chain.submitStatement(s, await sign3(s)), sig);
      await check({ ...base, deltasMinor: base.deltasMinor.slice(0, 2) }, 'LengthMismatch(3, 2)');
      await check({ ...base, accounts: [base.accounts[1]!, base.accounts[0]!, base.accounts[2]!] }, 'AccountsNotAscending(1)');
      await check({ ...base, accounts: [base.accounts[0]!, base.accounts[0]!, base.accounts[2]!] }, 'AccountsNotAscending(1)');
      await check({ ...base, deltasMinor: [5n, -2n, -2n] }, 'NotBalanced(1)');
      await check({ ...base, deltasMinor: [-5n, 2n, 2n] }, 'NotBalanced(-1)');
      expect(await chain.statementHashOf(mg, base.slot)).toBeNull();
    });

    it('hashes the statement from its calldata: bytes laid out otherwise are refused, the canonical ones commit', async () => {
      const s = statementOf(mg, slot(), { 'site:nc-1': 9n, 'site:nc-2': -9n });
      const sigs = await sign3(s);
      const canonical = functionCodec('Settlement', 'submitStatement').encode([s, sigs]);
      // selector ‖ offset of s ‖ offset of signatures ‖ s (a head of 8 words, then its arrays) ‖ signatures
      const body = canonical.slice(10);
      const word = (k: number): bigint => BigInt(`0x${body.slice(64 * k, 64 * (k + 1))}`);
      const [offS, offSigs] = [Number(word(0)), Number(word(1))];
      const tailS = body.slice(2 * offS, 2 * offSigs);
      const tailSigs = body.slice(2 * offSigs);
      const pad = (n: number | bigint) => n.toString(16).padStart(64, '0');
      const send = (data: string) => chain.send({ from: stranger, to: chain.addresses.settlement, data: data as Hex }, 'Settlement.submitStatement');
      // Inside the statement, a spare word before its arrays (their offsets moved past it): it decodes
      // to the same statement, but its bytes are not the canonical encoding the validators signed.
      const head = tailS.slice(0, 64 * 8);
      const moved = head.slice(0, 64 * 5) + [5, 6, 7].map((k) => pad(BigInt(`0x${head.slice(64 * k, 64 * (k + 1))}`) + 32n)).join('');
      const gapped = `${canonical.slice(0, 10)}${pad(offS)}${pad(offSigs + 32)}${moved}${pad(0)}${tailS.slice(64 * 8)}${tailSigs}`;
      await expectRevert(send(gapped), 'UnknownSigner');
      expect(await chain.statementHashOf(mg, s.slot)).toBeNull();
      // The arguments' order around the statement does not matter: its own bytes are canonical.
      const swapped = `${canonical.slice(0, 10)}${pad(64 + tailSigs.length / 2)}${pad(64)}${tailSigs}${tailS}`;
      await send(swapped);
      expect(await chain.statementHashOf(mg, s.slot)).toBe(statementHash(s));
      expect(await chain.balanceOf(idOf('site:nc-1'))).toBe(9n);
      expect((await chain.submitStatement(s, sigs)).outcome).toBe('duplicate');
    });

    it('pays flexibility to active devices only, with floor division and penalties', async () => {
      const [house, market, aggregator] = [idOf('site:flex-house'), idOf('market:flex'), idOf('vpp:flex')];
      const p1: FlexPayout = { device: pv, account: house, buyer: market, verifiedWh: 1234n, priceMinorPerKwh: 250n, penaltyMinor: 8n }; // 308 - 8 = 300
      const p2: FlexPayout = { device: pv, account: aggregator, buyer: market, verifiedWh: 10n, priceMinorPerKwh: 50n, penaltyMinor: 20n }; // 0 - 20 = -20
      expect([payoutMinor(p1), payoutMinor(p2)]).toEqual([300n, -20n]);
      const s = statementOf(mg, slot(), { 'site:flex-house': -40n, 'market:flex': 40n }, [p1, p2]);
      const before = await Promise.all([house, market, aggregator].map((a) => chain.balanceOf(a)));
      expect((await chain.submitStatement(s, await sign3(s))).outcome).toBe('committed');
      const after = await Promise.all([house, market, aggregator].map((a) => chain.balanceOf(a)));
      expect(after.map((b, i) => b - before[i]!)).toEqual([-40n + 300n, 40n - 300n + 20n, -20n]);

      const unknown = idOf('device:unregistered');
      const s2 = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n }, [{ ...p1, device: unknown }]);
      await expectRevert(chain.submitStatement(s2, await sign3(s2)), `DeviceNotActive(${unknown})`);
      const s3 = statementOf(mg, slot(), { 'site:a': 1n, 'site:b': -1n }, [p1, { ...p1, device: revokedDevice }]);
      await expectRevert(chain.submitStatement(s3, await sign3(s3)), `DeviceNotActive(${revokedDevice})`);
    });

    it('keeps the credits balanced: totalPositive equals minus the sum of negative balances', async () => {
      const s = statementOf(mg, slot(), { 'site:t1': 7n, 'site:t2': -9n, 'site:t3': 2n });
      await chain.submitStatement(s, await sign3(s));
      expect(await chain.totalPositive()).toBeGreaterThan(0n);
    });

    it('settles a statement with 2,000 accounts in one transaction', async () => {
      const deltas: Record<string, bigint> = {};
      for (let i = 0; i < 1999; i++) deltas[`site:big-${i}`] = BigInt(i % 7) - 3n;
      deltas['market:big'] = -Object.values(deltas).reduce((a, b) => a + b, 0n);
      const s = statementOf(mg, slot(), deltas);
      const r = await chain.submitStatement(s, await sign3(s));
      expect(r.outcome).toBe('committed');
      expect(r.gasUsed).toBeGreaterThan(30_000_000n);
      expect(await chain.balanceOf(idOf('site:big-0'))).toBe(-3n);
    });

    it('surfaces non-revert failures as a ChainError too', async () => {
      const closed = await openEmbeddedChain();
      await closed.close();
      const e = await closed.balanceOf(idOf('x')).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('ChainError');
      expect(e).not.toBeInstanceOf(ContractRevertError);
      await expect(chain.statementHashOf('0x1234', 1n)).rejects.toThrow(/^Settlement.statementHashOf: invalid arguments/);
      const tooLate = statementOf(mg, 2n ** 64n, { 'site:a': 1n, 'site:b': -1n });
      await expect(chain.submitStatement(tooLate, [])).rejects.toBeInstanceOf(ChainError);
    });
  });
});
