import { describe, expect, it } from 'vitest';
import { aScenario } from '../../sim/scenario.fixture.js';
import { simulate } from '../../sim/simulate.js';
import { IslandController } from '../island-controller.js';
import { simpleRuleFigures } from './rationing-comparison.js';
import { rationingFigures } from './rationing-figures.js';

const outage = { kind: 'outage' as const, area: 'city', startHour: 12, durationHours: 30, expectedDurationHours: 30 };

describe('simpleRuleFigures', () => {
  it('runs the same scenario with the simple rule and returns its island figures', () => {
    const scenario = aScenario({ events: [outage], days: 2 });
    const figures = simpleRuleFigures(scenario);
    const direct = simulate(scenario, { mode: 'autonomous', stages: { islands: new IslandController({ rationing: 'simple' }) } });
    expect(figures).toEqual(rationingFigures(direct.metrics.islands));
    expect(figures.islands).toBe(2);
    expect(figures.periods.map((p) => p.area)).toEqual(['n1', 'n2']);
    expect(figures.criticalSurvivalHoursMin).toBe(30);
  });

  it('follows the seed and days of the run it is compared with', () => {
    const scenario = aScenario({ events: [outage], days: 2 });
    const short = simpleRuleFigures(scenario, { days: 1, seed: 3 });
    const direct = simulate(scenario, { mode: 'autonomous', days: 1, seed: 3, stages: { islands: new IslandController({ rationing: 'simple' }) } });
    expect(short).toEqual(rationingFigures(direct.metrics.islands));
    expect(short.periods[0]?.endSlot).toBe(96);
  });

  it('reports no islands for a scenario without outages', () => {
    expect(simpleRuleFigures(aScenario({ days: 0.5 }))).toEqual({
      islands: 0, islandsSurvived: 0, criticalSurvivalHoursMin: null, criticalNotServedKwh: 0,
      notServedByPriorityKwh: { critical: 0, essential: 0, normal: 0 }, periods: [],
    });
  });
});
