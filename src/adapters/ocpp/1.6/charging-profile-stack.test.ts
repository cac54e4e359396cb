import { describe, expect, it } from 'vitest';
import { ChargingProfileStack } from './charging-profile-stack.js';
import type { ChargingProfile } from './wire-messages.js';

const rating = { voltageV: 230, phases: 3 };

function aProfile(overrides: Partial<ChargingProfile> & { limit?: number; unit?: 'A' | 'W' } = {}): ChargingProfile {
  const { limit = 0, unit = 'W', ...rest } = overrides;
  return {
    chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    ...rest,
  };
}

describe('ChargingProfileStack', () => {
  it('has no limit without profiles', () => {
    expect(new ChargingProfileStack(4).limitW(1, null, rating)).toBeNull();
  });

  it('turns a limit in A into W with voltage and phases', () => {
    const stack = new ChargingProfileStack(4);
    stack.set(1, aProfile({ limit: 16, unit: 'A' }));
    expect(stack.limitW(1, null, rating)).toBe(16 * 230 * 3);
  });

  it('lets a TxProfile of the running transaction replace the default profile', () => {
    const stack = new ChargingProfileStack(4);
    stack.set(1, aProfile({ chargingProfileId: 1, limit: 0 }));
    stack.set(1, aProfile({ chargingProfileId: 2, chargingProfilePurpose: 'TxProfile', transactionId: 7, limit: 5_000 }));
    expect(stack.limitW(1, 7, rating)).toBe(5_000);
    expect(stack.limitW(1, 8, rating)).toBe(0);
  });

  it('takes the highest stack level and caps with ChargePointMaxProfile', () => {
    const stack = new ChargingProfileStack(4);
    stack.set(1, aProfile({ chargingProfileId: 1, stackLevel: 0, limit: 3_000 }));
    stack.set(1, aProfile({ chargingProfileId: 2, stackLevel: 5, limit: 9_000 }));
    expect(stack.limitW(1, null, rating)).toBe(9_000);
    stack.set(0, aProfile({ chargingProfileId: 3, chargingProfilePurpose: 'ChargePointMaxProfile', limit: 4_000 }));
    expect(stack.limitW(1, null, rating)).toBe(4_000);
  });

  it('clears only the profiles that match', () => {
    const stack = new ChargingProfileStack(4);
    stack.set(1, aProfile({ chargingProfileId: 1 }));
    stack.set(2, aProfile({ chargingProfileId: 2 }));
    expect(stack.clear({ id: 1 })).toBe(1);
    expect(stack.clear({ id: 1 })).toBe(0);
    expect(stack.limitW(2, null, rating)).toBe(0);
  });

  it('error: refuses a profile beyond its bound', () => {
    const stack = new ChargingProfileStack(1);
    stack.set(1, aProfile({ chargingProfileId: 1 }));
    stack.set(1, aProfile({ chargingProfileId: 1, limit: 10 }));
    expect(() => stack.set(1, aProfile({ chargingProfileId: 2 }))).toThrow(/at most 1/);
  });
});
