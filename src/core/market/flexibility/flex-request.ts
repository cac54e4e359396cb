/**
 * Where flexibility requests come from, slot by slot:
 *
 * - scheduled: `market.flexibility.requests` of the scenario, each open over the slots of its window
 *   (hours from `start`, turned into slots like events are: rounded to the nearest slot, at least one);
 * - TSO peak (`tsoPeak`): inside the watched local hours the TSO estimates the system's planned import
 *   of this slot and, above `thresholdKw`, posts a one-slot `up` request for the excess on the root area;
 * - DSO congestion (`dsoCongestion`): a feeder whose power flow found a thermal overload in the slot
 *   before gets a one-slot request on its area for the overload's share of the area's flow.
 *
 * A request is a power for one slot here; the market awards it as energy (power × slot length).
 */
import { CaseFeederPhysics } from '../../grid/feeder/case-feeder-physics.js';
import type { FeederGrid } from '../../grid/feeder/feeder-grid.js';
import { FeederPhysics } from '../../grid/feeder/feeder-physics.js';
import { selfConsume } from '../../control/self-consumption.js';
import type { AreaTree } from '../../grid/area-tree.js';
import { ScenarioError } from '../../errors.js';
import type { FlexRequestSpec, MarketSpec } from '../../sim/scenario-schema.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import type { FlexBuyer, FlexDirection } from './flex-metrics.js';

export type RequestSource = 'scheduled' | 'tso-peak' | 'dso-congestion';

/** A request open in the current slot. */
export interface SlotRequest {
  readonly source: RequestSource;
  /** Scheduled: the request's index in the scenario; triggers: -1. */
  readonly scheduledIndex: number;
  readonly buyer: FlexBuyer;
  readonly area: number;
  readonly direction: FlexDirection;
  readonly powerKw: number;
  readonly priceCapMinorPerKwh: number;
}

export interface ScheduledRequest {
  readonly index: number;
  readonly spec: FlexRequestSpec;
  readonly area: number;
  readonly startSlot: number;
  /** Exclusive. */
  readonly endSlot: number;
}

/** The scheduled requests with their area and slot window; an unknown area is a ScenarioError. */
export function scheduleRequests(specs: readonly FlexRequestSpec[], tree: AreaTree, slotMinutes: number): ScheduledRequest[] {
  const slotOf = (hours: number): number => Math.round((hours * 60) / slotMinutes);
  return specs.map((spec, index) => {
    const area = tree.indexOf.get(spec.area);
    if (area === undefined) {
      throw new ScenarioError('invalid scenario', { details: [`market.flexibility.requests[${index}].area: an area id (got ${JSON.stringify(spec.area)})`] });
    }
    const startSlot = slotOf(spec.startHour);
    return { index, spec, area, startSlot, endSlot: Math.max(startSlot + 1, slotOf(spec.startHour + spec.durationHours)) };
  });
}

/** Hands out the scheduled requests open in each slot (slots must come in order). */
export class RequestSchedule {
  private readonly byStart: ScheduledRequest[];
  private next = 0;
  private open: ScheduledRequest[] = [];

  constructor(requests: readonly ScheduledRequest[]) {
    this.byStart = [...requests].sort((x, y) => x.startSlot - y.startSlot || x.index - y.index);
  }

  /** Adds a request decided while running (e.g. an operator's through a node's API); it must start after the slots handed out. */
  add(request: ScheduledRequest): void {
    const rest = this.byStart.splice(this.next);
    rest.push(request);
    rest.sort((x, y) => x.startSlot - y.startSlot || x.index - y.index);
    this.byStart.push(...rest);
  }

  /** Requests open in `slot`, in scenario order. */
  openAt(slot: number): readonly ScheduledRequest[] {
    this.open = this.open.filter((r) => r.endSlot > slot);
    let added = false;
    while (this.next < this.byStart.length && (this.byStart[this.next] as ScheduledRequest).startSlot <= slot) {
      const r = this.byStart[this.next++] as ScheduledRequest;
      if (r.endSlot > slot) {
        this.open.push(r);
        added = true;
      }
    }
    if (added) this.open.sort((x, y) => x.index - y.index);
    return this.open;
  }
}

export function scheduledSlotRequest(r: ScheduledRequest): SlotRequest {
  const { spec } = r;
  return {
    source: 'scheduled', scheduledIndex: r.index, buyer: spec.buyer, area: r.area, direction: spec.direction,
    powerKw: spec.powerKw, priceCapMinorPerKwh: spec.priceCapMinorPerKwh,
  };
}

