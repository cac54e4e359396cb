import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { aContext } from './asset-context.fixture.js';
import { createChp, industrialHeatShape, type ChpSpec } from './chp.js';
import { anEnvironment } from './environment.fixture.js';

function aChpSpec(overrides: Partial<ChpSpec> = {}): ChpSpec {
  return { kind: 'chp', ratedKw: 400, mustRunPct: 40, gridForming: true, ...overrides };
}

const aChp = (overrides: Partial<ChpSpec> = {}) => createChp(aChpSpec(overrides), aContext({ id: 'chp-1' }));
const weekdayNoon = anEnvironment({ hourOfDay: 12, dayOfWeek: 2 });
const weekdayNight = anEnvironment({ hourOfDay: 3, dayOfWeek: 2 });
const sundayNoon = anEnvironment({ hourOfDay: 12, dayOfWeek: 6 });

describe('chp', () => {
  it('must run mustRunPct of rated on a weekday shift', () => {
    const chp = aChp();
    expect(chp.mustRunWh(weekdayNoon)).toBe(40_000);
    expect(chp.maxWh(weekdayNoon)).toBe(100_000);
  });

  it('must run less at night and at weekends', () => {
    const chp = aChp();
    expect(chp.mustRunWh(weekdayNight)).toBe(28_000);
    expect(chp.mustRunWh(sundayNoon)).toBe(24_000);
    expect(industrialHeatShape(23, 6)).toBe(0.5);
  });

  it('never needs more than it can produce', () => {
    const chp = aChp({ mustRunPct: 100 });
    for (let hour = 0; hour < 24; hour += 0.25) {
      const env = anEnvironment({ hourOfDay: hour, dayOfWeek: 1 });
      expect(chp.mustRunWh(env)).toBeLessThanOrEqual(chp.maxWh(env));
    }
  });

  it('accepts any output between must-run and rated, or zero when tripped', () => {
    const chp = aChp();
    chp.dispatch(70_000, weekdayNoon);
    expect(chp.lastOutputWh).toBe(70_000);
    chp.dispatch(0, weekdayNoon);
    expect(chp.lastOutputWh).toBe(0);
  });

  it('error: never dispatched below must-run', () => {
    expect(() => aChp().dispatch(39_999, weekdayNoon)).toThrow(InvariantError);
  });

  it('error: never dispatched above rated', () => {
    expect(() => aChp().dispatch(100_001, weekdayNoon)).toThrow(InvariantError);
  });

  it('produces nothing once destroyed', () => {
    const chp = aChp();
    chp.destroy();
    expect(chp.destroyed).toBe(true);
    expect(chp.mustRunWh(weekdayNoon)).toBe(0);
    expect(chp.maxWh(weekdayNoon)).toBe(0);
    expect(() => chp.dispatch(1, weekdayNoon)).toThrow(InvariantError);
  });
});
