import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../adapters/scenario-file.js';
import type { RunResult } from '../sim/results-types.js';
import { aScenario, aScenarioInput } from '../sim/scenario.fixture.js';
import { simulate } from '../sim/simulate.js';
import { IslandController } from './island-controller.js';

/** What the rationing rule decides: energy not served by class, storage over the run, the islands. */
const figures = (r: RunResult) => ({
  notServed: r.metrics.energyNotServedByPriorityKwh,
  served: r.metrics.energyServedKwh,
  socSum: Math.round(r.series.batterySocPct.reduce((s, x) => s + x, 0) * 1000) / 1000,
  islands: r.metrics.islands.map((p) => [p.area, p.startSlot, p.endSlot, p.gridFormer]),
});

const outage = { kind: 'outage' as const, area: 'city', startHour: 12, durationHours: 20 };
const simple = { stages: { islands: new IslandController({ rationing: 'simple' }) } };

describe('IslandController', () => {
  // Figures of the spine's controller (before issue 6) on the same scenarios, recorded when the
  // forecast rule was added. They change only when something else changes the physics.
  it('rationing simple behaves exactly like the spine’s controller', async () => {
    const long = { ...outage, durationHours: 30, expectedDurationHours: 30 };
    expect(figures(simulate(aScenario({ events: [long], days: 2 }), { mode: 'autonomous', ...simple }))).toEqual({
      notServed: { critical: 0, essential: 0, normal: 1238.265 }, served: 1483.238, socSum: 16547.647,
      islands: [['n1', 48, 168, 'n1-community'], ['n2', 48, 168, 'n2-community']],
    });
    const input = aScenarioInput({ events: [{ ...outage, startHour: 17, durationHours: 6, expectedDurationHours: 6 }, { kind: 'comm-cut', area: 'city', startHour: 17, durationHours: 6 }] });
    input.sites = input.sites.map((site) => (site.kind === 'community'
      ? { ...site, assets: [{ kind: 'battery', capacityKwh: 100, maxChargeKw: 50, maxDischargeKw: 50, gridForming: true, initialSocPct: 80 }] } : site));
    expect(figures(simulate(aScenario(input), { mode: 'autonomous', stages: { islands: new IslandController({ rationing: 'simple' }) } }))).toEqual({
      notServed: { critical: 0, essential: 0, normal: 226.006 }, served: 2521.102, socSum: 15803.132,
      islands: [['n1', 68, 92, 'n1-community'], ['n2', 68, 92, 'n2-community']],
    });
    const village = await loadScenarioFile(join(import.meta.dirname, '..', '..', '..', 'examples', 'long-outage.yaml'));
    expect(figures(simulate(village, { mode: 'autonomous', stages: { islands: new IslandController({ rationing: 'simple' }) } }))).toEqual({
      notServed: { critical: 29.406, essential: 69.787, normal: 366.632 }, served: 2819.662, socSum: 40757.368,
      islands: [['linden', 360, 600, 'linden-battery']],
    });
  });

  it('rations by forecast by default and reports it', () => {
    const r = simulate(aScenario({ events: [outage] }), { mode: 'autonomous' });
    expect(r.metrics.rationing?.strategy).toBe('forecast');
    const s = simulate(aScenario({ events: [outage] }), { mode: 'autonomous', stages: { islands: new IslandController({ rationing: 'simple' }) } });
    expect(s.metrics.rationing?.strategy).toBe('simple');
    expect(s.metrics.rationing?.peerMessages).toBe(0);
  });

  it('records survival for every island period: the whole period when critical load was always served', () => {
    const r = simulate(aScenario({ events: [outage] }), { mode: 'autonomous' });
    for (const p of r.metrics.islands) {
      expect(p.survivedWholePeriod).toBe(true);
      expect(p.criticalSurvivalHours).toBe(20);
      expect(p.notServedByPriorityKwh.critical).toBe(0);
    }
    expect(r.metrics.rationing).toMatchObject({ islands: 2, islandsSurvived: 2, criticalSurvivalHoursMin: 20, criticalNotServedKwh: 0, planDisagreements: 0 });
  });

  it('an island that cannot form loses its critical load in its first slot; baseline runs have no rationing figures', () => {
    const input = aScenarioInput({ events: [outage] });
    input.sites = input.sites.map((s) => ({ ...s, assets: (s.assets ?? []).map((a) => (a.kind === 'battery' ? { ...a, gridForming: false } : a)) }));
    const r = simulate(aScenario(input), { mode: 'autonomous' });
    const n1 = r.metrics.islands.find((p) => p.area === 'n1');
    expect(n1).toMatchObject({ criticalSurvivalHours: 0, survivedWholePeriod: false });
    expect(n1?.notServedByPriorityKwh.critical).toBeGreaterThan(0);
    expect(r.metrics.rationing?.criticalSurvivalHoursMin).toBe(0);
    expect(simulate(aScenario({ events: [outage] }), { mode: 'baseline' }).metrics.rationing).toBeUndefined();
  });

  it('error: a controller keeps one run’s history, so it cannot be given to a second run', () => {
    const controller = new IslandController();
    simulate(aScenario({ events: [outage], days: 1 }), { mode: 'autonomous', stages: { islands: controller } });
    expect(() => simulate(aScenario({ events: [outage], days: 1 }), { mode: 'autonomous', stages: { islands: controller } })).toThrow(/serves one run/);
  });
});
