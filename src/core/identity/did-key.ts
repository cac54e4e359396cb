/**
 * `did:key` identifiers for Ed25519 public keys (W3C CCG did:key method):
 *   did:key:z<base58btc( 0xed 0x01 || 32-byte public key )>
 * 0xed01 is the multicodec varint of `ed25519-pub`; 'z' is the multibase prefix of base58btc. Every
 * such DID starts with `did:key:z6Mk`. In gridmesh a key id is the DID itself (no fragment).
 */
import type { KeyObject } from 'node:crypto';
import { base58btcDecode, base58btcEncode } from './base58btc.js';
import { ED25519_KEY_BYTES, publicKeyFromRaw, rawPublicKey } from './ed25519-keys.js';
import { DidError } from './identity-errors.js';

const PREFIX = 'did:key:z';
const MULTICODEC_ED25519_PUB = [0xed, 0x01] as const;
/** 'did:key:z' + 48 base58 characters for 34 bytes; longer strings are rejected before decoding. */
export const DID_KEY_MAX_LENGTH = 64;

/** The did:key of a raw 32-byte Ed25519 public key or an Ed25519 KeyObject. */
export function didOfPublicKey(key: Uint8Array | KeyObject): string {
  const raw = key instanceof Uint8Array ? key : rawPublicKey(key);
  if (raw.length !== ED25519_KEY_BYTES) throw new DidError(`expected a ${ED25519_KEY_BYTES}-byte Ed25519 public key (got ${raw.length} bytes)`);
  const bytes = new Uint8Array(2 + ED25519_KEY_BYTES);
  bytes.set(MULTICODEC_ED25519_PUB, 0);
  bytes.set(raw, 2);
  return PREFIX + base58btcEncode(bytes);
}

/** The raw 32-byte Ed25519 public key named by a did:key; a DidError says what was expected. */
export function publicKeyOfDid(did: string): Uint8Array {
  if (typeof did !== 'string' || !did.startsWith(PREFIX)) {
    throw new DidError(`expected a did:key starting with "${PREFIX}" (got ${describe(did)})`);
  }
  if (did.length > DID_KEY_MAX_LENGTH) throw new DidError(`expected a did:key of at most ${DID_KEY_MAX_LENGTH} characters (got ${did.length})`);
  const bytes = base58btcDecode(did.slice(PREFIX.length));
  if (bytes.length !== 2 + ED25519_KEY_BYTES || bytes[0] !== MULTICODEC_ED25519_PUB[0] || bytes[1] !== MULTICODEC_ED25519_PUB[1]) {
    throw new DidError(`expected a did:key of an Ed25519 public key (multicodec 0xed01 and 32 key bytes), got ${did}`);
  }
  return bytes.slice(2);
}

/** The public KeyObject named by a did:key (slow-ish: cache it). */
export function publicKeyObjectOfDid(did: string): KeyObject {
  const raw = publicKeyOfDid(did);
  try {
    return publicKeyFromRaw(raw);
  } catch (cause) {
    throw new DidError(`expected a did:key of a valid Ed25519 public key, got ${did}`, { cause });
  }
}

/** True when `text` is a well-formed Ed25519 did:key. */
export function isDidKey(text: string): boolean {
  try {
    publicKeyOfDid(text);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
