/**
 * Base58 with the Bitcoin alphabet (multibase prefix 'z'), as used by did:key. Leading zero bytes
 * become leading '1's. Quadratic in the length, which is fine for keys (34 bytes -> 48 characters);
 * inputs are bounded so a hostile string cannot make decoding slow.
 */
import { DidError } from './identity-errors.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Longest input accepted by either direction (far above a did:key's 34 bytes / 48 characters). */
export const BASE58_MAX_LENGTH = 256;

export function base58btcEncode(bytes: Uint8Array): string {
  if (bytes.length > BASE58_MAX_LENGTH) throw new DidError(`base58btc: expected at most ${BASE58_MAX_LENGTH} bytes (got ${bytes.length})`);
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = []; // base-58 digits, least significant first
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] ?? 0;
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] ?? 0) * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '1'.repeat(zeros);
  for (let j = digits.length - 1; j >= 0; j--) out += ALPHABET[digits[j] ?? 0];
  return out;
}

export function base58btcDecode(text: string): Uint8Array {
  if (text.length > BASE58_MAX_LENGTH) throw new DidError(`base58btc: expected at most ${BASE58_MAX_LENGTH} characters (got ${text.length})`);
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes: number[] = []; // base-256 digits, least significant first
  for (let i = zeros; i < text.length; i++) {
    const char = text[i] ?? '';
    const digit = DIGIT_OF.get(char);
    if (digit === undefined) throw new DidError(`base58btc: expected only characters of ${ALPHABET} (got ${JSON.stringify(char)} at ${i})`);
    let carry = digit;
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] ?? 0) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let j = 0; j < bytes.length; j++) out[out.length - 1 - j] = bytes[j] ?? 0;
  return out;
}
