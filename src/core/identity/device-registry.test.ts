import { describe, expect, it } from 'vitest';
import { issueCredential } from './connection-credential.js';
import { DeviceRegistry } from './device-registry.js';
import { CredentialError, GateError, RevocationError } from './identity-errors.js';
import { aCredential, aCredentialClaims, aDevice, aGatekeeper, aReading, slotToSeconds } from './identity.fixture.js';
import { signRevocationList } from './revocation-list.js';
import { KEY_OFFSET } from './signed-layout.js';

const dso = aGatekeeper();
const tso = aGatekeeper('tso');
const meter = aDevice();
const registry = (maxDevices?: number) => new DeviceRegistry({ trustedGatekeepers: [dso.did, tso.did], slotToSeconds, ...(maxDevices === undefined ? {} : { maxDevices }) });

describe('device registry', () => {
  it('admits a credential JWT once and finds the device by the key inside a record', async () => {
    const reg = registry();
    const device = await reg.admit(await issueCredential(dso.privateKey, aCredentialClaims(meter)), 5);
    expect(device.did).toBe(meter.did);
    expect(reg.deviceAt(aReading(meter), KEY_OFFSET)).toBe(device);
    expect(reg.device(meter.did)).toBe(device);
    expect(reg.deviceAt(aReading(aDevice('stranger')), KEY_OFFSET)).toBeUndefined();
    expect(reg.size).toBe(1);
  });

  it('checks the credential window by slot: valid from notBefore, invalid from expiresAt', async () => {
    const reg = registry();
    const device = reg.admitVerified(await aCredential(meter, { notBeforeSeconds: slotToSeconds(10), expiresAtSeconds: slotToSeconds(20) }));
    expect(reg.admissionProblem(device, 9)).toBe('not-yet-valid');
    expect(reg.admissionProblem(device, 10)).toBeNull();
    expect(reg.admissionProblem(device, 19)).toBeNull();
    expect(reg.admissionProblem(device, 20)).toBe('credential-expired');
  });

  it('replaces a credential on renewal, keeping the device entry', async () => {
    const reg = registry();
    const first = reg.admitVerified(await aCredential(meter, { credentialId: 'c1', expiresAtSeconds: slotToSeconds(20) }));
    const second = reg.admitVerified(await aCredential(meter, { credentialId: 'c2', expiresAtSeconds: slotToSeconds(40) }));
    expect(second).toBe(first);
    expect(reg.admissionProblem(second, 30)).toBeNull();
  });

  it('revokes from the effective slot on, permanently, and only what the issuer issued', async () => {
    const reg = registry();
    const device = reg.admitVerified(await aCredential(meter, { credentialId: 'c1' }));
    expect(reg.applyRevocationList(signRevocationList(tso.privateKey, { sequence: 1, revoked: [{ credentialId: 'c1', effectiveSlot: 5 }] })).changed).toBe(1);
    expect(reg.admissionProblem(device, 100)).toBeNull(); // the TSO did not issue c1
    reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence: 1, revoked: [{ credentialId: 'c1', effectiveSlot: 12 }] }));
    expect(reg.admissionProblem(device, 11)).toBeNull();
    expect(reg.admissionProblem(device, 12)).toBe('revoked');
    const later = reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence: 2, revoked: [{ credentialId: 'c1', effectiveSlot: 50 }] }));
    expect(later.changed).toBe(0);
    expect(reg.admissionProblem(device, 12)).toBe('revoked');
    expect(reg.revocationSequence(dso.did)).toBe(2);
  });

  it('applies a revocation published before the device is admitted', async () => {
    const reg = registry();
    reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence: 1, revoked: [{ credentialId: 'c1', effectiveSlot: 3 }] }));
    const device = reg.admitVerified(await aCredential(meter, { credentialId: 'c1' }));
    expect(reg.admissionProblem(device, 3)).toBe('revoked');
  });

  it('error: rejects a revocation list that is not newer than the last one applied', () => {
    const reg = registry();
    reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence: 2, revoked: [] }));
    for (const sequence of [1, 2]) {
      expect(() => reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence, revoked: [] }))).toThrow(RevocationError);
    }
    expect(() => reg.applyRevocationList(signRevocationList(dso.privateKey, { sequence: 2, revoked: [] }))).toThrow(/not newer than 2/);
  });

  it('error: admitting a credential from an untrusted gatekeeper throws with the reason', async () => {
    const reg = registry();
    const rogue = aGatekeeper('rogue');
    const jwt = await issueCredential(rogue.privateKey, aCredentialClaims(meter));
    await expect(reg.admit(jwt, 5)).rejects.toMatchObject({ name: 'CredentialError', reason: 'untrusted-issuer' });
    const elsewhere = await aCredential(meter, {}, rogue);
    expect(() => reg.admitVerified(elsewhere)).toThrow(CredentialError);
    expect(reg.size).toBe(0);
  });

  it('error: admitting an expired credential throws', async () => {
    const reg = registry();
    const jwt = await issueCredential(dso.privateKey, aCredentialClaims(meter, { expiresAtSeconds: slotToSeconds(4) }));
    await expect(reg.admit(jwt, 4)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('error: refuses devices beyond maxDevices', async () => {
    const reg = registry(1);
    reg.admitVerified(await aCredential(meter));
    const other = await aCredential(aDevice('other'));
    expect(() => reg.admitVerified(other)).toThrow(GateError);
    expect(() => reg.admitVerified(other)).toThrow(/at most 1 devices/);
  });

  it('error: rejects bad configuration and unknown devices', () => {
    expect(() => new DeviceRegistry({ trustedGatekeepers: ['dso'], slotToSeconds })).toThrow(/did:key/);
    expect(() => new DeviceRegistry({ trustedGatekeepers: [], slotToSeconds: (s) => s * 0.5 })).toThrow(/whole number of seconds/);
    expect(() => new DeviceRegistry({ trustedGatekeepers: [], slotToSeconds, maxDevices: 0 })).toThrow(/maxDevices/);
    expect(() => registry().requireDevice(meter.did)).toThrow(expect.objectContaining({ reason: 'unknown-device' }));
  });
});
