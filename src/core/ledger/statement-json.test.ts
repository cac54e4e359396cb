import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { LedgerError } from './ledger-errors.js';
import { aPayout, aStatement } from './statement.fixture.js';
import { statementFromJson, statementToJson } from './statement-json.js';
import { statementHash } from './statement.js';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('statement JSON', () => {
  it('round-trips any statement, keeping its hash (property)', () => {
    const statements = fc.record({
      slot: uint64, tradesRoot: bytes32,
      deltasMinor: fc.array(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), { maxLength: 5 }),
      payouts: fc.array(fc.record({ verifiedWh: uint64, priceMinorPerKwh: uint64, penaltyMinor: uint64, device: bytes32 }).map((p) => aPayout(p)), { maxLength: 3 }),
    }).map((o) => aStatement(o));
    fc.assert(fc.property(statements, (s) => {
      const back = statementFromJson(JSON.parse(JSON.stringify(statementToJson(s))));
      expect(back).toEqual(s);
      expect(statementHash(back)).toBe(statementHash(s));
    }));
  });

  it('writes bigints as decimal strings', () => {
    const json = statementToJson(aStatement({ slot: 12n, deltasMinor: [-5n, 5n] }));
    expect(json.slot).toBe('12');
    expect(json.deltasMinor).toEqual(['-5', '5']);
  });

  it('error: names the path and what was expected', () => {
    const json = { ...statementToJson(aStatement()), slot: '-1', tradesRoot: '0x12' };
    try {
      statementFromJson(json);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).details).toEqual([
        'slot: expected a non-negative integer as a decimal string',
        'tradesRoot: expected 32 bytes of 0x-prefixed hex',
      ]);
    }
  });

  it('error: rejects unknown keys and non-objects', () => {
    expect(() => statementFromJson({ ...statementToJson(aStatement()), extra: 1 })).toThrow(LedgerError);
    expect(() => statementFromJson(null)).toThrow(/not a valid statement/);
    expect(() => statementFromJson({ ...statementToJson(aStatement()), deltasMinor: ['01'] })).toThrow(LedgerError);
  });
});
