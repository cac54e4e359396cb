import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import { aContext } from './asset-context.fixture.js';
import { anEnvironment } from './environment.fixture.js';
import type { HeatingShift } from './capabilities.js';
import { createHeatPump, isHeatPump, type HeatPump, type HeatPumpSpec } from './heat-pump.js';

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

  describe('setpoint shift', () => {
    it('follows its own thermostat until shifted, and a shift applies from the next slot', () => {
      const hp = aHeatPump({ initialIndoorC: 20.5 });
      const env = anEnvironment({ temperatureC: 5 });
      expect(hp.setpointShift).toBe('normal');
      expect(hp.requestWh(env)).toBe(0); // mid-band, thermostat off
      hp.shiftSetpoint('preheat');
      expect(hp.requestWh(env)).toBe(0); // this slot's request is unchanged
      hp.deliver(0, env);
      expect(hp.lastDeliveredShift).toBe('normal');
      expect(hp.setpointShift).toBe('preheat');
      const request = hp.requestWh(env);
      expect(request).toBeGreaterThan(0);
      hp.deliver(request, env);
      expect(hp.lastDeliveredWh).toBe(request);
      expect(hp.lastDeliveredShift).toBe('preheat');
    });

    it('pre-heats toward the top of the band and holds there', () => {
      const hp = aHeatPump();
      hp.shiftSetpoint('preheat');
      const { indoor } = runHours(hp, 12, 5);
      expect(indoor[indoor.length - 1]).toBeCloseTo(22 - 0.3, 3);
      expect(Math.max(...indoor)).toBeLessThanOrEqual(22);
      expect(hp.comfortViolationDegreeHours).toBe(0);
    });

    it('coasts toward the bottom of the band and uses less energy than its thermostat', () => {
      const normal = runHours(aHeatPump(), 12, 0);
      const hp = aHeatPump();
      hp.shiftSetpoint('coast');
      const coast = runHours(hp, 12, 0);
      expect(Math.min(...coast.indoor)).toBeGreaterThanOrEqual(19);
      expect(coast.indoor[coast.indoor.length - 1]).toBeCloseTo(19 + 0.3, 3);
      expect(coast.deliveredWh).toBeLessThan(normal.deliveredWh);
      expect(hp.comfortViolationDegreeHours).toBe(0);
    });

    it('returns to its thermostat after a shift', () => {
      const hp = aHeatPump();
      hp.shiftSetpoint('coast');
      runHours(hp, 6, 0);
      hp.shiftSetpoint('normal');
      const { indoor } = runHours(hp, 12, 0);
      expect(Math.min(...indoor)).toBeGreaterThanOrEqual(19);
      expect(Math.max(...indoor)).toBeLessThanOrEqual(22);
      expect(hp.setpointShift).toBe('normal');
    });

    it('a shifted slot ends in the comfort band, whatever came before, when fully delivered (property)', () => {
      const shift = fc.constantFrom<HeatingShift>('normal', 'preheat', 'coast');
      fc.assert(fc.property(
        fc.array(fc.record({ shift, temperatureC: fc.integer({ min: -10, max: 15 }), slots: fc.integer({ min: 1, max: 16 }) }), { minLength: 1, maxLength: 24 }),
        fc.constantFrom(15, 30, 60), fc.double({ min: 19.3, max: 21.7, noNaN: true }), fc.constantFrom<'heat-pump' | 'resistive'>('heat-pump', 'resistive'),
        (steps, slotMinutes, initialIndoorC, type) => {
          const hp = aHeatPump({ initialIndoorC, type, ratedKw: type === 'resistive' ? 9 : 3 });
          for (const step of steps) {
            hp.shiftSetpoint(step.shift);
            const env = anEnvironment({ slotMinutes, temperatureC: step.temperatureC });
            for (let k = 0; k < step.slots; k++) {
              hp.deliver(hp.requestWh(env), env);
              // Its own thermostat may dip below the band on long cold slots; a shifted slot never does.
              if (hp.lastDeliveredShift !== 'normal') {
                expect(hp.indoorC).toBeGreaterThanOrEqual(19);
                expect(hp.indoorC).toBeLessThanOrEqual(22);
              }
            }
          }
        },
      ), { seed: 4242, numRuns: 200 });
    });

    it('is recognised as a heat pump', () => {
      expect(isHeatPump(aHeatPump())).toBe(true);
    });
  });
});
