/**
 * Scarcity prices in an island's market (issue 6). An island's storage is run by its controllers,
 * which keep a reserve for critical load (island-controller.ts); the island's market sees that as
 * storage offered in two tranches by the island's grid-forming site (within its own battery power;
 * the island's other batteries serve the controllers' pool without offering):
 * - the storage above the reserve, at a price that rises from the prosumers' ask towards the
 *   critical bid as the reserve takes up more of what is stored (`scarcity` = reserve / usable), so
 *   deferrable, then normal, then essential bids stop clearing as storage runs low;
 * - the reserve, at the critical bid, so only critical load buys it.
 * The controllers record the state at the end of each slot; the market of the next slot prices from
 * it (markets clear ahead of delivery). Physical dispatch stays with the controllers; a difference
 * between what the storage sold and what it delivered is imbalance, as for any site.
 */

export interface IslandStorageState {
  /** Stored energy above the SoC floors of the island's batteries, Wh. */
  readonly usableWh: number;
  /** Of which kept back for critical load, Wh. */
  readonly reserveWh: number;
}

/** The state each island's controllers left, by island key (the engine's region key). */
export class IslandStorageSignal {
  private readonly state = new Map<number, IslandStorageState>();

  record(island: number, usableWh: number, reserveWh: number): void {
    this.state.set(island, { usableWh, reserveWh: Math.min(reserveWh, usableWh) });
  }

  get(island: number): IslandStorageState | undefined {
    return this.state.get(island);
  }
}

export interface StorageTranche {
  readonly energyWh: number;
  readonly priceMinorPerKwh: number;
}

/**
 * The two tranches an island's storage offers this slot, within `maxDischargeWh` (the batteries'
 * power this slot): above the reserve at the scarcity price, then the reserve at the critical bid.
 */
export function storageTranches(state: IslandStorageState, maxDischargeWh: number, askMinorPerKwh: number, criticalBidMinorPerKwh: number): StorageTranche[] {
  if (!(state.usableWh > 0) || !(maxDischargeWh > 0)) return [];
  const scarcity = Math.min(1, Math.max(0, state.reserveWh / state.usableWh));
  const price = Math.round(askMinorPerKwh + (criticalBidMinorPerKwh - askMinorPerKwh) * scarcity);
  const release = Math.floor(Math.min(state.usableWh - state.reserveWh, maxDischargeWh));
  const reserve = Math.floor(Math.min(state.reserveWh, maxDischargeWh - release));
  return [
    ...(release > 0 ? [{ energyWh: release, priceMinorPerKwh: Math.min(price, criticalBidMinorPerKwh) }] : []),
    ...(reserve > 0 ? [{ energyWh: reserve, priceMinorPerKwh: criticalBidMinorPerKwh }] : []),
  ];
}
