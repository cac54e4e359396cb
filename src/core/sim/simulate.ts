/**
 * Runs a scenario: builds the model (areas, sites, devices, plants, weather, events) and steps the
 * slot engine through every slot. Pure and deterministic: the same scenario and seed give a
 * byte-identical result.
 */
import type { Battery } from '../assets/capabilities.js';
import { createCentralPlant } from '../assets/central-plant.js';
import { createWeather, type WeatherModel } from '../assets/weather.js';
import { ROTATION_BLOCK_HOURS, RollingShedder } from '../control/load-shedding.js';
import { IslandController } from '../control/island-controller.js';
import { buildAreaTree } from '../grid/area-tree.js';
import { FeederGrid } from '../grid/feeder/feeder-grid.js';
import { FeederPhysics } from '../grid/feeder/feeder-physics.js';
import { CaseFeederPhysics } from '../grid/feeder/case-feeder-physics.js';
import { ScenarioError } from '../errors.js';
import { planLineFault, type LineFaultPlan } from '../grid/feeder/line-fault-plan.js';
import type { AreaTree } from '../grid/area-tree.js';
import type { SiteModel } from './site-model.js';
import type { PowerNetwork } from '../grid/network.js';
import { Rng } from '../rng.js';
import { UsageError } from '../errors.js';
import { buildSite } from './build-site.js';
import { SlotEngine, type EngineStages } from './engine.js';
import { EventTimeline } from './event-timeline.js';
import { MetricsRecorder } from './metrics-recorder.js';
import { buildResult } from './results.js';
import type { RunResult, SimulationMode } from './results-types.js';
import type { EventSpec, Scenario } from './scenario-schema.js';
import { SlotBuffers } from './slot-buffers.js';
import { SlotClock } from '../time.js';
import { createMarketRun, type MarketRun } from '../market/market-run.js';
import { IslandStorageSignal } from '../market/island-scarcity.js';
import type { SimModel } from './slot-context.js';
import { TrustRun, type TrustRunOptions } from '../trust/trust-run.js';
import { withComparisons } from '../control/agents/comparison-runs.js';
import { createControlRun, type ControlRun, type ControlRunOptions } from '../control/agents/control-run.js';
import type { ParticipantOrders } from '../market/participant-orders.js';

export interface SimulateOptions {
  mode?: SimulationMode;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Overrides the scenario's length in days (may be fractional). */
  days?: number;
  /** Called every `progressEverySlots` slots and at the end. */
  onProgress?: (doneSlots: number, totalSlots: number) => void;
  progressEverySlots?: number;
  /**
   * Stages that replace the defaults of the same name: the markets run in `plan` (VPP scheduling,
   * flexibility), `clear` (markets, then the physical balancing rule) and `settle` (imbalance,
   * flexibility verification); replacing one of those replaces all of its work.
   */
  stages?: EngineStages;
  /** Networks of feeders imported from MATPOWER cases, by area id (see `loadFeederNetworks`). */
  feederNetworks?: ReadonlyMap<string, PowerNetwork>;
  /**
   * The trust layer (ADR 0010): identities from `prepareTrust`, the chain domain validators sign
   * for, and where records go. Runs in autonomous runs when the scenario's `trust.enabled` is true.
   */
  trust?: TrustRunOptions;
  /** Real participants' own orders for their sites (a node's runtime; see participant-orders.ts). */
  participantOrders?: ParticipantOrders;
  /** Forecasting agents and site EMS (issue 6): the LP solver, and whether the EMS plans. Autonomous runs only. */
  control?: ControlRunOptions;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): RunResult {
  const run = prepareRun(scenario, options);
  const every = Math.max(1, options.progressEverySlots ?? 96);
  for (let slot = 0; slot < run.slots; slot++) {
    run.engine.step(slot);
    if (options.onProgress !== undefined && ((slot + 1) % every === 0 || slot + 1 === run.slots)) {
      options.onProgress(slot + 1, run.slots);
    }
  }
  return withComparisons(run.finish(), scenario, options, simulate);
}

export interface PreparedRun {
  readonly slots: number;
  readonly engine: SlotEngine;
  readonly model: SimModel;
  readonly market: MarketRun;
  readonly trust: TrustRun | undefined;
  readonly control: ControlRun | undefined;
  /** The run's weather (the actual sky, wind and temperature every slot), e.g. for forecasting. */
  readonly weather: WeatherModel;
  /** Per-slot series and totals as the slots run (a node reads each slot's figures from it). */
  readonly recorder: MetricsRecorder;
  /** Events by slot; a node schedules operator outages on it while running. */
  readonly timeline: EventTimeline;
  finish(): RunResult;
}

