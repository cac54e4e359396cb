/**
 * Four gridmesh nodes of one microgrid (three controllers and the DSO node) on real sockets:
 * co-signing with everyone, a dishonest validator, a cut of every link to the DSO node (the island
 * keeps settling with 3 of 4), and the heal (reconciliation brings the DSO node the missed votes,
 * it signs them, and every node ends with the same four signatures).
 */
import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverSignerSync } from '../../core/ledger/statement-signing.js';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { idOf, statementHash, type Statement } from '../../core/ledger/statement.js';
import { simValidatorKey } from '../../core/ledger/validator-keys.js';
import type { PeerNetwork } from './peer-network.js';
import { eventually, nodeKey, TEST_SEED, TestNodes } from './peer-test-kit.fixture.js';
import { StatementCoSigner, type DissentReport, type FinalRound } from './statement-co-signer.js';

const MICROGRID = idOf('area:riverside');
const DOMAIN = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address };
const NAMES = ['dso', 'c1', 'c2', 'c3'] as const;
type Name = (typeof NAMES)[number];
const CONTROLLERS = ['c1', 'c2', 'c3'] as const;

const validatorKeys = Object.fromEntries(NAMES.map((n) => [n, simValidatorKey(TEST_SEED, `validator:${n}`)])) as Record<Name, ReturnType<typeof simValidatorKey>>;
const statementOf = (slot: bigint): Statement => aStatement({ microgrid: MICROGRID, slot });

interface Node {
  readonly name: Name;
  readonly net: PeerNetwork;
  readonly cosigner: StatementCoSigner;
  readonly finals: FinalRound[];
  readonly dissents: DissentReport[];
}

const testNodes = new TestNodes();
const nodes = {} as Record<Name, Node>;
/** Slots whose inputs the DSO node has (it misses the island's inputs while cut off). */
const dsoInputs = new Set<bigint>();

beforeAll(async () => {
  const started: Partial<Record<Name, PeerNetwork>> = {};
  // Each pair is dialled by one side (the later one); the other side knows the DID only.
  for (const [i, name] of NAMES.entries()) {
    const peers = NAMES.filter((other) => other !== name).map((other) => {
      const earlier = NAMES.indexOf(other) < i;
      return earlier ? { did: nodeKey(other).did, url: (started[other] as PeerNetwork).url } : { did: nodeKey(other).did };
    });
    started[name] = await testNodes.start(name, {}, peers);
  }
  for (const name of NAMES) {
    const net = started[name] as PeerNetwork;
    const cosigner = new StatementCoSigner({
      network: net, key: validatorKeys[name], microgrid: MICROGRID, domain: DOMAIN, resyncIntervalMs: 0,
      validators: NAMES.map((n) => validatorKeys[n].address),
      ...(name === 'dso' ? { statementFor: (slot: bigint) => (dsoInputs.has(slot) ? statementOf(slot) : undefined) } : {}),
    });
    const node: Node = { name, net, cosigner, finals: [], dissents: [] };
    cosigner.onFinal((f) => node.finals.push(f));
    cosigner.onDissent((d) => node.dissents.push(d));
    nodes[name] = node;
  }
  await eventually(() => NAMES.every((n) => nodes[n].net.connectedPeers().length === 3), 'a full mesh of 4 nodes');
});

afterAll(async () => {
  for (const name of NAMES) nodes[name]?.cosigner.close();
  await testNodes.closeAll();
});

const all = (): Node[] => NAMES.map((n) => nodes[n]);
const signaturesAt = (node: Node, slot: bigint): readonly Hex[] | undefined => node.cosigner.finalRound(slot)?.signatures;

function expectValidSignatures(final: FinalRound): void {
  final.signatures.forEach((signature, i) => {
    expect(recoverSignerSync(DOMAIN.chainId, DOMAIN.settlement, final.hash, signature)).toBe(final.signers[i]);
  });
}

