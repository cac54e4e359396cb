import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { aDevice, aGatekeeper, aReading, aReadingGate } from './identity.fixture.js';
import { signRevocationList } from './revocation-list.js';
import { signReading } from './signed-reading.js';

const meter = aDevice();

describe('shared record checks', () => {
  it('reports the first failed check: the slot window before revocation, revocation before replay', async () => {
    const gate = await aReadingGate([meter], { credentialId: 'c1' });
    expect(gate.ingestReading(aReading(meter, { slot: 10 }), 10).accepted).toBe(true);
    gate.applyRevocationList(signRevocationList(aGatekeeper().privateKey, { sequence: 1, revoked: [{ credentialId: 'c1', effectiveSlot: 0 }] }));
    expect(gate.ingestReading(aReading(meter, { slot: 10 }), 10)).toMatchObject({ reason: 'revoked' });
    expect(gate.ingestReading(aReading(meter, { slot: 11 }), 10)).toMatchObject({ reason: 'future-slot' });
  });

  it('checks replay before the signature, so a replayed record costs no verification', async () => {
    const gate = await aReadingGate([meter]);
    gate.ingestReading(aReading(meter, { slot: 10 }), 10);
    const forgedReplay = signReading(aDevice('forger').privateKey, { deviceKey: meter.publicKeyRaw, slot: 10, importWh: 1, exportWh: 0, peakPowerW: 10 });
    expect(gate.ingestReading(forgedReplay, 10)).toMatchObject({ reason: 'replay' });
  });

  it('stops loudly on a caller bug: a current slot that is not a non-negative integer', async () => {
    const gate = await aReadingGate([meter]);
    expect(() => gate.ingestReading(aReading(meter), -1)).toThrow(InvariantError);
    expect(() => gate.ingestReading(aReading(meter), 1.5)).toThrow(InvariantError);
  });
});
