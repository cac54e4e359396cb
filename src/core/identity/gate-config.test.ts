import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from './device-registry.js';
import { registryOf, slotWindowOf, slotWindowProblem, toleranceOf } from './gate-config.js';
import { GateError } from './identity-errors.js';
import { aCredential, aDevice, aGatekeeper, slotToSeconds } from './identity.fixture.js';

describe('gate configuration', () => {
  it('accepts the current slot, maxLateSlots late and maxAheadSlots ahead', () => {
    const window = slotWindowOf({}, { maxLateSlots: 4, maxAheadSlots: 0 });
    expect(slotWindowProblem(window, 10, 10)).toBeNull();
    expect(slotWindowProblem(window, 6, 10)).toBeNull();
    expect(slotWindowProblem(window, 5, 10)).toBe('stale-slot');
    expect(slotWindowProblem(window, 11, 10)).toBe('future-slot');
    const ahead = slotWindowOf({ maxAheadSlots: 2, maxLateSlots: 0 }, window);
    expect(slotWindowProblem(ahead, 12, 10)).toBeNull();
    expect(slotWindowProblem(ahead, 9, 10)).toBe('stale-slot');
  });

  it('shares a given registry, or builds one from the registry options', () => {
    const registry = new DeviceRegistry({ trustedGatekeepers: [], slotToSeconds });
    expect(registryOf({ registry })).toBe(registry);
    expect(registryOf({ trustedGatekeepers: [], slotToSeconds }).slotSeconds).toBe(900);
  });

  it('admits credentials verified beforehand at construction', async () => {
    const credential = await aCredential(aDevice());
    const registry = registryOf({ trustedGatekeepers: [aGatekeeper().did], slotToSeconds, admitted: [credential] });
    expect(registry.device(aDevice().did)?.credential).toBe(credential);
  });

  it('defaults the plausibility tolerance to 1.1', () => {
    expect(toleranceOf({})).toBe(1.1);
    expect(toleranceOf({ plausibilityTolerance: 1.5 })).toBe(1.5);
  });

  it('error: rejects bad windows and tolerances', () => {
    expect(() => slotWindowOf({ maxLateSlots: -1 }, { maxLateSlots: 4, maxAheadSlots: 0 })).toThrow(GateError);
    expect(() => slotWindowOf({ maxAheadSlots: 0.5 }, { maxLateSlots: 4, maxAheadSlots: 0 })).toThrow(/maxAheadSlots/);
    expect(() => toleranceOf({ plausibilityTolerance: 0.9 })).toThrow(/plausibilityTolerance/);
    expect(() => toleranceOf({ plausibilityTolerance: Number.NaN })).toThrow(/plausibilityTolerance/);
  });
});
