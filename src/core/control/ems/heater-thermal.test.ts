import { describe, expect, it } from 'vitest';
import { aContext } from '../../assets/asset-context.fixture.js';
import { anEnvironment } from '../../assets/environment.fixture.js';
import { createHeatPump } from '../../assets/heat-pump.js';
import { comfortViolationKelvinSlots, heaterWhToReach, indoorAfterC, indoorTrajectoryC } from './heater-thermal.js';
import { aHeater, flat } from './site-plan-input.fixture.js';

describe('heater thermal model', () => {
  it('follows the simulated heat pump exactly (same 1R1C solution)', () => {
    const spec = {
      kind: 'heat-pump' as const, type: 'heat-pump' as const, ratedKw: 3, copNominal: 3.5, comfortMinC: 19, comfortMaxC: 22,
      thermalCapacityKwhPerK: 5, heatLossKwPerK: 0.15, initialIndoorC: 20.5,
    };
    const hp = createHeatPump(spec, aContext({ id: 'hp-1' }));
    const env = anEnvironment({ slotMinutes: 15, temperatureC: -3 });
    const h = aHeater(4, {
      indoorC: 20.5, heatLossKwPerK: 0.15, decay: Math.exp((-0.15 * 0.25) / 5),
      outdoorC: flat(4, -3), cop: flat(4, hp.cop(-3)),
    });
    let c = h.indoorC;
    for (let t = 0; t < 4; t++) {
      const wh = hp.requestWh(env);
      hp.deliver(wh, env);
      c = indoorAfterC(h, t, c, wh, 0.25);
      expect(c).toBeCloseTo(hp.indoorC, 10);
    }
  });

  it('finds the energy that reaches a target, and a negative one when the room would overshoot anyway', () => {
    const h = aHeater(1);
    const wh = heaterWhToReach(h, 0, 20, 20.5, 0.25);
    expect(indoorAfterC(h, 0, 20, wh, 0.25)).toBeCloseTo(20.5, 10);
    expect(heaterWhToReach(aHeater(1, { outdoorC: flat(1, 30) }), 0, 21, 21, 0.25)).toBeLessThan(0);
  });

  it('counts kelvin·slots outside the band', () => {
    const h = aHeater(3);
    expect(comfortViolationKelvinSlots(h, Float64Array.from([19.5, 21, 22.25]))).toBeCloseTo(0.75, 12);
    const cold = indoorTrajectoryC(h, flat(3, 0), 3, 0.25);
    expect(cold[2]).toBeLessThan(cold[0] as number);
  });
});
