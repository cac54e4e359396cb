/**
 * A statement as JSON: hex strings as they are, bigints as decimal strings. Used to keep statements
 * in storage and to send them between nodes; `statementFromJson` validates at that edge.
 */
import { z } from 'zod';
import type { Hex } from 'viem';
import { LedgerError } from './ledger-errors.js';
import type { FlexPayout, Statement } from './statement.js';

const BYTES32 = 'expected 32 bytes of 0x-prefixed hex';
const UINT = 'expected a non-negative integer as a decimal string';
const INT = 'expected an integer as a decimal string';

const bytes32 = z.string({ error: BYTES32 }).regex(/^0x[0-9a-fA-F]{64}$/, BYTES32).transform((s) => s as Hex);
const uint = z.string({ error: UINT }).regex(/^(0|[1-9][0-9]{0,77})$/, UINT).transform(BigInt);
const int = z.string({ error: INT }).regex(/^(0|-?[1-9][0-9]{0,76})$/, INT).transform(BigInt);

const payoutSchema = z.strictObject({
  device: bytes32, account: bytes32, buyer: bytes32,
  verifiedWh: uint, priceMinorPerKwh: uint, penaltyMinor: uint,
});

const statementSchema = z.strictObject({
  microgrid: bytes32,
  slot: uint,
  readingsRoot: bytes32,
  ordersRoot: bytes32,
  tradesRoot: bytes32,
  accounts: z.array(bytes32),
  deltasMinor: z.array(int),
  payouts: z.array(payoutSchema),
}, { error: 'expected a statement object' });

export type StatementJson = z.input<typeof statementSchema>;

export function statementToJson(s: Statement): StatementJson {
  return {
    microgrid: s.microgrid, slot: s.slot.toString(),
    readingsRoot: s.readingsRoot, ordersRoot: s.ordersRoot, tradesRoot: s.tradesRoot,
    accounts: [...s.accounts],
    deltasMinor: s.deltasMinor.map(String),
    payouts: s.payouts.map((p: FlexPayout) => ({
      device: p.device, account: p.account, buyer: p.buyer,
      verifiedWh: p.verifiedWh.toString(), priceMinorPerKwh: p.priceMinorPerKwh.toString(), penaltyMinor: p.penaltyMinor.toString(),
    })),
  };
}

/** Parses a JSON value into a statement; LedgerError listing `path: expected` otherwise. */
export function statementFromJson(value: unknown): Statement {
  const parsed = statementSchema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 10).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(statement)'}: ${i.message}`);
    throw new LedgerError('not a valid statement', { details });
  }
  return parsed.data;
}
