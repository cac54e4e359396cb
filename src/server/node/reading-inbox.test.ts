import { describe, expect, it } from 'vitest';
import { aDevice, aReadingGate } from '../../core/identity/identity.fixture.js';
import { signReading } from '../../core/identity/signed-reading.js';
import { ReadingInbox } from './reading-inbox.js';

const real = aDevice('house-1/meter');
const twin = aDevice('house-2/meter');
const stranger = aDevice('elsewhere/meter');

async function anInbox(): Promise<ReadingInbox> {
  const gate = await aReadingGate([real, twin]);
  return new ReadingInbox({ registry: gate.registry, siteOfMeter: new Map([[real.did, 0]]) });
}

const reading = (device: typeof real, slot: number): Uint8Array =>
  signReading(device.privateKey, { deviceKey: device.publicKeyRaw, slot, importWh: 100, exportWh: 0, peakPowerW: 500 });

describe('ReadingInbox: real meters\' readings held until their slot is settled', () => {
  it('holds a due reading for its site and slot and hands it over once', async () => {
    const inbox = await anInbox();
    const bytes = reading(real, 4);
    expect(inbox.ingestReading(bytes, 5)).toMatchObject({ accepted: true, reading: { slot: 4 } });
    expect(inbox.serves(0)).toBe(true);
    expect(inbox.serves(1)).toBe(false);
    expect(inbox.take(0, 4)).toEqual(bytes);
    expect(inbox.take(0, 4)).toBeUndefined();
  });

  it('error: refuses malformed, unknown, twin, future, stale, forged and repeated readings with the reason', async () => {
    const inbox = await anInbox();
    expect(inbox.ingestReading(new Uint8Array(10), 5)).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(inbox.ingestReading(reading(stranger, 4), 5)).toMatchObject({ accepted: false, reason: 'unknown-device' });
    expect(inbox.ingestReading(reading(twin, 4), 5)).toMatchObject({ accepted: false, reason: 'unknown-device', device: twin.did });
    expect(inbox.ingestReading(reading(real, 5), 5)).toMatchObject({ accepted: false, reason: 'future-slot' });
    const forged = reading(real, 4);
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 1;
    expect(inbox.ingestReading(forged, 5)).toMatchObject({ accepted: false, reason: 'bad-signature' });
    expect(inbox.ingestReading(reading(real, 4), 5).accepted).toBe(true);
    expect(inbox.ingestReading(reading(real, 4), 5)).toMatchObject({ accepted: false, reason: 'replay' });
    inbox.settled(4);
    expect(inbox.take(0, 4)).toBeUndefined();
    expect(inbox.ingestReading(reading(real, 4), 6)).toMatchObject({ accepted: false, reason: 'stale-slot' });
    expect(inbox.ingestReading(reading(real, 0), 9)).toMatchObject({ accepted: false, reason: 'stale-slot' });
    expect(inbox.counts()).toMatchObject({ received: 9, held: 0, rejected: { malformed: 1, 'unknown-device': 2, 'future-slot': 1, 'bad-signature': 1, replay: 1, 'stale-slot': 2 } });
  });
});
