/**
 * The frames that travel on a peer WebSocket, as JSON text (one frame per WebSocket message):
 *
 *   hello     {"v":1,"type":"hello","did","challenge","seq","url"?,"peers":[{"did","url"}]}
 *   auth      {"v":1,"type":"auth","sig"}
 *   envelope  {"v":1,"from","topic","seq","sentAtMs","body","sig"}
 *
 * Each side sends its hello on open, its auth once it has the other's hello, then envelopes once it
 * has verified the other's auth (peer-handshake.ts, docs/peer-network.md). Objects are strict:
 * an unknown field is a bad frame (a new field means a new `v`).
 */
import { z } from 'zod';
import { DID_KEY_MAX_LENGTH } from '../../core/identity/did-key.js';
import { isJsonValue } from './canonical-json.js';

export const WIRE_VERSION = 1;
export const URL_MAX_LENGTH = 256;
export const TOPIC_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

/** 32 random bytes, base64url without padding. */
export const CHALLENGE_BYTES = 32;
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A 64-byte Ed25519 signature, base64url without padding. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

const did = z.string().min(9).max(DID_KEY_MAX_LENGTH).startsWith('did:key:z');
const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const peerUrlSchema = z.string().max(URL_MAX_LENGTH).refine(isPeerUrl, 'expected a ws:// or wss:// URL');

export function isPeerUrl(text: string): boolean {
  if (text.length > URL_MAX_LENGTH || !URL.canParse(text)) return false;
  const protocol = new URL(text).protocol;
  return protocol === 'ws:' || protocol === 'wss:';
}

export function isTopic(text: string): boolean {
  return TOPIC_PATTERN.test(text);
}

export const helloSchema = z.strictObject({
  v: z.literal(WIRE_VERSION),
  type: z.literal('hello'),
  did,
  challenge: z.string().regex(CHALLENGE_PATTERN),
  /** The next envelope seq this sender will use: envelopes below it are replays. */
  seq: counter,
  /** Where this node listens, for peers to dial it back. */
  url: peerUrlSchema.optional(),
  /** Peers this node knows (bounded by the receiver's maxHelloPeers; extra entries are ignored). */
  peers: z.array(z.strictObject({ did, url: peerUrlSchema })).max(256),
});
export type Hello = z.infer<typeof helloSchema>;

export const authSchema = z.strictObject({
  v: z.literal(WIRE_VERSION),
  type: z.literal('auth'),
  sig: z.string().regex(SIGNATURE_PATTERN),
});
export type Auth = z.infer<typeof authSchema>;

export const envelopeSchema = z.strictObject({
  v: z.literal(WIRE_VERSION),
  from: did,
  topic: z.string().regex(TOPIC_PATTERN),
  seq: counter,
  sentAtMs: counter,
  body: z.unknown().refine((value) => value !== undefined && isJsonValue(value), 'expected JSON data'),
  sig: z.string().regex(SIGNATURE_PATTERN),
});
export type Envelope = z.infer<typeof envelopeSchema>;
export type UnsignedEnvelope = Omit<Envelope, 'sig'>;