/**
 * Whether a local hour of day lies in the watched hours [fromHour, toHour). A window with
 * fromHour > toHour runs over midnight; fromHour = toHour watches the whole day.
 */
export function inWatchedHours(hourOfDay: number, fromHour: number, toHour: number): boolean {
  if (fromHour === toHour) return true;
  if (fromHour < toHour) return hourOfDay >= fromHour && hourOfDay < toHour;
  return hourOfDay >= fromHour || hourOfDay < toHour;
}

/**
 * The TSO's estimate of this slot's system import, Wh: every connected site's plan behind its meter
 * (self-consumption, the same rule the balancer applies next; it is idempotent), import minus export.
 */
export function plannedSystemImportWh(b: SlotBuffers, connected: Int32Array): number {
  let net = 0;
  for (let k = 0; k < connected.length; k++) {
    const i = connected[k] as number;
    selfConsume(b, i, false);
    net += b.totalImportWh(i) - (b.exportWh[i] as number);
  }
  return net;
}

type TsoPeakSpec = NonNullable<MarketSpec['flexibility']['tsoPeak']>;

/** The TSO's one-slot request for the import above its threshold, or undefined. */
export function tsoPeakRequest(spec: TsoPeakSpec, plannedImportKw: number, hourOfDay: number, rootArea: number): SlotRequest | undefined {
  if (!inWatchedHours(hourOfDay, spec.fromHour, spec.toHour)) return undefined;
  const excessKw = plannedImportKw - spec.thresholdKw;
  if (!(excessKw > 0)) return undefined;
  return { source: 'tso-peak', scheduledIndex: -1, buyer: 'tso', area: rootArea, direction: 'up', powerKw: excessKw, priceCapMinorPerKwh: spec.priceCapMinorPerKwh };
}

export interface FeederOverload {
  readonly area: number;
  /** Highest branch loading of the feeder's last power flow, percent (> 100). */
  readonly loadingPct: number;
}

/**
 * Notices the feeders whose last power flow found a thermal overload: the grid counts thermal
 * violations per feeder, so a count that rose since the last look means the slot before had one; the
 * loading itself is that feeder's last result.
 */
export class CongestionWatch {
  private readonly slotsSeen: Float64Array;
  private readonly thermalSeen: Float64Array;

  constructor(private readonly grid: FeederGrid) {
    this.slotsSeen = Float64Array.from(grid.stats, (s) => s?.slots ?? 0);
    this.thermalSeen = Float64Array.from(grid.stats, (s) => s?.thermalViolations ?? 0);
  }

  /** Feeders overloaded since the last call, in area order. */
  overloads(): FeederOverload[] {
    const found: FeederOverload[] = [];
    this.grid.stats.forEach((s, a) => {
      if (s === undefined) return;
      const rose = s.thermalViolations > (this.thermalSeen[a] as number) && s.slots > (this.slotsSeen[a] as number);
      this.slotsSeen[a] = s.slots;
      this.thermalSeen[a] = s.thermalViolations;
      if (!rose) return;
      const feeder = this.grid.feeders[a];
      const loadingPct = feeder instanceof FeederPhysics || feeder instanceof CaseFeederPhysics ? feeder.result.maxLoadingPct : Number.NaN;
      found.push({ area: a, loadingPct });
    });
    return found;
  }
}

/**
 * The DSO's estimate of the power to take off an overloaded feeder: the area's metered flow of the
 * slot before times the overload's share of it, (1 − 100 / loading). Exact when the most loaded
 * element carries the whole flow (the transformer, the first cable section), an overestimate when it
 * carries less. Without a usable loading (not finite, not above 100 %) nothing is asked.
 */
export function congestionShareKw(areaFlowKw: number, loadingPct: number): number {
  if (!Number.isFinite(loadingPct) || loadingPct <= 100) return 0;
  return Math.abs(areaFlowKw) * (1 - 100 / loadingPct);
}

/** A one-slot DSO request on an overloaded feeder: `up` when the area imports, `down` when it exports. */
export function dsoCongestionRequest(area: number, areaNetKw: number, loadingPct: number, priceCapMinorPerKwh: number): SlotRequest | undefined {
  const powerKw = congestionShareKw(areaNetKw, loadingPct);
  if (!(powerKw > 0)) return undefined;
  return {
    source: 'dso-congestion', scheduledIndex: -1, buyer: 'dso', area, direction: areaNetKw < 0 ? 'up' : 'down',
    powerKw, priceCapMinorPerKwh,
  };
}
