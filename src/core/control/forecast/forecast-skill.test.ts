/**
 * The acceptance test of issue 6: on a simulated city (fixed seed), the learned model beats seasonal
 * naive on load and PV over a two-week evaluation after a one-week warm-up.
 */
import { describe, expect, it } from 'vitest';
import { cityOptionsForSites, generateCity } from '../../sim/city-generator.js';
import { parseScenario } from '../../sim/scenario-validate.js';
import { evaluateForecasts } from './forecast-evaluation.js';
import { simulateForecastHistory } from './forecast-history.js';

const SEED = 11;

describe('forecast skill on a simulated city', () => {
  it(`the learned model beats seasonal naive on load and PV (seed ${SEED})`, () => {
    const scenario = parseScenario(generateCity({ ...cityOptionsForSites(60), days: 21, seed: SEED }));
    const history = simulateForecastHistory(scenario, { days: 21 });
    const result = evaluateForecasts(history, { warmupDays: 7, evaluationDays: 14, issueEveryHours: 3 });
    const { load, pv, wind } = result.targets;
    const summary = `seed ${SEED}: load ${JSON.stringify(load)}, pv ${JSON.stringify(pv)}`;
    expect(load.skill, summary).toBeGreaterThan(0.1);
    expect(pv.skill, summary).toBeGreaterThan(0.1);
    expect(load.mae, summary).toBeLessThan(load.seasonalNaiveMae);
    // A learned power curve on the wind-speed forecast: far better than yesterday's wind.
    if (wind.skill !== null) expect(wind.skill, summary).toBeGreaterThan(0);
  });
});
