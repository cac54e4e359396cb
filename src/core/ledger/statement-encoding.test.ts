import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import { keccak256Bytes, keccak256Hex } from './keccak.js';
import { LedgerError } from './ledger-errors.js';
import { aPayout, aStatement } from './statement.fixture.js';
import { encodeStatementBytes } from './statement-encoding.js';
import { encodeStatement, STATEMENT_ABI_TYPE, statementHash, type Statement } from './statement.js';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const int256 = fc.oneof(
  fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.constantFrom(0n, -1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 255n), 2n ** 255n - 1n),
);

const viemEncoding = (s: Statement): Hex =>
  encodeAbiParameters([STATEMENT_ABI_TYPE], [{ ...s, accounts: [...s.accounts], deltasMinor: [...s.deltasMinor], payouts: [...s.payouts] }]);

describe('statement encoding', () => {
  it('writes the very bytes of viem\'s ABI encoder, so the hash is the contract\'s (property)', () => {
    const statements = fc.record({
      microgrid: bytes32, slot: uint64, readingsRoot: bytes32, ordersRoot: bytes32, tradesRoot: bytes32,
      accounts: fc.array(bytes32, { maxLength: 6 }),
      deltasMinor: fc.array(int256, { maxLength: 6 }),
      payouts: fc.array(fc.record({ device: bytes32, account: bytes32, buyer: bytes32, verifiedWh: uint64, priceMinorPerKwh: uint64, penaltyMinor: uint64 }).map((p) => aPayout(p)), { maxLength: 3 }),
    }).map((o) => aStatement(o));
    fc.assert(fc.property(statements, (s) => {
      const expected = viemEncoding(s);
      expect(encodeStatement(s)).toBe(expected);
      expect(statementHash(s)).toBe(keccak256(expected));
    }), { numRuns: 300 });
  });

  it('accepts upper-case hex digits as viem does (same bytes, written in lower case)', () => {
    const s = aStatement({ microgrid: `0x${'AB'.repeat(32)}` });
    expect(encodeStatement(s)).toBe(viemEncoding(s).toLowerCase());
    expect(statementHash(s)).toBe(keccak256(viemEncoding(s)));
  });

  it('hashes with keccak-256 exactly as viem does, for any length (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
      expect(keccak256Hex(b)).toBe(keccak256(b));
      expect(Buffer.from(keccak256Bytes(b)).toString('hex')).toBe(keccak256(b).slice(2));
    }));
  });

  it('error: names the field and what was expected', () => {
    const bad = (o: Partial<Statement>): string => {
      try {
        encodeStatementBytes(aStatement(o));
      } catch (e) {
        expect(e).toBeInstanceOf(LedgerError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ slot: -1n })).toBe('slot: -1 is not a uint64');
    expect(bad({ slot: 2n ** 64n })).toBe(`slot: ${2n ** 64n} is not a uint64`);
    expect(bad({ deltasMinor: [1n, 2n ** 255n] })).toMatch(/^deltasMinor\[1\]: \d+ is not an int256$/);
    expect(bad({ accounts: ['0x12'] })).toBe('accounts[0]: expected 32 bytes as 0x and 64 hex digits, got "0x12"');
    expect(bad({ tradesRoot: `0x${'zz'.repeat(32)}` })).toMatch(/^tradesRoot: not hexadecimal/);
    expect(bad({ payouts: [aPayout({ penaltyMinor: -3n })] })).toBe('payouts[0].penaltyMinor: -3 is not a uint64');
  });
});
