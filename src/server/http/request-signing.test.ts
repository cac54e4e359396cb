import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyObjectOfDid } from '../../core/identity/did-key.js';
import { deriveKeyPair, keyPairFromSeed } from '../../core/identity/key-pair.js';
import { sha256Hex, signedRequestText, signRequest } from './request-signing.js';

const alice = deriveKeyPair(1, 'alice');
const bob = deriveKeyPair(1, 'bob');

describe('signRequest', () => {
  it('signs the documented text with the caller key', () => {
    const body = '{"area":"riverside","durationSlots":4}';
    const headers = signRequest(alice, 'post', '/api/v1/outages?x=1', body, 1_700_000_000_123);
    expect(headers['x-gridmesh-did']).toBe(alice.did);
    expect(headers['x-gridmesh-time']).toBe('1700000000123');
    expect(headers['x-gridmesh-signature']).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
    const text = `gridmesh-request/1\nPOST\n/api/v1/outages?x=1\n1700000000123\n${bodyHash}`;
    expect(signedRequestText('post', '/api/v1/outages?x=1', 1_700_000_000_123, bodyHash)).toBe(text);
    const signature = Buffer.from(headers['x-gridmesh-signature'], 'base64url');
    expect(verify(null, Buffer.from(text, 'utf8'), publicKeyObjectOfDid(alice.did), signature)).toBe(true);
  });

  it('hashes a string body as UTF-8, the same as its bytes', () => {
    expect(sha256Hex('grüße')).toBe(sha256Hex(new TextEncoder().encode('grüße')));
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is deterministic (Ed25519): same request, same headers', () => {
    expect(signRequest(alice, 'POST', '/a', 'b', 5)).toEqual(signRequest(alice, 'POST', '/a', 'b', 5));
  });

  it('error: refuses a full URL instead of the request path', () => {
    expect(() => signRequest(alice, 'POST', 'http://node/api/v1/orders', '', 5)).toThrow(/starting with "\/"/);
  });

  it('error: refuses a DID that is not the key', () => {
    expect(() => signRequest({ privateKey: alice.privateKey, did: bob.did }, 'POST', '/a', '', 5)).toThrow(/not the did:key/);
  });

  it('error: refuses a time that is not integer milliseconds', () => {
    expect(() => signRequest(alice, 'POST', '/a', '', 1.5)).toThrow(/milliseconds/);
  });
});

describe('the test vector in docs/api.md', () => {
  it('signs to the documented headers', () => {
    const key = keyPairFromSeed(Buffer.from('cc0ab92dbe1adceebd722cc3c4703250f1fd0fa2e7d81c10bb13a67765668816', 'hex'));
    const body = '{"area":"riverside","durationSlots":4}';
    expect(sha256Hex(body)).toBe('f76a26067e19c6d9488031845513c4edaa5e93485eaf3638b5a337dbf777ec17');
    expect(signRequest(key, 'POST', '/api/v1/outages', body, 1_767_268_800_000)).toEqual({
      'x-gridmesh-did': 'did:key:z6MkifesbEH9EBsEcnHQHBzE8Fij7pHdWfGAXnKpWfTvgNyy',
      'x-gridmesh-time': '1767268800000',
      'x-gridmesh-signature': 'ppo9NEL88zujIYJHF1aDuYhM8l1exkHNdwdWh3-ayiEFIB-ukkWPR9CacK1jUogaROHn4kExwHvnDKSxEi7mAw',
    });
  });
});
