import { describe, expect, it } from 'vitest';
import { SlotBuffers } from '../../sim/slot-buffers.js';
import { GENERATION_RATIO_MAX, SeasonalIslandForecast } from './seasonal-island-forecast.js';
import { SiteHistory } from './site-history.js';

const SLOTS_PER_DAY = 4;

interface Day {
  critical: number[];
  pv: number[];
  essential?: number;
}

/** Two sites sensing the same values; returns the history, the buffers (sensing `now`) and the forecast. */
function recorded(days: Day[], now: { slot: number; critical: number; pv: number }) {
  const b = new SlotBuffers(2);
  const history = new SiteHistory(Uint8Array.from([1, 1]), SLOTS_PER_DAY);
  const set = (critical: number, pv: number, essential: number): void => {
    for (let i = 0; i < 2; i++) {
      b.demandWh[0][i] = critical;
      b.demandWh[1][i] = essential;
      b.pvWh[i] = pv;
      b.chpMaxWh[i] = 0;
    }
  };
  days.forEach((d, day) => d.critical.forEach((c, k) => {
    const slot = day * SLOTS_PER_DAY + k;
    if (slot >= now.slot) return;
    set(c, d.pv[k] as number, d.essential ?? 0);
    history.record(slot, b);
  }));
  set(now.critical, now.pv, 0);
  history.record(now.slot, b);
  return { history, forecast: new SeasonalIslandForecast(history, b) };
}

const series = (f: (out: Float64Array) => void, n: number): number[] => {
  const out = new Float64Array(n);
  f(out);
  return Array.from(out);
};

describe('SeasonalIslandForecast', () => {
  const sunny: Day = { critical: [10, 20, 30, 20], pv: [0, 40, 60, 0], essential: 5 };

  it('forecasts the mean of the same time of day, summed over the sites; slot 0 is what is sensed now', () => {
    const { forecast } = recorded([sunny, sunny, sunny], { slot: 12, critical: 11, pv: 0 });
    // Now (slot 12 = time of day 0) senses 11 Wh per site; the profile says 10.
    expect(series((o) => forecast.netCriticalWh([0, 1], 12, 6, o), 6)).toEqual([22, 40 - 80, 60 - 120, 40, 2 * 10.25, 40 - 80]);
    expect(series((o) => forecast.nonCriticalWh([0, 1], 12, 3, o), 3)).toEqual([0, 10, 10]);
  });

  it('scales generation by the recent ratio of actual to profile: a cloudy day stays cloudy', () => {
    const cloudy: Day = { ...sunny, pv: [0, 10, 15, 0] };
    const { forecast } = recorded([sunny, sunny, cloudy], { slot: 12, critical: 10, pv: 0 });
    // Profile PV (per site) at noon: (60 + 60 + 15) / 3 = 45; last day's 25 Wh over a profile of 75: ratio 1/3.
    expect(forecast.generationRatio([0, 1], 12)).toBeCloseTo(25 / 75, 9);
    const net = series((o) => forecast.netCriticalWh([0, 1], 12, 3, o), 3);
    expect(net[2]).toBeCloseTo(2 * (30 - 45 / 3), 9);
  });

  it('bounds the ratio when the last day was sunnier than the profile', () => {
    const dull: Day = { ...sunny, pv: [0, 1, 1, 0] };
    const { forecast } = recorded([dull, dull, sunny], { slot: 12, critical: 10, pv: 0 });
    expect(forecast.generationRatio([0, 1], 12)).toBe(GENERATION_RATIO_MAX);
  });

  it('without history for a time of day, counts on current demand and on no generation', () => {
    const { forecast } = recorded([sunny], { slot: 2, critical: 30, pv: 60 });
    // Times of day 2 (now), 3 have no history yet except now; 0 and 1 were recorded today.
    expect(series((o) => forecast.netCriticalWh([0, 1], 2, 4, o), 4)).toEqual([2 * (30 - 60), 2 * 30, 2 * 10, 2 * (20 - 40)]);
  });

  it('counts a site the history does not track at its current values', () => {
    const b = new SlotBuffers(2);
    const history = new SiteHistory(Uint8Array.from([1, 0]), SLOTS_PER_DAY);
    b.demandWh[0][0] = 10;
    b.demandWh[0][1] = 100;
    b.pvWh[1] = 50;
    for (let s = 0; s < 5; s++) history.record(s, b);
    const forecast = new SeasonalIslandForecast(history, b);
    expect(series((o) => forecast.netCriticalWh([0, 1], 4, 2, o), 2)).toEqual([110 - 50, 110]);
  });

  it('keeps a set’s profile up to date slot by slot: the same forecast as one made afresh', () => {
    const b = new SlotBuffers(3);
    const history = new SiteHistory(Uint8Array.from([1, 1, 1]), SLOTS_PER_DAY);
    const kept = new SeasonalIslandForecast(history, b);
    const sites = [0, 2];
    for (let slot = 0; slot < 30; slot++) {
      for (let i = 0; i < 3; i++) {
        b.demandWh[0][i] = 10 + ((slot * 7 + i * 3) % 11);
        b.demandWh[2][i] = (slot * 5 + i) % 13;
        b.pvWh[i] = slot % 4 === 2 ? 30 + ((slot + i) % 9) : 0;
      }
      history.record(slot, b);
      if (slot % 3 !== 0) continue; // the kept profile skips slots, then catches up
      const fresh = new SeasonalIslandForecast(history, b);
      expect(series((o) => kept.netCriticalWh(sites, slot, 8, o), 8)).toEqual(series((o) => fresh.netCriticalWh([...sites], slot, 8, o), 8));
      expect(series((o) => kept.nonCriticalWh(sites, slot, 8, o), 8)).toEqual(series((o) => fresh.nonCriticalWh([...sites], slot, 8, o), 8));
    }
  });
});
