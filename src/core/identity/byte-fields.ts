/**
 * Big-endian integer fields of the fixed binary layouts (signed readings, orders, revocation
 * lists). Writers check the range and name the field, so a bad value is a typed error rather than
 * silently wrapped bits.
 */
import { SignedMessageError } from './identity-errors.js';

export const UINT32_MAX = 0xffff_ffff;
export const INT32_MIN = -0x8000_0000;
export const INT32_MAX = 0x7fff_ffff;

export function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function readInt32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
}

export function readUint16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

export function writeUint32(bytes: Uint8Array, offset: number, value: number, field: string): void {
  checkInteger(value, 0, UINT32_MAX, field);
  writeRaw32(bytes, offset, value);
}

export function writeInt32(bytes: Uint8Array, offset: number, value: number, field: string): void {
  checkInteger(value, INT32_MIN, INT32_MAX, field);
  writeRaw32(bytes, offset, value);
}

export function writeUint16(bytes: Uint8Array, offset: number, value: number, field: string): void {
  checkInteger(value, 0, 0xffff, field);
  bytes[offset] = value >>> 8;
  bytes[offset + 1] = value & 0xff;
}

export function writeUint8(bytes: Uint8Array, offset: number, value: number, field: string, max = 0xff): void {
  checkInteger(value, 0, max, field);
  bytes[offset] = value;
}

export function checkInteger(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SignedMessageError(`${field}: expected an integer from ${min} to ${max} (got ${String(value)})`);
  }
}

function writeRaw32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}
