/**
 * Envelope signatures: Ed25519 by the sender's did:key over
 *   utf8("gridmesh.peer.envelope.v1\n" + canonicalJson({v, from, topic, seq, sentAtMs, body}))
 * so any node holding the envelope can check who wrote it, whichever socket carried it.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Envelope, UnsignedEnvelope } from './wire-frames.js';

export const ENVELOPE_SIGNING_PREFIX = 'gridmesh.peer.envelope.v1\n';

export function envelopeSigningBytes(envelope: UnsignedEnvelope): Buffer {
  const { v, from, topic, seq, sentAtMs, body } = envelope;
  return Buffer.from(ENVELOPE_SIGNING_PREFIX + canonicalJson({ v, from, topic, seq, sentAtMs, body }), 'utf8');
}

export function signEnvelope(envelope: UnsignedEnvelope, privateKey: KeyObject): Envelope {
  const sig = sign(null, envelopeSigningBytes(envelope), privateKey).toString('base64url');
  return { ...envelope, sig };
}

/** True when `sig` is the sender's signature; false for any malformed input. */
export function verifyEnvelope(envelope: Envelope, publicKey: KeyObject): boolean {
  try {
    return verify(null, envelopeSigningBytes(envelope), publicKey, Buffer.from(envelope.sig, 'base64url'));
  } catch {
    return false;
  }
}
