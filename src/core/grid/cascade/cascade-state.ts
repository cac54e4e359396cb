/**
 * The live state of a grid during a cascade: which branches are still closed, which buses are on
 * the grid, lost or serving as a microgrid island, and how much of each bus's load is still served,
 * shed or lost. Everything that changes is logged for the current round (`takeRound`).
 *
 * Loads are per unit of the network's base, consumption positive. A negative load (embedded
 * generation, as some cases write it) keeps feeding while its bus is on the grid but is not load:
 * demand, shedding and losses count consumption only. Shedding keeps a bus's power factor (P and Q
 * scale together) and is never undone within a cascade.
 */
import type { PowerNetwork } from '../network.js';
import { analyseTopology } from '../powerflow/topology.js';
import type { CascadeRound, TrippedBranch } from './cascade-types.js';

export const ON_GRID = 0;
export const LOST = 1;
export const ISLANDED = 2;
/** De-energised or ISOLATED before the cascade started: not part of it, not counted. */
export const OFF_BEFORE = 3;

/** Buses and the share of each one's served load to shed (0 … 1). */
export type ShedPlan = readonly { readonly bus: number; readonly fraction: number }[];

export class CascadeState {
  readonly network: PowerNetwork;
  /** Per bus: its rank in SHED_ORDER (0 = shed first). */
  readonly shedRank: Uint8Array;
  readonly kwPerPu: number;
  readonly closed: Uint8Array;
  readonly status: Uint8Array;
  readonly pdPu: Float64Array;
  readonly qdPu: Float64Array;
  readonly demandPdPu: Float64Array;
  readonly shedPdPu: Float64Array;
  readonly lostPdPu: Float64Array;
  private log = emptyLog();

  constructor(network: PowerNetwork, shedRank: Uint8Array) {
    this.network = network;
    this.shedRank = shedRank;
    this.kwPerPu = network.baseMva * 1000;
    const n = network.buses.length;
    this.closed = Uint8Array.from(network.branches, (br) => (br.inService ? 1 : 0));
    this.status = new Uint8Array(n);
    const off = new Set(analyseTopology(network).deEnergisedBuses);
    network.buses.forEach((b, i) => {
      if (b.type === 'ISOLATED' || off.has(i)) this.status[i] = OFF_BEFORE;
    });
    const served = (i: number, v: number): number => (this.status[i] === ON_GRID ? v : 0);
    this.pdPu = Float64Array.from(network.buses, (b, i) => served(i, b.pdPu));
    this.qdPu = Float64Array.from(network.buses, (b, i) => served(i, b.qdPu));
    this.demandPdPu = this.pdPu.map((pd) => Math.max(0, pd));
    this.shedPdPu = new Float64Array(n);
    this.lostPdPu = new Float64Array(n);
  }

  /** An independent copy (for a look-ahead), log included. */
  clone(): CascadeState {
    const copy = new CascadeState(this.network, this.shedRank);
    copy.adopt(this);
    return copy;
  }

  /** Takes over another state of the same cascade (the outcome of a look-ahead that was chosen). */
  adopt(other: CascadeState): void {
    for (const key of ['closed', 'status', 'pdPu', 'qdPu', 'demandPdPu', 'shedPdPu', 'lostPdPu'] as const) {
      (this[key] as Uint8Array | Float64Array).set(other[key]);
    }
    const log = other.log;
    this.log = { ...log, tripped: [...log.tripped], lost: [...log.lost], collapsed: [...log.collapsed], islanded: [...log.islanded], notes: [...log.notes] };
  }

  /** Load shed or lost so far per shed rank (index 0 = normal … 2 = critical), pu. */
  impactByRank(): Float64Array {
    const impact = new Float64Array(3);
    this.shedRank.forEach((rank, i) => {
      impact[rank] = (impact[rank] as number) + (this.shedPdPu[i] as number) + (this.lostPdPu[i] as number);
    });
    return impact;
  }

