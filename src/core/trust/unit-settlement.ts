/**
 * Settlement of one unit (microgrid, DSO or root) and one slot, re-executed by each of its
 * validators from the same verified inputs (ADR 0010): the Merkle roots of the accepted signed
 * readings, the accepted signed orders and the trade leaves, and every account's net balance change.
 *
 * Per site (account `site:<id>`): received − paid in the markets (trades and grid fees), plus its
 * imbalance: deviation = metered net export (its accepted reading) − traded net export; a shortfall
 * pays the short price, a surplus receives the long price (round(e·p/1000) as in the markets). A site
 * without an accepted reading this slot has no imbalance settled (its reading was rejected or lost).
 * The unit's market account (`market:<unit>`) takes the opposite of the sum, standing for everyone
 * outside the unit, so every statement balances to zero. Accounts with a zero change are left out.
 *
 * Each site's trades are checked against its accepted signed orders: it cannot have bought more
 * than it bid or sold more than it offered. A validator that finds otherwise refuses to sign.
 */
import type { Hex } from 'viem';
import { merkleRoot } from '../ledger/merkle-tree.js';
import type { FlexPayout, Statement } from '../ledger/statement.js';
import { moneyMinor } from '../market/market-accounts.js';
import { decodeTradeLeaf } from './trade-leaf.js';
import { TrustError } from '../errors.js';

export interface UnitSlotInputs {
  readonly microgrid: Hex;
  readonly marketAccount: Hex;
  readonly slot: number;
  /** Accepted signed readings (leaf bytes) with the account they meter. */
  readonly readings: readonly { readonly leaf: Uint8Array; readonly device: string; readonly account: Hex; readonly importWh: number; readonly exportWh: number }[];
  /** Accepted signed orders (leaf bytes) with their account and side. */
  readonly orders: readonly { readonly leaf: Uint8Array; readonly device: string; readonly account: Hex; readonly side: 'bid' | 'offer'; readonly energyWh: number }[];
  /** Trade leaves (trade-leaf.ts), one per site that traded. */
  readonly trades: readonly Uint8Array[];
  readonly payouts: readonly FlexPayout[];
}

export function executeUnitSettlement(inputs: UnitSlotInputs): Statement {
  const delta = new Map<Hex, bigint>();
  const add = (account: Hex, minor: bigint): void => {
    delta.set(account, (delta.get(account) ?? 0n) + minor);
  };
  const metered = new Map<Hex, number>();
  for (const r of inputs.readings) metered.set(r.account, r.exportWh - r.importWh);
  const bidWh = new Map<Hex, number>();
  const offerWh = new Map<Hex, number>();
  for (const o of inputs.orders) {
    const m = o.side === 'bid' ? bidWh : offerWh;
    m.set(o.account, (m.get(o.account) ?? 0) + o.energyWh);
  }
  for (const leaf of inputs.trades) {
    const t = decodeTradeLeaf(leaf);
    if (t.slot !== inputs.slot) throw new TrustError(`trade leaf of slot ${t.slot} in the statement of slot ${inputs.slot}`);
    if (t.boughtWh > (bidWh.get(t.account) ?? 0) || t.soldWh > (offerWh.get(t.account) ?? 0)) {
      throw new TrustError(`account ${t.account} traded beyond its signed orders in slot ${inputs.slot}`);
    }
    add(t.account, BigInt(t.receivedMinor - t.paidMinor));
    const net = metered.get(t.account);
    if (net !== undefined) add(t.account, BigInt(imbalanceMinor(net - (t.soldWh - t.boughtWh), t.shortMinorPerKwh, t.longMinorPerKwh)));
  }
  let sum = 0n;
  for (const v of delta.values()) sum += v;
  add(inputs.marketAccount, -sum);
  const accounts = [...delta.keys()].filter((a) => delta.get(a) !== 0n).sort(compareIds);
  return {
    microgrid: inputs.microgrid,
    slot: BigInt(inputs.slot),
    readingsRoot: merkleRoot(inputs.readings.map((r) => r.leaf)),
    ordersRoot: merkleRoot(inputs.orders.map((o) => o.leaf)),
    tradesRoot: merkleRoot(inputs.trades),
    accounts,
    deltasMinor: accounts.map((a) => delta.get(a) as bigint),
    payouts: inputs.payouts,
  };
}

/** What a deviation (metered − traded net export, Wh) moves: negative = the site pays. */
export function imbalanceMinor(deviationWh: number, shortMinorPerKwh: number, longMinorPerKwh: number): number {
  if (deviationWh < 0) return -moneyMinor(-deviationWh, shortMinorPerKwh);
  if (deviationWh > 0) return moneyMinor(deviationWh, longMinorPerKwh);
  return 0;
}

/** Ids as unsigned 256-bit numbers, as the contract orders them (equal-length lowercase hex sorts the same). */
export function compareIds(a: Hex, b: Hex): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
