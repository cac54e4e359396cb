import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../../grid/area-tree.js';
import { FeederPhysics } from '../../grid/feeder/feeder-physics.js';
import { ScenarioError } from '../../errors.js';
import { aScenario, aScenarioInput } from '../../sim/scenario.fixture.js';
import type { FlexRequestSpec } from '../../sim/scenario-schema.js';
import { prepareRun } from '../../sim/simulate.js';
import {
  CongestionWatch, congestionShareKw, dsoCongestionRequest, inWatchedHours, RequestSchedule, scheduleRequests, tsoPeakRequest,
} from './flex-request.js';

const tree = buildAreaTree(aScenario());
const aRequest = (o: Partial<FlexRequestSpec>): FlexRequestSpec => ({
  id: 'r', buyer: 'dso', area: 'n1', startHour: 0, durationHours: 1, direction: 'up', powerKw: 10, priceCapMinorPerKwh: 30, ...o,
});

describe('scheduled requests', () => {
  it('covers the slots of their window, at least one', () => {
    const [a, b] = scheduleRequests([aRequest({ startHour: 18, durationHours: 2 }), aRequest({ startHour: 1.1, durationHours: 0.01 })], tree, 15);
    expect(a).toMatchObject({ index: 0, area: tree.indexOf.get('n1'), startSlot: 72, endSlot: 80 });
    expect(b).toMatchObject({ startSlot: 4, endSlot: 5 });
  });

  it('error: a request on an unknown area is a ScenarioError naming the path', () => {
    expect(() => scheduleRequests([aRequest({}), aRequest({ area: 'nowhere' })], tree, 15)).toThrow(ScenarioError);
    try {
      scheduleRequests([aRequest({ area: 'nowhere' })], tree, 15);
    } catch (error) {
      expect((error as ScenarioError).details[0]).toMatch(/^market\.flexibility\.requests\[0\]\.area/);
    }
  });

  it('hands out the requests open in each slot, in scenario order', () => {
    const schedule = new RequestSchedule(scheduleRequests([
      aRequest({ id: 'late', startHour: 1, durationHours: 1 }), aRequest({ id: 'early', startHour: 0, durationHours: 2 }),
    ], tree, 15));
    const ids = (slot: number): string[] => schedule.openAt(slot).map((r) => r.spec.id);
    expect(ids(0)).toEqual(['early']);
    expect(ids(4)).toEqual(['late', 'early']);
    expect(ids(7)).toEqual(['late', 'early']);
    expect(ids(8)).toEqual([]);
  });
});

describe('TSO peak trigger', () => {
  const spec = { thresholdKw: 500, priceCapMinorPerKwh: 25, fromHour: 16, toHour: 21 };

  it('watches [fromHour, toHour), over midnight when from > to, all day when equal', () => {
    expect([15.9, 16, 20.9, 21].map((h) => inWatchedHours(h, 16, 21))).toEqual([false, true, true, false]);
    expect([21, 23.5, 0.5, 6, 12].map((h) => inWatchedHours(h, 21, 6))).toEqual([true, true, true, false, false]);
    expect(inWatchedHours(3, 0, 0)).toBe(true);
  });

  it('asks for the excess above the threshold, on the root, direction up', () => {
    expect(tsoPeakRequest(spec, 650, 18, 0)).toEqual({
      source: 'tso-peak', scheduledIndex: -1, buyer: 'tso', area: 0, direction: 'up', powerKw: 150, priceCapMinorPerKwh: 25,
    });
  });

  it('asks nothing below the threshold or outside the watched hours', () => {
    expect(tsoPeakRequest(spec, 500, 18, 0)).toBeUndefined();
    expect(tsoPeakRequest(spec, 900, 12, 0)).toBeUndefined();
  });
});

describe('DSO congestion trigger', () => {
  it('estimates the overload share of the flow: |flow| × (1 − 100 / loading)', () => {
    expect(congestionShareKw(-200, 125)).toBeCloseTo(40);
    expect(congestionShareKw(300, 150)).toBeCloseTo(100);
    expect(congestionShareKw(-200, 100)).toBe(0);
    expect(congestionShareKw(-200, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('asks up for an importing feeder, down for an exporting one, nothing without an overload', () => {
    expect(dsoCongestionRequest(4, -200, 125, 40)).toMatchObject({ buyer: 'dso', area: 4, direction: 'up', priceCapMinorPerKwh: 40 });
    expect(dsoCongestionRequest(4, 200, 125, 40)?.direction).toBe('down');
    expect(dsoCongestionRequest(4, 200, 90, 40)).toBeUndefined();
  });

  it('notices a feeder whose last power flow found a thermal overload, once', () => {
    const input = aScenarioInput();
    const withFeeders = { ...input, areas: input.areas.map((a) => (a.level === 'street' ? { ...a, feeder: {} } : a)) };
    const { model } = prepareRun(aScenario(withFeeders));
    const watch = new CongestionWatch(model.grid);
    const street = model.tree.indexOf.get('n2-s1') as number;
    const stats = model.grid.stats[street];
    const feeder = model.grid.feeders[street];
    if (stats === undefined || !(feeder instanceof FeederPhysics)) throw new Error('fixture: n2-s1 has a generated feeder');
    expect(watch.overloads()).toEqual([]);
    stats.slots++;
    expect(watch.overloads()).toEqual([]); // solved without an overload
    stats.slots++;
    stats.thermalViolations++;
    feeder.result.maxLoadingPct = 130;
    expect(watch.overloads()).toEqual([{ area: street, loadingPct: 130 }]);
    expect(watch.overloads()).toEqual([]);
  });
});
