/**
 * Signed API requests (docs/api.md#authentication). A write carries three headers:
 *
 *   x-gridmesh-did        did:key of the caller's Ed25519 key
 *   x-gridmesh-time       the caller's clock, unix milliseconds (decimal integer)
 *   x-gridmesh-signature  base64url (no padding) of the 64-byte Ed25519 signature of the UTF-8 text
 *
 *   gridmesh-request/1\n<METHOD>\n<path with query, as sent>\n<time>\n<sha256 hex of the raw body>
 *
 * The body hash covers the exact bytes sent (an empty body hashes the empty string), so a proxy that
 * re-encodes JSON breaks the signature rather than changing what was signed. This module is the
 * client half (the CLI, tests and tools sign with it); request-auth.ts is the server half.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { didOfPublicKey } from '../../core/identity/did-key.js';

export const REQUEST_SIGNATURE_VERSION = 'gridmesh-request/1';
export const DID_HEADER = 'x-gridmesh-did';
export const TIME_HEADER = 'x-gridmesh-time';
export const SIGNATURE_HEADER = 'x-gridmesh-signature';
export const AUTH_HEADERS = [DID_HEADER, TIME_HEADER, SIGNATURE_HEADER] as const;

export interface SignedRequestHeaders {
  readonly 'x-gridmesh-did': string;
  readonly 'x-gridmesh-time': string;
  readonly 'x-gridmesh-signature': string;
}

export interface RequestSigner {
  readonly privateKey: KeyObject;
  /** did:key of the private key's public key. */
  readonly did: string;
}

/** Lowercase hex SHA-256 of the body bytes (a string is hashed as UTF-8). */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The text a request signature covers. */
export function signedRequestText(method: string, pathWithQuery: string, timeMs: number, bodySha256Hex: string): string {
  return `${REQUEST_SIGNATURE_VERSION}\n${method.toUpperCase()}\n${pathWithQuery}\n${timeMs}\n${bodySha256Hex}`;
}

/**
 * The three auth headers of a request. `pathWithQuery` is what goes on the request line
 * ('/api/v1/outages', not a full URL) and `body` the exact bytes that will be sent.
 */
export function signRequest(signer: RequestSigner, method: string, pathWithQuery: string, body: string | Uint8Array, nowMs: number): SignedRequestHeaders {
  if (!pathWithQuery.startsWith('/') || /\s/.test(pathWithQuery)) {
    throw new TypeError(`signRequest: expected the path and query as sent on the request line, starting with "/" (got ${JSON.stringify(pathWithQuery)})`);
  }
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) throw new TypeError(`signRequest: expected unix milliseconds as a non-negative integer (got ${nowMs})`);
  if (didOfPublicKey(signer.privateKey) !== signer.did) throw new TypeError(`signRequest: ${signer.did} is not the did:key of the private key`);
  const text = signedRequestText(method, pathWithQuery, nowMs, sha256Hex(body));
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return { [DID_HEADER]: signer.did, [TIME_HEADER]: String(nowMs), [SIGNATURE_HEADER]: signature.toString('base64url') };
}
