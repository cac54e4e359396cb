import { describe, expect, it } from 'vitest';
import { aDevice, aReading, aReadingGate } from '../../core/identity/identity.fixture.js';
import { signOrder } from '../../core/identity/signed-order.js';
import { InboundHandler, type OrderIngest } from './inbound-handler.js';
import { orderPayloadOf, telemetryPayloadOf } from './payload-schemas.js';
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

describe('InboundHandler: participants\' signed orders on the orders channel', () => {
  const participant = aDevice('house-1/owner');
  const order = (slot = 11, seq = 1): Uint8Array => signOrder(participant.privateKey, {
    participantKey: participant.publicKeyRaw, slot, orderSeq: seq, side: 'bid', priorityClass: 2, energyWh: 500, priceMinorPerKwh: 30,
  });
  const topic = (did = participant.did, area = AREA) => deviceTopic({ did, area }, 'orders');
  const received: Uint8Array[] = [];
  const orders: OrderIngest = {
    ingestOrder: (bytes, currentSlot) => {
      received.push(bytes);
      return bytes[bytes.length - 1] === 0 ? { accepted: false, reason: 'bad-signature' } : { accepted: true, slot: currentSlot + 1 };
    },
    participant: (did) => (did === participant.did ? { area: AREA } : undefined),
  };
  const handler = async (withOrders = true) => new InboundHandler({ gate: await aReadingGate([meter]), ...(withOrders ? { orders } : {}), currentSlot: () => 10, payloadBytesMax: 1024 });

  it('hands an order on its participant\'s topic to the node\'s order gate', async () => {
    const outcome = (await handler()).handle(topic(), json(orderPayloadOf(order())));
    expect(outcome).toMatchObject({ kind: 'order', slot: 11, topic: { did: participant.did, channel: 'orders' } });
    expect(received.at(-1)).toHaveLength(115);
  });

  it('error: refuses orders on another participant\'s topic, outside its area, of the wrong size, or that the gate rejects', async () => {
    const h = await handler();
    expect(h.handle(topic(other.did), json(orderPayloadOf(order())))).toMatchObject({ kind: 'rejected', code: 'topic-mismatch' });
    expect(h.handle(topic(participant.did, 'hilltop'), json(orderPayloadOf(order())))).toMatchObject({ kind: 'rejected', code: 'wrong-area' });
    expect(h.handle(topic(), json({ v: 1, order: 'AAAA' }))).toMatchObject({ kind: 'rejected', code: 'bad-schema', path: 'order' });
    const forged = order();
    forged[forged.length - 1] = 0;
    expect(h.handle(topic(), json(orderPayloadOf(forged)))).toMatchObject({ kind: 'rejected', code: 'bad-signature' });
  });

  it('error: a node without an order gate refuses orders with a reply', async () => {
    expect((await handler(false)).handle(topic(), json(orderPayloadOf(order())))).toMatchObject({ kind: 'rejected', code: 'unknown-device', message: 'this node takes no orders over MQTT' });
  });
});
