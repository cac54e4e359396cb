/**
 * Scenario events turned into per-slot changes of area state. Events start at the slot nearest to
 * their `startHour`; a duration covers at least one slot.
 *
 * State per area (an area may have several overlapping outages or cuts; it is restored when the last
 * one ends):
 * - linkDown: the upstream link is out (outage). On the TSO it means the interconnector is out.
 * - destroyed: a disaster destroyed the area's assets and network; dark until a `restore`.
 * - commCut: communication links are cut (islanded controllers get no outage announcement).
 * A `restore` ends all three for its area; destroyed assets stay lost.
 */
import type { AreaTree } from '../grid/area-tree.js';
import type { EventSpec } from './scenario-schema.js';

export interface AreaStates {
  readonly linkDown: Uint8Array;
  readonly destroyed: Uint8Array;
  readonly commCut: Uint8Array;
  /** Slot an outage of this area started, -1 when its link is up. */
  readonly outageStartSlot: Int32Array;
  /** Outage length the operator announced, in slots (0 = none announced). */
  readonly announcedOutageSlots: Int32Array;
  /** Line faults (scenario event indices) not yet repaired, with their repair slot. */
  readonly activeLineFaults: Map<number, number>;
  /** Cascades (scenario event indices) whose outcome still lasts, with the slot it ends. */
  readonly activeCascades: Map<number, number>;
}

type Change =
  | { kind: 'link-down'; area: number; id: number; announcedSlots: number }
  | { kind: 'link-up'; area: number; id: number }
  | { kind: 'comm-cut'; area: number; id: number }
  | { kind: 'comm-restored'; area: number; id: number }
  | { kind: 'disaster'; area: number }
  | { kind: 'restore'; area: number }
  | { kind: 'line-fault'; area: number; id: number; endSlot: number }
  | { kind: 'line-repaired'; area: number; id: number }
  | { kind: 'cascade'; area: number; id: number; endSlot: number }
  | { kind: 'cascade-over'; area: number; id: number };

export interface SlotEvents {
  /** Areas whose assets are destroyed at this slot (the engine destroys the devices). */
  readonly disasters: readonly number[];
  /** True when any area state changed at this slot (regions must be recomputed). */
  readonly changed: boolean;
}

const NO_EVENTS: SlotEvents = { disasters: [], changed: false };

export class EventTimeline {
  readonly states: AreaStates;
  private readonly changes = new Map<number, Change[]>();
  /** Running outages and communication cuts per area, by event index. */
  private readonly outages = new Map<number, Map<number, { startSlot: number; announcedSlots: number }>>();
  private readonly cuts = new Map<number, Set<number>>();
  /** The last slot `apply` ran for (-1 before the first). */
  private appliedThrough = -1;

