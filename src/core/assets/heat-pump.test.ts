import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import { aContext } from './asset-context.fixture.js';
import { anEnvironment } from './environment.fixture.js';
import { createHeatPump, type HeatPump, type HeatPumpSpec } from './heat-pump.js';

function aHeatPumpSpec(overrides: Partial<HeatPumpSpec> = {}): HeatPumpSpec {
  return {
    kind: 'heat-pump', type: 'heat-pump', ratedKw: 3, copNominal: 3.5, comfortMinC: 19, comfortMaxC: 22,
    thermalCapacityKwhPerK: 5, heatLossKwPerK: 0.15, initialIndoorC: 20.5, ...overrides,
  };
}

const aHeatPump = (overrides: Partial<HeatPumpSpec> = {}) => createHeatPump(aHeatPumpSpec(overrides), aContext({ id: 'hp-1' }));

/** Runs `hours` at a constant outdoor temperature; `share` of each request is delivered. */
function runHours(hp: HeatPump, hours: number, temperatureC: number, slotMinutes = 15, share = 1) {
  const env = anEnvironment({ slotMinutes, temperatureC });
  const indoor: number[] = [];
  let requestedWh = 0;
  let deliveredWh = 0;
  for (let i = 0; i < (hours * 60) / slotMinutes; i++) {
    const requestWh = hp.requestWh(env);
    const wh = Math.floor(requestWh * share);
    hp.deliver(wh, env);
    requestedWh += requestWh;
    deliveredWh += wh;
    indoor.push(hp.indoorC);
  }
  return { indoor, requestedWh, deliveredWh };
}

describe('heat pump', () => {
  it.each([15, 60])('stays in the comfort band in mild weather when fully delivered (%i-minute slots)', (slotMinutes) => {
    const hp = aHeatPump();
    const { indoor, deliveredWh } = runHours(hp, 72, 5, slotMinutes);
    expect(Math.min(...indoor)).toBeGreaterThanOrEqual(19);
    expect(Math.max(...indoor)).toBeLessThanOrEqual(22);
    expect(hp.comfortViolationDegreeHours).toBe(0);
    // Heat balance over three days: loss ≈ 0.15 kW/K × (~20.5 − 5) K ≈ 2.3 kW heat, COP ≈ 3.05.
    expect(deliveredWh / 72).toBeGreaterThan(600);
    expect(deliveredWh / 72).toBeLessThan(900);
  });

  it('keeps the band on a cold day at full power', () => {
    const hp = aHeatPump();
    runHours(hp, 48, -10);
    expect(hp.comfortViolationDegreeHours).toBe(0);
  });

  it('cools down when heat is not delivered, and counts the discomfort', () => {
    const hp = aHeatPump();
    const { indoor, requestedWh } = runHours(hp, 24, 0, 15, 0);
    expect(indoor[indoor.length - 1]).toBeLessThan(17);
    expect(requestedWh).toBeGreaterThan(0);
    expect(hp.heating).toBe(true);
    expect(hp.comfortViolationDegreeHours).toBeGreaterThan(5);
  });

  it('relaxes towards the outdoor temperature by the exact 1R1C solution', () => {
    const hp = aHeatPump({ initialIndoorC: 21 });
    const env = anEnvironment({ slotMinutes: 60, temperatureC: 10 });
    expect(hp.requestWh(env)).toBe(0);
    hp.deliver(0, env);
    expect(hp.indoorC).toBeCloseTo(10 + 11 * Math.exp(-0.15 / 5), 12);
  });

  it('asks for no heat in summer', () => {
    const hp = aHeatPump();
    const { requestedWh, indoor } = runHours(hp, 72, 25);
    expect(requestedWh).toBe(0);
    expect(indoor[indoor.length - 1]).toBeGreaterThan(22);
  });

  it('has a COP that falls in the cold, within limits; 1 for a resistive heater', () => {
    const hp = aHeatPump();
    expect(hp.cop(7)).toBe(3.5);
    expect(hp.cop(-3)).toBeCloseTo(3.5 * 0.75, 12);
    expect(hp.cop(-40)).toBe(1.5);
    expect(hp.cop(40)).toBeCloseTo(3.5 * 1.4, 12);
    expect(aHeatPump({ type: 'resistive' }).cop(-10)).toBe(1);
  });

  it('a resistive heater uses about COP times more electricity', () => {
    const pump = runHours(aHeatPump(), 48, 7);
    const resistive = runHours(aHeatPump({ type: 'resistive', ratedKw: 9 }), 48, 7);
    expect(resistive.deliveredWh / pump.deliveredWh).toBeGreaterThan(3.2);
    expect(resistive.deliveredWh / pump.deliveredWh).toBeLessThan(3.8);
  });

  it('error: delivering more than requested', () => {
    const hp = aHeatPump({ initialIndoorC: 18 });
    const env = anEnvironment({ temperatureC: 0 });
    expect(() => hp.deliver(hp.requestWh(env) + 1, env)).toThrow(InvariantError);
  });

  it('error: rejects an empty comfort band', () => {
    expect(() => aHeatPump({ comfortMinC: 22, comfortMaxC: 21 })).toThrow(ScenarioError);
  });
});
