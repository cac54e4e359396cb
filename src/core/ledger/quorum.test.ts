import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { LedgerError } from './ledger-errors.js';
import { castVote, collectQuorum, quorumThreshold, runQuorum, tallyQuorum, type SignedVote } from './quorum.js';
import { aStatement } from './statement.fixture.js';
import { recoverSigner, type SettlementDomain } from './statement-signing.js';
import { idOf, statementHash, type Statement } from './statement.js';
import { compareAddresses, simValidatorKey, type ValidatorKey } from './validator-keys.js';

const domain: SettlementDomain = { chainId: 31337n, settlement: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const keys = ['v1', 'v2', 'v3', 'v4'].map((name) => simValidatorKey(7, name));
const validators = keys.map(({ id, address }) => ({ id, address }));

/** The lead's pure statement function stands in as: the inputs a validator saw → statement. */
interface SeenInputs { readonly tradesLabel: string; readonly extraDelta: bigint }
const honest: SeenInputs = { tradesLabel: 'trades', extraDelta: 0n };
const computeStatement = (inputs: SeenInputs): Statement => {
  const base = aStatement();
  return { ...base, tradesRoot: idOf(inputs.tradesLabel), deltasMinor: base.deltasMinor.map((d, i) => (i === 3 ? d + inputs.extraDelta : i === 2 ? d - inputs.extraDelta : d)) };
};

async function votesOf(seen: Record<string, SeenInputs>, signers: readonly ValidatorKey[] = keys): Promise<Map<string, SignedVote>> {
  const votes = new Map<string, SignedVote>();
  for (const key of signers) {
    const inputs = seen[key.id];
    if (inputs !== undefined) votes.set(key.id, await castVote(key, inputs, computeStatement, domain));
  }
  return votes;
}

describe('quorumThreshold', () => {
  it('is ceil(2n/3)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9, 10].map(quorumThreshold)).toEqual([1, 2, 2, 3, 4, 4, 5, 6, 7]);
  });
});

