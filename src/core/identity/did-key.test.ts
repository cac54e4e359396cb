import { verify, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { didOfPublicKey, isDidKey, publicKeyObjectOfDid, publicKeyOfDid } from './did-key.js';
import { DidError } from './identity-errors.js';
import { deriveKeyPair } from './key-pair.js';

// The Ed25519 example of the did:key method specification.
const SPEC_DID = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';

describe('did:key', () => {
  it('decodes the spec example to a 32-byte key and re-encodes it to the same DID', () => {
    const raw = publicKeyOfDid(SPEC_DID);
    expect(raw).toHaveLength(32);
    expect(didOfPublicKey(raw)).toBe(SPEC_DID);
    expect(isDidKey(SPEC_DID)).toBe(true);
  });

  it('round-trips any 32-byte key, and every DID starts with z6Mk', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
      const did = didOfPublicKey(raw);
      expect(did.startsWith('did:key:z6Mk')).toBe(true);
      expect(publicKeyOfDid(did)).toEqual(raw);
    }));
  });

  it('gives the same DID for a KeyObject and for its raw bytes, and a usable key back', () => {
    const pair = deriveKeyPair(1, 'meter-1');
    expect(didOfPublicKey(pair.publicKey)).toBe(pair.did);
    expect(didOfPublicKey(pair.privateKey)).toBe(pair.did);
    const signature = sign(null, Buffer.from('reading'), pair.privateKey);
    expect(verify(null, Buffer.from('reading'), publicKeyObjectOfDid(pair.did), signature)).toBe(true);
  });

  it('error: rejects malformed DIDs, saying what was expected', () => {
    expect(() => publicKeyOfDid('did:web:example.com')).toThrow(DidError);
    expect(() => publicKeyOfDid('did:web:example.com')).toThrow(/expected a did:key starting with "did:key:z"/);
    expect(() => publicKeyOfDid(42 as unknown as string)).toThrow(/got number/);
    expect(() => publicKeyOfDid('did:key:z0OIl')).toThrow(/expected only characters/);
    // A secp256k1 did:key (multicodec 0xe7) is well-formed base58 but not Ed25519.
    expect(() => publicKeyOfDid('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme')).toThrow(/multicodec 0xed01/);
    expect(() => publicKeyOfDid(`${SPEC_DID}#${SPEC_DID.slice(8)}`)).toThrow(DidError);
    expect(() => publicKeyOfDid(SPEC_DID.slice(0, -2))).toThrow(/32 key bytes/);
    expect(() => didOfPublicKey(new Uint8Array(31))).toThrow(/32-byte/);
    expect(isDidKey('did:key:')).toBe(false);
  });
});
