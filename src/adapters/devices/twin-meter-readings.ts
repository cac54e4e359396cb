/**
 * What simulated meters report: each site's metered energy from the scenario's own digital twin,
 * stepped slot by slot in the simulator's process, so the readings are the ones the node's twin
 * expects. A site's reading is built exactly as the trust layer builds it (core/trust/trust-run.ts):
 * net = round(netWh) (positive = export), importWh = max(0, -net), exportWh = max(0, net),
 * peakPowerW = ceil(|net| × 3600 / slotSeconds).
 */
import type { ControlRunOptions } from '../../core/control/agents/control-run.js';
import type { PowerNetwork } from '../../core/grid/network.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import { prepareRun, type PreparedRun } from '../../core/sim/simulate.js';
import type { MeterSlotEnergy } from './mqtt-meter-simulator.js';

export interface TwinMeterReadingsOptions {
  readonly seed: number;
  /** Internal (depth-first) indices of the metered sites, as in `buildAreaTree(...).siteOrder`. */
  readonly siteIndices: readonly number[];
  /** MATPOWER feeders of the scenario (`loadFeederNetworks`), when it names any. */
  readonly feederNetworks?: ReadonlyMap<string, PowerNetwork>;
  /** Length of the twin in days (default the scenario's); as the node's, so both have the same slots. */
  readonly days?: number;
  /** The site EMS's solver, as the node uses it (`gridmesh simulate` and `serve` load HiGHS when the scenario enables the EMS). */
  readonly control?: ControlRunOptions;
}

/** The reading of one slot from a site's net energy (Wh, positive = export), as the trust layer builds it. */
export function meterEnergyOfNet(netWh: number, slotSeconds: number): MeterSlotEnergy {
  const net = Math.round(netWh);
  return { importWh: Math.max(0, -net), exportWh: Math.max(0, net), peakPowerW: Math.ceil((Math.abs(net) * 3600) / slotSeconds) };
}

export class TwinMeterReadings {
  private readonly run: PreparedRun;
  private readonly siteIndices: readonly number[];
  private readonly slotSeconds: number;
  private readonly energies: MeterSlotEnergy[];
  private stepped = -1;

  constructor(scenario: Scenario, options: TwinMeterReadingsOptions) {
    this.run = prepareRun(scenario, {
      mode: 'autonomous', seed: options.seed,
      ...(options.feederNetworks === undefined ? {} : { feederNetworks: options.feederNetworks }),
      ...(options.days === undefined ? {} : { days: options.days }),
      ...(options.control === undefined ? {} : { control: options.control }),
    });
    const sites = this.run.model.sites.length;
    for (const i of options.siteIndices) {
      if (!Number.isInteger(i) || i < 0 || i >= sites) throw new RangeError(`site index ${i} is not in 0..${sites - 1}`);
    }
    this.siteIndices = [...options.siteIndices];
    this.slotSeconds = scenario.slotMinutes * 60;
    this.energies = this.siteIndices.map(() => ({ importWh: 0, exportWh: 0, peakPowerW: 0 }));
  }

  /** Slots in the twin (the scenario's days); readings exist for slots 0 .. slots - 1. */
  get slots(): number {
    return this.run.slots;
  }

  /** The last slot stepped, -1 before the first. */
  get steppedSlot(): number {
    return this.stepped;
  }

  /** Start of a slot in scenario time, ms since the epoch. */
  slotStartMs(slot: number): number {
    return this.run.model.clock.slotStartMs(slot);
  }

  /** Steps the twin through every slot up to `slot` (inclusive) and keeps that slot's readings. */
  advanceTo(slot: number): void {
    if (!Number.isInteger(slot) || slot < this.stepped || slot >= this.run.slots) {
      throw new RangeError(`cannot advance the twin to slot ${slot}: it is at slot ${this.stepped} of 0..${this.run.slots - 1}`);
    }
    if (slot === this.stepped) return;
    while (this.stepped < slot) this.run.engine.step(++this.stepped);
    const netWh = this.run.model.buffers.netWh;
    this.siteIndices.forEach((i, k) => {
      this.energies[k] = meterEnergyOfNet(netWh[i] as number, this.slotSeconds);
    });
  }

  /** The k-th metered site's reading of `slot`, which must be the slot last stepped. */
  energy(k: number, slot: number): MeterSlotEnergy {
    if (slot !== this.stepped) throw new RangeError(`the twin is at slot ${this.stepped}, not ${slot}`);
    const energy = this.energies[k];
    if (energy === undefined) throw new RangeError(`meter ${k}: expected an index below ${this.energies.length}`);
    return energy;
  }
}
