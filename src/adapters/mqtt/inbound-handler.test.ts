import { describe, expect, it } from 'vitest';
import { aDevice, aReading, aReadingGate } from '../../core/identity/identity.fixture.js';
import { InboundHandler } from './inbound-handler.js';
import { telemetryPayloadOf } from './payload-schemas.js';
import { deviceTopic } from './topics.js';

const AREA = 'riverside/street-3';
const meter = aDevice('house-1/meter');
const other = aDevice('house-2/meter');
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

async function aHandler(): Promise<InboundHandler> {
  return new InboundHandler({ gate: await aReadingGate([meter, other]), currentSlot: () => 10, payloadBytesMax: 1024 });
}

describe('InboundHandler', () => {
  it('accepts a reading published on its own device topic', async () => {
    const outcome = (await aHandler()).handle(deviceTopic({ did: meter.did, area: AREA }, 'telemetry'), json(telemetryPayloadOf(aReading(meter))));
    expect(outcome).toMatchObject({ kind: 'reading', topic: { did: meter.did, area: AREA } });
  });

  it("error: a reading on another device's topic is a topic-mismatch", async () => {
    const outcome = (await aHandler()).handle(deviceTopic({ did: other.did, area: AREA }, 'telemetry'), json(telemetryPayloadOf(aReading(meter))));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'topic-mismatch', topic: { did: other.did } });
  });

  it("error: a reading outside its credential's area is wrong-area", async () => {
    const outcome = (await aHandler()).handle(deviceTopic({ did: meter.did, area: 'hilltop' }, 'telemetry'), json(telemetryPayloadOf(aReading(meter))));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'wrong-area' });
  });

  it('error: passes a record with a bad format byte to the gate, which calls it malformed', async () => {
    const record = aReading(meter);
    record[0] = 0x21;
    const outcome = (await aHandler()).handle(deviceTopic({ did: meter.did, area: AREA }, 'telemetry'), json(telemetryPayloadOf(record)));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'malformed' });
  });

  it('error: state of a device without a credential is unknown-device', async () => {
    const stranger = aDevice('stranger');
    const outcome = (await aHandler()).handle(deviceTopic({ did: stranger.did, area: AREA }, 'state'), json({ v: 1, slot: 10 }));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'unknown-device' });
  });

  it('ignores topics that are not device-to-node channels', async () => {
    const handler = await aHandler();
    expect(handler.handle('other/topic', json({}))).toEqual({ kind: 'bad-topic' });
    expect(handler.handle(deviceTopic({ did: meter.did, area: AREA }, 'commands'), json({}))).toEqual({ kind: 'bad-topic' });
  });
});
