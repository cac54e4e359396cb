import { describe, expect, it } from 'vitest';
import type { ControlMetrics } from '../../core/control/control-metrics.js';
import { controlSection } from './control-section.js';

const accuracy = { model: 'ridge', mae: 12.5, rmse: 20.25, skill: 0.4, unit: 'kW', seasonalNaiveMae: 20.8, evaluatedSlots: 480 };

const control: ControlMetrics = {
  forecast: { load: accuracy, pv: { ...accuracy, skill: 0.3 }, wind: { ...accuracy, mae: 0, rmse: 0, skill: null, seasonalNaiveMae: 0 } },
  ems: {
    sites: 25, plans: 4279, solved: 4277, fallbacks: 2, fallbackReasons: { 'time-limit': 2 }, costMinor: 196_861, peakImportKw: 137.3,
    selfConsumptionPct: 64.1, importKwh: 5914, exportKwh: 246, comfortViolationKh: 1.5, evUnmetKwh: 0, washingMissedDeadlines: 0,
    withoutEms: { costMinor: 224_900, peakImportKw: 152.3, selfConsumptionPct: 76.1, importKwh: 6080, exportKwh: 154, comfortViolationKh: 0.5, evUnmetKwh: 0, washingMissedDeadlines: 1 },
  },
};

const run = (c: ControlMetrics | undefined, withSeries = true) => ({
  mode: 'autonomous' as const, metrics: (c === undefined ? {} : { control: c }) as never,
  series: (withSeries ? { forecastDemandKw: [1], forecastPvKw: [0] } : {}) as never,
});

describe('control section of the report', () => {
  it('shows forecast vs actual, accuracy against seasonal naive, and the EMS against no EMS', () => {
    const html = controlSection(run(control));
    expect(html).toContain('Forecasts and site energy management');
    expect(html).toContain('data-chart="forecast"');
    expect(html).toMatch(/<th scope="row">Load<\/th><td>ridge<\/td><td class="num">12\.50<\/td>/);
    expect(html).toContain('0.400');
    expect(html).toMatch(/<th scope="row">Wind<\/th>.*<td class="num">–<\/td>/);
    expect(html).toContain('4,279 plans, 4,277 solved to optimality, 2 heuristic fallbacks (time-limit: 2)');
    expect(html).toMatch(/energy cost in the markets<\/th><td class="num">1,968\.61<\/td><td class="num">2,249\.00<\/td>/);
  });

  it('says so when no day could be scored, and leaves the EMS out when no site planned', () => {
    const html = controlSection(run({ forecast: {} }, false));
    expect(html).toContain('not enough history');
    expect(html).not.toContain('data-chart="forecast"');
    expect(html).not.toContain('planned their battery');
  });

  it('is empty for a run without agents (baseline)', () => {
    expect(controlSection(run(undefined, false))).toBe('');
  });
});
