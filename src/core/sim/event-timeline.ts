/**
 * Scenario events turned into per-slot changes of area state. Events start at the slot nearest to
 * their `startHour`; a duration covers at least one slot.
 *
 * State per area:
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
}

type Change =
  | { kind: 'link-down'; area: number; announcedSlots: number }
  | { kind: 'link-up'; area: number }
  | { kind: 'comm-cut'; area: number }
  | { kind: 'comm-restored'; area: number }
  | { kind: 'disaster'; area: number }
  | { kind: 'restore'; area: number };

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

  constructor(events: readonly EventSpec[], tree: AreaTree, private readonly slotMinutes: number, private readonly slots: number) {
    const n = tree.count;
    this.states = {
      linkDown: new Uint8Array(n), destroyed: new Uint8Array(n), commCut: new Uint8Array(n),
      outageStartSlot: new Int32Array(n).fill(-1), announcedOutageSlots: new Int32Array(n),
    };
    for (const e of events) {
      const area = tree.indexOf.get(e.area) as number;
      const start = this.slotOf(e.startHour);
      switch (e.kind) {
        case 'outage': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          const announced = e.expectedDurationHours === undefined ? 0 : Math.max(1, this.slotOf(e.expectedDurationHours));
          this.add(start, { kind: 'link-down', area, announcedSlots: announced });
          this.add(end, { kind: 'link-up', area });
          break;
        }
        case 'comm-cut': {
          const end = Math.max(start + 1, this.slotOf(e.startHour + e.durationHours));
          this.add(start, { kind: 'comm-cut', area });
          this.add(end, { kind: 'comm-restored', area });
          break;
        }
        case 'disaster':
          this.add(start, { kind: 'disaster', area });
          break;
        case 'restore':
          this.add(start, { kind: 'restore', area });
          break;
      }
    }
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
    const list = this.changes.get(slot);
    if (list === undefined) return NO_EVENTS;
    const s = this.states;
    const disasters: number[] = [];
    for (const c of list) {
      switch (c.kind) {
        case 'link-down':
          if (s.linkDown[c.area] === 0) s.outageStartSlot[c.area] = slot;
          s.linkDown[c.area] = 1;
          s.announcedOutageSlots[c.area] = c.announcedSlots;
          break;
        case 'link-up':
          s.linkDown[c.area] = 0;
          s.outageStartSlot[c.area] = -1;
          s.announcedOutageSlots[c.area] = 0;
          break;
        case 'comm-cut':
          s.commCut[c.area] = 1;
          break;
        case 'comm-restored':
          s.commCut[c.area] = 0;
          break;
        case 'disaster':
          s.destroyed[c.area] = 1;
          disasters.push(c.area);
          break;
        case 'restore':
          s.linkDown[c.area] = 0;
          s.outageStartSlot[c.area] = -1;
          s.announcedOutageSlots[c.area] = 0;
          s.destroyed[c.area] = 0;
          s.commCut[c.area] = 0;
          break;
      }
    }
    return { disasters, changed: true };
  }
}
