import { describe, expect, it } from 'vitest';
import { aScenario } from '../../sim/scenario.fixture.js';
import { simulate } from '../../sim/simulate.js';

describe('forecasting agents in a run', () => {
  const result = simulate(aScenario({ days: 5 }));
  const slotsPerDay = 96;

  it('score their day-ahead forecasts of load, PV, wind and price against seasonal naive', () => {
    const f = result.metrics.control?.forecast;
    expect(Object.keys(f ?? {}).sort()).toEqual(['load', 'price', 'pv', 'wind']);
    for (const a of Object.values(f ?? {})) {
      expect(a.model).toBe('ridge');
      expect(a.mae).toBeGreaterThanOrEqual(0);
      expect(a.rmse).toBeGreaterThanOrEqual(a.mae);
      // The learned model needs two days of history: days 3 to 5 are scored.
      expect(a.evaluatedSlots).toBe(3 * slotsPerDay);
    }
    expect(f?.load?.unit).toBe('kW');
    expect(f?.price?.unit).toBe('minor/kWh');
  });

  it('add the day-ahead forecast of demand and PV to the time series, one value per slot', () => {
    expect(result.series.forecastDemandKw).toHaveLength(result.slots);
    expect(result.series.forecastPvKw).toHaveLength(result.slots);
    // No forecast before the first day's history: the first day is seasonal naive of nothing (0).
    expect(result.series.forecastDemandKw?.slice(0, slotsPerDay).every((x) => x === 0)).toBe(true);
    // From the second day on the forecast follows the demand.
    const day2 = result.series.forecastDemandKw?.slice(slotsPerDay, 2 * slotsPerDay) ?? [];
    expect(Math.max(...day2)).toBeGreaterThan(0);
  });

  it('forecast PV as zero at night', () => {
    const pv = result.series.pvKw;
    const forecast = result.series.forecastPvKw ?? [];
    pv.forEach((actual, t) => { if (t >= slotsPerDay && actual === 0 && (forecast[t] ?? 0) > 0) expect.fail(`slot ${t}: PV forecast ${forecast[t]} at night`); });
  });

  it('are not part of a baseline run (today\'s grid has no agents)', () => {
    const baseline = simulate(aScenario({ days: 1 }), { mode: 'baseline' });
    expect(baseline.metrics.control).toBeUndefined();
    expect(baseline.series.forecastDemandKw).toBeUndefined();
  });
});
