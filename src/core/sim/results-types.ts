/**
 * The shape of a run's results: what `results.json`, the CSV time series and `report.html` are made
 * from. Energies here are reported in kWh (floats derived from integer Wh totals, rounded to 3
 * decimals, i.e. exact to the Wh); powers in kW.
 */
import type { AreaLevel, PriorityClass } from './scenario-schema.js';
import type { MarketMetrics, MarketSeries } from '../market/market-metrics.js';
import type { TrustMetrics, ChainMetrics } from '../trust/trust-metrics.js';
import type { ControlMetrics, ControlSeries } from '../control/control-metrics.js';

export type SimulationMode = 'autonomous' | 'baseline';

/**
 * Share of the energy consumed (served load plus storage charging) that was balanced at each level,
 * percent; every Wh is counted once, at the level that supplied it, so the shares sum to 100.
 */
export interface LevelShares {
  /** Behind the meter: a site's own generation and storage. */
  site: number;
  street: number;
  neighbourhood: number;
  city: number;
  dso: number;
  /** Supplied through the TSO: central plants and the interconnector. */
  tso: number;
}

export type PriorityEnergy = Record<PriorityClass, number>;

export interface IslandPeriod {
  /** The microgrid area that islanded. */
  area: string;
  startSlot: number;
  /** Exclusive; equals the run's slot count when the island was still running at the end. */
  endSlot: number;
  minutes: number;
  /** Site whose grid-forming battery or CHP formed the island when it started (null: none could). */
  gridFormer: string | null;
  /**
   * Hours from the island's start to the first slot in which its critical load was not fully served
   * (the whole period if never), like NREL REopt's outage survivability.
   */
  criticalSurvivalHours: number;
  /** Critical load fully served in every slot of the period. */
  survivedWholePeriod: boolean;
  /** Energy not served within the island over the period, by priority class, kWh. */
  notServedByPriorityKwh: PriorityEnergy;
}

export type RationingStrategy = 'forecast' | 'simple';

/** Survival of one island period (from `IslandPeriod`). */
export type IslandSurvival = Pick<IslandPeriod, 'area' | 'startSlot' | 'endSlot' | 'criticalSurvivalHours' | 'survivedWholePeriod' | 'notServedByPriorityKwh'>;

/** How islands fared over a run: the figures the rationing rules are compared by. */
export interface RationingFigures {
  /** Island periods. */
  islands: number;
  /** Periods whose critical load was served throughout. */
  islandsSurvived: number;
  /** Shortest critical-load survival of any island period, hours (null: no islands). */
  criticalSurvivalHoursMin: number | null;
  criticalNotServedKwh: number;
  /** Energy not served within islands, by priority class, kWh. */
  notServedByPriorityKwh: PriorityEnergy;
  periods: IslandSurvival[];
}

/** Islanded operation of an autonomous run (issue 6, docs/islanding.md); present when the run had islands. */
export interface RationingMetrics extends Omit<RationingFigures, 'periods'> {
  strategy: RationingStrategy;
  /** Messages delivered between the microgrid controllers of islands (forecast rule). */
  peerMessages: number;
  /** Plans that differed between controllers holding the same summaries (must be 0). */
  planDisagreements: number;
  /** The same scenario run with the simple rule, for comparison (forecast runs with islands). */
  simpleRule?: RationingFigures;
}

export interface RunMetrics {
  energyDemandKwh: number;
  energyServedKwh: number;
  energyNotServedKwh: number;
  energyNotServedByPriorityKwh: PriorityEnergy;
  criticalEnergyNotServedKwh: number;
  /** Sum over sites of minutes with any demand not served (SAIDI numerator). */
  customerMinutesInterrupted: number;
  /** Number of times a site went from served to interrupted (SAIFI numerator). */
  interruptions: number;
  saidiMinutes: number;
  saifi: number;
  /** Share of the energy consumed (served load plus storage charging) not supplied through the TSO. */
  selfSufficiencyPct: number;
  localBalancePct: LevelShares;
  /** Highest mean import through the TSO level in one slot, kW. */
  peakImportKw: number;
  generationKwh: number;
  curtailmentKwh: number;
  /** Storage conversion losses, kWh. */
  lossesKwh: number;
  evUnmetKwh: number;
  /** Losses in the feeders that run power flow (scenario `feeder`), kWh. */
  networkLossesKwh: number;
  /** Power-flow findings over all feeders (absent when the scenario has none). */
  grid?: GridMetrics;
  /** Island-slots in which the grid-forming sources could not carry the network losses. */
  brownoutSlots: number;
  islandingEvents: number;
  islandedMinutes: number;
  islands: IslandPeriod[];
  /** Line faults that occurred, with what self-healing did (autonomous) or the dark feeder (baseline). */
  lineFaults: LineFaultRecord[];
  /** Overload cascades that occurred on case feeders, and their size. */
  cascades: CascadeRecord[];
  /** The markets: volumes and prices per level, communities, feed-in, imbalance, VPPs, flexibility. */
  market?: MarketMetrics;
  /** The trust layer (ADR 0010): readings and orders accepted/rejected, statements, dissent; the CLI adds the chain's figures. */
  trust?: TrustMetrics & { chain?: ChainMetrics };
  /** Forecasting agents and site EMS (issue 6): online forecast accuracy, MPC plans and their effect. */
  control?: ControlMetrics;
  /** Islanded operation: critical-load survival, energy not served by priority, peer coordination. */
  rationing?: RationingMetrics;
}

