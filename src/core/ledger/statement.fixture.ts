/** Builders of statements for tests: `aStatement({ slot: 3n })`. */
import type { Hex } from 'viem';
import { idOf, type FlexPayout, type Statement } from './statement.js';

const root = (label: string): Hex => idOf(`root:${label}`);

/** Accounts sorted ascending as the contract requires. */
export function sortedAccounts(names: readonly string[]): Hex[] {
  return names.map(idOf).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

export function aPayout(overrides: Partial<FlexPayout> = {}): FlexPayout {
  return {
    device: idOf('device:ev-1'), account: idOf('site:house-1'), buyer: idOf('dso:north'),
    verifiedWh: 1_500n, priceMinorPerKwh: 12n, penaltyMinor: 0n, ...overrides,
  };
}

/** A valid statement of four accounts whose deltas sum to zero. */
export function aStatement(overrides: Partial<Statement> = {}): Statement {
  const microgrid = overrides.microgrid ?? idOf('area:riverside');
  const slot = overrides.slot ?? 7n;
  return {
    microgrid, slot,
    readingsRoot: root(`readings:${microgrid}:${slot}`),
    ordersRoot: root(`orders:${microgrid}:${slot}`),
    tradesRoot: root(`trades:${microgrid}:${slot}`),
    accounts: sortedAccounts(['site:house-1', 'site:house-2', 'site:farm-1', 'market:riverside']),
    deltasMinor: [120n, -45n, -100n, 25n],
    payouts: [aPayout()],
    ...overrides,
  };
}
