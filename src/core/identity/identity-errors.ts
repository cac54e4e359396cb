/**
 * Typed errors of the identity layer (keys, DIDs, credentials, revocation lists, signed messages,
 * gates). Each carries a machine-readable `reason` next to the human message, so callers can count
 * and branch on failures without parsing text.
 */
import { GridmeshError } from '../errors.js';

/** A string that is not a `did:key` for an Ed25519 public key; the message says what was expected. */
export class DidError extends GridmeshError {
  override readonly name = 'DidError';
}

/** Input that cannot be a key (wrong length, not an Ed25519 key object). */
export class KeyError extends GridmeshError {
  override readonly name = 'KeyError';
}

export type CredentialFailure =
  | 'malformed'
  | 'invalid-claims'
  | 'untrusted-issuer'
  | 'bad-signature'
  | 'wrong-subject'
  | 'expired'
  | 'not-yet-valid';

/** A connection credential that cannot be issued or does not verify. */
export class CredentialError extends GridmeshError {
  override readonly name = 'CredentialError';
  constructor(readonly reason: CredentialFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}

export type RevocationFailure = 'malformed' | 'untrusted-issuer' | 'bad-signature' | 'stale-sequence' | 'too-many';

/** A revocation list that cannot be signed, does not verify, or is older than one already applied. */
export class RevocationError extends GridmeshError {
  override readonly name = 'RevocationError';
  constructor(readonly reason: RevocationFailure, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}

/** A reading or order whose fields cannot be encoded, or whose bytes cannot be decoded. */
export class SignedMessageError extends GridmeshError {
  override readonly name = 'SignedMessageError';
}

export type GateMisuse = 'too-many-devices' | 'unknown-device' | 'not-prepaid' | 'bad-amount' | 'bad-config';

/** Misuse of a gate or registry: a bound exceeded, a top-up of a non-prepaid device, a bad option. */
export class GateError extends GridmeshError {
  override readonly name = 'GateError';
  constructor(readonly reason: GateMisuse, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options);
  }
}
