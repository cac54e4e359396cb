/**
 * The slot engine: runs the data path of ARCHITECTURE.md once per slot, in a fixed order:
 *
 *   events → sense → forecast → plan → clear → check → dispatch → meter → settle → record
 *
 * Stages that later issues provide (forecasting agents, site EMS, markets, grid physics, ledger)
 * plug in through `EngineStages` without changes here. Until then: no forecasts, devices follow
 * their own naive control, clearing is the local-first rule, no physics check, no settlement.
 */
import type { SlotEnvironment } from '../assets/environment.js';
import type { WeatherModel } from '../assets/weather.js';
import { IslandController, type IslandStage } from '../control/island-controller.js';
import { computeRegions, CONNECTED, DARK, ISLAND } from '../grid/islands.js';
import type { Balancer } from '../market/balancer.js';
import { LocalFirstBalancer } from '../market/local-first-balancer.js';
import { destroySiteAssets } from './build-site.js';
import { EnergyAccounting } from './energy-accounting.js';
import { CaseFeederPhysics } from '../grid/feeder/case-feeder-physics.js';
import { planFeederCascade, type FeederCascadePlan } from '../grid/feeder/feeder-cascade.js';
import { planCaseLineFault, type LineFaultPlan } from '../grid/feeder/line-fault-plan.js';
import type { EventTimeline } from './event-timeline.js';
import type { MetricsRecorder } from './metrics-recorder.js';
import { dispatchSite, senseSite } from './site-model.js';
import type { SlotBuffers } from './slot-buffers.js';
import type { RegionSites, RootFlows, SimModel, SlotContext } from './slot-context.js';

/** A stage that later issues plug in (forecasting, EMS, grid physics, ledger). */
export interface SlotStage {
  run(ctx: SlotContext): void;
}

export interface EngineStages {
  forecast?: SlotStage;
  plan?: SlotStage;
  clear?: Balancer;
  check?: SlotStage;
  settle?: SlotStage;
  /** The island controller (default: the forecast rule; `new IslandController({ rationing })`). */
  islands?: IslandStage;
}

export class SlotEngine {
  private regionSites: RegionSites;
  private readonly balancer: Balancer;
  private readonly islands: IslandStage;
  private readonly accounting: EnergyAccounting;
  private readonly flows: RootFlows;
  /** Case feeders in a line fault's switching state: area → fault event. */
  private readonly reconfigured = new Map<number, number>();

  constructor(
    private readonly model: SimModel,
    private readonly weather: WeatherModel,
    private readonly timeline: EventTimeline,
    private readonly recorder: MetricsRecorder,
    private readonly stages: EngineStages = {},
  ) {
    this.balancer = stages.clear ?? new LocalFirstBalancer();
    this.islands = stages.islands ?? new IslandController();
    this.accounting = new EnergyAccounting(model.tree.count);
    this.flows = { plantsWh: 0, plantWh: new Float64Array(model.plants.length), interconnectorImportWh: 0, interconnectorExportWh: 0, plantsBelowMinimum: false };
    this.regionSites = this.groupSites();
  }

  step(slot: number): void {
    const { model } = this;
    model.clock.advanceTo(slot);
    const events = this.timeline.apply(slot);
    for (const area of events.disasters) this.destroyAssetsBelow(area);
    if (events.changed) this.regionSites = this.groupSites();

    const env = this.weather.environment(slot);
    const ctx: SlotContext = { slot, env, model, regionSites: this.regionSites, flows: this.flows, collapsedIslands: [], gridFormers: new Map(), brownouts: [] };
    this.sense(env);
    model.grid.areaNetworkLossWh.fill(0);
    this.islands.observe(ctx);
    this.stages.forecast?.run(ctx);
    this.stages.plan?.run(ctx);
    this.balancer.clear(ctx);
    this.stages.check?.run(ctx);
    this.dispatch(ctx);
    this.accounting.meter(ctx);
    this.stages.settle?.run(ctx);
    this.recorder.record(ctx, this.accounting, this.islands);
  }

  private sense(env: SlotEnvironment): void {
    const { sites, buffers } = this.model;
    for (let i = 0; i < sites.length; i++) {
      buffers.resetDecisions(i);
      senseSite(sites[i] as NonNullable<(typeof sites)[number]>, env, buffers, i);
    }
  }

