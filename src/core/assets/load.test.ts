import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { LoadProfileName } from '../sim/scenario-schema.js';
import { LOAD_PROFILES } from '../sim/scenario-schema.js';
import { aContext } from './asset-context.fixture.js';
import { anEnvironment, aYearOfSlots } from './environment.fixture.js';
import { createLoad, type LoadSpec } from './load.js';
import { loadProfile } from './load-profiles.js';

function aLoadSpec(overrides: Partial<LoadSpec> = {}): LoadSpec {
  return { kind: 'load', profile: 'household', annualKwh: 3500, noisePct: 10, ...overrides };
}

const aLoad = (overrides: Partial<LoadSpec> = {}, seed = 7, slotMinutes = 15) =>
  createLoad(aLoadSpec(overrides), aContext({ id: 'load-1', rng: new Rng(seed), slotMinutes }));

describe('load', () => {
  it.each(LOAD_PROFILES)('%s uses ≈ its annual energy over a year', (profile: LoadProfileName) => {
    const load = aLoad({ profile, annualKwh: 4000 }, 11, 60);
    let totalWh = 0;
    for (const env of aYearOfSlots(60)) totalWh += load.demandWh(env);
    expect(totalWh / 4_000_000).toBeGreaterThan(0.95);
    expect(totalWh / 4_000_000).toBeLessThan(1.05);
  });

  it('follows the profile exactly without noise', () => {
    const load = aLoad({ noisePct: 0, annualKwh: 8760 });
    const env = anEnvironment({ hourOfDay: 19, dayOfWeek: 2, dayOfYear: 100 });
    expect(load.demandWh(env)).toBe(Math.round(250 * loadProfile('household').factor(19, 2, 100)));
  });

  it('returns whole Wh and never a negative demand, even with large noise', () => {
    const load = aLoad({ noisePct: 100 });
    for (let slot = 0; slot < 2000; slot++) {
      const wh = load.demandWh(anEnvironment({ slot, startMs: slot * 900_000 }));
      expect(Number.isSafeInteger(wh) && wh >= 0).toBe(true);
    }
  });

  it('noise has about the configured spread and persists from slot to slot', () => {
    const load = aLoad({ noisePct: 10, annualKwh: 87_600 });
    const ratios: number[] = [];
    for (let slot = 0; slot < 20_000; slot++) {
      // Same calendar each slot, so only the noise moves.
      ratios.push(load.demandWh(anEnvironment({ slot, startMs: slot * 900_000, hourOfDay: 12, dayOfWeek: 2, dayOfYear: 100 })));
    }
    const mean = ratios.reduce((s, v) => s + v, 0) / ratios.length;
    const dev = ratios.map((v) => v / mean - 1);
    const std = Math.sqrt(dev.reduce((s, v) => s + v * v, 0) / dev.length);
    const lag1 = dev.slice(1).reduce((s, v, i) => s + v * (dev[i] ?? 0), 0) / (dev.length - 1) / (std * std);
    expect(std).toBeGreaterThan(0.08);
    expect(std).toBeLessThan(0.12);
    expect(lag1).toBeGreaterThan(0.8);
  });

  it('gives the same demand when asked twice in a slot', () => {
    const load = aLoad();
    const env = anEnvironment();
    expect(load.demandWh(env)).toBe(load.demandWh(env));
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number) => {
      const load = aLoad({}, seed);
      return Array.from({ length: 50 }, (_, slot) => load.demandWh(anEnvironment({ slot, startMs: slot * 900_000 })));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('takes the site priority unless it has its own', () => {
    expect(createLoad(aLoadSpec(), aContext({ sitePriority: 'critical' })).priority).toBe('critical');
    expect(createLoad(aLoadSpec({ priority: 'essential' }), aContext({ sitePriority: 'critical' })).priority).toBe('essential');
  });
});
