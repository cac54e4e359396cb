import type { Address, Hex } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { recoverSignerSync, signStatementSync } from '../../core/ledger/statement-signing.js';
import { idOf, statementHash, type Statement } from '../../core/ledger/statement.js';
import { compareAddresses, simValidatorKey, type ValidatorKey } from '../../core/ledger/validator-keys.js';
import { SUMMARY_TOPIC, VOTES_TOPIC } from './cosign-wire.js';
import { PeerError } from './peer-errors.js';
import { StatementCoSigner, type DissentReport, type FinalRound, type NoQuorumRound, type StatementCoSignerOptions } from './statement-co-signer.js';
import { StubMessaging } from './stub-messaging.fixture.js';
import { ValidatorSet } from './validator-set.js';

const SEED = 20261124;
const MICROGRID = idOf('area:riverside');
const DOMAIN = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address };
const keys: ValidatorKey[] = ['c1', 'c2', 'c3', 'dso'].map((n) => simValidatorKey(SEED, `validator:${n}`));
const [k1, k2, k3, k4] = keys as [ValidatorKey, ValidatorKey, ValidatorKey, ValidatorKey];
const outsider = simValidatorKey(SEED, 'validator:outsider');

const statementOf = (slot: bigint, overrides: Partial<Statement> = {}): Statement => aStatement({ microgrid: MICROGRID, slot, ...overrides });
const hashOf = (s: Statement): Hex => statementHash(s).toLowerCase() as Hex;

function vote(key: ValidatorKey, statement: Statement): { slot: string; hash: Hex; signature: Hex } {
  const hash = hashOf(statement);
  return { slot: statement.slot.toString(), hash, signature: signStatementSync(key.privateKey, DOMAIN.chainId, DOMAIN.settlement, hash) };
}

const signers: StatementCoSigner[] = [];
afterEach(() => { for (const s of signers.splice(0)) s.close(); });

function coSigner(overrides: Partial<StatementCoSignerOptions> = {}): {
  signer: StatementCoSigner; net: StubMessaging; finals: FinalRound[]; dissents: DissentReport[]; noQuorum: NoQuorumRound[];
} {
  const net = new StubMessaging('did:key:z6MkSelf');
  const signer = new StatementCoSigner({
    network: net, key: k1, microgrid: MICROGRID, validators: keys.map((k) => k.address), domain: DOMAIN, resyncIntervalMs: 0, ...overrides,
  });
  signers.push(signer);
  const finals: FinalRound[] = [];
  const dissents: DissentReport[] = [];
  const noQuorum: NoQuorumRound[] = [];
  signer.onFinal((f) => finals.push(f));
  signer.onDissent((d) => dissents.push(d));
  signer.onNoQuorum((n) => noQuorum.push(n));
  return { signer, net, finals, dissents, noQuorum };
}

