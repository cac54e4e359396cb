import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertEd25519PrivateKey, privateKeyFromSeed, publicKeyFromRaw, rawPublicKey } from './ed25519-keys.js';
import { KeyError } from './identity-errors.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// RFC 8032, section 7.1, TEST 1.
const RFC_SEED = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const RFC_PUBLIC = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

describe('Ed25519 keys', () => {
  it('builds the RFC 8032 key pair from its 32-byte seed', () => {
    const privateKey = privateKeyFromSeed(RFC_SEED);
    expect(rawPublicKey(privateKey)).toEqual(RFC_PUBLIC);
    const signature = sign(null, new Uint8Array(), privateKey);
    expect(Buffer.from(signature).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  });

  it('round-trips a public key through its raw bytes and verifies with it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = rawPublicKey(publicKey);
    const again = publicKeyFromRaw(raw);
    const signature = sign(null, Buffer.from('x'), privateKey);
    expect(verify(null, Buffer.from('x'), again, signature)).toBe(true);
  });

  it('error: rejects seeds and raw keys of the wrong length', () => {
    expect(() => privateKeyFromSeed(new Uint8Array(31))).toThrow(KeyError);
    expect(() => publicKeyFromRaw(new Uint8Array(33))).toThrow(/32 bytes \(got 33\)/);
  });

  it('error: rejects keys of other algorithms', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => rawPublicKey(publicKey)).toThrow(/expected an Ed25519 key \(got ec\)/);
    expect(() => assertEd25519PrivateKey(privateKey)).toThrow(KeyError);
    expect(() => assertEd25519PrivateKey(publicKeyFromRaw(RFC_PUBLIC))).toThrow(/private key/);
  });
});
