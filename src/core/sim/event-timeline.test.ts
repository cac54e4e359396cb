import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../grid/area-tree.js';
import { EventTimeline, type SlotEvents } from './event-timeline.js';
import type { AreaLevel, AreaSpec, EventSpec } from './scenario-schema.js';

function anArea(id: string, level: AreaLevel, parent?: string): AreaSpec {
  return { id, level, ...(parent === undefined ? {} : { parent }), microgrid: false, upstreamCapacityKw: 1_000 };
}

const tree = buildAreaTree({
  areas: [anArea('tso', 'tso'), anArea('dso', 'dso', 'tso'), anArea('city', 'city', 'dso'), anArea('nbh', 'neighbourhood', 'city')],
  sites: [],
});
const CITY = tree.indexOf.get('city') as number;
const NBH = tree.indexOf.get('nbh') as number;

const SLOT_MINUTES = 15;
const SLOTS = 96; // one day of 15-minute slots

const outage = (area: string, startHour: number, durationHours: number, expectedDurationHours?: number): EventSpec =>
  ({ kind: 'outage', area, startHour, durationHours, ...(expectedDurationHours === undefined ? {} : { expectedDurationHours }) });

/** Applies every slot in order and records, per slot, the events and a snapshot of `read`. */
function run<T>(events: EventSpec[], read: (t: EventTimeline) => T, slots = SLOTS) {
  const timeline = new EventTimeline(events, tree, SLOT_MINUTES, slots);
  const applied: SlotEvents[] = [];
  const seen: T[] = [];
  for (let slot = 0; slot < slots; slot++) {
    applied.push(timeline.apply(slot));
    seen.push(read(timeline));
  }
  return { applied, seen };
}

/** Slots in which `flags[slot]` is true, as [first, last] (inclusive), or null when never. */
function span(flags: readonly boolean[]): [number, number] | null {
  const first = flags.indexOf(true);
  return first === -1 ? null : [first, flags.lastIndexOf(true)];
}

const cityDown = (t: EventTimeline): boolean => t.states.linkDown[CITY] === 1;

