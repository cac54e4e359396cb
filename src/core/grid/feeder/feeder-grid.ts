/**
 * The feeders of a run (areas with a `feeder` in the scenario) and what their power flows found:
 * the `check` of the slot data path for the electrical network. Losses it computes enter the energy
 * balance of their area (`areaNetworkLossWh`): supplied from upstream when grid-connected, by the
 * island's grid-forming sources when islanded.
 *
 * Members of a feeder are its own sites (file order) and then its child areas, each one bus.
 */
import type { AreaTree } from '../area-tree.js';
import type { AreaSpec } from '../../sim/scenario-schema.js';
import { ScenarioError } from '../../errors.js';
import type { PowerNetwork } from '../network.js';
import { CaseFeederPhysics } from './case-feeder-physics.js';
import { FeederPhysics, type FeederSlotResult } from './feeder-physics.js';

/** What the grid needs of a feeder model: generated layout or imported case. */
type FeederModel = Pick<FeederPhysics, 'spec' | 'solve'>;

export interface FeederStats {
  slots: number;
  lossWh: number;
  voltageViolations: number;
  thermalViolations: number;
  /** Slots with any violation. */
  violationSlots: number;
  nonConverged: number;
  worstVminPu: number;
  worstVmaxPu: number;
  worstLoadingPct: number;
}

export class FeederGrid {
  /** Feeder of each area index, or undefined. */
  readonly feeders: (FeederModel | undefined)[];
  /** Site positions of each feeder's site members, in member order. */
  readonly memberSites: Int32Array[];
  private readonly memberAreas: Int32Array[];
  readonly stats: (FeederStats | undefined)[];
  readonly areaNetworkLossWh: Float64Array;
  private readonly memberNet: Float64Array;
  /** Feeders temporarily in another switching state, with their normal model. */
  private readonly originals = new Map<number, FeederModel>();
  /** Whether the last `solve` converged (a feeder that does not is in voltage collapse). */
  lastConverged = true;

  /**
   * `siteIds[i]`: the id of the site at internal position i; `caseNetworks`: the MATPOWER networks
   * of feeders with `matpower`, by area id (loaded by the scenario adapter).
   */
  constructor(private readonly tree: AreaTree, areas: readonly AreaSpec[], siteIds: readonly string[], caseNetworks: ReadonlyMap<string, PowerNetwork> = new Map()) {
    const byId = new Map(areas.map((a) => [a.id, a]));
    this.feeders = tree.ids.map(() => undefined);
    this.memberSites = tree.ids.map(() => new Int32Array(0));
    this.memberAreas = tree.ids.map(() => new Int32Array(0));
    this.stats = tree.ids.map(() => undefined);
    this.areaNetworkLossWh = new Float64Array(tree.count);
    let maxMembers = 0;
    tree.ids.forEach((id, a) => {
      const spec = byId.get(id);
      if (spec?.feeder === undefined) return;
      const sites: number[] = [];
      for (let i = tree.siteStart[a] as number; i < (tree.siteEnd[a] as number); i++) if (tree.siteArea[i] === a) sites.push(i);
      const children: number[] = [];
      for (let c = a + 1; c < (tree.subtreeEnd[a] as number); c++) if (tree.parent[c] === a) children.push(c);
      const members = sites.length + children.length;
      maxMembers = Math.max(maxMembers, members);
      this.memberSites[a] = Int32Array.from(sites);
      this.memberAreas[a] = Int32Array.from(children);
      if (spec.feeder.matpower !== undefined) {
        const network = caseNetworks.get(id);
        if (network === undefined) {
          throw new ScenarioError(`feeder of ${id}: its case ${spec.feeder.matpower} was not loaded`, {
            details: ['load scenarios with feeders from case files through loadScenarioFile + loadFeederNetworks (the CLI does)'],
          });
        }
        const memberIds = [...sites.map((i) => siteIds[i] as string), ...children.map((c) => tree.ids[c] as string)];
        this.feeders[a] = CaseFeederPhysics.forArea(spec.feeder, id, network, memberIds);
      } else {
        const kva = spec.feeder.transformerKva ?? spec.upstreamCapacityKw / 0.95;
        this.feeders[a] = new FeederPhysics(id, spec.feeder, members, kva);
      }
      this.stats[a] = {
        slots: 0, lossWh: 0, voltageViolations: 0, thermalViolations: 0, violationSlots: 0, nonConverged: 0,
        worstVminPu: Number.POSITIVE_INFINITY, worstVmaxPu: 0, worstLoadingPct: 0,
      };
    });
    this.memberNet = new Float64Array(maxMembers);
  }

  /** The feeder's model in its normal switching state. */
  original(a: number): FeederModel | undefined {
    return this.originals.get(a) ?? this.feeders[a];
  }

  /** A case feeder switched into another configuration (a line fault's isolation and restoration). */
  reconfigure(a: number, network: PowerNetwork): void {
    const normal = this.original(a);
    if (!(normal instanceof CaseFeederPhysics)) return;
    this.originals.set(a, normal);
    this.feeders[a] = normal.reconfigured(network);
  }

  restoreOriginal(a: number): void {
    const normal = this.originals.get(a);
    if (normal === undefined) return;
    this.feeders[a] = normal;
    this.originals.delete(a);
  }

  get any(): boolean {
    return this.stats.some((s) => s !== undefined);
  }

  /**
   * Solves area `a`'s feeder with its sites' nets (`siteNet(i)`) and its child areas' residuals, books
   * the losses and returns them (0 for an area without a feeder).
   */
  solve(a: number, siteNet: (i: number) => number, childResidual: Float64Array, slotHours: number): number {
    const feeder = this.feeders[a];
    this.lastConverged = true;
    if (feeder === undefined) return 0;
    const sites = this.memberSites[a] as Int32Array;
    const children = this.memberAreas[a] as Int32Array;
    const net = this.memberNet;
    for (let k = 0; k < sites.length; k++) net[k] = siteNet(sites[k] as number);
    for (let k = 0; k < children.length; k++) net[sites.length + k] = childResidual[children[k] as number] as number;
    const r = feeder.solve(net, slotHours);
    this.lastConverged = r.converged;
    this.record(a, r);
    this.areaNetworkLossWh[a] = r.lossWh;
    return r.lossWh;
  }

  private record(a: number, r: FeederSlotResult): void {
    const s = this.stats[a] as FeederStats;
    const spec = (this.feeders[a] as FeederModel).spec;
    s.slots++;
    if (!r.converged) {
      s.nonConverged++;
      s.violationSlots++;
      return;
    }
    s.lossWh += r.lossWh;
    const voltage = r.vminPu < spec.vminPu || r.vmaxPu > spec.vmaxPu;
    const thermal = r.maxLoadingPct > 100;
    if (voltage) s.voltageViolations++;
    if (thermal) s.thermalViolations++;
    if (voltage || thermal) s.violationSlots++;
    s.worstVminPu = Math.min(s.worstVminPu, r.vminPu);
    s.worstVmaxPu = Math.max(s.worstVmaxPu, r.vmaxPu);
    s.worstLoadingPct = Math.max(s.worstLoadingPct, r.maxLoadingPct);
  }
}
