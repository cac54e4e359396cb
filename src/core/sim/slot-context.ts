/**
 * What every stage of one slot sees: the frozen environment, the model, the buffers and the region
 * layout. Stages communicate only through these (CONVENTIONS 3: a cycle with a frozen input image).
 */
import type { IslandStorageSignal } from '../market/island-scarcity.js';
import type { CentralPlant } from '../assets/capabilities.js';
import type { SlotEnvironment } from '../assets/environment.js';
import type { AreaTree } from '../grid/area-tree.js';
import type { Regions } from '../grid/islands.js';
import type { RollingShedder } from '../control/load-shedding.js';
import type { AreaStates } from './event-timeline.js';
import type { SimulationMode } from './results-types.js';
import type { EventSpec } from './scenario-schema.js';
import type { SiteModel } from './site-model.js';
import type { SlotBuffers } from './slot-buffers.js';
import type { SlotClock } from '../time.js';
import type { FeederGrid } from '../grid/feeder/feeder-grid.js';
import type { LineFaultPlan } from '../grid/feeder/line-fault-plan.js';
import type { FeederCascadePlan } from '../grid/feeder/feeder-cascade.js';

/** Sites grouped by region for the current slot (rebuilt when events change the topology). */
export interface RegionSites {
  readonly regions: Regions;
  /** Region kind per internal site position (CONNECTED / ISLAND / DARK). */
  readonly siteRegion: Uint8Array;
  readonly connected: Int32Array;
  readonly dark: Int32Array;
  /**
   * Island key → the island's site positions. A key below the area count is the island's root area;
   * a key at or above it is a fault island (sites beyond a line fault, see `faultIslands`).
   */
  readonly islands: ReadonlyMap<number, Int32Array>;
  /** Island key of each site position, -1 when not in an island. */
  readonly siteIsland: Int32Array;
  /** Fault islands: the feeder area, the slot the repair is due and a name for results. */
  readonly faultIslands: ReadonlyMap<number, { readonly area: number; readonly endSlot: number; readonly name: string }>;
}

/** Energy exchanged at the TSO root in the current slot. */
export interface RootFlows {
  plantsWh: number;
  readonly plantWh: Float64Array;
  interconnectorImportWh: number;
  interconnectorExportWh: number;
  /** Over-supply emergency: plants run below their minimum this slot. */
  plantsBelowMinimum: boolean;
}

export interface SimModel {
  readonly mode: SimulationMode;
  /** The injected clock; the engine advances it to each slot before the stages run. */
  readonly clock: SlotClock;
  readonly tree: AreaTree;
  /** Sites in internal (depth-first) order. */
  readonly sites: readonly SiteModel[];
  /** Central plants in merit order (cheapest first). */
  readonly plants: readonly CentralPlant[];
  readonly buffers: SlotBuffers;
  readonly states: AreaStates;
  readonly shedder: RollingShedder;
  readonly rationingHorizonSlots: number;
  /** Scratch arrays of site and area size, free for any stage to use within a call. */
  readonly scratchSites: Float64Array;
  readonly scratchList: Int32Array;
  readonly areaResidualWh: Float64Array;
  /** Feeders with power flow; their losses this slot are in `grid.areaNetworkLossWh`. */
  readonly grid: FeederGrid;
  /** What self-healing does for each line-fault event, by event index. */
  readonly lineFaults: Map<number, LineFaultPlan>;
  /** The scenario's line-fault events on case feeders (planned when they start), by event index. */
  readonly lineFaultEvents: ReadonlyMap<number, Extract<EventSpec, { kind: 'line-fault' }>>;
  /** The scenario's cascade events, by event index. */
  readonly cascadeEvents: ReadonlyMap<number, Extract<EventSpec, { kind: 'cascade' }>>;
  /** Cascade outcomes, worked out by the engine when each cascade starts. */
  readonly cascadePlans: Map<number, FeederCascadePlan>;
  /** Each island's storage and critical reserve as its controllers left them: the island market's scarcity signal. */
  readonly islandStorage: IslandStorageSignal;
}

export interface SlotContext {
  readonly slot: number;
  readonly env: SlotEnvironment;
  readonly model: SimModel;
  readonly regionSites: RegionSites;
  readonly flows: RootFlows;
  /** Islands that could not form this slot (no grid-forming source with energy). */
  readonly collapsedIslands: number[];
  /** Island root → site position of the source that forms the island's grid this slot. */
  readonly gridFormers: Map<number, number>;
  /** Islands whose grid-forming sources could not also carry the network losses (brownout). */
  readonly brownouts: number[];
}
