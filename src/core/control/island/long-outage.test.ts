// examples/long-outage.yaml: a village riding out a 60-hour outage with no repair time announced.
// The test: island rationing keeps critical loads served where the naive rule runs out of storage.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../adapters/scenario-file.js';
import { simulate } from '../../sim/simulate.js';
import { IslandController } from '../island-controller.js';
import { simpleRuleFigures } from './rationing-comparison.js';

const village = await loadScenarioFile(join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'long-outage.yaml'));
const OUTAGE_HOURS = 60;

describe('examples/long-outage.yaml', () => {
  const forecast = simulate(village, { mode: 'autonomous' });
  const simple = simpleRuleFigures(village);

  it('the simple rule runs out of storage: the clinic goes dark before the grid is back', () => {
    expect(simple.islands).toBe(1);
    expect(simple.criticalNotServedKwh).toBeGreaterThan(0);
    expect(simple.criticalSurvivalHoursMin).toBeLessThan(OUTAGE_HOURS);
    expect(simple.periods[0]?.survivedWholePeriod).toBe(false);
  });

  it('forecast rationing keeps critical load served through the whole outage', () => {
    const r = forecast.metrics.rationing;
    expect(r?.strategy).toBe('forecast');
    expect(r?.criticalNotServedKwh).toBe(0);
    expect(r?.criticalSurvivalHoursMin).toBe(OUTAGE_HOURS);
    expect(forecast.metrics.islands.map((p) => [p.area, p.minutes / 60, p.survivedWholePeriod])).toEqual([['linden', OUTAGE_HOURS, true]]);
    expect(forecast.metrics.criticalEnergyNotServedKwh).toBe(0);
  });

  it('the village’s three controllers coordinate peer to peer and agree on every plan, through a cut inside the island', () => {
    const r = forecast.metrics.rationing;
    // 240 island slots × 6 deliveries among 3 controllers, less 32 slots in which the South row's
    // controller was cut off from the other two (4 deliveries each).
    expect(r?.peerMessages).toBe(240 * 6 - 32 * 4);
    expect(r?.planDisagreements).toBe(0);
  });

  it('the simple rule’s survival is where the series shows the first critical load not served', () => {
    const simpleRun = simulate({ ...village, autonomy: { ...village.autonomy, rationing: 'simple' } }, {
      mode: 'autonomous', stages: { islands: new IslandController({ rationing: 'simple' }) },
    });
    const start = simpleRun.metrics.islands[0]?.startSlot ?? 0;
    const first = simpleRun.series.notServedCriticalKw.findIndex((kw, s) => s >= start && kw > 0);
    expect((first - start) / 4).toBe(simple.criticalSurvivalHoursMin);
  });

  it('a forecast run reports the simple rule next to its own figures, from the same scenario', () => {
    const { periods: _periods, ...figures } = simple;
    expect(forecast.metrics.rationing?.simpleRule).toEqual({ ...figures, periods: simple.periods });
  });

  it('the scenario’s rationing setting picks the rule (simple: no forecast, no comparison)', () => {
    const run = simulate({ ...village, autonomy: { ...village.autonomy, rationing: 'simple' } }, { mode: 'autonomous' });
    expect(run.metrics.rationing?.strategy).toBe('simple');
    expect(run.metrics.rationing?.criticalNotServedKwh).toBe(simple.criticalNotServedKwh);
    expect(run.metrics.rationing?.simpleRule).toBeUndefined();
  });

  it('the island’s market prices scarcity: storage is offered dearer as the reserve takes up the store', () => {
    const island = forecast.metrics.islands[0];
    const scarcity = forecast.series.islandScarcityMinorPerKwh ?? [];
    const during = scarcity.slice((island?.startSlot ?? 0) + 1, island?.endSlot);
    expect(during.every((p) => Number.isFinite(p))).toBe(true);
    expect(Math.min(...during.slice(0, 8))).toBeLessThan(village.market.bidPriceMinorPerKwh.normal);
    // By the last night only critical load may buy: the store is all reserve, offered at the critical bid.
    expect(during.slice(-16).every((p) => p === village.market.bidPriceMinorPerKwh.critical)).toBe(true);
    expect(scarcity.slice(0, island?.startSlot).every((p) => Number.isNaN(p) || p === null)).toBe(true);
  });
});
