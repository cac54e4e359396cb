/** Checks and canonical forms of the values that key ledger rows. */
import type { Hex } from 'viem';
import { LedgerStoreError } from './ledger-store-errors.js';

const INT64_MAX = 2n ** 63n - 1n;

/** A bytes32 id or hash in lower case (the form rows are keyed by). */
export function bytes32(value: string, what: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new LedgerStoreError(`${what} must be 32 bytes of 0x-prefixed hex (got ${value.slice(0, 80)})`);
  return value.toLowerCase() as Hex;
}

/** A slot number that fits SQLite's INTEGER (int64). */
export function slotNumber(value: bigint, what = 'slot'): bigint {
  if (value < 0n || value > INT64_MAX) throw new LedgerStoreError(`${what} must be from 0 to 2^63 - 1 (got ${value})`);
  return value;
}

/** Lower-case 0x hex of any length (addresses, calldata). */
export function hexString(value: string, what: string): Hex {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(value)) throw new LedgerStoreError(`${what} must be 0x-prefixed hex of whole bytes`);
  return value.toLowerCase() as Hex;
}

/** A 20-byte address, kept in the case it was given (checksummed or not). */
export function address(value: string, what: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new LedgerStoreError(`${what} must be a 20-byte 0x-prefixed address (got ${value.slice(0, 80)})`);
  return value;
}
