/**
 * The simple local-first balancing rule (until the markets land): each site balances behind its
 * meter first; what is left is netted in its street, then neighbourhood, city, DSO and finally the
 * TSO, where central plants (merit order, ramp limits) and the interconnector cover the residual.
 *
 * Link limits: an area whose residual exceeds its upstream link capacity curtails exports (surplus)
 * or sheds load pro-rata, normal class first (deficit), inside its subtree. A deficit the plants and
 * interconnector cannot cover is shed as whole sites, rotating, lowest priority first.
 */
import { assert } from '../assert.js';
import { curtailExports } from '../control/curtailment.js';
import { shedProRata } from '../control/load-shedding.js';
import { selfConsume } from '../control/self-consumption.js';
import { CONNECTED } from '../grid/islands.js';
import type { SlotContext } from '../sim/slot-context.js';
import { kwToWh } from '../units.js';
import type { Balancer } from './balancer.js';

export class LocalFirstBalancer implements Balancer {
  clear(ctx: SlotContext): void {
    const b = ctx.model.buffers;
    const sites = ctx.regionSites.connected;
    for (let k = 0; k < sites.length; k++) selfConsume(b, sites[k] as number, false);
    this.balance(ctx);
  }

  /** The part after behind-the-meter self-consumption, for callers that have already run it on every connected site. */
  balance(ctx: SlotContext): void {
    this.netUpwards(ctx);
    this.dispatchRoot(ctx);
  }

  /** Bottom-up residuals of connected areas, enforcing each upstream link's capacity. */
  private netUpwards(ctx: SlotContext): void {
    const { model, regionSites, env } = ctx;
    const { tree, buffers: b, areaResidualWh: residual } = model;
    const areaRegion = regionSites.regions.areaRegion;
    residual.fill(0);
    const sites = regionSites.connected;
    for (let k = 0; k < sites.length; k++) {
      const i = sites[k] as number;
      const a = tree.siteArea[i] as number;
      residual[a] = (residual[a] as number) + (b.exportWh[i] as number) - b.totalImportWh(i);
    }
    for (let a = tree.count - 1; a >= 1; a--) {
      if (areaRegion[a] !== CONNECTED) continue;
      const capWh = kwToWh(tree.upstreamCapacityKw[a] as number, env.slotHours);
      // Feeder losses are drawn from upstream with the rest of the area's residual.
      let r = (residual[a] as number) - model.grid.solve(a, (i) => (b.exportWh[i] as number) - b.totalImportWh(i), residual, env.slotHours);
      if (r > capWh || r < -capWh) {
        const count = this.connectedSitesBelow(ctx, a);
        if (r > capWh) r -= curtailExports(b, model.scratchList, count, r - capWh, model.scratchSites);
        else r += shedProRata(b, model.scratchList, count, -capWh - r, model.scratchSites);
        residual[a] = r;
      }
      const p = tree.parent[a] as number;
      residual[p] = (residual[p] as number) + r;
    }
  }

  private connectedSitesBelow(ctx: SlotContext, area: number): number {
    const { tree, scratchList } = ctx.model;
    const siteRegion = ctx.regionSites.siteRegion;
    let count = 0;
    for (let i = tree.siteStart[area] as number; i < (tree.siteEnd[area] as number); i++) {
      if (siteRegion[i] === CONNECTED) scratchList[count++] = i;
    }
    return count;
  }

  /** Central plants and interconnector cover the root residual; shortage is shed, surplus curtailed. */
  private dispatchRoot(ctx: SlotContext): void {
    const { model, regionSites, env, flows, slot } = ctx;
    const b = model.buffers;
    const slotHours = env.slotHours;
    let deficit = -(model.areaResidualWh[0] as number);
    let minSum = 0;
    let maxSum = 0;
    for (const p of model.plants) {
      minSum += p.minWh(slotHours);
      maxSum += p.maxWh(slotHours);
    }
    const icCap = regionSites.regions.interconnectorUp ? kwToWh(model.tree.upstreamCapacityKw[0] as number, slotHours) : 0;
    const connected = regionSites.connected;
    if (deficit > maxSum + icCap) {
      let short = deficit - maxSum - icCap;
      for (let cls = 2; cls >= 0 && short > 0; cls--) {
        const shed = model.shedder.shed(b, 'tso', connected, connected.length, cls, short, slot);
        short -= shed;
        deficit -= shed;
      }
    }
    let plants = Math.min(Math.max(deficit, minSum), maxSum);
    const rest = deficit - plants;
    flows.interconnectorImportWh = Math.max(0, rest);
    flows.interconnectorExportWh = 0;
    if (rest < 0) {
      let excess = -rest;
      const exported = Math.min(excess, icCap);
      flows.interconnectorExportWh = exported;
      excess -= exported;
      excess -= curtailExports(b, connected, connected.length, excess, model.scratchSites);
      // Nothing left to curtail or export: plants go below their minimum (see allocatePlants).
      plants -= excess;
    }
    assert(flows.interconnectorImportWh <= icCap, 'interconnector import above its capacity');
    this.allocatePlants(ctx, plants);
    flows.plantsWh = plants;
    model.areaResidualWh[0] = -(plants + flows.interconnectorImportWh - flows.interconnectorExportWh);
  }

  /**
   * Each plant at its minimum, then the rest in merit order (plants are sorted cheapest first). When
   * even the minimums are too much (over-supply with nothing left to curtail or export), the most
   * expensive plants go below their minimum first.
   */
  private allocatePlants(ctx: SlotContext, totalWh: number): void {
    const { model, env, flows } = ctx;
    const out = flows.plantWh;
    const plants = model.plants;
    let minSum = 0;
    plants.forEach((p, k) => {
      out[k] = p.minWh(env.slotHours);
      minSum += out[k] as number;
    });
    flows.plantsBelowMinimum = totalWh < minSum;
    if (flows.plantsBelowMinimum) {
      let cut = minSum - totalWh;
      for (let k = plants.length - 1; k >= 0 && cut > 0; k--) {
        const r = Math.min(cut, out[k] as number);
        out[k] = (out[k] as number) - r;
        cut -= r;
      }
      return;
    }
    let left = totalWh - minSum;
    plants.forEach((p, k) => {
      const add = Math.min(left, p.maxWh(env.slotHours) - (out[k] as number));
      out[k] = (out[k] as number) + add;
      left -= add;
    });
    assert(left === 0, 'plant allocation does not add up', { totalWh, left });
  }
}
