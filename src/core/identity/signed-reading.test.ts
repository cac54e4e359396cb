import { describe, expect, it } from 'vitest';
import { SignedMessageError } from './identity-errors.js';
import { aDevice } from './identity.fixture.js';
import { decodeSignedReading, encodeReading, signReading, SIGNED_READING_BYTES, verifySignedReading } from './signed-reading.js';

const device = aDevice();
const reading = { deviceKey: device.publicKeyRaw, slot: 0x01020304, importWh: 500, exportWh: 7, peakPowerW: 3000 };

describe('signed readings', () => {
  it('lays out the 49 signed bytes as documented', () => {
    const bytes = encodeReading(reading);
    expect(bytes).toHaveLength(49);
    expect(bytes[0]).toBe(0x11);
    expect(bytes.subarray(1, 33)).toEqual(device.publicKeyRaw);
    expect(Buffer.from(bytes.subarray(33)).toString('hex')).toBe('01020304' + '000001f4' + '00000007' + '00000bb8');
  });

  it('signs, decodes and verifies a reading', () => {
    const signed = signReading(device.privateKey, reading);
    expect(signed).toHaveLength(SIGNED_READING_BYTES);
    expect(SIGNED_READING_BYTES).toBe(113);
    const decoded = decodeSignedReading(signed);
    expect({ ...decoded, deviceKey: [...decoded.deviceKey] }).toMatchObject({ ...reading, deviceKey: [...device.publicKeyRaw] });
    expect(decoded.signature).toHaveLength(64);
    expect(verifySignedReading(signed, device.publicKey)).toBe(true);
    expect(verifySignedReading(signed, aDevice('someone-else').publicKey)).toBe(false);
  });

  it('signs deterministically (Ed25519 has no random nonce)', () => {
    expect(signReading(device.privateKey, reading)).toEqual(signReading(device.privateKey, reading));
  });

  it('error: rejects a record of the wrong length or version', () => {
    const signed = signReading(device.privateKey, reading);
    expect(() => decodeSignedReading(signed.subarray(0, 112))).toThrow(/113 bytes \(got 112\)/);
    const other = signed.slice();
    other[0] = 0x12;
    expect(() => decodeSignedReading(other)).toThrow(SignedMessageError);
    expect(verifySignedReading(other, device.publicKey)).toBe(false);
  });

  it('error: names a field that is not a uint32', () => {
    expect(() => encodeReading({ ...reading, importWh: -1 })).toThrow(/importWh/);
    expect(() => encodeReading({ ...reading, peakPowerW: 1.5 })).toThrow(/peakPowerW/);
    expect(() => encodeReading({ ...reading, deviceKey: new Uint8Array(31) })).toThrow(/deviceKey: expected 32 bytes/);
  });
});
