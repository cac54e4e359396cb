import { createHash, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeyPair, keyPairFromSeed } from './key-pair.js';

describe('key pairs', () => {
  it('derives the same keys from the same seed and name', () => {
    const a = deriveKeyPair(42, 'house-7/meter');
    const b = deriveKeyPair(42, 'house-7/meter');
    expect(a.did).toBe(b.did);
    expect(a.publicKeyRaw).toEqual(b.publicKeyRaw);
    expect(a.privateKey.export({ format: 'der', type: 'pkcs8' })).toEqual(b.privateKey.export({ format: 'der', type: 'pkcs8' }));
  });

  it('uses sha256("gridmesh-sim-key|seed|name") as the private seed, pinned across versions', () => {
    const pair = deriveKeyPair(1, 'gatekeeper');
    const seed = createHash('sha256').update('gridmesh-sim-key|1|gatekeeper').digest();
    expect(pair.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16)).toEqual(seed);
    expect(pair.did).toBe('did:key:z6MkrQ6XR2V3GNSqPa3xtu2zuV7PVgLFJ7FViZRF1fsetM58');
  });

  it('derives different keys for another name or another seed', () => {
    const base = deriveKeyPair(42, 'pv-1').did;
    expect(deriveKeyPair(42, 'pv-2').did).not.toBe(base);
    expect(deriveKeyPair(43, 'pv-1').did).not.toBe(base);
  });

  it('gives a pair that signs and verifies', () => {
    const pair = keyPairFromSeed(new Uint8Array(32).fill(7));
    const signature = sign(null, Buffer.from('hello'), pair.privateKey);
    expect(verify(null, Buffer.from('hello'), pair.publicKey, signature)).toBe(true);
  });
});
