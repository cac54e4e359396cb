/**
 * A settlement statement: what one microgrid agrees happened in one slot (ADR 0010). Validators
 * sign its hash; the Settlement contract (contracts/Settlement.sol) recomputes the same hash with
 * `keccak256(abi.encode(statement))` and accepts it with a quorum of signatures.
 *
 * Ids (microgrid, accounts, devices) are `keccak256(utf8(name))` of a stable name, e.g.
 * `area:riverside`, `site:house-1`, `market:riverside`, `did:key:z6Mk…`.
 * Money is integer minor units (int256 on chain); every statement's deltas sum to zero.
 * Payouts (flexibility) are applied by the contract on top of the deltas:
 * `amount = floor(verifiedWh × priceMinorPerKwh / 1000) − penaltyMinor`, credited to `account`
 * and debited from `buyer`.
 */
import { keccak256, stringToHex, type Hex } from 'viem';
import { keccak256Hex } from './keccak.js';
import { encodeStatementBytes } from './statement-encoding.js';
import { LedgerError } from './ledger-errors.js';

export interface FlexPayout {
  readonly device: Hex;
  readonly account: Hex;
  readonly buyer: Hex;
  readonly verifiedWh: bigint;
  readonly priceMinorPerKwh: bigint;
  readonly penaltyMinor: bigint;
}

export interface Statement {
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly readingsRoot: Hex;
  readonly ordersRoot: Hex;
  readonly tradesRoot: Hex;
  /** Strictly ascending (as unsigned 256-bit numbers), no duplicates. */
  readonly accounts: readonly Hex[];
  /** One per account, Σ = 0. Positive: the account receives. */
  readonly deltasMinor: readonly bigint[];
  readonly payouts: readonly FlexPayout[];
}

/** The ABI tuple layout, shared with the contract's `struct Statement`. */
export const STATEMENT_ABI_TYPE = {
  type: 'tuple',
  components: [
    { name: 'microgrid', type: 'bytes32' },
    { name: 'slot', type: 'uint64' },
    { name: 'readingsRoot', type: 'bytes32' },
    { name: 'ordersRoot', type: 'bytes32' },
    { name: 'tradesRoot', type: 'bytes32' },
    { name: 'accounts', type: 'bytes32[]' },
    { name: 'deltasMinor', type: 'int256[]' },
    {
      name: 'payouts',
      type: 'tuple[]',
      components: [
        { name: 'device', type: 'bytes32' },
        { name: 'account', type: 'bytes32' },
        { name: 'buyer', type: 'bytes32' },
        { name: 'verifiedWh', type: 'uint64' },
        { name: 'priceMinorPerKwh', type: 'uint64' },
        { name: 'penaltyMinor', type: 'uint64' },
      ],
    },
  ],
} as const;

/** The id of a named thing (area, account, device): keccak256 of its UTF-8 name. */
export function idOf(name: string): Hex {
  return keccak256(stringToHex(name));
}

/** abi.encode(statement) as hex (statement-encoding.ts writes the bytes). */
export function encodeStatement(s: Statement): Hex {
  return `0x${Buffer.from(encodeStatementBytes(s)).toString('hex')}`;
}

/** keccak256(abi.encode(statement)): what validators agree on. */
export function statementHash(s: Statement): Hex {
  return keccak256Hex(encodeStatementBytes(s));
}

/** The domain tag of signing digests: keccak256("gridmesh.settlement.v1"). */
export const SIGNING_DOMAIN: Hex = keccak256(stringToHex('gridmesh.settlement.v1'));

/**
 * What a validator signs (raw secp256k1, low-s, no EIP-191 prefix): the statement hash bound to one
 * chain and one Settlement contract, so a signature cannot be replayed elsewhere.
 * keccak256(abi.encode(SIGNING_DOMAIN, chainId, settlement, statementHash)).
 */
export function signingDigest(chainId: bigint, settlement: Hex, hash: Hex): Hex {
  if (chainId < 0n || chainId >= 1n << 256n) throw new LedgerError(`chain id ${chainId} is not a uint256`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(settlement)) throw new LedgerError(`settlement: expected an address (0x and 40 hex digits), got ${JSON.stringify(settlement)}`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new LedgerError(`statement hash: expected 0x and 64 hex digits, got ${JSON.stringify(hash)}`);
  const words = SIGNING_DOMAIN.slice(2) + chainId.toString(16).padStart(64, '0') + settlement.slice(2).padStart(64, '0') + hash.slice(2);
  return keccak256Hex(Buffer.from(words, 'hex'));
}

/** Payout amount exactly as the contract computes it (may be negative). */
export function payoutMinor(p: FlexPayout): bigint {
  return (p.verifiedWh * p.priceMinorPerKwh) / 1000n - p.penaltyMinor;
}
