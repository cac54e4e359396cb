/**
 * Ed25519 keys as node `KeyObject`s and their raw 32-byte forms. node:crypto is allowed in the
 * core: creating a key from given bytes, signing and verifying are pure and deterministic.
 *
 * DER wrappers (RFC 8410): a raw key is the last 32 bytes of the fixed-length DER structure.
 *   PKCS#8 private key: 30 2e 02 01 00 30 05 06 03 2b 65 70 04 22 04 20 || 32-byte seed
 *   SPKI public key:    30 2a 30 05 06 03 2b 65 70 03 21 00             || 32-byte public key
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyError } from './identity-errors.js';

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The private key whose 32-byte RFC 8032 seed is `seed`. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== ED25519_KEY_BYTES) throw new KeyError(`an Ed25519 seed must be ${ED25519_KEY_BYTES} bytes (got ${seed.length})`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A public KeyObject from a raw 32-byte Ed25519 public key. Slow-ish (~70 µs): cache the result. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== ED25519_KEY_BYTES) throw new KeyError(`an Ed25519 public key must be ${ED25519_KEY_BYTES} bytes (got ${raw.length})`);
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new KeyError('not a valid Ed25519 public key', { cause });
  }
}

/** The raw 32-byte public key of an Ed25519 public or private KeyObject. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`expected an Ed25519 key (got ${publicKey.asymmetricKeyType ?? publicKey.type})`);
  }
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** Throws unless `key` is an Ed25519 private KeyObject. */
export function assertEd25519PrivateKey(key: KeyObject): void {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`expected an Ed25519 private key (got a ${key.asymmetricKeyType ?? ''} ${key.type} key)`);
  }
}
