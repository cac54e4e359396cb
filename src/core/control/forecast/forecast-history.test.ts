import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { aScenario } from '../../sim/scenario.fixture.js';
import { prepareRun } from '../../sim/simulate.js';
import { fillPriceGaps, simulateForecastHistory } from './forecast-history.js';
import { weatherForecastFeatures } from './weather-forecast.js';

describe('simulateForecastHistory', () => {
  const scenario = aScenario();
  const history = simulateForecastHistory(scenario, { days: 2 });

  it('records every slot of the run in kW and minor units per kWh', () => {
    expect(history.slots).toBe(192);
    expect(history.slotsPerDay).toBe(96);
    for (const target of ['load', 'pv', 'wind', 'price'] as const) {
      expect(history.series[target]).toHaveLength(192);
      expect(history.series[target].every(Number.isFinite)).toBe(true);
    }
    expect(history.series.load.every((v) => v > 0)).toBe(true);
    expect(Math.max(...history.series.pv)).toBeGreaterThan(10);
    expect(history.priceClearedSlots).toBeGreaterThan(0);
  });

  it('PV is 0 where the clear-sky GHI is 0 (night)', () => {
    history.exogenous.clearSkyGhiWm2.forEach((clear, s) => {
      if (clear === 0) expect(history.series.pv[s]).toBe(0);
    });
  });

  it('uses the run\'s own weather for the forecast features, and is reproducible from the seed', () => {
    const run = prepareRun(scenario, { days: 2 });
    const expected = weatherForecastFeatures(run.weather, run.slots, new Rng(scenario.seed).fork('weather-forecast'));
    expect(Array.from(history.exogenous.ghiWm2)).toEqual(Array.from(expected.ghiWm2));
    const again = simulateForecastHistory(scenario, { days: 2 });
    expect(Array.from(again.series.load)).toEqual(Array.from(history.series.load));
    const other = simulateForecastHistory(scenario, { days: 2, seed: 99 });
    expect(Array.from(other.series.load)).not.toEqual(Array.from(history.series.load));
  });
});

describe('fillPriceGaps', () => {
  it('carries the last price forward and the first one back; counts the cleared slots', () => {
    const price = Float64Array.from([NaN, NaN, 5, NaN, 7, NaN]);
    expect(fillPriceGaps(price)).toBe(2);
    expect(Array.from(price)).toEqual([5, 5, 5, 5, 7, 7]);
  });

  it('a series that never cleared is 0 throughout', () => {
    const price = Float64Array.from([NaN, NaN]);
    expect(fillPriceGaps(price)).toBe(0);
    expect(Array.from(price)).toEqual([0, 0]);
  });
});
