/**
 * Sets of buses as FLISR reports them: case bus numbers, customers and load. MATPOWER cases carry no
 * customer counts, so a customer here is a load point: a bus with active load (Pd > 0).
 */
import type { PowerNetwork } from '../network.js';

export interface BusGroup {
  /** Case bus numbers, ascending. */
  readonly buses: readonly number[];
  /** Load points (buses with Pd > 0). */
  readonly customers: number;
  /** Active load, kW. */
  readonly loadKw: number;
}

export function loadKwOf(network: PowerNetwork, buses: readonly number[]): number {
  let pu = 0;
  for (const b of buses) pu += network.buses[b]?.pdPu ?? 0;
  return pu * network.baseMva * 1000;
}

/** A group from bus indices. */
export function busGroup(network: PowerNetwork, buses: readonly number[]): BusGroup {
  return {
    buses: buses.map((b) => network.buses[b]?.id ?? b).sort((x, y) => x - y),
    customers: buses.filter((b) => (network.buses[b]?.pdPu ?? 0) > 0).length,
    loadKw: loadKwOf(network, buses),
  };
}

export const NO_BUSES: BusGroup = { buses: [], customers: 0, loadKw: 0 };
