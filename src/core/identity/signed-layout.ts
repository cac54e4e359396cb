/**
 * What signed readings and signed orders share: a fixed-length record
 *   [0]                      format byte (high nibble: kind, low nibble: version)
 *   [1 .. 32]                the signer's raw 32-byte Ed25519 public key
 *   [33 .. 36]               slot (uint32, big-endian): first field of every kind
 *   [37 .. messageBytes-1]   the kind's other fields
 *   [messageBytes .. +63]    Ed25519 signature over bytes [0 .. messageBytes-1]
 * The format byte differs per kind (and the lengths differ too), so a signature over one kind can
 * never be replayed as another. The whole record is the Merkle leaf.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES } from './ed25519-keys.js';
import { SignedMessageError } from './identity-errors.js';

export interface SignedLayout {
  readonly kind: string;
  readonly formatByte: number;
  /** Bytes covered by the signature (format byte, key, fields). */
  readonly messageBytes: number;
  /** messageBytes + 64. */
  readonly recordBytes: number;
}

export const KEY_OFFSET = 1;
export const FIELDS_OFFSET = KEY_OFFSET + ED25519_KEY_BYTES;
export const SLOT_OFFSET = FIELDS_OFFSET;

export function signedLayout(kind: string, formatByte: number, fieldBytes: number): SignedLayout {
  const messageBytes = FIELDS_OFFSET + fieldBytes;
  return { kind, formatByte, messageBytes, recordBytes: messageBytes + ED25519_SIGNATURE_BYTES };
}

/** Why `bytes` cannot be a record of `layout` (length, then format byte), or null when it can. */
export function layoutProblem(bytes: Uint8Array, layout: SignedLayout): string | null {
  if (bytes.length !== layout.recordBytes) return `a signed ${layout.kind} is ${layout.recordBytes} bytes (got ${bytes.length})`;
  if (bytes[0] !== layout.formatByte) {
    return `a signed ${layout.kind} starts with format byte 0x${hex2(layout.formatByte)} (got 0x${hex2(bytes[0] ?? 0)})`;
  }
  return null;
}

export function assertLayout(bytes: Uint8Array, layout: SignedLayout): void {
  const problem = layoutProblem(bytes, layout);
  if (problem !== null) throw new SignedMessageError(problem);
}

/** message || signature(message). `message` must be exactly layout.messageBytes long. */
export function signRecord(privateKey: KeyObject, message: Uint8Array, layout: SignedLayout): Uint8Array {
  const record = new Uint8Array(layout.recordBytes);
  record.set(message, 0);
  record.set(sign(null, message, privateKey), layout.messageBytes);
  return record;
}

/** Verifies the record's signature with `publicKey` (the caller has checked the layout). */
export function verifyRecord(record: Uint8Array, publicKey: KeyObject, layout: SignedLayout): boolean {
  return verify(null, record.subarray(0, layout.messageBytes), publicKey, record.subarray(layout.messageBytes, layout.recordBytes));
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
