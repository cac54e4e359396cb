import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttError } from './mqtt-errors.js';
import {
  CLOCK_PAYLOAD_BYTES_MAX, clockPayload, clockPayloadSchema, clockTopic, NodeClockFollower, parseClockPayload, publishClock,
  type ClockPayload,
} from './node-clock.js';
import { parseDeviceTopic } from './topics.js';

const AREA = 'riverside/street-3';
const NOW = Date.parse('2026-06-15T10:00:00Z');
const TWIN_START = Date.parse('2026-06-14T22:00:00Z');
const SLOT_WALL_MS = 1000;

/** The clock of `slot` as a node opening it `agoMs` before NOW would publish it. */
const clockOf = (slot: number, agoMs = 0): ClockPayload =>
  clockPayload({ slot, slotWallMs: SLOT_WALL_MS, openedAtMs: NOW - agoMs, twinStartMs: TWIN_START + slot * 900_000 });

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('the node clock contract', () => {
  it('has one topic level per area under the root, which no device filter matches', () => {
    expect(clockTopic(AREA)).toBe('gridmesh/v1/riverside%2Fstreet-3/clock');
    expect(clockTopic('n1')).toBe('gridmesh/v1/n1/clock');
    expect(parseDeviceTopic(clockTopic(AREA))).toBeNull();
    expect(() => clockTopic('')).toThrow(MqttError);
  });

  it('builds a payload from the scenario-time start as ISO text or ms', () => {
    const payload = clockOf(4);
    expect(payload).toEqual({ v: 1, slot: 4, slotWallMs: 1000, openedAtMs: NOW, twinIso: '2026-06-14T23:00:00.000Z' });
    expect(clockPayload({ slot: 4, slotWallMs: 1000, openedAtMs: NOW, twinIso: '2026-06-15T01:00:00+02:00' }).twinIso).toBe('2026-06-15T01:00:00+02:00');
    expect(clockPayloadSchema.parse(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
  });

  it('error: refuses to build a payload with bad fields, naming each', () => {
    const error = (() => {
      try {
        clockPayload({ slot: -1, slotWallMs: 0, openedAtMs: 1.5, twinIso: 'yesterday' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MqttError);
    expect((error as MqttError).reason).toBe('bad-config');
    const details = (error as MqttError).details.join('\n');
    for (const path of ['slot', 'slotWallMs', 'openedAtMs', 'twinIso']) expect(details).toMatch(new RegExp(`^${path}: `, 'm'));
    expect(() => clockPayload({ slot: 1, slotWallMs: 1000, openedAtMs: NOW, twinStartMs: Number.NaN })).toThrow(/twinIso/);
  });

  it('parses a payload from bytes', () => {
    expect(parseClockPayload(bytes(clockOf(7)))).toEqual({ ok: true, value: clockOf(7) });
  });

  it('error: parse failures say what and where: size first, then JSON, then the schema path', () => {
    const oversize = parseClockPayload(bytes({ ...clockOf(1), pad: 'x'.repeat(CLOCK_PAYLOAD_BYTES_MAX) }));
    expect(oversize).toMatchObject({ ok: false, error: { code: 'oversize' } });
    expect(parseClockPayload(bytes('{"v":1,'))).toMatchObject({ ok: false, error: { code: 'bad-json' } });
    expect(parseClockPayload(new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false, error: { code: 'bad-json' } });
    const cases: [unknown, string][] = [
      [{ ...clockOf(1), v: 2 }, 'v'],
      [{ ...clockOf(1), slot: 2 ** 32 }, 'slot'],
      [{ ...clockOf(1), slotWallMs: 86_400_001 }, 'slotWallMs'],
      [{ ...clockOf(1), openedAtMs: -1 }, 'openedAtMs'],
      [{ ...clockOf(1), twinIso: '2026-06-15' }, 'twinIso'],
    ];
    for (const [payload, path] of cases) {
      const parsed = parseClockPayload(bytes(payload));
      expect(parsed).toMatchObject({ ok: false, error: { code: 'bad-schema', path } });
      expect(parsed.ok ? '' : parsed.error.message).toMatch(new RegExp(`^${path}: `));
    }
    expect(parseClockPayload(bytes({ ...clockOf(1), extra: 1 }))).toMatchObject({ ok: false, error: { code: 'bad-schema' } });
    expect(parseClockPayload(bytes([1, 2]))).toMatchObject({ ok: false, error: { code: 'bad-schema', message: expect.stringMatching(/^\(root\): /) } });
  });
});

describe('NodeClockFollower over an embedded broker', () => {
  let broker: EmbeddedBroker;
  let node: MqttClient;
  let device: MqttClient;
  let follower: NodeClockFollower | undefined;

  beforeEach(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    node = await connectAsync(broker.url, { clientId: 'node' }, false);
    device = await connectAsync(broker.url, { clientId: 'device' }, false);
  });

  afterEach(async () => {
    await follower?.stop();
    follower = undefined;
    await Promise.all([node.endAsync(), device.endAsync()]);
    await broker.close();
  });

  const follow = async (areas: readonly string[] = [AREA]): Promise<{ slots: number[]; bad: string[]; errors: unknown[] }> => {
    const seen = { slots: [] as number[], bad: [] as string[], errors: [] as unknown[] };
    follower = await NodeClockFollower.follow({
      client: device, areas, nowMs: () => NOW,
      onSlot: (clock) => {
        if (clock.slot === 13) throw new Error('listener bug');
        seen.slots.push(clock.slot);
      },
      onBadPayload: (error) => seen.bad.push(error.code),
      onError: (error) => seen.errors.push(error),
    });
    return seen;
  };
  const handled = (): number => Object.values(follower?.counts() ?? {}).reduce((sum, n) => sum + n, 0);

  it('gets the retained clock at once, then each new slot; ignores duplicates, older, stale and bad payloads', async () => {
    await publishClock(node, AREA, clockOf(10, 200));
    const seen = await follow();
    await vi.waitFor(() => expect(seen.slots).toEqual([10]));
    expect(follower?.topicList).toEqual([clockTopic(AREA)]);

    await publishClock(node, AREA, clockOf(10, 200)); // QoS 1 redelivery
    await publishClock(node, AREA, clockOf(11));
    await publishClock(node, AREA, clockOf(9)); // older
    await node.publishAsync(clockTopic(AREA), '{"v":1,"slot":"12"}', { qos: 1 });
    await node.publishAsync(clockTopic(AREA), 'not json', { qos: 1 });
    await publishClock(node, AREA, clockOf(12, SLOT_WALL_MS + 5001)); // ended more than the grace ago
    await publishClock(node, AREA, clockOf(12, SLOT_WALL_MS + 4000)); // late, within the grace
    await node.publishAsync('gridmesh/v1/elsewhere/clock', JSON.stringify(clockOf(50)), { qos: 1 }); // not followed
    await vi.waitFor(() => expect(handled()).toBe(8));
    expect(seen.slots).toEqual([10, 11, 12]);
    expect(follower?.counts()).toEqual({ accepted: 3, duplicate: 1, older: 1, stale: 1, bad: 2 });
    expect(seen.bad).toEqual(['bad-schema', 'bad-json']);
    expect(follower?.latest()).toEqual(clockOf(12, SLOT_WALL_MS + 4000));
  });

  it('error: a stale retained clock (a node that stopped) is not taken as the open slot', async () => {
    await publishClock(node, AREA, clockOf(40, 60_000));
    const seen = await follow();
    await vi.waitFor(() => expect(follower?.counts().stale).toBe(1));
    expect(seen.slots).toEqual([]);
    expect(follower?.latest()).toBeNull();
  });

  it('follows several areas as one clock, and a listener that throws does not stop it', async () => {
    const seen = await follow([AREA, 'riverside']);
    await publishClock(node, 'riverside', clockOf(12));
    await publishClock(node, AREA, clockOf(12));
    await publishClock(node, AREA, clockOf(13));
    await publishClock(node, 'riverside', clockOf(14));
    await vi.waitFor(() => expect(handled()).toBe(4));
    expect(seen.slots).toEqual([12, 14]);
    expect(follower?.counts()).toMatchObject({ accepted: 3, duplicate: 1 });
    expect(seen.errors).toHaveLength(1);
  });

  it('stops: no more slots after stop()', async () => {
    const seen = await follow();
    await publishClock(node, AREA, clockOf(1));
    await vi.waitFor(() => expect(seen.slots).toEqual([1]));
    await follower?.stop();
    await publishClock(node, AREA, clockOf(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.slots).toEqual([1]);
  });

  it('error: rejects an empty or too long list of areas', async () => {
    await expect(NodeClockFollower.follow({ client: device, areas: [], onSlot: () => undefined })).rejects.toMatchObject({ reason: 'bad-config' });
    const many = Array.from({ length: 65 }, (_, k) => `a${k}`);
    await expect(NodeClockFollower.follow({ client: device, areas: many, onSlot: () => undefined })).rejects.toThrow(/at most|1 to 64/);
  });
});