describe('EventTimeline', () => {
  it('starts with every link up, nothing destroyed and no outage', () => {
    const t = new EventTimeline([], tree, SLOT_MINUTES, SLOTS);
    expect(Array.from(t.states.linkDown)).toEqual([0, 0, 0, 0]);
    expect(Array.from(t.states.destroyed)).toEqual([0, 0, 0, 0]);
    expect(Array.from(t.states.commCut)).toEqual([0, 0, 0, 0]);
    expect(Array.from(t.states.outageStartSlot)).toEqual([-1, -1, -1, -1]);
    expect(Array.from(t.states.announcedOutageSlots)).toEqual([0, 0, 0, 0]);
  });

  it('outage: takes the link down at the nearest slot and brings it up at the end', () => {
    // 1.1 h = slot 4.4 → 4; the end at 3.1 h = slot 12.4 → 12.
    const { seen } = run([outage('city', 1.1, 2)], (t) => [cityDown(t), t.states.outageStartSlot[CITY]] as const);
    expect(span(seen.map(([down]) => down))).toEqual([4, 11]);
    expect(seen[4]?.[1]).toBe(4);
    expect(seen[11]?.[1]).toBe(4);
    expect(seen[12]?.[1]).toBe(-1);
  });

  it('outage: rounds a start past the middle of a slot up to the next slot', () => {
    // 1.15 h = slot 4.6 → 5.
    const { seen } = run([outage('city', 1.15, 1)], cityDown);
    expect(span(seen)?.[0]).toBe(5);
  });

  it('outage: a duration shorter than a slot still covers one slot', () => {
    const { seen } = run([outage('city', 1, 0.01)], cityDown);
    expect(span(seen)).toEqual([4, 4]);
  });

  it('outage: only its own area link goes down', () => {
    const { seen } = run([outage('city', 0, 1)], (t) => Array.from(t.states.linkDown));
    expect(seen[0]).toEqual([0, 0, 1, 0]);
  });

  it('outage: keeps the announced duration in slots while the link is down', () => {
    const announced = (expected: number | undefined) =>
      run([outage('city', 1, 2, expected)], (t) => t.states.announcedOutageSlots[CITY]).seen;
    const three = announced(3);
    expect(three[4]).toBe(12);
    expect(three[11]).toBe(12);
    expect(three[12]).toBe(0);
    expect(announced(0.01)[4]).toBe(1);
    expect(announced(undefined)[4]).toBe(0);
  });

  it('comm-cut: cuts communication for its duration, links stay up', () => {
    const { seen } = run([{ kind: 'comm-cut', area: 'nbh', startHour: 2, durationHours: 0.5 }],
      (t) => [t.states.commCut[NBH] === 1, t.states.linkDown[NBH]] as const);
    expect(span(seen.map(([cut]) => cut))).toEqual([8, 9]);
    expect(seen.every(([, down]) => down === 0)).toBe(true);
  });

  it('disaster: lists the area at its slot and marks it destroyed until a restore', () => {
    const { applied, seen } = run([{ kind: 'disaster', area: 'nbh', startHour: 5 }], (t) => t.states.destroyed[NBH] === 1);
    expect(applied[20]).toEqual({ disasters: [NBH], changed: true });
    expect(span(seen)).toEqual([20, SLOTS - 1]);
    expect(applied.flatMap((e) => e.disasters)).toEqual([NBH]);
  });

  it('restore: clears outage, destruction and communication cut of its area', () => {
    const events: EventSpec[] = [
      { kind: 'disaster', area: 'city', startHour: 1 },
      outage('city', 1, 10, 12),
      { kind: 'comm-cut', area: 'city', startHour: 1, durationHours: 10 },
      { kind: 'restore', area: 'city', startHour: 3 },
    ];
    const { seen } = run(events, (t) => ({
      down: t.states.linkDown[CITY], destroyed: t.states.destroyed[CITY], cut: t.states.commCut[CITY],
      start: t.states.outageStartSlot[CITY], announced: t.states.announcedOutageSlots[CITY],
    }));
    expect(seen[11]).toEqual({ down: 1, destroyed: 1, cut: 1, start: 4, announced: 48 });
    expect(seen[12]).toEqual({ down: 0, destroyed: 0, cut: 0, start: -1, announced: 0 });
  });

  it('ignores events that start at or after the end of the run', () => {
    const events: EventSpec[] = [outage('city', 24, 1), { kind: 'disaster', area: 'nbh', startHour: 30 }];
    const { applied, seen } = run(events, (t) => Array.from(t.states.linkDown).concat(Array.from(t.states.destroyed)));
    expect(applied.every((e) => !e.changed)).toBe(true);
    expect(seen.every((s) => s.every((x) => x === 0))).toBe(true);
  });

  it('keeps the link down to the end of the run when the outage ends after it', () => {
    const { seen } = run([outage('city', 23, 5)], cityDown);
    expect(span(seen)).toEqual([92, SLOTS - 1]);
  });

  it('reports a change only on slots with events', () => {
    const { applied } = run([outage('city', 1, 2), { kind: 'disaster', area: 'nbh', startHour: 6 }], () => 0);
    const changed = applied.flatMap((e, slot) => (e.changed ? [slot] : []));
    expect(changed).toEqual([4, 12, 24]);
    expect(applied[0]).toEqual({ disasters: [], changed: false });
  });

  it('applies an interconnector outage to the TSO area', () => {
    const { seen } = run([outage('tso', 0, 1)], (t) => t.states.linkDown[0]);
    expect(seen[0]).toBe(1);
    expect(seen[4]).toBe(0);
  });

  it('keeps the link down through back-to-back outages listed out of order', () => {
    const { seen } = run([outage('city', 2, 2), outage('city', 0, 2)], cityDown);
    expect(span(seen)).toEqual([0, 15]);
    expect(seen[8]).toBe(true);
  });

  // Same cause: an outage of an area that ends while a longer one of that area still runs brings
  // the link up early. Input: outage city 0h+4h and outage city 1h+1h: the link is up from slot 8.
  it('keeps the link down while an overlapping outage of the same area still runs', () => {
    const { seen } = run([outage('city', 0, 4), outage('city', 1, 1)], cityDown);
    expect(span(seen)).toEqual([0, 15]);
    expect(seen[10]).toBe(true);
  });
});