export interface CascadeRecord {
  area: string;
  /** The branch that went out first (case bus numbers). */
  trip: string;
  startSlot: number;
  endSlot: number;
  /** Branches tripped on overload after the trigger. */
  linesTripped: number;
  /** Case buses whose load was lost / shed. */
  busesLost: number;
  busesShed: number;
  loadLostKw: number;
  loadShedKw: number;
  /** Member sites dark (lost or shed) and islanded for the cascade's duration. */
  darkSites: number;
  islandedSites: number;
  rounds: number;
}

export interface LineFaultRecord {
  area: string;
  /** The faulted cable section (generated feeder) or branch "FROM-TO" (case feeder); the other is null. */
  section: number | null;
  branch: string | null;
  startSlot: number;
  /** Slot the repair is due (may be past the end of the run). */
  endSlot: number;
  /** Sites by what happened to them while the fault lasted. */
  isolatedSites: number;
  /** Served again: by reclosing upstream, or through a tie (also counted in restoredViaTieSites). */
  restoredSites: number;
  restoredViaTieSites: number;
  islandedSites: number;
  darkSites: number;
  /** Seconds after the fault until the last switching step; null in baseline (no automatic switching). */
  restorationTimeS: number | null;
  /** The switching sequence (trip, isolate, reclose, island or unserved) with simulated times. */
  steps: { timeS: number; action: string; note: string }[];
}

/** Voltage and thermal findings of feeder power flows. Counts are feeder-slots. */
export interface GridMetrics {
  feeders: number;
  voltageViolations: number;
  thermalViolations: number;
  /** Feeder-minutes with any violation (or a power flow that did not converge). */
  violationMinutes: number;
  nonConverged: number;
  worstVminPu: number;
  worstVmaxPu: number;
  worstLoadingPct: number;
}

export interface AreaMetrics {
  id: string;
  level: AreaLevel;
  microgrid: boolean;
  sites: number;
  energyDemandKwh: number;
  energyServedKwh: number;
  energyNotServedKwh: number;
  customerMinutesInterrupted: number;
  /** Share of the energy consumed below the area not imported over its upstream link. */
  selfSufficiencyPct: number;
  /** Highest mean import over the area's upstream link in one slot, kW. */
  peakImportKw: number;
  islandedMinutes: number;
  /** Power-flow findings of the area's own feeder, when it has one. */
  feeder?: GridMetrics & { lossesKwh: number };
}

/**
 * One value per slot in each column. Powers are slot means in kW. Market prices are NaN (null in
 * JSON, empty in CSV) in slots where nothing traded at that level.
 */
export interface TimeSeries {
  timeMs: number[];
  demandKw: number[];
  servedKw: number[];
  pvKw: number[];
  windKw: number[];
  chpKw: number[];
  /** Supply through the TSO: central plants plus interconnector import. */
  plantsKw: number[];
  curtailedKw: number[];
  batteryChargeKw: number[];
  batteryDischargeKw: number[];
  /** Stored energy of all batteries over their capacity, percent. */
  batterySocPct: number[];
  notServedCriticalKw: number[];
  notServedEssentialKw: number[];
  notServedNormalKw: number[];
  islandedSites: number[];
  darkSites: number[];
}

export interface RunResult {
  scenario: string;
  seed: number;
  mode: SimulationMode;
  start: string;
  slotMinutes: number;
  slots: number;
  sites: number;
  metrics: RunMetrics;
  areas: AreaMetrics[];
  series: TimeSeries & Partial<MarketSeries> & Partial<ControlSeries>;
  /** SHA-256 of the canonical JSON of everything above (series included). */
  resultsHash: string;
}
