import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { SlotBuffers } from '../../sim/slot-buffers.js';
import { CH_CHP, CH_CRITICAL, CH_GENERATION, CH_NORMAL, MAX_BINS_PER_DAY, SiteHistory } from './site-history.js';

/** Buffers of `n` sites where site i senses `critical(i, slot)` critical demand and `pv(i, slot)` PV. */
function sense(b: SlotBuffers, slot: number, critical: (i: number, s: number) => number, pv: (i: number, s: number) => number = () => 0): SlotBuffers {
  for (let i = 0; i < b.size; i++) {
    b.demandWh[0][i] = critical(i, slot);
    b.pvWh[i] = pv(i, slot);
    b.windWh[i] = 1;
    b.demandWh[2][i] = 10 * i;
    b.chpMaxWh[i] = 7;
  }
  return b;
}

const profileOf = (h: SiteHistory, sites: number[], ch: number): number[] =>
  Array.from({ length: h.binsPerDay }, (_, bin) => h.profileWh(sites, ch, bin));

describe('SiteHistory', () => {
  it('averages each time of day over the days recorded', () => {
    const b = new SlotBuffers(2);
    const h = new SiteHistory(Uint8Array.from([1, 1]), 4);
    // Day d, slot-of-day k: critical = 100·k + d at site 0, twice that at site 1.
    for (let slot = 0; slot < 12; slot++) {
      const d = Math.floor(slot / 4);
      h.record(slot, sense(b, slot, (i, s) => (i + 1) * (100 * (s % 4) + d)));
    }
    expect(h.daysIn(0)).toBe(3);
    expect(profileOf(h, [0], CH_CRITICAL)).toEqual([1, 101, 201, 301]);
    expect(profileOf(h, [0, 1], CH_CRITICAL)).toEqual([3, 303, 603, 903]);
    expect(profileOf(h, [1], CH_NORMAL)).toEqual([10, 10, 10, 10]);
    expect(profileOf(h, [0], CH_GENERATION)).toEqual([1, 1, 1, 1]);
    expect(profileOf(h, [0], CH_CHP)).toEqual([7, 7, 7, 7]);
  });

  it('keeps the last `days` days only (a ring)', () => {
    const b = new SlotBuffers(1);
    const h = new SiteHistory(Uint8Array.from([1]), 2, 3);
    for (let slot = 0; slot < 10; slot++) h.record(slot, sense(b, slot, (_, s) => Math.floor(s / 2)));
    // Days 2, 3 and 4 remain: mean 3.
    expect(h.daysIn(0)).toBe(3);
    expect(profileOf(h, [0], CH_CRITICAL)).toEqual([3, 3]);
    expect([h.latestWh([0], CH_CRITICAL, 0), h.latestWh([0], CH_CRITICAL, 1)]).toEqual([4, 4]);
    expect(h.lastRecordedSlot).toBe(9);
  });

  it('leaves untracked sites out and has no history for times of day not reached yet', () => {
    const b = new SlotBuffers(2);
    const h = new SiteHistory(Uint8Array.from([0, 1]), 4);
    h.record(0, sense(b, 0, () => 50));
    h.record(1, sense(b, 1, () => 60));
    expect(h.trackedSites).toBe(1);
    expect(h.position[0]).toBe(-1);
    expect(profileOf(h, [0, 1], CH_CRITICAL)).toEqual([50, 60, 0, 0]);
    expect(h.daysIn(2)).toBe(0);
  });

  it('groups short slots into bins holding their mean, at most MAX_BINS_PER_DAY a day', () => {
    const slotsPerDay = 24 * 60; // 1-minute slots
    const b = new SlotBuffers(1);
    const h = new SiteHistory(Uint8Array.from([1]), slotsPerDay);
    expect(h.slotsPerBin).toBe(15);
    expect(h.binsPerDay).toBe(MAX_BINS_PER_DAY);
    for (let slot = 0; slot < 15; slot++) h.record(slot, sense(b, slot, (_, s) => s));
    expect(profileOf(h, [0], CH_CRITICAL)[0]).toBeCloseTo(7, 6);
    expect(h.binOf(14)).toBe(0);
    expect(h.binOf(15)).toBe(1);
    expect(h.binOf(slotsPerDay + 16)).toBe(1);
  });

  it('records a slot once and error: refuses slots out of order', () => {
    const b = new SlotBuffers(1);
    const h = new SiteHistory(Uint8Array.from([1]), 4);
    h.record(0, sense(b, 0, () => 5));
    h.record(0, sense(b, 0, () => 9));
    expect(profileOf(h, [0], CH_CRITICAL)[0]).toBe(5);
    h.record(2, b);
    expect(() => h.record(1, b)).toThrow(InvariantError);
  });
});