describe('StatementCoSigner', () => {
  it('signs its own statement, counts verified votes and is final at ⌈2n/3⌉ with signatures sorted by signer', () => {
    const { signer, net, finals } = coSigner();
    const s = statementOf(7n);
    const own = signer.cast(s);
    expect(recoverSignerSync(DOMAIN.chainId, DOMAIN.settlement, own.hash, own.signature)).toBe(k1.address);
    expect(net.published[0]).toMatchObject({ topic: VOTES_TOPIC, body: { microgrid: MICROGRID, votes: [{ slot: '7', hash: own.hash }] } });
    net.deliver('peer-2', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, s)] });
    expect(finals).toHaveLength(0);
    net.deliver('peer-3', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k3, s)] });
    expect(finals).toHaveLength(1);
    const final = finals[0] as FinalRound;
    expect(final).toMatchObject({ slot: 7n, hash: own.hash, threshold: 3, validatorCount: 4, revision: 1, statement: s });
    const expected = [k1, k2, k3].map((k) => k.address).sort(compareAddresses);
    expect(final.signers).toEqual(expected);
    final.signatures.forEach((sig, i) => expect(recoverSignerSync(DOMAIN.chainId, DOMAIN.settlement, own.hash, sig)).toBe(expected[i]));
    // The fourth signature arrives late: a new revision with all four.
    net.deliver('peer-2', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k4, s)] });
    expect(finals.map((f) => [f.revision, f.signatures.length])).toEqual([[1, 3], [2, 4]]);
    expect(signer.finalRound(7n)?.signatures).toHaveLength(4);
    // Accepted votes are relayed once to everyone but their sender; a duplicate is not.
    net.deliver('peer-3', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k4, s)] });
    expect(net.published.filter((p) => p.topic === VOTES_TOPIC).map((p) => p.exclude)).toEqual([[], ['peer-2'], ['peer-3'], ['peer-2']]);
    expect(signer.counts()).toMatchObject({ votesCast: 1, votesAccepted: 3, duplicates: 1, finals: 2 });
  });

  it('reports a validator that signed another hash, and one that signed two', () => {
    const { signer, net, finals, dissents } = coSigner();
    const s = statementOf(3n);
    const other = statementOf(3n, { deltasMinor: [121n, -46n, -100n, 25n] });
    signer.cast(s);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, s), vote(k3, s), vote(k4, other)] });
    expect(finals[0]?.dissenters).toEqual([{ validator: k4.address, hash: hashOf(other) }]);
    expect(dissents).toEqual([expect.objectContaining({ slot: 3n, validator: k4.address, kind: 'other-hash', hashes: [hashOf(other)], localHash: hashOf(s) })]);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k4, s)] });
    expect(dissents.at(-1)).toMatchObject({ validator: k4.address, kind: 'equivocation', hashes: [hashOf(other), hashOf(s)] });
    expect(signer.round(3n)).toMatchObject({ status: 'final', localHash: hashOf(s) });
  });

  it('is outvoted, not final, when the others agree on a hash it did not compute', () => {
    const { signer, net, finals } = coSigner();
    const honest = statementOf(4n);
    signer.cast(statementOf(4n, { tradesRoot: idOf('root:tampered') }));
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, honest), vote(k3, honest), vote(k4, honest)] });
    expect(finals).toEqual([]);
    expect(signer.round(4n)).toMatchObject({ status: 'outvoted', groups: [{ hash: hashOf(honest) }, { signers: [k1.address] }] });
  });

  it('refuses to sign two statements for one slot; signing the same one twice is a no-op', () => {
    const { signer, net } = coSigner();
    const first = signer.cast(statementOf(5n));
    expect(signer.cast(statementOf(5n))).toEqual(first);
    expect(() => signer.cast(statementOf(5n, { deltasMinor: [0n, 0n, 0n, 0n] }))).toThrow(PeerError);
    expect(() => signer.cast(aStatement({ microgrid: idOf('area:elsewhere'), slot: 6n }))).toThrow(/microgrid/);
    expect(net.published).toHaveLength(1);
  });

  it('rejects and counts bad votes without throwing', () => {
    const { signer, net } = coSigner();
    const s = statementOf(9n);
    signer.cast(s);
    const good = vote(k2, s);
    const flipped = `${good.signature.slice(0, 10)}${good.signature[10] === 'a' ? 'b' : 'a'}${good.signature.slice(11)}`;
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(outsider, s)] });
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [{ ...good, signature: `${good.signature.slice(0, 130)}1d` }] });
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [{ ...good, signature: flipped }] });
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [{ ...good, slot: '-1' }] });
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [] });
    net.deliver('p', VOTES_TOPIC, 'not an object');
    net.deliver('p', VOTES_TOPIC, { microgrid: idOf('area:elsewhere'), votes: [good] });
    net.deliver('p', SUMMARY_TOPIC, { microgrid: MICROGRID, fromSlot: '0', toSlot: '1', rounds: 'many' });
    const counts = signer.counts();
    expect(counts.rejected['bad-signature'] + counts.rejected['not-a-validator']).toBe(3);
    expect(counts.rejected['not-a-validator']).toBeGreaterThanOrEqual(1);
    expect(counts.rejected['bad-message']).toBe(4);
    expect(counts.otherMicrogrid).toBe(1);
    expect(signer.round(9n)?.groups).toEqual([{ hash: hashOf(s), signers: [k1.address] }]);
  });

  it('keeps rounds for K slots, then reports the open ones as no-quorum; votes outside the window are refused', () => {
    const { signer, net, noQuorum } = coSigner({ openSlots: 2 });
    signer.cast(statementOf(1n));
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, statementOf(2n))] });
    signer.cast(statementOf(3n));
    expect(noQuorum.map((n) => [n.slot, n.reason])).toEqual([[1n, 'no-quorum']]);
    signer.cast(statementOf(4n));
    expect(noQuorum.map((n) => [n.slot, n.reason])).toEqual([[1n, 'no-quorum'], [2n, 'no-local-statement']]);
    expect(signer.slots()).toEqual([3n, 4n]);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, statementOf(2n)), vote(k2, statementOf(7n))] });
    expect(signer.counts().rejected).toMatchObject({ 'too-old': 1, 'too-far-ahead': 1 });
    expect(() => signer.cast(statementOf(2n))).toThrow(/behind/);
  });

  it('answers a summary with exactly the votes the peer lacks, and sends its own summary on connection', () => {
    const { signer, net } = coSigner();
    const s10 = statementOf(10n);
    const s11 = statementOf(11n);
    signer.cast(s10);
    signer.cast(s11);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, s10), vote(k3, s10), vote(k2, s11)] });
    const set = new ValidatorSet(keys.map((k) => k.address));
    // The peer holds k1's and k2's votes for slot 10 and nothing for slot 11.
    net.deliver('dso', SUMMARY_TOPIC, {
      microgrid: MICROGRID, fromSlot: '0', toSlot: '18446744073709551615',
      rounds: [{ slot: '10', hashes: [{ hash: hashOf(s10), have: set.bitmap([k1.address, k2.address]) }] }],
    });
    const reply = net.sent.filter((m) => m.did === 'dso' && m.topic === VOTES_TOPIC);
    expect(reply).toHaveLength(1);
    const votes = (reply[0]?.body as { votes: { slot: string; signature: Hex }[] }).votes;
    expect(votes.map((v) => [v.slot, recoverSignerSync(DOMAIN.chainId, DOMAIN.settlement, v.slot === '10' ? hashOf(s10) : hashOf(s11), v.signature)]).sort())
      .toEqual([['10', k3.address], ['11', k1.address], ['11', k2.address]].sort());
    net.connect('dso');
    const summary = net.sent.find((m) => m.topic === SUMMARY_TOPIC);
    expect(summary?.body).toMatchObject({
      fromSlot: '0', toSlot: '18446744073709551615',
      rounds: [{ slot: '10', hashes: [{ hash: hashOf(s10), have: set.bitmap([k1.address, k2.address, k3.address]) }] }, { slot: '11' }],
    });
  });

  it('asks statementFor when votes arrive for a slot it has not cast, then signs', async () => {
    const inputs = new Map<bigint, Statement>();
    const { signer, net, finals } = coSigner({ statementFor: async (slot) => inputs.get(slot) });
    const s = statementOf(20n);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, s)] });
    await Promise.resolve();
    expect(signer.round(20n)?.localHash).toBeUndefined();
    inputs.set(20n, s);
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k3, s)] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(signer.round(20n)?.localHash).toBe(hashOf(s));
    expect(finals).toHaveLength(1);
    expect(signer.counts().statementRequests).toBe(2);
  });

  it('counts a message the network refuses to send instead of failing the round', () => {
    const { signer, net, finals } = coSigner();
    const s = statementOf(30n);
    net.publish = () => { throw new PeerError('too-large', 'the message is too large'); };
    expect(() => signer.cast(s)).not.toThrow();
    net.deliver('p', VOTES_TOPIC, { microgrid: MICROGRID, votes: [vote(k2, s), vote(k3, s)] });
    expect(finals).toHaveLength(1);
    expect(signer.counts().sendErrors).toBe(2);
  });

  it('checks its configuration', () => {
    const net = new StubMessaging('did:key:z6MkSelf');
    const base = { network: net, key: k1, microgrid: MICROGRID, validators: keys.map((k) => k.address), domain: DOMAIN, resyncIntervalMs: 0 };
    expect(() => new StatementCoSigner({ ...base, key: outsider })).toThrow(/not in the validator set/);
    expect(() => new StatementCoSigner({ ...base, validators: [k1.address, k1.address] })).toThrow(/twice/);
    expect(() => new StatementCoSigner({ ...base, openSlots: 0 })).toThrow(/openSlots/);
    const ok = new StatementCoSigner(base);
    expect(net.subscribers()).toBe(2);
    ok.close();
    expect(net.subscribers()).toBe(0);
  });
});
