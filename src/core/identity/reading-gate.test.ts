import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { issueCredential } from './connection-credential.js';
import { DeviceRegistry } from './device-registry.js';
import { aCredential, aCredentialClaims, aDevice, aGatekeeper, aReading, aReadingGate, slotToSeconds } from './identity.fixture.js';
import { OrderGate } from './order-gate.js';
import { ReadingGate, type ReadingOutcome } from './reading-gate.js';
import { signRevocationList } from './revocation-list.js';
import { signReading } from './signed-reading.js';

const meter = aDevice();
const reasonOf = (outcome: ReadingOutcome) => (outcome.accepted ? 'accepted' : outcome.reason);

describe('reading gate', () => {
  it('accepts a signed reading from an admitted device, returning the reading and its leaf bytes', async () => {
    const gate = await aReadingGate([meter]);
    const bytes = aReading(meter, { slot: 10, importWh: 500, peakPowerW: 3000 });
    const outcome = gate.ingestReading(bytes, 10);
    if (!outcome.accepted) throw new Error(`rejected: ${outcome.reason}`);
    expect(outcome.device.did).toBe(meter.did);
    expect(outcome.reading).toMatchObject({ slot: 10, importWh: 500, exportWh: 0, peakPowerW: 3000 });
    expect(outcome.leaf).toEqual(bytes);
    expect(outcome.leaf).not.toBe(bytes); // a private copy: the caller may reuse its buffer
    expect(outcome.overAuthorised).toBe(false);
    expect(gate.counts().accepted).toBe(1);
  });

  it('admits a device from its credential JWT', async () => {
    const gate = new ReadingGate({ trustedGatekeepers: [aGatekeeper().did], slotToSeconds });
    await gate.admit(await issueCredential(aGatekeeper().privateKey, aCredentialClaims(meter)), 10);
    expect(reasonOf(gate.ingestReading(aReading(meter), 10))).toBe('accepted');
  });

  it('error: rejects malformed bytes', async () => {
    const gate = await aReadingGate([meter]);
    const bytes = aReading(meter);
    expect(reasonOf(gate.ingestReading(bytes.subarray(0, 112), 10))).toBe('malformed');
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 0x12;
    expect(gate.ingestReading(wrongVersion, 10)).toEqual({ accepted: false, reason: 'malformed', device: null, slot: null });
  });

  it('error: rejects a reading from a device without an admitted credential', async () => {
    const gate = await aReadingGate([meter]);
    const stranger = aDevice('stranger');
    expect(gate.ingestReading(aReading(stranger), 10)).toEqual({ accepted: false, reason: 'unknown-device', device: stranger.did, slot: 10 });
  });

  it('error: rejects a forged key claiming a known device (bad signature)', async () => {
    const gate = await aReadingGate([meter]);
    const forger = aDevice('forger');
    const forged = signReading(forger.privateKey, { deviceKey: meter.publicKeyRaw, slot: 10, importWh: 0, exportWh: 9000, peakPowerW: 9000 });
    expect(reasonOf(gate.ingestReading(forged, 10))).toBe('bad-signature');
  });

  it('error: rejects a replayed reading, and a reading older than the last accepted one', async () => {
    const gate = await aReadingGate([meter]);
    const bytes = aReading(meter, { slot: 10 });
    expect(reasonOf(gate.ingestReading(bytes, 10))).toBe('accepted');
    expect(reasonOf(gate.ingestReading(bytes, 10))).toBe('replay');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 9, importWh: 1 }), 10))).toBe('replay');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 11 }), 11))).toBe('accepted');
  });

  it('error: rejects future slots and slots more than maxLateSlots late', async () => {
    const gate = await aReadingGate([meter]);
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 11 }), 10))).toBe('future-slot');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 5 }), 10))).toBe('stale-slot');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 6 }), 10))).toBe('accepted');
    const strict = await aReadingGate([meter], {}, { maxLateSlots: 0 });
    expect(reasonOf(strict.ingestReading(aReading(meter, { slot: 9 }), 10))).toBe('stale-slot');
  });

  it('error: rejects readings from a revoked credential from its effective slot on', async () => {
    const gate = await aReadingGate([meter], { credentialId: 'conn-1' });
    gate.applyRevocationList(signRevocationList(aGatekeeper().privateKey, { sequence: 1, revoked: [{ credentialId: 'conn-1', effectiveSlot: 11 }] }));
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 10 }), 10))).toBe('accepted');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 11 }), 11))).toBe('revoked');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 12 }), 12))).toBe('revoked');
  });

  it('error: rejects readings outside the credential validity (expired, not yet valid)', async () => {
    const gate = await aReadingGate([meter], { notBeforeSeconds: slotToSeconds(8), expiresAtSeconds: slotToSeconds(20) });
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 7 }), 10))).toBe('not-yet-valid');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 19 }), 19))).toBe('accepted');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 20 }), 20))).toBe('credential-expired');
  });

  it('error: rejects implausible power (above rated × 1.1) and energy (above peak × slot length)', async () => {
    const gate = await aReadingGate([meter], { ratedPowerW: 10_000 });
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 6, peakPowerW: 11_001, importWh: 0 }), 10))).toBe('implausible');
    // 4,000 W for 15 minutes is at most 1,000 Wh (+2 Wh rounding slack)
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 7, peakPowerW: 4000, importWh: 600, exportWh: 403 }), 10))).toBe('implausible');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 8, peakPowerW: 4000, importWh: 600, exportWh: 402 }), 10))).toBe('accepted');
    expect(reasonOf(gate.ingestReading(aReading(meter, { slot: 9, peakPowerW: 11_000, importWh: 2750 }), 10))).toBe('accepted');
    const lenient = await aReadingGate([meter], { ratedPowerW: 10_000 }, { plausibilityTolerance: 1.5 });
    expect(reasonOf(lenient.ingestReading(aReading(meter, { slot: 10, peakPowerW: 15_000, importWh: 0 }), 10))).toBe('accepted');
  });

  it('flags a reading beyond the authorised import (accepted: it is metered) and caps the rest', async () => {
    const gate = await aReadingGate([meter], { authorisedImportWh: 1000, authorisedPeriodSlots: 96 });
    expect(gate.importCapWh(meter.did, 10)).toBe(1000);
    const first = gate.ingestReading(aReading(meter, { slot: 10, importWh: 800, peakPowerW: 8000 }), 10);
    expect(first).toMatchObject({ accepted: true, overAuthorised: false });
    expect(gate.importCapWh(meter.did, 11)).toBe(200);
    const second = gate.ingestReading(aReading(meter, { slot: 11, importWh: 300 }), 11);
    expect(second).toMatchObject({ accepted: true, overAuthorised: true });
    expect(gate.importCapWh(meter.did, 12)).toBe(0);
    expect(gate.importCapWh(meter.did, 96)).toBe(1000); // the next period
    expect(gate.counts()).toMatchObject({ accepted: 2, overAuthorised: 1 });
  });

  it('caps a prepaid device by its balance, raised only by top-ups', async () => {
    const gate = await aReadingGate([meter], { prepaid: true });
    expect(gate.importCapWh(meter.did, 10)).toBe(0);
    expect(gate.topUp(meter.did, 700)).toBe(700);
    expect(gate.ingestReading(aReading(meter, { slot: 10, importWh: 500 }), 10)).toMatchObject({ accepted: true, overAuthorised: false });
    expect(gate.importCapWh(meter.did, 11)).toBe(200);
    expect(gate.ingestReading(aReading(meter, { slot: 11, importWh: 500 }), 11)).toMatchObject({ accepted: true, overAuthorised: true });
    expect(gate.prepaidBalanceWh(meter.did)).toBe(-300);
    expect(gate.importCapWh(meter.did, 12)).toBe(0);
    expect(() => gate.topUp(aDevice('unknown').did, 10)).toThrow(expect.objectContaining({ reason: 'unknown-device' }));
  });

  it('error: refuses a top-up of a device that is not prepaid', async () => {
    const gate = await aReadingGate([meter]);
    expect(() => gate.topUp(meter.did, 100)).toThrow(expect.objectContaining({ name: 'GateError', reason: 'not-prepaid' }));
    expect(gate.importCapWh(meter.did, 10)).toBeNull();
  });

  it('counts rejections per reason and logs the last N with device, slot and reason', async () => {
    const gate = await aReadingGate([meter], {}, { rejectionLogSize: 2 });
    gate.ingestReading(new Uint8Array(3), 10);
    gate.ingestReading(aReading(meter, { slot: 11 }), 10);
    gate.ingestReading(aReading(meter, { slot: 1 }), 10);
    expect(gate.counts().rejected).toMatchObject({ malformed: 1, 'future-slot': 1, 'stale-slot': 1, replay: 0 });
    expect(gate.rejections()).toEqual([
      { device: meter.did, slot: 11, reason: 'future-slot' },
      { device: meter.did, slot: 1, reason: 'stale-slot' },
    ]);
  });

  it('takes signatures verified elsewhere and only runs the cheap checks', async () => {
    const gate = await aReadingGate([meter]);
    const bytes = aReading(meter, { slot: 10 });
    expect(reasonOf(gate.ingestVerified(bytes, 10, false))).toBe('bad-signature');
    expect(reasonOf(gate.ingestVerified(bytes, 10, true))).toBe('accepted');
    expect(reasonOf(gate.ingestVerified(bytes, 10, true))).toBe('replay');
  });

  it('shares a registry with an order gate, so a device is admitted once', async () => {
    const registry = new DeviceRegistry({ trustedGatekeepers: [aGatekeeper().did], slotToSeconds });
    const readings = new ReadingGate({ registry });
    const orders = new OrderGate({ registry });
    registry.admitVerified(await aCredential(meter));
    expect(readings.registry).toBe(orders.registry);
    expect(reasonOf(readings.ingestReading(aReading(meter), 10))).toBe('accepted');
  });

  it('rejects any single flipped byte of a signed reading', async () => {
    const gate = await aReadingGate([meter, aDevice('neighbour')]);
    const bytes = aReading(meter, { slot: 10 });
    fc.assert(fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const flipped = bytes.slice();
      flipped[at]! ^= mask;
      expect(gate.ingestReading(flipped, 10).accepted).toBe(false);
    }), { numRuns: 300 });
    expect(gate.counts().accepted).toBe(0);
    expect(reasonOf(gate.ingestReading(bytes, 10))).toBe('accepted');
  });
});