  /** Islands balance themselves, dark sites get nothing, then setpoints go to the devices. */
  private dispatch(ctx: SlotContext): void {
    const { model, env } = ctx;
    const b = model.buffers;
    for (const [root, sites] of this.regionSites.islands) {
      if (!this.islands.run(ctx, root, sites)) {
        ctx.collapsedIslands.push(root);
        for (let k = 0; k < sites.length; k++) blackout(b, sites[k] as number);
      }
    }
    const dark = this.regionSites.dark;
    for (let k = 0; k < dark.length; k++) blackout(b, dark[k] as number);
    const connected = this.regionSites.connected;
    for (let k = 0; k < connected.length; k++) pauseShedDeferrable(b, connected[k] as number);
    const sites = model.sites;
    for (let i = 0; i < sites.length; i++) dispatchSite(sites[i] as NonNullable<(typeof sites)[number]>, env, b, i);
    model.plants.forEach((p, k) => p.dispatch(this.flows.plantWh[k] as number, env.slotHours, this.flows.plantsBelowMinimum));
  }

  private destroyAssetsBelow(area: number): void {
    const { tree, sites } = this.model;
    for (let i = tree.siteStart[area] as number; i < (tree.siteEnd[area] as number); i++) {
      destroySiteAssets(sites[i] as NonNullable<(typeof sites)[number]>);
    }
  }

  private groupSites(): RegionSites {
    const { tree, states, mode, sites } = this.model;
    const regions = computeRegions(tree, states, mode === 'autonomous');
    const siteRegion = new Uint8Array(sites.length);
    const siteIsland = new Int32Array(sites.length).fill(-1);
    for (let i = 0; i < sites.length; i++) {
      const a = tree.siteArea[i] as number;
      siteRegion[i] = regions.areaRegion[a] as number;
      if (siteRegion[i] === ISLAND) siteIsland[i] = regions.areaIsland[a] as number;
    }
    const faultIslands = this.applyLineFaults(regions.areaRegion, siteRegion, siteIsland);
    this.applyCascades(regions.areaRegion, siteRegion, siteIsland, faultIslands);
    const connected: number[] = [];
    const dark: number[] = [];
    const islandLists = new Map<number, number[]>();
    for (let i = 0; i < sites.length; i++) {
      const region = siteRegion[i];
      if (region === CONNECTED) connected.push(i);
      else if (region === DARK) dark.push(i);
      else {
        const key = siteIsland[i] as number;
        const list = islandLists.get(key) ?? [];
        list.push(i);
        islandLists.set(key, list);
      }
    }
    const islands = new Map([...islandLists].map(([key, list]) => [key, Int32Array.from(list)]));
    return { regions, siteRegion, siteIsland, connected: Int32Array.from(connected), dark: Int32Array.from(dark), islands, faultIslands };
  }

  /**
   * Cascades on live case feeders, worked out when they start (from the previous slot's flows): lost
   * and shed sites go dark, islanded ones form a fault island on their grid-forming sites.
   */
  private applyCascades(areaRegion: Uint8Array, siteRegion: Uint8Array, siteIsland: Int32Array, faultIslands: Map<number, { area: number; endSlot: number; name: string }>): void {
    const { tree, states } = this.model;
    for (const [event, endSlot] of states.activeCascades) {
      const plan = this.model.cascadePlans.get(event) ?? this.planCascade(event);
      if (plan === undefined || areaRegion[plan.area] === DARK) continue;
      for (const list of [plan.lost, plan.shed]) list.forEach((i) => {
        siteRegion[i] = DARK;
        siteIsland[i] = -1;
      });
      if (plan.island.length === 0) continue;
      const key = tree.count + event;
      faultIslands.set(key, { area: plan.area, endSlot, name: `${tree.ids[plan.area]} cascade islands` });
      plan.island.forEach((i) => {
        siteRegion[i] = ISLAND;
        siteIsland[i] = key;
      });
    }
  }

  /** A line fault on a case feeder, worked out when it starts from the previous slot's exchange. */
  private planCaseLineFault(event: number): LineFaultPlan | undefined {
    const { tree, grid, sites, buffers, lineFaultEvents, clock, lineFaults } = this.model;
    const e = lineFaultEvents.get(event);
    if (e?.branch === undefined) return undefined;
    const area = tree.indexOf.get(e.area) as number;
    const feeder = grid.original(area);
    if (!(feeder instanceof CaseFeederPhysics)) return undefined;
    const members = grid.memberSites[area] as Int32Array;
    const plan = planCaseLineFault(event, area, e.branch, feeder, members, Array.from(members, (i) => buffers.netWh[i] as number),
      Array.from(members, (i) => sites[i]?.gridForming === true), clock.slotHours);
    lineFaults.set(event, plan);
    return plan;
  }

