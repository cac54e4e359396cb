import { describe, expect, it } from 'vitest';
import type { LoadProfileName } from '../sim/scenario-schema.js';
import { LOAD_PROFILES } from '../sim/scenario-schema.js';
import { aYearOfSlots } from './environment.fixture.js';
import { loadProfile } from './load-profiles.js';

describe('load profiles', () => {
  it.each(LOAD_PROFILES)('%s averages ≈ 1 over a year', (name: LoadProfileName) => {
    const profile = loadProfile(name);
    let sum = 0;
    let n = 0;
    for (const env of aYearOfSlots(60)) {
      sum += profile.factorAt(env);
      n++;
    }
    expect(sum / n).toBeCloseTo(1, 2);
  });

  it('household is heavier in winter, farm in summer, commercial nearly flat', () => {
    const january = (name: LoadProfileName) => loadProfile(name).factor(12, 2, 15);
    const july = (name: LoadProfileName) => loadProfile(name).factor(12, 2, 196);
    expect(january('household') / july('household')).toBeGreaterThan(1.3);
    expect(july('farm') / january('farm')).toBeGreaterThan(1.2);
    expect(january('commercial') / july('commercial')).toBeLessThan(1.15);
  });

  it('commercial demand drops at weekends and at night', () => {
    const commercial = loadProfile('commercial');
    expect(commercial.factor(11, 6, 100)).toBeLessThan(commercial.factor(11, 2, 100) * 0.6);
    expect(commercial.factor(3, 2, 100)).toBeLessThan(commercial.factor(11, 2, 100) * 0.3);
  });

  it('interpolates linearly between hours', () => {
    const household = loadProfile('household');
    const mid = household.factor(18.5, 2, 100);
    expect(mid).toBeCloseTo((household.factor(18, 2, 100) + household.factor(19, 2, 100)) / 2, 12);
  });
});
