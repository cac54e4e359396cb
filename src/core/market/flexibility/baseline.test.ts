import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { ScenarioError } from '../../errors.js';
import { EXCLUDED, HISTORY_VALUES_MAX, METERED, MeteredHistory, type HistoryStatus } from './baseline.js';

const SLOTS_PER_DAY = 4;

/** Site 0 has history (row 0), site 1 has none; `days` of metering for site 0, slot by slot. */
function aHistory(baselineDays: number, days: { importWh: number; status?: HistoryStatus }[][]): MeteredHistory {
  const history = new MeteredHistory(Int32Array.from([0, -1]), 1, SLOTS_PER_DAY, baselineDays);
  days.forEach((day, d) => {
    for (let s = 0; s < SLOTS_PER_DAY; s++) {
      const slot = d * SLOTS_PER_DAY + s;
      const cell = day[s] ?? { importWh: 0 };
      history.record(0, slot, cell.importWh, cell.status ?? METERED);
      history.record(1, slot, 999, METERED);
      history.endSlot(slot);
    }
  });
  return history;
}

const day = (slot2Wh: number, status: HistoryStatus = METERED): { importWh: number; status?: HistoryStatus }[] =>
  [{ importWh: 1 }, { importWh: 2 }, { importWh: slot2Wh, status }, { importWh: 4 }];

describe('same-time baseline', () => {
  it('averages the same slot of the day over the last days', () => {
    const history = aHistory(3, [day(100), day(200), day(600)]);
    // Day 3, slot 2 of the day: days 0..2 at slot 2.
    expect(history.baseline(0, 3 * SLOTS_PER_DAY + 2)).toEqual({ importWh: 300, days: 3 });
    expect(history.baseline(0, 3 * SLOTS_PER_DAY + 1)).toEqual({ importWh: 2, days: 3 });
  });

  it('uses the most recent baselineDays days only', () => {
    const history = aHistory(2, [day(100), day(200), day(600)]);
    expect(history.baseline(0, 3 * SLOTS_PER_DAY + 2)).toEqual({ importWh: 400, days: 2 });
  });

  it('skips days on which the slot was activated (or the site not connected), at most baselineDays + 1 back', () => {
    const history = aHistory(2, [day(50), day(100), day(200, EXCLUDED), day(600)]);
    // Days 3 and 1 count (day 2 excluded); day 0 is beyond baselineDays + 1 = 3 days back.
    expect(history.baseline(0, 4 * SLOTS_PER_DAY + 2)).toEqual({ importWh: 350, days: 2 });
    expect(aHistory(1, [day(100, EXCLUDED), day(200, EXCLUDED)]).baseline(0, 2 * SLOTS_PER_DAY + 2)).toBeUndefined();
    expect(aHistory(1, [day(100, EXCLUDED), day(200, EXCLUDED), day(300)]).baseline(0, 3 * SLOTS_PER_DAY + 2)).toEqual({ importWh: 300, days: 1 });
  });

  it('counts exports as negative import and rounds the average to the Wh', () => {
    const history = aHistory(2, [day(-301), day(-100)]);
    expect(history.baseline(0, 2 * SLOTS_PER_DAY + 2)).toEqual({ importWh: -200, days: 2 });
    const odd = aHistory(2, [day(1), day(2)]);
    expect(odd.baseline(0, 2 * SLOTS_PER_DAY + 2)?.importWh).toBe(2);
  });

  it('error path: no history yet, or a site without flexible devices, has no baseline', () => {
    expect(aHistory(5, []).baseline(0, 2)).toBeUndefined(); // day 0: nothing before it
    expect(aHistory(5, [day(100)]).baseline(1, SLOTS_PER_DAY + 2)).toBeUndefined();
  });

  it('error: more history than the limit is a ScenarioError', () => {
    const rows = Math.ceil(HISTORY_VALUES_MAX / (96 * 6)) + 1;
    expect(() => new MeteredHistory(new Int32Array(1), rows, 96, 5)).toThrow(ScenarioError);
  });

  it('error: slots recorded out of order, or a baseline asked for a recorded slot, are bugs', () => {
    const history = aHistory(1, [day(1)]);
    expect(() => history.endSlot(SLOTS_PER_DAY + 1)).toThrow(InvariantError);
    expect(() => history.baseline(0, SLOTS_PER_DAY - 1)).toThrow(InvariantError);
  });
});
