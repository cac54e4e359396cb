import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { Rng } from '../rng.js';
import { aContext } from './asset-context.fixture.js';
import { anEnvironment } from './environment.fixture.js';
import { createWindTurbine, hubHeightSpeedMs, powerCurveFraction, type WindSpec } from './wind.js';

function aWindSpec(overrides: Partial<WindSpec> = {}): WindSpec {
  return { kind: 'wind', ratedKw: 100, hubHeightM: 10, cutInMs: 3, ratedMs: 12, cutOutMs: 25, ...overrides };
}

const aTurbine = (overrides: Partial<WindSpec> = {}, seed = 42) =>
  createWindTurbine(aWindSpec(overrides), aContext({ id: 'wind-1', rng: new Rng(seed) }));

/** Output over a day of 15-min slots at one 10 m wind speed (the gust factor is ±12 % at most). */
function outputsAt(windSpeedMs: number, overrides: Partial<WindSpec> = {}): number[] {
  const turbine = aTurbine(overrides);
  return Array.from({ length: 96 }, (_, slot) =>
    turbine.availableWh(anEnvironment({ slot, startMs: slot * 900_000, windSpeedMs })));
}

describe('wind turbine', () => {
  it('corrects the 10 m wind speed to hub height by the 1/7 power law', () => {
    expect(hubHeightSpeedMs(6, 10)).toBe(6);
    expect(hubHeightSpeedMs(6, 30)).toBeCloseTo(6 * 3 ** (1 / 7), 12);
    expect(hubHeightSpeedMs(6, 80)).toBeCloseTo(8.075, 3);
  });

  it('produces nothing below cut-in', () => {
    expect(outputsAt(2).every((wh) => wh === 0)).toBe(true);
  });

  it('rises with the cube of the wind speed between cut-in and rated', () => {
    const spec = aWindSpec();
    expect(powerCurveFraction(3, spec)).toBe(0);
    expect(powerCurveFraction(12, spec)).toBe(1);
    expect(powerCurveFraction(7.5, spec)).toBeCloseTo((7.5 ** 3 - 27) / (12 ** 3 - 27), 12);
    const outputs = outputsAt(7.5);
    const lowWh = 100 * powerCurveFraction(7.5 * 0.88, spec) * 250;
    const highWh = 100 * powerCurveFraction(7.5 * 1.12, spec) * 250;
    for (const wh of outputs) {
      expect(wh).toBeGreaterThanOrEqual(Math.floor(lowWh));
      expect(wh).toBeLessThanOrEqual(Math.ceil(highWh));
    }
    // The turbulence factor makes slots differ a little.
    expect(new Set(outputs).size).toBeGreaterThan(10);
  });

  it('produces rated power between rated speed and cut-out', () => {
    expect(outputsAt(17).every((wh) => wh === 25_000)).toBe(true);
  });

  it('produces nothing above cut-out', () => {
    expect(outputsAt(30).every((wh) => wh === 0)).toBe(true);
  });

  it('sees more wind at a higher hub', () => {
    // 2.8 m/s at 10 m is below cut-in there, but about 3.8 m/s at 60 m.
    expect(outputsAt(2.8, { hubHeightM: 60 }).every((wh) => wh > 0)).toBe(true);
  });

  it('gives the same answer when asked twice in a slot', () => {
    const turbine = aTurbine();
    const env = anEnvironment({ windSpeedMs: 8 });
    expect(turbine.availableWh(env)).toBe(turbine.availableWh(env));
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const run = (seed: number) => {
      const turbine = aTurbine({}, seed);
      return Array.from({ length: 20 }, (_, slot) => turbine.availableWh(anEnvironment({ startMs: slot * 900_000, windSpeedMs: 8 })));
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('error: rejects wind speeds out of order', () => {
    expect(() => aTurbine({ cutInMs: 12, ratedMs: 10 })).toThrow(ScenarioError);
  });
});