  private planCascade(event: number): FeederCascadePlan | undefined {
    const { tree, grid, sites, buffers, mode, cascadeEvents, clock } = this.model;
    const e = cascadeEvents.get(event);
    if (e === undefined) return undefined;
    const area = tree.indexOf.get(e.area) as number;
    const feeder = grid.original(area);
    if (!(feeder instanceof CaseFeederPhysics)) return undefined;
    const members = grid.memberSites[area] as Int32Array;
    const [from, to] = e.trip.split('-').map(Number) as [number, number];
    const classes = ['critical', 'essential', 'normal'] as const;
    const plan = planFeederCascade(feeder, {
      event, area, trip: { from, to }, marginPct: e.marginPct, closeTies: e.closeTies, mode, memberSites: members,
      memberNetWh: Array.from(members, (i) => buffers.netWh[i] as number),
      memberPriority: Array.from(members, (i) => classes[Math.min(2, ...(sites[i]?.loadClass ?? [2]))] ?? 'normal'),
      memberGridFormingKw: Array.from(members, (i) => (sites[i]?.gridForming === true
        ? ((buffers.batteryMaxDischargeWh[i] as number) + (buffers.chpMaxWh[i] as number)) / (clock.slotHours * 1000) : 0)),
      slotHours: clock.slotHours,
    });
    this.model.cascadePlans.set(event, plan);
    return plan;
  }

  /**
   * Line faults on live feeders: in autonomous mode the isolated section and what cannot island go
   * dark and the rest beyond the fault becomes a fault island; in baseline the whole feeder is dark.
   */
  private applyLineFaults(areaRegion: Uint8Array, siteRegion: Uint8Array, siteIsland: Int32Array): Map<number, { area: number; endSlot: number; name: string }> {
    const { tree, states, mode, lineFaults } = this.model;
    const faultIslands = new Map<number, { area: number; endSlot: number; name: string }>();
    const dark = (list: Int32Array): void => list.forEach((i) => {
      siteRegion[i] = DARK;
      siteIsland[i] = -1;
    });
    for (const [area, event] of this.reconfigured) {
      if (states.activeLineFaults.has(event)) continue;
      this.model.grid.restoreOriginal(area); // repaired: back to the normal switching state
      this.reconfigured.delete(area);
    }
    for (const [event, endSlot] of states.activeLineFaults) {
      const plan = lineFaults.get(event) ?? this.planCaseLineFault(event);
      if (plan === undefined || areaRegion[plan.area] === DARK) continue;
      dark(plan.isolated);
      dark(plan.unserved);
      if (mode === 'baseline') {
        dark(plan.upstream);
        dark(plan.viaTies);
        dark(plan.island);
        continue;
      }
      if (plan.network !== undefined && !this.reconfigured.has(plan.area)) {
        this.model.grid.reconfigure(plan.area, plan.network);
        this.reconfigured.set(plan.area, event);
      }
      const key = tree.count + event;
      faultIslands.set(key, { area: plan.area, endSlot, name: `${tree.ids[plan.area]} beyond ${plan.where}` });
      plan.island.forEach((i) => {
        siteRegion[i] = ISLAND;
        siteIsland[i] = key;
      });
    }
    return faultIslands;
  }

}

/** A site without supply: all demand unserved, generation tripped, storage idle. */
function blackout(b: SlotBuffers, i: number): void {
  b.resetDecisions(i);
  for (let c = 0; c < 3; c++) (b.unservedWh[c] as Float64Array)[i] = (b.demandWh[c] as Float64Array)[i] as number;
  b.curtailedWh[i] = (b.pvWh[i] as number) + (b.windWh[i] as number);
}

/**
 * A grid-connected site whose normal-class import was shed first gives up the battery charging it
 * planned to buy, then pauses its deferrable load: neither is unserved demand.
 */
function pauseShedDeferrable(b: SlotBuffers, i: number): void {
  let shed = b.unservedWh[2][i] as number;
  if (shed <= 0) return;
  const lessCharge = Math.min(shed, b.gridChargeWh[i] as number);
  b.chargeWh[i] = (b.chargeWh[i] as number) - lessCharge;
  b.gridChargeWh[i] = (b.gridChargeWh[i] as number) - lessCharge;
  shed -= lessCharge;
  const paused = Math.min(shed, b.deferrableImportWh[i] as number);
  b.unservedWh[2][i] = shed - paused;
  b.deferrableServedWh[i] = (b.deferrableServedWh[i] as number) - paused;
}