  constructor(events: readonly EventSpec[], tree: AreaTree, private readonly slotMinutes: number, private readonly slots: number) {
    const n = tree.count;
    this.states = {
      linkDown: new Uint8Array(n), destroyed: new Uint8Array(n), commCut: new Uint8Array(n),
      outageStartSlot: new Int32Array(n).fill(-1), announcedOutageSlots: new Int32Array(n), activeLineFaults: new Map(), activeCascades: new Map(),
    };
    for (const [id, e] of events.entries()) {
      if (e.kind === 'rogue-device') continue; // the trust layer's, not the grid's
      const area = tree.indexOf.get(e.area) as number;
      const start = this.slotOf(e.startHour);
      switch (e.kind) {
        case 'outage': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          const announced = e.expectedDurationHours === undefined ? 0 : Math.max(1, this.slotOf(e.expectedDurationHours));
          this.add(start, { kind: 'link-down', area, id, announcedSlots: announced });
          this.add(end, { kind: 'link-up', area, id });
          break;
        }
        case 'comm-cut': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          this.add(start, { kind: 'comm-cut', area, id });
          this.add(end, { kind: 'comm-restored', area, id });
          break;
        }
        case 'disaster':
          this.add(start, { kind: 'disaster', area });
          break;
        case 'restore':
          this.add(start, { kind: 'restore', area });
          break;
        case 'cascade': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          this.add(start, { kind: 'cascade', area, id, endSlot: end });
          this.add(end, { kind: 'cascade-over', area, id });
          break;
        }
        case 'line-fault': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          this.add(start, { kind: 'line-fault', area, id, endSlot: end });
          this.add(end, { kind: 'line-repaired', area, id });
          break;
        }
      }
    }
  }

  /**
   * An outage decided while running (a node's operator or its demo button): the area's upstream link
   * is down from `fromSlot` (inclusive) to `toSlot` (exclusive), unannounced. `id` must not be a
   * scenario event's index (use indices from `events.length` on). Slots already applied are refused.
   */
  scheduleOutage(area: number, fromSlot: number, toSlot: number, id: number): void {
    if (!Number.isInteger(fromSlot) || !Number.isInteger(toSlot) || fromSlot < 0 || toSlot <= fromSlot) {
      throw new RangeError(`an outage needs integer slots 0 <= from < to, got ${fromSlot}..${toSlot}`);
    }
    if (fromSlot <= this.appliedThrough) throw new RangeError(`slot ${fromSlot} has already run (last applied: ${this.appliedThrough})`);
    this.add(fromSlot, { kind: 'link-down', area, id, announcedSlots: 0 });
    this.add(toSlot, { kind: 'link-up', area, id });
  }

  private slotOf(hours: number): number {
    return Math.round((hours * 60) / this.slotMinutes);
  }

  private add(slot: number, change: Change): void {
    if (slot >= this.slots) return;
    const list = this.changes.get(slot) ?? [];
    list.push(change);
    this.changes.set(slot, list);
  }

  /** Applies the changes that take effect at the start of `slot`. */
  apply(slot: number): SlotEvents {
    this.appliedThrough = Math.max(this.appliedThrough, slot);
    const list = this.changes.get(slot);
    if (list === undefined) return NO_EVENTS;
    const disasters: number[] = [];
    const touched = new Set<number>();
    for (const c of list) {
      touched.add(c.area);
      switch (c.kind) {
        case 'link-down':
          this.running(this.outages, c.area).set(c.id, { startSlot: slot, announcedSlots: c.announcedSlots });
          break;
        case 'link-up':
          this.outages.get(c.area)?.delete(c.id);
          break;
        case 'comm-cut':
          this.runningCuts(c.area).add(c.id);
          break;
        case 'comm-restored':
          this.cuts.get(c.area)?.delete(c.id);
          break;
        case 'disaster':
          this.states.destroyed[c.area] = 1;
          disasters.push(c.area);
          break;
        case 'line-fault':
          this.states.activeLineFaults.set(c.id, c.endSlot);
          break;
        case 'line-repaired':
          this.states.activeLineFaults.delete(c.id);
          break;
        case 'cascade':
          this.states.activeCascades.set(c.id, c.endSlot);
          break;
        case 'cascade-over':
          this.states.activeCascades.delete(c.id);
          break;
        case 'restore':
          this.outages.get(c.area)?.clear();
          this.cuts.get(c.area)?.clear();
          this.states.destroyed[c.area] = 0;
          break;
      }
    }
    for (const area of touched) this.updateArea(area);
    return { disasters, changed: true };
  }

  private running(byArea: Map<number, Map<number, { startSlot: number; announcedSlots: number }>>, area: number): Map<number, { startSlot: number; announcedSlots: number }> {
    const value = byArea.get(area) ?? new Map<number, { startSlot: number; announcedSlots: number }>();
    byArea.set(area, value);
    return value;
  }

  private runningCuts(area: number): Set<number> {
    const value = this.cuts.get(area) ?? new Set<number>();
    this.cuts.set(area, value);
    return value;
  }

  /** Link state from the outages still running: down from the earliest start, the latest announcement. */
  private updateArea(area: number): void {
    const s = this.states;
    const outages = [...(this.outages.get(area)?.values() ?? [])];
    s.linkDown[area] = outages.length > 0 ? 1 : 0;
    s.outageStartSlot[area] = outages.length > 0 ? Math.min(...outages.map((o) => o.startSlot)) : -1;
    const latest = outages.reduce<{ startSlot: number; announcedSlots: number } | undefined>(
      (best, o) => (best === undefined || o.startSlot >= best.startSlot ? o : best), undefined);
    // The island controller counts from outageStartSlot (the earliest start): shift the announcement.
    s.announcedOutageSlots[area] = latest === undefined || latest.announcedSlots === 0
      ? 0 : latest.announcedSlots + (latest.startSlot - (s.outageStartSlot[area] as number));
    s.commCut[area] = (this.cuts.get(area)?.size ?? 0) > 0 ? 1 : 0;
  }
}
