/**
 * The server half of signed requests (request-signing.ts has the format): checks the headers, the
 * clock skew, the Ed25519 signature over the raw body, the caller's role, and that the request is
 * not a replay. A failure is a 401 (who are you?) or a 403 (you may not), never a 500.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { publicKeyObjectOfDid } from '../../core/identity/did-key.js';
import type { NodeView, Role } from '../node/node-view.js';
import { HttpError } from './http-errors.js';
import { ReplayCache } from './replay-cache.js';
import { AUTH_HEADERS, DID_HEADER, SIGNATURE_HEADER, TIME_HEADER, sha256Hex, signedRequestText } from './request-signing.js';

export interface RequestAuthOptions {
  /** Largest |node clock - x-gridmesh-time|, ms. Default 60 s. */
  readonly skewMs?: number;
  /** The node's clock (unix ms); tests inject one. Default Date.now. */
  readonly nowMs?: () => number;
  /** Signed requests remembered against replay. Default 10 000. */
  readonly replayCacheMax?: number;
}

export const AUTH_SKEW_MS_DEFAULT = 60_000;
export const REPLAY_CACHE_MAX_DEFAULT = 10_000;

/** What the handler of a write needs to know about the request. */
export interface SignedRequestParts {
  readonly method: string;
  /** Path and query exactly as on the request line. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body bytes as received (empty when there was none). */
  readonly rawBody: Uint8Array;
}

export interface AuthenticatedCaller {
  readonly did: string;
  readonly role: Role;
}

const TIME_PATTERN = /^\d{1,16}$/;
/** 64 signature bytes in base64url without padding. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

export class RequestAuthenticator {
  private readonly skewMs: number;
  private readonly nowMs: () => number;
  private readonly replays: ReplayCache;

  constructor(private readonly view: Pick<NodeView, 'roleOf'>, options: RequestAuthOptions = {}) {
    this.skewMs = options.skewMs ?? AUTH_SKEW_MS_DEFAULT;
    if (!Number.isSafeInteger(this.skewMs) || this.skewMs < 0) throw new RangeError(`auth.skewMs: expected a non-negative integer (got ${this.skewMs})`);
    this.nowMs = options.nowMs ?? Date.now;
    this.replays = new ReplayCache(options.replayCacheMax ?? REPLAY_CACHE_MAX_DEFAULT, this.skewMs);
  }

  /** True when the request carries any of the auth headers (then it is checked in full). */
  static isSigned(headers: IncomingHttpHeaders): boolean {
    return AUTH_HEADERS.some((name) => headers[name] !== undefined);
  }

  /** The caller of a signed request whose role is one of `roles`; throws 401 or 403. */
  authorise(request: SignedRequestParts, roles: readonly Role[]): AuthenticatedCaller {
    const nowMs = this.nowMs();
    const { did, timeMs, text } = this.verifySignature(request, nowMs);
    const role = this.view.roleOf(did);
    if (role === null || !roles.includes(role)) {
      throw new HttpError(403, 'forbidden', `needs role ${roles.join(' or ')}; ${did} ${role === null ? 'has no role' : `has role ${role}`}`);
    }
    // Only requests that would be served are remembered, so unknown keys cannot flush the cache.
    const verdict = this.replays.admit(createHash('sha256').update(`${did}\n${text}`).digest('hex'), timeMs, nowMs);
    if (verdict === 'replayed') throw unauthenticated('replayed request: this signed request was already received; sign again with a new time');
    if (verdict === 'below-floor') throw unauthenticated(`${TIME_HEADER} is older than the replay window still tracked (heavy write load); sign again with the current time`);
    return { did, role };
  }

  private verifySignature(request: SignedRequestParts, nowMs: number): { did: string; timeMs: number; text: string } {
    const did = header(request.headers, DID_HEADER);
    const timeText = header(request.headers, TIME_HEADER);
    const signatureText = header(request.headers, SIGNATURE_HEADER);
    const publicKey = publicKeyOf(did);
    if (!TIME_PATTERN.test(timeText)) throw unauthenticated(`${TIME_HEADER}: expected unix milliseconds as a decimal integer`);
    const timeMs = Number(timeText);
    const offsetMs = timeMs - nowMs;
    if (Math.abs(offsetMs) > this.skewMs) {
      throw unauthenticated(`${TIME_HEADER} is ${offsetMs} ms from the node's clock (at most ${this.skewMs} ms allowed)`);
    }
    if (!SIGNATURE_PATTERN.test(signatureText)) throw unauthenticated(`${SIGNATURE_HEADER}: expected 86 base64url characters (a 64-byte Ed25519 signature, no padding)`);
    const text = signedRequestText(request.method, request.url, timeMs, sha256Hex(request.rawBody));
    if (!verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signatureText, 'base64url'))) {
      throw unauthenticated(`the signature does not verify for ${did} (signed text: version, method, path with query, time, sha256 of the body; see docs/api.md)`);
    }
    return { did, timeMs, text };
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) throw unauthenticated(`missing header ${name} (writes need ${AUTH_HEADERS.join(', ')}; see docs/api.md)`);
  if (typeof value !== 'string') throw unauthenticated(`header ${name} is repeated`);
  return value;
}

function publicKeyOf(did: string): KeyObject {
  try {
    return publicKeyObjectOfDid(did);
  } catch (cause) {
    throw unauthenticated(`${DID_HEADER}: ${cause instanceof Error ? cause.message : 'expected an Ed25519 did:key'}`);
  }
}

function unauthenticated(message: string): HttpError {
  return new HttpError(401, 'unauthenticated', message);
}
