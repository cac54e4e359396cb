import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aDevice, aReadingGate } from '../../core/identity/identity.fixture.js';
import type { AcceptedReading, ReadingGate } from '../../core/identity/reading-gate.js';
import { MqttMeterFleet } from '../devices/mqtt-meter-simulator.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttDeviceGateway } from './mqtt-gateway.js';
import { MqttError } from './mqtt-errors.js';
import type { StatePayload } from './payload-schemas.js';

const AREA = 'riverside/street-3';
const devices = [aDevice('house-1/meter'), aDevice('house-2/meter'), aDevice('house-3/meter')];
const meters = devices.map((d) => ({ area: AREA, privateKey: d.privateKey, publicKeyRaw: d.publicKeyRaw }));

describe('MqttDeviceGateway over an embedded broker', () => {
  let broker: EmbeddedBroker;
  let gate: ReadingGate;
  let gateway: MqttDeviceGateway;
  let fleet: MqttMeterFleet;
  let currentSlot: number;
  let accepted: AcceptedReading[];
  let states: StatePayload[];

  beforeEach(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    gate = await aReadingGate(devices);
    currentSlot = 12;
    accepted = [];
    states = [];
    gateway = await MqttDeviceGateway.connect({
      url: broker.url, gate, currentSlot: () => currentSlot,
      onReading: (reading) => accepted.push(reading), onState: (state) => states.push(state),
    });
    fleet = await MqttMeterFleet.connect({ url: broker.url, meters });
  });

  afterEach(async () => {
    await fleet.close();
    await gateway.close();
    await broker.close();
  });

  const publishSlots = async (slots: readonly number[]): Promise<void> => {
    for (const slot of slots) for (let i = 0; i < fleet.size; i++) await fleet.publishReading(i, slot);
  };

  it('accepts signed readings from every meter through the reading gate', async () => {
    await publishSlots([10, 11, 12]);
    await vi.waitFor(() => expect(gateway.counts().readingsAccepted).toBe(9));
    expect(gate.counts().accepted).toBe(9);
    expect(accepted.map((a) => a.device.did).slice(0, 3)).toEqual(devices.map((d) => d.did));
    expect(accepted.every((a) => a.leaf.length === 113)).toBe(true);
    expect(fleet.replies(0)).toEqual([]);
  });

  it('error: rejects a forged signature with the gate reason and replies to the device', async () => {
    await fleet.publishReading(1, 12, 'forged-signature');
    await vi.waitFor(() => expect(fleet.replies(1)).toHaveLength(1));
    expect(fleet.replies(1)[0]).toMatchObject({ v: 1, code: 'bad-signature', topic: expect.stringMatching(/\/telemetry$/) });
    expect(gateway.counts().rejected['bad-signature']).toBe(1);
    expect(gate.counts().rejected['bad-signature']).toBe(1);
    expect(fleet.replies(0)).toEqual([]);
  });

  it('error: rejects a replayed reading', async () => {
    await fleet.publishReading(0, 11);
    await fleet.publishReading(0, 11, 'replay');
    await vi.waitFor(() => expect(fleet.replies(0).map((r) => r.code)).toEqual(['replay']));
    expect(gateway.counts()).toMatchObject({ readingsAccepted: 1, rejected: expect.objectContaining({ replay: 1 }) });
  });

  it('error: answers malformed JSON, a schema error and an oversize payload, and keeps working', async () => {
    await fleet.publishReading(2, 12, 'bad-json');
    await fleet.publishReading(2, 12, 'bad-schema');
    await fleet.publishReading(2, 12, 'oversize');
    await fleet.publishRaw(2, 'state', '{"v":1,"slot":12,"socPct":140}');
    await fleet.publishReading(2, 12);
    await vi.waitFor(() => expect(gateway.counts().readingsAccepted).toBe(1));
    await vi.waitFor(() => expect(fleet.replies(2)).toHaveLength(4));
    const replies = fleet.replies(2);
    expect(replies.map((r) => r.code)).toEqual(['bad-json', 'bad-schema', 'oversize', 'bad-schema']);
    expect(replies[1]).toMatchObject({ path: 'reading' });
    expect(replies[3]).toMatchObject({ path: 'socPct', topic: expect.stringMatching(/\/state$/) });
    expect(gateway.counts().rejected).toMatchObject({ 'bad-json': 1, 'bad-schema': 2, oversize: 1 });
  });

  it('passes a valid state report to the node', async () => {
    await fleet.publishState(0, { slot: 12, socPct: 55.5, pluggedIn: true, powerW: -3700 });
    await vi.waitFor(() => expect(states).toHaveLength(1));
    expect(states[0]).toEqual({ v: 1, slot: 12, socPct: 55.5, pluggedIn: true, powerW: -3700 });
  });

  it('sends a command to one device', async () => {
    const command = { v: 1 as const, commandId: 'cmd-1', slot: 13, setpointPowerW: -2000, durationSlots: 2 };
    await gateway.publishCommand(fleet.address(1), command);
    await vi.waitFor(() => expect(fleet.commands(1)).toEqual([command]));
    expect(fleet.commands(0)).toEqual([]);
  });

  it('error: refuses to send a command that does not match its schema', async () => {
    const command = { v: 1 as const, commandId: 'bad id!', slot: -1, setpointPowerW: 1.5, durationSlots: 0 };
    const error = await gateway.publishCommand(fleet.address(0), command).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MqttError);
    expect((error as MqttError).reason).toBe('bad-command');
    expect((error as MqttError).details).toHaveLength(4);
  });

  it('counts a callback that throws as internal and keeps handling messages', async () => {
    await gateway.close();
    const errors: unknown[] = [];
    gateway = await MqttDeviceGateway.connect({
      url: broker.url, gate, currentSlot: () => currentSlot,
      onReading: () => { throw new Error('bug'); }, onInternalError: (e) => errors.push(e),
    });
    await publishSlots([12]);
    await vi.waitFor(() => expect(gateway.counts().rejected.internal).toBe(3));
    expect(errors).toHaveLength(3);
    await vi.waitFor(() => expect(fleet.replies(0).map((r) => r.code)).toEqual(['internal']));
    expect(gateway.counts().readingsAccepted).toBe(3);
  });
});

describe('MqttDeviceGateway connection', () => {
  it('error: a broker that cannot be reached is a connect-failed MqttError', async () => {
    const broker = await startEmbeddedBroker();
    const url = broker.url;
    await broker.close();
    const gate = await aReadingGate([]);
    const error = await MqttDeviceGateway.connect({ url, gate, currentSlot: () => 0, connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MqttError);
    expect((error as MqttError).reason).toBe('connect-failed');
  });
});