describe('collectQuorum', () => {
  it('is final when all validators agree, with signatures sorted by signer', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: honest, v4: honest });
    const result = await collectQuorum({ validators, votes, domain });
    expect(result.final).toBe(true);
    if (!result.final) return;
    expect(result.hash).toBe(statementHash(computeStatement(honest)));
    expect(result.signatures).toHaveLength(4);
    expect([...result.signers]).toEqual([...result.signers].sort(compareAddresses));
    for (const [i, signature] of result.signatures.entries()) {
      expect(await recoverSigner(domain.chainId, domain.settlement, result.hash, signature)).toBe(result.signers[i]);
    }
    expect(result.dissenters).toEqual([]);
  });

  it('is final with one dishonest validator of 4 and reports its dissent', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: { tradesLabel: 'forged', extraDelta: 5n }, v4: honest });
    const result = await collectQuorum({ validators, votes, domain });
    expect(result.final).toBe(true);
    if (!result.final) return;
    expect(result.signatures).toHaveLength(3);
    expect(result.signers).not.toContain(keys[2]?.address);
    expect(result.dissenters).toEqual([{
      validator: 'v3', address: keys[2]?.address, hash: statementHash(computeStatement({ tradesLabel: 'forged', extraDelta: 5n })),
      agreedHash: result.hash, fields: ['tradesRoot', 'deltasMinor[2]', 'deltasMinor[3]'], moreFields: 0,
    }]);
    expect(result.groups.map((g) => g.validators)).toEqual([['v1', 'v2', 'v4'], ['v3']]);
  });

  it('has no quorum with 2 dishonest validators of 4', async () => {
    const forged = { tradesLabel: 'forged', extraDelta: 0n };
    const votes = await votesOf({ v1: honest, v2: forged, v3: forged, v4: honest });
    const result = await collectQuorum({ validators, votes, domain });
    expect(result.final).toBe(false);
    if (result.final) return;
    expect(result.reason).toBe('no hash has 3 of 4 validators (largest group: 2)');
    expect(result.groups.map((g) => g.validators.length)).toEqual([2, 2]);
  });

  it('counts a missing validator against the quorum', async () => {
    const three = await collectQuorum({ validators, votes: await votesOf({ v1: honest, v2: honest, v4: honest }), domain });
    expect(three.final).toBe(true);
    expect(three.missing).toEqual(['v3']);
    const two = await collectQuorum({ validators, votes: await votesOf({ v1: honest, v4: honest }), domain });
    expect(two.final).toBe(false);
    expect(two.missing).toEqual(['v2', 'v3']);
  });

  it('does not count a vote signed by another key', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: honest });
    const stolen = await castVote(keys[0] as ValidatorKey, honest, computeStatement, domain);
    votes.set('v4', { statement: stolen.statement, signature: stolen.signature });
    votes.set('v3', { ...(votes.get('v3') as SignedVote), signature: `0x${'00'.repeat(64)}1b` as Hex });
    const result = await collectQuorum({ validators, votes, domain });
    expect(result.final).toBe(false);
    expect(result.rejected.map((r) => r.validator)).toEqual(['v3', 'v4']);
    expect(result.rejected[1]?.reason).toMatch(/^signature is by 0x/);
  });

  it('skips the signature check when told to', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: honest });
    votes.set('v4', { statement: computeStatement(honest), signature: '0x00' });
    const result = await collectQuorum({ validators, votes, domain, checkSignatures: false });
    expect(result.final && result.signatures.length).toBe(4);
  });

  it('is deterministic whatever the order of the votes', async () => {
    const seen = { v1: honest, v2: { tradesLabel: 'x', extraDelta: 0n }, v3: honest, v4: honest };
    const votes = await votesOf(seen);
    const reversed = new Map([...votes].reverse());
    expect(await collectQuorum({ validators, votes: reversed, domain })).toEqual(await collectQuorum({ validators, votes, domain }));
  });

  it('error: rejects votes from unknown validators and duplicate validators', async () => {
    const votes = await votesOf({ v1: honest });
    votes.set('intruder', votes.get('v1') as SignedVote);
    await expect(collectQuorum({ validators, votes, domain })).rejects.toThrow(LedgerError);
    await expect(collectQuorum({ validators: [...validators, validators[0]!], votes: new Map(), domain })).rejects.toThrow(/listed twice/);
    await expect(collectQuorum({ validators: [], votes: new Map(), domain })).rejects.toThrow(/at least one/);
    await expect(collectQuorum({ validators, votes: new Map(), domain, maxValidators: 3 })).rejects.toThrow(/at most 3/);
  });
});

describe('tallyQuorum', () => {
  it('tallies trusted votes synchronously, like collectQuorum without the signature check', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: { tradesLabel: 'forged', extraDelta: 1n }, v4: honest });
    const tally = tallyQuorum({ validators, votes });
    expect(tally).toEqual(await collectQuorum({ validators, votes, domain }));
    expect(tally.final && tally.dissenters.map((d) => d.validator)).toEqual(['v3']);
  });

  it('accepts validator keys as validators', async () => {
    const votes = await votesOf({ v1: honest, v2: honest, v3: honest });
    expect(tallyQuorum({ validators: keys, votes }).final).toBe(true);
  });
});

describe('runQuorum', () => {
  it('lets each validator compute from what it saw', async () => {
    const seen: Record<string, SeenInputs | undefined> = { v1: honest, v2: honest, v3: honest, v4: { tradesLabel: 'late', extraDelta: 0n } };
    const result = await runQuorum({ keys, inputsOf: (id) => seen[id], computeStatement, domain, checkSignatures: true });
    expect(result.final).toBe(true);
    if (result.final) expect(result.dissenters.map((d) => [d.validator, d.fields])).toEqual([['v4', ['tradesRoot']]]);
  });
});
