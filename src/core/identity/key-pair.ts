/**
 * Key pairs of devices and participants, with their DID.
 *
 * !!! SIMULATED KEYS ARE NOT SECRET !!!
 * `deriveKeyPair(seed, name)` derives the private key from the scenario seed and a public name, so
 * anyone who knows the scenario can sign as any simulated device. That is what a reproducible
 * simulation needs and must never be used for a real device. Real devices create their key from 32
 * bytes of OS randomness at the edge (an adapter calls `keyPairFromSeed(crypto.randomBytes(32))`),
 * or better inside a secure element that never reveals it.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { didOfPublicKey } from './did-key.js';
import { privateKeyFromSeed, rawPublicKey } from './ed25519-keys.js';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The raw 32-byte public key, as it appears in signed readings and orders. */
  readonly publicKeyRaw: Uint8Array;
  /** did:key of the public key; also the key id. */
  readonly did: string;
}

/** The key pair whose RFC 8032 private seed is the given 32 bytes. */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  const privateKey = privateKeyFromSeed(seed);
  const publicKey = createPublicKey(privateKey);
  const publicKeyRaw = rawPublicKey(publicKey);
  return { privateKey, publicKey, publicKeyRaw, did: didOfPublicKey(publicKeyRaw) };
}

/**
 * SIMULATION ONLY, NOT SECRET: the key pair of `name` in the run with `seed`; the private seed is
 * sha256(`gridmesh-sim-key|${seed}|${name}`). Same seed and name, same keys, on every machine.
 */
export function deriveKeyPair(seed: number, name: string): KeyPair {
  return keyPairFromSeed(createHash('sha256').update(`gridmesh-sim-key|${seed}|${name}`, 'utf8').digest());
}