/** Builds everything a run needs; `simulate` steps it. Exposed for tests that step slot by slot. */
export function prepareRun(scenario: Scenario, options: SimulateOptions = {}): PreparedRun {
  const mode = options.mode ?? 'autonomous';
  const seed = options.seed ?? scenario.seed;
  const days = options.days ?? scenario.days;
  if (!(days > 0) || days > scenario.limits.maxDays) {
    throw new UsageError(`days must be in (0, ${scenario.limits.maxDays}], got ${days}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`seed must be an integer in 0..4294967295, got ${seed}`);
  const slotMinutes = scenario.slotMinutes;
  const slots = slotsOfRun(scenario, days);
  const clock = new SlotClock(Date.parse(scenario.start), slotMinutes, scenario.location.utcOffsetHours);
  const rng = new Rng(seed);

  const tree = buildAreaTree(scenario);
  const sites = Array.from(tree.siteOrder, (k) => buildSite(scenario.sites[k] as Scenario['sites'][number], rng, slotMinutes));
  const plants = scenario.plants
    .map((p) => createCentralPlant(p, slotMinutes))
    .sort((x, y) => x.marginalCostMinorPerKwh - y.marginalCostMinorPerKwh || x.id.localeCompare(y.id));
  const timeline = new EventTimeline(scenario.events, tree, slotMinutes, slots);
  const grid = new FeederGrid(tree, scenario.areas, Array.from(tree.siteOrder, (k) => scenario.sites[k]?.id ?? ''), options.feederNetworks);
  const model: SimModel = {
    mode, clock, tree, sites, plants, states: timeline.states,
    buffers: new SlotBuffers(sites.length),
    shedder: new RollingShedder(Math.max(1, clock.slotsInHours(ROTATION_BLOCK_HOURS))),
    rationingHorizonSlots: Math.max(1, clock.slotsInHours(scenario.autonomy.rationingHorizonHours)),
    scratchSites: new Float64Array(sites.length),
    scratchList: new Int32Array(sites.length),
    areaResidualWh: new Float64Array(tree.count),
    grid,
    lineFaults: planLineFaults(scenario, tree, grid, sites),
    cascadeEvents: caseBranchEvents(scenario, grid, tree, 'cascade'),
    lineFaultEvents: caseBranchEvents(scenario, grid, tree, 'line-fault'),
    cascadePlans: new Map(),
    islandStorage: new IslandStorageSignal(),
  };
  const weather = createWeather({ location: scenario.location, weather: scenario.weather, startMs: clock.startMs, slotMinutes, slots, rng: rng.fork('weather') });
  const batteries: Battery[] = sites.flatMap((s) => [...s.batteries]);
  const recorder = new MetricsRecorder({ sites: sites.length, areas: tree.count, slots, slotMinutes, batteries, areaIds: tree.ids });
  const market = createMarketRun(model, scenario, options.participantOrders);
  const trust = options.trust !== undefined && mode === 'autonomous' && scenario.trust.enabled ? new TrustRun(model, scenario, market, options.trust) : undefined;
  const control = mode === 'autonomous' ? createControlRun(model, scenario, market, weather, slots, rng, options.control) : undefined;
  const composed = withTrust(market.stages, trust);
  const islands = new IslandController({ rationing: scenario.autonomy.rationing });
  const engine = new SlotEngine(model, weather, timeline, recorder, { islands, ...(control === undefined ? composed : control.stages(composed)), ...options.stages });

  return {
    slots, engine, model, market, trust, control, weather, recorder, timeline,
    finish: () => {
      recorder.finish(slots);
      const evUnmetWh = sites.reduce((s, site) => s + site.evs.reduce((e, ev) => e + ev.unmetAtDepartureWh, 0), 0);
      return buildResult({ scenario: scenario.name, seed, mode, start: scenario.start, slotMinutes, slots, sites: sites.length, evUnmetWh }, recorder, tree, model.grid, { ...market.results(), trust: trust?.metrics(), control: control?.results() });
    },
  };
}

/** The trust layer caps authorised import after the market's plan and settles after the markets. */
function withTrust(stages: EngineStages, trust: TrustRun | undefined): EngineStages {
  if (trust === undefined) return stages;
  const { plan, settle } = stages;
  return {
    ...stages,
    plan: { run: (ctx) => { plan?.run(ctx); trust.plan(ctx); } },
    settle: { run: (ctx) => { settle?.run(ctx); trust.settle(ctx); } },
  };
}

/** How many slots a run of `days` days has. */
export function slotsOfRun(scenario: Pick<Scenario, 'slotMinutes'>, days: number): number {
  return Math.max(1, Math.round((days * 24 * 60) / scenario.slotMinutes));
}

/** Self-healing plans of the scenario's line faults (generated street feeders), by event index. */
function planLineFaults(scenario: Scenario, tree: AreaTree, grid: FeederGrid, sites: readonly SiteModel[]): Map<number, LineFaultPlan> {
  const plans = new Map<number, LineFaultPlan>();
  scenario.events.forEach((e, event) => {
    if (e.kind !== 'line-fault' || e.section === undefined) return; // case feeders: planned when the fault starts
    const area = tree.indexOf.get(e.area) as number;
    const feeder = grid.feeders[area];
    if (!(feeder instanceof FeederPhysics)) return; // validation only allows generated street feeders
    const members = grid.memberSites[area] as Int32Array;
    plans.set(event, planLineFault(event, area, e.section, feeder.network, members, Array.from(members, (i) => sites[i]?.gridForming === true)));
  });
  return plans;
}

/** Events on case feeders by index, after checking that each names a branch of its feeder's case. */
function caseBranchEvents<K extends 'cascade' | 'line-fault'>(scenario: Scenario, grid: FeederGrid, tree: AreaTree, kind: K): Map<number, Extract<EventSpec, { kind: K }>> {
  const events = new Map<number, Extract<EventSpec, { kind: K }>>();
  scenario.events.forEach((e, i) => {
    if (e.kind !== kind) return;
    const ref = e.kind === 'cascade' ? e.trip : e.kind === 'line-fault' ? e.branch : undefined;
    if (ref === undefined) return;
    const feeder = grid.feeders[tree.indexOf.get(e.area) as number];
    const [from, to] = ref.split('-').map(Number);
    const exists = feeder instanceof CaseFeederPhysics && feeder.network.branches.some((br) => {
      const a = feeder.network.buses[br.from]?.id;
      const b = feeder.network.buses[br.to]?.id;
      return br.inService && ((a === from && b === to) || (a === to && b === from));
    });
    if (!exists) throw new ScenarioError(`events[${i}].${e.kind === 'cascade' ? 'trip' : 'branch'}: an in-service branch of the feeder case of ${e.area} (got ${ref})`);
    events.set(i, e as Extract<EventSpec, { kind: K }>);
  });
  return events;
}
