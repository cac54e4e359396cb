/**
 * Mutual authentication of a peer socket. Each side sends a hello with a fresh 32-byte random
 * challenge; each answers the other's hello with an auth frame whose signature, by its did:key,
 * covers the other's challenge, the other's DID and its own whole hello:
 *
 *   sig = Ed25519(utf8("gridmesh.peer.auth.v1\n" + theirChallenge + "\n" + theirDid + "\n" + canonicalJson(myHello)))
 *
 * The challenge makes the proof fresh (no replay of an old handshake), naming the other DID stops a
 * proof made for one node being shown to another, and covering the hello authenticates what the
 * hello says (listen URL, peers, next seq). Without TLS a relay in the middle can still pass frames
 * through unchanged; it cannot forge an envelope (each one is signed) nor replay one (seq, see
 * dedupe-window.ts). Use wss:// where confidentiality matters.
 */
import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { KeyPair } from '../../core/identity/key-pair.js';
import { canonicalJson } from './canonical-json.js';
import { CHALLENGE_BYTES, WIRE_VERSION, type Auth, type Hello } from './wire-frames.js';

export const AUTH_SIGNING_PREFIX = 'gridmesh.peer.auth.v1\n';

export function newChallenge(): string {
  return randomBytes(CHALLENGE_BYTES).toString('base64url');
}

export function makeHello(did: string, challenge: string, seq: number, url: string | undefined, peers: Hello['peers']): Hello {
  return url === undefined
    ? { v: WIRE_VERSION, type: 'hello', did, challenge, seq, peers: [...peers] }
    : { v: WIRE_VERSION, type: 'hello', did, challenge, seq, url, peers: [...peers] };
}

function authBytes(theirChallenge: string, theirDid: string, hello: unknown): Buffer {
  return Buffer.from(`${AUTH_SIGNING_PREFIX}${theirChallenge}\n${theirDid}\n${canonicalJson(hello)}`, 'utf8');
}

/** My answer to their hello: proof that I hold the key of `myHello.did`. */
export function makeAuth(key: KeyPair, myHello: Hello, theirHello: Hello): Auth {
  const sig = sign(null, authBytes(theirHello.challenge, theirHello.did, myHello), key.privateKey).toString('base64url');
  return { v: WIRE_VERSION, type: 'auth', sig };
}

/**
 * Their auth checked against my hello and their hello as received (`theirHelloRaw`: the parsed JSON
 * before schema checks, so the signed bytes are exactly what they sent).
 */
export function verifyAuth(auth: Auth, myHello: Hello, theirHelloRaw: unknown, theirPublicKey: KeyObject): boolean {
  try {
    return verify(null, authBytes(myHello.challenge, myHello.did, theirHelloRaw), theirPublicKey, Buffer.from(auth.sig, 'base64url'));
  } catch {
    return false;
  }
}
