/**
 * The meter stage: nets every site's exchange with the grid, nets those up the hierarchy to find
 * how much was balanced at each level, and checks conservation of energy at every site and every
 * area, every slot. A violation is an InvariantError that stops the run.
 *
 * Conservation, per site and per area (subtree), in whole Wh:
 *   generation + import + storage discharge + unserved = demand + export + storage charge + losses + curtailment
 * where generation is what was available (PV, wind, CHP output), storage charge/discharge are
 * changes of stored energy, losses are storage conversion losses plus (for areas with a feeder)
 * network losses from power flow, and unserved is demand no source met (it stands on the supply
 * side: the demand term counts the whole demand).
 */
import { assert } from '../assert.js';
import { LEVEL_RANK } from '../grid/area-tree.js';
import { CONNECTED, ISLAND } from '../grid/islands.js';
import { kwToWh } from '../units.js';
import type { SlotContext } from './slot-context.js';

/** Index of each level in `levelMatchedWh` (0 is behind the meter). */
export const SHARE_SITE = 0;
export const SHARE_TSO = 5;

export class EnergyAccounting {
  /**
   * Energy balanced at each level this slot: site, street, neighbourhood, city, DSO, TSO. Every Wh
   * consumed (served load or storage charging) is counted once, at the level that supplied it.
   */
  readonly levelMatchedWh = new Float64Array(6);
  /** Import over each area's upstream link this slot. */
  readonly areaImportWh: Float64Array;
  private readonly exportsUp: Float64Array;
  private readonly importsUp: Float64Array;
  private readonly balance: Float64Array;

  constructor(areaCount: number) {
    this.areaImportWh = new Float64Array(areaCount);
    this.exportsUp = new Float64Array(areaCount);
    this.importsUp = new Float64Array(areaCount);
    this.balance = new Float64Array(areaCount);
  }

  meter(ctx: SlotContext): void {
    this.meterSites(ctx);
    this.netAreas(ctx);
  }

  private meterSites(ctx: SlotContext): void {
    const { tree, buffers: b, sites } = ctx.model;
    const matched = this.levelMatchedWh;
    matched.fill(0);
    this.exportsUp.fill(0);
    this.importsUp.fill(0);
    this.balance.fill(0);
    for (let i = 0; i < sites.length; i++) {
      const demand = b.totalDemandWh(i) + (b.deferrableServedWh[i] as number);
      const unserved = b.totalUnservedWh(i);
      const generation = (b.pvWh[i] as number) + (b.windWh[i] as number) + (b.chpWh[i] as number);
      const curtailed = b.curtailedWh[i] as number;
      const net = b.exchangeWh(i);
      b.netWh[i] = net;
      // Everything but the grid exchange; by conservation it equals the net export.
      const inner = generation + (b.storedDecreaseWh[i] as number) + unserved
        - demand - (b.storedIncreaseWh[i] as number) - (b.lossWh[i] as number) - curtailed;
      if (Math.abs(inner - net) > 1) {
        throw conservationError(`site ${sites[i]?.id}`, ctx.slot, { inner, net, generation, curtailed, demand, unserved,
          charge: b.chargeWh[i], discharge: b.dischargeWh[i], storedIncrease: b.storedIncreaseWh[i],
          storedDecrease: b.storedDecreaseWh[i], loss: b.lossWh[i] });
      }
      const a = tree.siteArea[i] as number;
      this.balance[a] = (this.balance[a] as number) + inner;
      if (net >= 0) this.exportsUp[a] = (this.exportsUp[a] as number) + net;
      else this.importsUp[a] = (this.importsUp[a] as number) - net;
      // Consumption (served load and storage charging) not imported was balanced behind the meter.
      const consumed = demand - unserved + (b.chargeWh[i] as number);
      matched[SHARE_SITE] = (matched[SHARE_SITE] as number) + Math.max(0, consumed - Math.max(0, -net));
    }
  }

  private netAreas(ctx: SlotContext): void {
    const { model, regionSites, flows, env, slot } = ctx;
    const { tree, states } = model;
    const { areaRegion, areaIsland } = regionSites.regions;
    const matched = this.levelMatchedWh;
    for (let a = tree.count - 1; a >= 0; a--) {
      const e = this.exportsUp[a] as number;
      const im = this.importsUp[a] as number;
      const share = LEVEL_RANK[tree.levels[a] as keyof typeof LEVEL_RANK];
      const level = share === 0 ? SHARE_TSO : share === 4 ? 1 : 5 - share;
      matched[level] = (matched[level] as number) + Math.min(e, im);
      // The area's own feeder losses are drawn over its link with the rest of its residual.
      const networkLoss = model.grid.areaNetworkLossWh[a] as number;
      const r = e - im - networkLoss;
      this.balance[a] = (this.balance[a] as number) - networkLoss;
      if (Math.abs((this.balance[a] as number) - r) > 1) {
        throw conservationError(`area ${tree.ids[a]}`, slot, { balance: this.balance[a], residual: r, networkLoss });
      }
      const cut = a > 0 && states.linkDown[a] === 1;
      const islandRoot = areaRegion[a] === ISLAND && areaIsland[a] === a;
      if (cut || islandRoot || (areaRegion[a] !== CONNECTED && areaRegion[a] !== ISLAND)) {
        assert(r === 0, `area ${tree.ids[a]} exchanges energy over a link that is down or dark`, { slot, residual: r });
      } else if (a > 0 && areaRegion[a] === CONNECTED) {
        const capWh = kwToWh(tree.upstreamCapacityKw[a] as number, env.slotHours);
        assert(Math.abs(r) <= capWh + 1, `area ${tree.ids[a]} exceeds its upstream link capacity`, { slot, residual: r, capWh });
      }
      this.areaImportWh[a] = Math.max(0, -r);
      if (a > 0) {
        const p = tree.parent[a] as number;
        this.balance[p] = (this.balance[p] as number) + (this.balance[a] as number);
        if (r >= 0) this.exportsUp[p] = (this.exportsUp[p] as number) + r;
        else this.importsUp[p] = (this.importsUp[p] as number) - r;
      } else {
        const supply = flows.plantsWh + flows.interconnectorImportWh - flows.interconnectorExportWh;
        if (Math.abs(r + supply) > 1) {
          throw conservationError('TSO', slot, { residual: r, plants: flows.plantsWh,
            interconnectorImport: flows.interconnectorImportWh, interconnectorExport: flows.interconnectorExportWh });
        }
        matched[SHARE_TSO] = (matched[SHARE_TSO] as number) + Math.max(0, -r);
      }
    }
  }
}

function conservationError(where: string, slot: number, details: Record<string, unknown>): Error {
  try {
    assert(false, `energy is not conserved at ${where} in slot ${slot}`, { slot, ...details });
  } catch (error) {
    return error as Error;
  }
  return new Error('unreachable');
}
