import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { aDailySeries, anExogenous, SLOTS_PER_DAY } from './forecast.fixture.js';
import { evaluateForecasts, FORECAST_TARGETS, type EvaluationInput } from './forecast-evaluation.js';

function anEvaluationInput(days: number): EvaluationInput {
  const exogenous = anExogenous(days);
  return {
    exogenous, slotsPerDay: SLOTS_PER_DAY,
    series: {
      load: aDailySeries(exogenous, { noise: 10, seed: 3 }),
      pv: Float64Array.from(exogenous.ghiWm2, (g, s) => 0.4 * g * (1 + 0.05 * Math.sin(s))),
      wind: new Float64Array(days * SLOTS_PER_DAY),
      price: aDailySeries(exogenous, { base: 20, amplitude: 8, noise: 2, seed: 4 }),
    },
  };
}

describe('evaluateForecasts', () => {
  const input = anEvaluationInput(12);
  const result = evaluateForecasts(input, { warmupDays: 5, evaluationDays: 7, issueEveryHours: 6 });

  it('scores every target against seasonal naive with the contract fields', () => {
    expect(Object.keys(result.targets)).toEqual([...FORECAST_TARGETS]);
    for (const target of FORECAST_TARGETS) {
      const t = result.targets[target];
      expect(t).toMatchObject({ model: 'ridge', mae: expect.any(Number), rmse: expect.any(Number), seasonalNaiveMae: expect.any(Number) });
      expect(t.baselines.map((b) => b.model)).toEqual(['seasonal-naive-1d', 'seasonal-naive-7d', 'persistence']);
      expect(t.baselines[0]?.mae).toBe(t.seasonalNaiveMae);
    }
    expect(result.targets.load.unit).toBe('kW');
    expect(result.targets.price.unit).toBe('minor/kWh');
  });

  it('scores every (issue, lead) pair inside the history', () => {
    // 28 issues 6 h apart; leads run to the end of the history: Σ min(96, end − issue).
    const end = 12 * SLOTS_PER_DAY;
    let pairs = 0;
    for (let now = 5 * SLOTS_PER_DAY; now < end; now += 24) pairs += Math.min(SLOTS_PER_DAY, end - now);
    expect(result.protocol.issues).toBe(28);
    expect(result.targets.load.evaluatedSlots).toBe(pairs);
  });

  it('the learned model beats seasonal naive on a noisy daily cycle and on PV', () => {
    expect(result.targets.load.skill).toBeGreaterThan(0.2);
    expect(result.targets.pv.skill).toBeGreaterThan(0.2);
  });

  it('skill is null when seasonal naive is exact (no wind at all)', () => {
    expect(result.targets.wind).toMatchObject({ mae: 0, seasonalNaiveMae: 0, skill: null });
  });

  it('reports which model the learned forecaster used per issue', () => {
    const counts = Object.values(result.targets.load.issuesByModel).reduce((s, n) => s + n, 0);
    expect(counts).toBe(result.protocol.issues);
    expect(result.targets.load.issuesByModel).toHaveProperty(['ridge (1-day lags only)']);
  });

  it('error: a history shorter than warm-up + evaluation, or a horizon over 48 h, is a usage error', () => {
    expect(() => evaluateForecasts(input, { warmupDays: 7, evaluationDays: 7 })).toThrow(UsageError);
    try {
      evaluateForecasts(input, { warmupDays: 2, evaluationDays: 7, horizonHours: 72 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).details.join('\n')).toMatch(/horizon: 0.25 to 48 hours \(got 72\)/);
    }
  });
});
