import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttError } from './mqtt-errors.js';

describe('startEmbeddedBroker', () => {
  let broker: EmbeddedBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('listens on an ephemeral port and relays messages between clients', async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const receiver = await connectAsync(broker.url, {}, false);
    const sender = await connectAsync(broker.url, {}, false);
    const received: string[] = [];
    receiver.on('message', (_topic, payload) => received.push(payload.toString()));
    await receiver.subscribeAsync('a/b', { qos: 1 });
    await sender.publishAsync('a/b', 'hello', { qos: 1 });
    await vi.waitFor(() => expect(received).toEqual(['hello']));
    await Promise.all([receiver.endAsync(), sender.endAsync()]);
  });

  it('error: closes a connection that sends a packet above packetBytesMax, and keeps serving others', async () => {
    broker = await startEmbeddedBroker({ packetBytesMax: 4096 });
    const receiver = await connectAsync(broker.url, {}, false);
    const received: number[] = [];
    receiver.on('message', (_topic, payload) => received.push(payload.length));
    await receiver.subscribeAsync('big', { qos: 0 });
    const abuser = await connectAsync(broker.url, { reconnectPeriod: 0 }, false);
    const closed = new Promise<void>((resolve) => abuser.once('close', () => resolve()));
    abuser.publish('big', Buffer.alloc(100_000), { qos: 0 });
    await closed;
    expect(broker.oversizeDisconnects()).toBe(1);
    const sender = await connectAsync(broker.url, {}, false);
    await sender.publishAsync('big', Buffer.alloc(4000), { qos: 0 });
    await vi.waitFor(() => expect(received).toEqual([4000]));
    await Promise.all([receiver.endAsync(), sender.endAsync(), abuser.endAsync(true)]);
  });

  it('error: a bad limit is a bad-config MqttError', async () => {
    await expect(startEmbeddedBroker({ packetBytesMax: 0 })).rejects.toThrow(MqttError);
  });
});
