import { describe, expect, it } from 'vitest';
import { RevocationError } from './identity-errors.js';
import { aGatekeeper } from './identity.fixture.js';
import { encodeRevocationList, signRevocationList, verifyRevocationList } from './revocation-list.js';

const dso = aGatekeeper();
const trusted = new Set([dso.did]);
const revoked = [{ credentialId: 'conn-b', effectiveSlot: 20 }, { credentialId: 'conn-a', effectiveSlot: 12 }];

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RevocationError);
    return (error as RevocationError).reason;
  }
  throw new Error('expected a RevocationError');
}

describe('revocation lists', () => {
  it('encodes canonically: the same bytes whatever order the entries are listed in', () => {
    const a = encodeRevocationList({ issuer: dso.did, sequence: 3, revoked });
    const b = encodeRevocationList({ issuer: dso.did, sequence: 3, revoked: [...revoked].reverse() });
    expect(a).toEqual(b);
    expect(a[0]).toBe(0x31);
    const issuerLength = (a[1]! << 8) | a[2]!;
    expect(new TextDecoder().decode(a.subarray(3, 3 + issuerLength))).toBe(dso.did);
    expect(a).toHaveLength(1 + 2 + issuerLength + 4 + 4 + 2 * (2 + 6 + 4));
  });

  it('signs a list that verifies against the issuer DID', () => {
    const signed = signRevocationList(dso.privateKey, { sequence: 3, revoked });
    expect(signed.issuer).toBe(dso.did);
    const list = verifyRevocationList(JSON.parse(JSON.stringify(signed)), trusted);
    expect(list).toEqual({ issuer: dso.did, sequence: 3, revoked });
  });

  it('error: rejects a list from an untrusted gatekeeper', () => {
    const signed = signRevocationList(aGatekeeper('rogue').privateKey, { sequence: 1, revoked });
    expect(reasonOf(() => verifyRevocationList(signed, trusted))).toBe('untrusted-issuer');
  });

  it('error: rejects a tampered list (moved effective slot, dropped entry, other issuer)', () => {
    const signed = signRevocationList(dso.privateKey, { sequence: 3, revoked });
    expect(reasonOf(() => verifyRevocationList({ ...signed, revoked: [{ credentialId: 'conn-a', effectiveSlot: 99 }, revoked[0]] }, trusted))).toBe('bad-signature');
    expect(reasonOf(() => verifyRevocationList({ ...signed, revoked: revoked.slice(1) }, trusted))).toBe('bad-signature');
    expect(reasonOf(() => verifyRevocationList({ ...signed, sequence: 4 }, trusted))).toBe('bad-signature');
    const other = aGatekeeper('tso');
    expect(reasonOf(() => verifyRevocationList({ ...signed, issuer: other.did }, new Set([other.did])))).toBe('bad-signature');
  });

  it('error: rejects malformed input, naming the path', () => {
    expect(reasonOf(() => verifyRevocationList({ issuer: dso.did, sequence: -1, revoked: [], signature: 'x' }, trusted))).toBe('malformed');
    const bad = { issuer: dso.did, sequence: 1, revoked: [{ credentialId: '', effectiveSlot: 1.5 }], signature: 'A'.repeat(86) };
    expect(() => verifyRevocationList(bad, trusted)).toThrow(expect.objectContaining({ details: expect.arrayContaining([expect.stringMatching(/^revoked\[0\]\.effectiveSlot/)]) }));
    expect(reasonOf(() => encodeRevocationList({ issuer: dso.did, sequence: 1, revoked: [revoked[0]!, revoked[0]!] }))).toBe('malformed');
    expect(reasonOf(() => signRevocationList(dso.privateKey, { sequence: 1, revoked: Array.from({ length: 100_001 }, (_, i) => ({ credentialId: `c${i}`, effectiveSlot: 0 })) }))).toBe('too-many');
  });
});