describe('co-signing a microgrid over real sockets', () => {
  it('all four validators sign slot 1: final everywhere with the same 4 signatures', async () => {
    for (const node of all()) node.cosigner.cast(statementOf(1n));
    await eventually(() => all().every((n) => signaturesAt(n, 1n)?.length === 4), 'four signatures on every node');
    const reference = nodes.dso.cosigner.finalRound(1n) as FinalRound;
    expect(reference.hash).toBe(statementHash(statementOf(1n)).toLowerCase());
    expectValidSignatures(reference);
    for (const node of all()) expect(signaturesAt(node, 1n)).toEqual(reference.signatures);
  });

  it('a dishonest controller signs another hash for slot 2: 3 of 4 is final and the dissent is reported', async () => {
    const tampered = { ...statementOf(2n), deltasMinor: [1_000n, -45n, -100n, -855n] };
    for (const name of ['dso', 'c1', 'c2'] as const) nodes[name].cosigner.cast(statementOf(2n));
    nodes.c3.cosigner.cast(tampered);
    const honest = [nodes.dso, nodes.c1, nodes.c2];
    await eventually(() => honest.every((n) => signaturesAt(n, 2n)?.length === 3 && n.dissents.some((d) => d.slot === 2n)), 'final with dissent');
    for (const node of honest) {
      const final = node.cosigner.finalRound(2n) as FinalRound;
      expect(final.signers).not.toContain(validatorKeys.c3.address);
      expect(node.dissents.filter((d) => d.slot === 2n)).toEqual([expect.objectContaining({
        validator: validatorKeys.c3.address, kind: 'other-hash', hashes: [statementHash(tampered).toLowerCase()],
      })]);
    }
    await eventually(() => nodes.c3.cosigner.round(2n)?.status === 'outvoted', 'c3 sees itself outvoted');
    expect(nodes.c3.cosigner.finalRound(2n)).toBeUndefined();
  });

  it('with every link to the DSO node cut, the three controllers still reach 3 of 4 for new slots', async () => {
    for (const name of CONTROLLERS) nodes[name].net.block(nodes.dso.net.did);
    await eventually(() => nodes.dso.net.connectedPeers().length === 0 && CONTROLLERS.every((n) => nodes[n].net.connectedPeers().length === 2), 'DSO cut off');
    for (const slot of [3n, 4n]) for (const name of CONTROLLERS) nodes[name].cosigner.cast(statementOf(slot));
    const island = CONTROLLERS.map((n) => nodes[n]);
    await eventually(() => island.every((n) => signaturesAt(n, 3n)?.length === 3 && signaturesAt(n, 4n)?.length === 3), 'island quorum');
    for (const node of island) expect(node.cosigner.finalRound(3n)?.signers).not.toContain(validatorKeys.dso.address);
    expect(nodes.dso.cosigner.round(3n)).toBeUndefined();
    // The DSO node keeps redialling (it learned the controllers' URLs from their hellos) and is refused.
    await eventually(() => nodes.dso.net.counts().refused['refused-by-peer'] > 0 && nodes.c1.net.counts().refused.blocked > 0, 'DSO redials refused');
  });

  it('after the heal, reconciliation brings the DSO node the missed votes, it signs, and all end with 4 signatures', async () => {
    dsoInputs.add(3n);
    dsoInputs.add(4n);
    for (const name of CONTROLLERS) nodes[name].net.unblock(nodes.dso.net.did);
    await eventually(() => all().every((n) => signaturesAt(n, 3n)?.length === 4 && signaturesAt(n, 4n)?.length === 4), 'four signatures after the heal');
    for (const slot of [3n, 4n]) {
      const reference = nodes.c1.cosigner.finalRound(slot) as FinalRound;
      expectValidSignatures(reference);
      expect(reference.signers).toContain(validatorKeys.dso.address);
      for (const node of all()) expect(signaturesAt(node, slot)).toEqual(reference.signatures);
    }
    // Slot 2 is unchanged everywhere: three honest signatures, the dissenter excluded.
    for (const node of [nodes.dso, nodes.c1, nodes.c2]) expect(signaturesAt(node, 2n)).toHaveLength(3);
    const dso = nodes.dso.cosigner.counts();
    expect(dso.statementRequests).toBeGreaterThanOrEqual(2);
    expect(dso.rejected['bad-signature']).toBe(0);
    expect(nodes.c1.cosigner.counts().reconcileVotesSent).toBeGreaterThan(0);
    for (const node of all()) {
      expect(node.net.counts().rejected['bad-signature']).toBe(0);
      expect(node.finals.filter((f) => f.slot === 3n).at(-1)?.signatures).toHaveLength(4);
    }
  });
});
