import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aDevice, aReadingGate } from '../../core/identity/identity.fixture.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../mqtt/embedded-broker.js';
import { MqttDeviceGateway } from '../mqtt/mqtt-gateway.js';
import { runMqttMeters } from './mqtt-meter-simulator.js';

const AREA = 'riverside/street-3';
const names = ['house-1/meter', 'house-2/meter'];
const devices = names.map((name) => aDevice(name));
const meters = devices.map((d) => ({ area: AREA, privateKey: d.privateKey, publicKeyRaw: d.publicKeyRaw }));

describe('runMqttMeters', () => {
  let broker: EmbeddedBroker;
  let gateway: MqttDeviceGateway;

  beforeEach(async () => {
    broker = await startEmbeddedBroker();
    // The node's clock is ahead of the meters by up to the gate's late window (4 slots).
    gateway = await MqttDeviceGateway.connect({ url: broker.url, gate: await aReadingGate(devices), currentSlot: () => 13 });
  });

  afterEach(async () => {
    await gateway.close();
    await broker.close();
  });

  it('publishes one signed reading per meter and slot, with the faults asked for', async () => {
    const summary = await runMqttMeters({
      url: broker.url, meters, startSlot: 10, slots: 3,
      faults: [{ meterIndex: 0, slot: 11, fault: 'replay' }, { meterIndex: 1, slot: 12, fault: 'forged-signature' }],
    });
    expect(summary).toEqual({ readingsPublished: 6, faultsPublished: 2 });
    await vi.waitFor(() => expect(gateway.counts()).toMatchObject({ readingsAccepted: 6, rejected: expect.objectContaining({ replay: 1, 'bad-signature': 1 }) }));
  });

  it('runs in a separate process over a real socket', async () => {
    const fixture = fileURLToPath(new URL('../../core/identity/identity.fixture.ts', import.meta.url));
    const simulator = fileURLToPath(new URL('./mqtt-meter-simulator.ts', import.meta.url));
    const script = `
      const { aDevice } = await import(${JSON.stringify(fixture)});
      const { runMqttMeters } = await import(${JSON.stringify(simulator)});
      const meters = ${JSON.stringify(names)}.map((name) => { const d = aDevice(name); return { area: ${JSON.stringify(AREA)}, privateKey: d.privateKey, publicKeyRaw: d.publicKeyRaw }; });
      const summary = await runMqttMeters({ url: process.env.GRIDMESH_MQTT_URL, meters, startSlot: 12, slots: 2 });
      process.stdout.write(JSON.stringify(summary));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, GRIDMESH_MQTT_URL: broker.url }, timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({ readingsPublished: 4, faultsPublished: 0 });
    await vi.waitFor(() => expect(gateway.counts().readingsAccepted).toBe(4));
  });
});
