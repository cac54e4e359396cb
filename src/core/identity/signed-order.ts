/**
 * Signed market orders (bids and offers): a fixed 115-byte binary record, integers big-endian.
 *
 *   offset  size  field
 *        0     1  format byte 0x21 (kind 2 = order, version 1)
 *        1    32  participantKey: the participant's raw Ed25519 public key
 *       33     4  slot (uint32): the delivery slot
 *       37     4  orderSeq (uint32): strictly increasing per participant (replay protection)
 *       41     1  side (uint8): 0 = bid (buy), 1 = offer (sell)
 *       42     1  priorityClass (uint8): 0..4, 0 = most critical
 *       43     4  energyWh (uint32)
 *       47     4  priceMinorPerKwh (int32, two's complement; may be negative)
 *       51    64  Ed25519 signature over bytes 0..50
 */
import type { KeyObject } from 'node:crypto';
import type { Side } from '../market/order.js';
import { readInt32, readUint32, writeInt32, writeUint32, writeUint8 } from './byte-fields.js';
import { ED25519_KEY_BYTES } from './ed25519-keys.js';
import { SignedMessageError } from './identity-errors.js';
import { FIELDS_OFFSET, KEY_OFFSET, layoutProblem, signedLayout, signRecord, verifyRecord } from './signed-layout.js';

export const ORDER_LAYOUT = signedLayout('order', 0x21, 18);
export const SIGNED_ORDER_BYTES = ORDER_LAYOUT.recordBytes;
export const PRIORITY_CLASS_MAX = 4;

export interface SignedOrderFields {
  /** Raw 32-byte Ed25519 public key of the participant. */
  readonly participantKey: Uint8Array;
  readonly slot: number;
  readonly orderSeq: number;
  readonly side: Side;
  /** 0..4, 0 = most critical. */
  readonly priorityClass: number;
  readonly energyWh: number;
  readonly priceMinorPerKwh: number;
}

export interface SignedOrder extends SignedOrderFields {
  readonly signature: Uint8Array;
  /** The whole signed record (message and signature): the Merkle leaf. */
  readonly bytes: Uint8Array;
}

const SLOT = FIELDS_OFFSET;
const SEQ = SLOT + 4;
const SIDE = SEQ + 4;
const PRIORITY = SIDE + 1;
const ENERGY = PRIORITY + 1;
const PRICE = ENERGY + 4;

/** The 51 signed bytes of an order. Throws SignedMessageError naming a field out of range. */
export function encodeOrder(order: SignedOrderFields): Uint8Array {
  if (order.participantKey.length !== ED25519_KEY_BYTES) {
    throw new SignedMessageError(`participantKey: expected ${ED25519_KEY_BYTES} bytes (got ${order.participantKey.length})`);
  }
  if (order.side !== 'bid' && order.side !== 'offer') throw new SignedMessageError(`side: expected "bid" or "offer" (got ${String(order.side)})`);
  const bytes = new Uint8Array(ORDER_LAYOUT.messageBytes);
  bytes[0] = ORDER_LAYOUT.formatByte;
  bytes.set(order.participantKey, KEY_OFFSET);
  writeUint32(bytes, SLOT, order.slot, 'slot');
  writeUint32(bytes, SEQ, order.orderSeq, 'orderSeq');
  bytes[SIDE] = order.side === 'bid' ? 0 : 1;
  writeUint8(bytes, PRIORITY, order.priorityClass, 'priorityClass', PRIORITY_CLASS_MAX);
  writeUint32(bytes, ENERGY, order.energyWh, 'energyWh');
  writeInt32(bytes, PRICE, order.priceMinorPerKwh, 'priceMinorPerKwh');
  return bytes;
}

/** The 115-byte signed record. `order.participantKey` must be the public key of `privateKey`. */
export function signOrder(privateKey: KeyObject, order: SignedOrderFields): Uint8Array {
  return signRecord(privateKey, encodeOrder(order), ORDER_LAYOUT);
}

/** Why `bytes` cannot be a signed order (length, format byte, side, priority), or null. */
export function orderProblem(bytes: Uint8Array): string | null {
  const problem = layoutProblem(bytes, ORDER_LAYOUT);
  if (problem !== null) return problem;
  if (bytes[SIDE]! > 1) return `side: expected 0 (bid) or 1 (offer) (got ${bytes[SIDE]})`;
  if (bytes[PRIORITY]! > PRIORITY_CLASS_MAX) return `priorityClass: expected 0..${PRIORITY_CLASS_MAX} (got ${bytes[PRIORITY]})`;
  return null;
}

/** Decodes after checking length, format byte, side and priority (not the signature). Views into `bytes`. */
export function decodeSignedOrder(bytes: Uint8Array): SignedOrder {
  const problem = orderProblem(bytes);
  if (problem !== null) throw new SignedMessageError(problem);
  return decodeOrderUnchecked(bytes);
}

/** decodeSignedOrder without the checks, for callers that have just run orderProblem. */
export function decodeOrderUnchecked(bytes: Uint8Array): SignedOrder {
  return {
    participantKey: bytes.subarray(KEY_OFFSET, FIELDS_OFFSET),
    slot: readUint32(bytes, SLOT),
    orderSeq: readUint32(bytes, SEQ),
    side: bytes[SIDE] === 0 ? 'bid' : 'offer',
    priorityClass: bytes[PRIORITY]!,
    energyWh: readUint32(bytes, ENERGY),
    priceMinorPerKwh: readInt32(bytes, PRICE),
    signature: bytes.subarray(ORDER_LAYOUT.messageBytes),
    bytes,
  };
}

/** True when the record is a well-formed order signed by `publicKey` (a cached KeyObject). */
export function verifySignedOrder(bytes: Uint8Array, publicKey: KeyObject): boolean {
  return orderProblem(bytes) === null && verifyRecord(bytes, publicKey, ORDER_LAYOUT);
}
