/**
 * `abi.encode(statement)` written straight into bytes: the same bytes as viem's
 * `encodeAbiParameters([STATEMENT_ABI_TYPE], [statement])` (a property test compares them), without
 * its hex string per value, which made encoding the statements of a 10,000-site city cost more than
 * settling them (ADR 0016).
 *
 * Layout (32-byte words): 0x20 (offset of the one dynamic tuple), then the tuple: microgrid, slot,
 * readingsRoot, ordersRoot, tradesRoot, and the offsets (from the tuple's start) of accounts,
 * deltasMinor and payouts; then each array as its length followed by its elements (a payout is six
 * words: device, account, buyer, verifiedWh, priceMinorPerKwh, penaltyMinor). Arrays of unequal
 * length are encoded as they are (the contract refuses them, but they can be hashed and shown).
 */
import type { Statement } from './statement.js';
import { LedgerError } from './ledger-errors.js';

const WORD = 32;
const HEAD_WORDS = 8;
const PAYOUT_WORDS = 6;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;
const TWO_256 = 1n << 256n;

export function encodeStatementBytes(s: Statement): Uint8Array {
  const n = s.accounts.length;
  const nd = s.deltasMinor.length;
  const m = s.payouts.length;
  const accountsOffset = HEAD_WORDS * WORD;
  const deltasOffset = accountsOffset + (1 + n) * WORD;
  const payoutsOffset = deltasOffset + (1 + nd) * WORD;
  const w = new WordWriter(WORD + payoutsOffset + (1 + PAYOUT_WORDS * m) * WORD);
  w.uint(WORD);
  w.bytes32(s.microgrid, 'microgrid');
  w.uint64(s.slot, 'slot');
  w.bytes32(s.readingsRoot, 'readingsRoot');
  w.bytes32(s.ordersRoot, 'ordersRoot');
  w.bytes32(s.tradesRoot, 'tradesRoot');
  w.uint(accountsOffset);
  w.uint(deltasOffset);
  w.uint(payoutsOffset);
  w.uint(n);
  s.accounts.forEach((a, i) => w.bytes32(a, `accounts[${i}]`));
  w.uint(nd);
  s.deltasMinor.forEach((d, i) => w.int256(d, `deltasMinor[${i}]`));
  w.uint(m);
  s.payouts.forEach((p, j) => {
    w.bytes32(p.device, `payouts[${j}].device`);
    w.bytes32(p.account, `payouts[${j}].account`);
    w.bytes32(p.buyer, `payouts[${j}].buyer`);
    w.uint64(p.verifiedWh, `payouts[${j}].verifiedWh`);
    w.uint64(p.priceMinorPerKwh, `payouts[${j}].priceMinorPerKwh`);
    w.uint64(p.penaltyMinor, `payouts[${j}].penaltyMinor`);
  });
  return w.bytes;
}

/** Appends 32-byte big-endian words to a zero-filled buffer of the exact size. */
class WordWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** A small non-negative integer (offsets, lengths). */
  uint(v: number): void {
    this.view.setUint32(this.at + 28, v);
    this.at += WORD;
  }

  uint64(v: bigint, what: string): void {
    if (v < 0n || v > UINT64_MAX) throw new LedgerError(`${what}: ${v} is not a uint64`);
    this.view.setBigUint64(this.at + 24, v);
    this.at += WORD;
  }

  /** Two's complement, sign-extended to 32 bytes. */
  int256(v: bigint, what: string): void {
    if (v < INT256_MIN || v > INT256_MAX) throw new LedgerError(`${what}: ${v} is not an int256`);
    if (v >= INT64_MIN && v <= UINT64_MAX) {
      if (v < 0n) this.bytes.fill(0xff, this.at, this.at + 24);
      this.view.setBigUint64(this.at + 24, BigInt.asUintN(64, v));
    } else {
      let u = v < 0n ? TWO_256 + v : v;
      for (let k = 3; k >= 0; k--) {
        this.view.setBigUint64(this.at + 8 * k, u & UINT64_MAX);
        u >>= 64n;
      }
    }
    this.at += WORD;
  }

  /** 0x and 64 hex digits. */
  bytes32(v: string, what: string): void {
    if (v.length !== 66 || v[0] !== '0' || (v[1] !== 'x' && v[1] !== 'X')) {
      throw new LedgerError(`${what}: expected 32 bytes as 0x and 64 hex digits, got ${JSON.stringify(v.slice(0, 80))}`);
    }
    for (let k = 0; k < WORD; k++) {
      const hi = hexDigit(v.charCodeAt(2 + 2 * k));
      const lo = hexDigit(v.charCodeAt(3 + 2 * k));
      if (hi < 0 || lo < 0) throw new LedgerError(`${what}: not hexadecimal: ${JSON.stringify(v)}`);
      this.bytes[this.at + k] = hi * 16 + lo;
    }
    this.at += WORD;
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