  /** The network as the power flow sees it now: buses off the grid are ISOLATED, with their branches open. */
  liveNetwork(plan: ShedPlan = []): PowerNetwork {
    const pd = this.pdPu.slice();
    const qd = this.qdPu.slice();
    for (const { bus, fraction } of plan) {
      pd[bus] = (pd[bus] as number) * (1 - fraction);
      qd[bus] = (qd[bus] as number) * (1 - fraction);
    }
    const onGrid = (i: number): boolean => this.status[i] === ON_GRID;
    return {
      ...this.network,
      buses: this.network.buses.map((b, i) => (onGrid(i) ? { ...b, pdPu: pd[i] as number, qdPu: qd[i] as number } : { ...b, type: 'ISOLATED', pdPu: 0, qdPu: 0 })),
      branches: this.network.branches.map((br, k) => ({ ...br, inService: this.closed[k] === 1 && onGrid(br.from) && onGrid(br.to) })),
    };
  }

  /** Multiplies the consumption of these buses (a load-increase trigger; embedded generation stays). */
  scaleLoad(buses: readonly number[], scale: number): void {
    for (const i of buses) {
      if (this.status[i] !== ON_GRID || !((this.pdPu[i] as number) > 0)) continue;
      this.pdPu[i] = (this.pdPu[i] as number) * scale;
      this.qdPu[i] = (this.qdPu[i] as number) * scale;
      this.demandPdPu[i] = this.pdPu[i] as number;
    }
  }

  trip(branch: number, loadingPct: number | null): void {
    this.closed[branch] = 0;
    const br = this.network.branches[branch];
    const id = (i: number | undefined): number => this.network.buses[i ?? -1]?.id ?? NaN;
    this.log.tripped.push({ from: id(br?.from), to: id(br?.to), loadingPct });
  }

  shed(plan: ShedPlan): void {
    for (const { bus, fraction } of plan) {
      const cut = (this.pdPu[bus] as number) * fraction;
      this.pdPu[bus] = (this.pdPu[bus] as number) - cut;
      this.qdPu[bus] = (this.qdPu[bus] as number) * (1 - fraction);
      this.shedPdPu[bus] = (this.shedPdPu[bus] as number) + cut;
      this.log.shedPu += cut;
    }
  }

  /** The bus loses supply; its remaining load is lost. */
  lose(bus: number, collapsed: boolean): void {
    this.status[bus] = LOST;
    this.lostPdPu[bus] = Math.max(0, this.pdPu[bus] as number);
    this.log.lostPu += this.lostPdPu[bus] as number;
    this.pdPu[bus] = 0;
    this.qdPu[bus] = 0;
    this.log.lost.push(bus);
    if (collapsed) this.log.collapsed.push(bus);
  }

  /** The bus leaves the grid but stays served by a microgrid island. */
  island(bus: number): void {
    this.status[bus] = ISLANDED;
    this.log.islanded.push(bus);
  }

  note(text: string): void {
    this.log.notes.push(text);
  }

  /** The round's record, and a fresh log for the next one. */
  takeRound(round: number): CascadeRound {
    const log = this.log;
    this.log = emptyLog();
    const ids = (buses: number[]): number[] => buses.map((i) => this.network.buses[i]?.id ?? NaN).sort((a, b) => a - b);
    return {
      round,
      tripped: log.tripped,
      deEnergisedBuses: ids(log.lost),
      collapsedBuses: ids(log.collapsed),
      islandedBuses: ids(log.islanded),
      lostLoadKw: log.lostPu * this.kwPerPu,
      shedLoadKw: log.shedPu * this.kwPerPu,
      notes: log.notes,
    };
  }
}

interface RoundLog {
  tripped: TrippedBranch[];
  lost: number[];
  collapsed: number[];
  islanded: number[];
  lostPu: number;
  shedPu: number;
  notes: string[];
}

function emptyLog(): RoundLog {
  return { tripped: [], lost: [], collapsed: [], islanded: [], lostPu: 0, shedPu: 0, notes: [] };
}
