/**
 * Signed meter readings: a fixed 113-byte binary record, integers big-endian.
 *
 *   offset  size  field
 *        0     1  format byte 0x11 (kind 1 = reading, version 1)
 *        1    32  deviceKey: the meter's raw Ed25519 public key
 *       33     4  slot (uint32)
 *       37     4  importWh (uint32): energy taken from the grid in the slot
 *       41     4  exportWh (uint32): energy fed into the grid in the slot
 *       45     4  peakPowerW (uint32): max |power| seen in the slot
 *       49    64  Ed25519 signature over bytes 0..48
 *
 * The device signs; anyone holding the record can verify it against the key inside, and the gate
 * checks that key belongs to an admitted device.
 */
import type { KeyObject } from 'node:crypto';
import { readUint32, writeUint32 } from './byte-fields.js';
import { ED25519_KEY_BYTES } from './ed25519-keys.js';
import { SignedMessageError } from './identity-errors.js';
import { assertLayout, FIELDS_OFFSET, KEY_OFFSET, signedLayout, signRecord, verifyRecord } from './signed-layout.js';

export const READING_LAYOUT = signedLayout('reading', 0x11, 16);
export const SIGNED_READING_BYTES = READING_LAYOUT.recordBytes;

export interface Reading {
  /** Raw 32-byte Ed25519 public key of the device. */
  readonly deviceKey: Uint8Array;
  readonly slot: number;
  readonly importWh: number;
  readonly exportWh: number;
  readonly peakPowerW: number;
}

export interface SignedReading extends Reading {
  readonly signature: Uint8Array;
  /** The whole signed record (message and signature): the Merkle leaf. */
  readonly bytes: Uint8Array;
}

const SLOT = FIELDS_OFFSET;
const IMPORT = SLOT + 4;
const EXPORT = IMPORT + 4;
const PEAK = EXPORT + 4;

/** The 49 signed bytes of a reading. Throws SignedMessageError naming a field out of uint32 range. */
export function encodeReading(reading: Reading): Uint8Array {
  if (reading.deviceKey.length !== ED25519_KEY_BYTES) {
    throw new SignedMessageError(`deviceKey: expected ${ED25519_KEY_BYTES} bytes (got ${reading.deviceKey.length})`);
  }
  const bytes = new Uint8Array(READING_LAYOUT.messageBytes);
  bytes[0] = READING_LAYOUT.formatByte;
  bytes.set(reading.deviceKey, KEY_OFFSET);
  writeUint32(bytes, SLOT, reading.slot, 'slot');
  writeUint32(bytes, IMPORT, reading.importWh, 'importWh');
  writeUint32(bytes, EXPORT, reading.exportWh, 'exportWh');
  writeUint32(bytes, PEAK, reading.peakPowerW, 'peakPowerW');
  return bytes;
}

/** The 113-byte signed record. `reading.deviceKey` must be the public key of `privateKey`. */
export function signReading(privateKey: KeyObject, reading: Reading): Uint8Array {
  return signRecord(privateKey, encodeReading(reading), READING_LAYOUT);
}

/**
 * Decodes a signed record after checking its length and format byte (the signature is not
 * checked: see verifySignedReading). Fields are views into `bytes`.
 */
export function decodeSignedReading(bytes: Uint8Array): SignedReading {
  assertLayout(bytes, READING_LAYOUT);
  return decodeReadingUnchecked(bytes);
}

/** decodeSignedReading without the layout check, for callers that have just checked it. */
export function decodeReadingUnchecked(bytes: Uint8Array): SignedReading {
  return {
    deviceKey: bytes.subarray(KEY_OFFSET, FIELDS_OFFSET),
    slot: readUint32(bytes, SLOT),
    importWh: readUint32(bytes, IMPORT),
    exportWh: readUint32(bytes, EXPORT),
    peakPowerW: readUint32(bytes, PEAK),
    signature: bytes.subarray(READING_LAYOUT.messageBytes),
    bytes,
  };
}

/** True when the record is well-formed and signed by `publicKey` (a cached KeyObject). */
export function verifySignedReading(bytes: Uint8Array, publicKey: KeyObject): boolean {
  return bytes.length === READING_LAYOUT.recordBytes && bytes[0] === READING_LAYOUT.formatByte && verifyRecord(bytes, publicKey, READING_LAYOUT);
}
