import { afterEach, describe, expect, it } from 'vitest';
import { runSunSpecDevice, type SunSpecDevice, type SunSpecDeviceOptions } from '../devices/modbus-sunspec-simulator.js';
import { ModbusError } from './modbus-errors.js';
import { SunSpecClient } from './sunspec-client.js';

const NOON_MS = Date.UTC(2025, 5, 21, 12);
const HALF_HOUR_MS = 1_800_000;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** A device at solar noon on a fake clock, with 80 % of its 5 kW rating available. */
async function aDevice(overrides: Partial<SunSpecDeviceOptions> = {}): Promise<{ device: SunSpecDevice; clock: { nowMs: number } }> {
  const clock = { nowMs: NOON_MS };
  const device = await runSunSpecDevice({
    port: 0,
    unitId: 1,
    pvRatedW: 5000,
    batteryCapacityWh: 10_000,
    batteryMaxChargeW: 5000,
    initialSocPct: 50,
    clock: () => clock.nowMs,
    pvProfile: () => 0.8,
    ...overrides,
  });
  open.push(device);
  return { device, clock };
}

async function aClient(device: SunSpecDevice, overrides: { unitId?: number; timeoutMs?: number; retries?: number } = {}): Promise<SunSpecClient> {
  const client = await SunSpecClient.connect({ host: device.host, port: device.port, unitId: device.unitId, timeoutMs: 500, retries: 0, ...overrides });
  open.unshift(client);
  return client;
}

async function caught(promise: Promise<unknown>): Promise<ModbusError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ModbusError);
  return error as ModbusError;
}

describe('SunSpecClient over Modbus TCP', () => {
  it('discovers the common, inverter, controls and storage models', async () => {
    const { device } = await aDevice({ manufacturer: 'Acme', model: 'PV5', serialNumber: 'X42' });
    const client = await aClient(device);
    expect(client.map.baseAddress).toBe(40000);
    expect(client.modelIds).toEqual([1, 103, 123, 124]);
    expect(await client.readIdentity()).toEqual({ manufacturer: 'Acme', model: 'PV5', serialNumber: 'X42', version: '1.0' });
  });

  it('reads PV power and battery SoC', async () => {
    const { device } = await aDevice();
    const client = await aClient(device);
    expect(await client.readInverterPowerW()).toBe(4000);
    expect(await client.readBatterySocPct()).toBe(50);
  });

  it('applies the scale factor of a large inverter', async () => {
    const { device } = await aDevice({ pvRatedW: 100_000 });
    const client = await aClient(device);
    expect(await client.readInverterPowerW()).toBe(80_000);
  });

  it('caps the reported power when curtailed to 30 %, and lifts the cap at 100 %', async () => {
    const { device } = await aDevice();
    const client = await aClient(device);
    await client.setPvCurtailmentPct(30);
    expect(await client.readOutputLimit()).toMatchObject({ limitPct: 30, enabled: true });
    expect(await client.readInverterPowerW()).toBe(1500);
    await client.setPvCurtailmentPct(100);
    expect(await client.readInverterPowerW()).toBe(4000);
  });

  it('charges and discharges the battery with the setpoint over time', async () => {
    const { device, clock } = await aDevice();
    const client = await aClient(device);
    await client.setBatterySetpointW(5000);
    expect((await client.readStorage()).chargePowerW).toBe(5000);
    clock.nowMs += HALF_HOUR_MS;
    expect(await client.readBatterySocPct()).toBe(75);
    await client.setBatterySetpointW(-2000);
    clock.nowMs += HALF_HOUR_MS;
    expect(await client.readBatterySocPct()).toBe(65);
    await client.setBatterySetpointW(0);
    clock.nowMs += HALF_HOUR_MS;
    expect(await client.readBatterySocPct()).toBe(65);
    expect(device.state().storedWh).toBeCloseTo(6500, 6);
  });

  it('reads the lifetime energy the inverter accumulated', async () => {
    const { device, clock } = await aDevice();
    const client = await aClient(device);
    clock.nowMs += 2 * HALF_HOUR_MS;
    expect((await client.readInverter()).lifetimeEnergyWh).toBe(4000);
  });

  it('error: rejects out-of-range curtailment and setpoints before writing', async () => {
    const { device } = await aDevice();
    const client = await aClient(device);
    expect((await caught(client.setPvCurtailmentPct(150))).reason).toBe('out-of-range');
    expect((await caught(client.setPvCurtailmentPct(-1))).reason).toBe('out-of-range');
    expect((await caught(client.setBatterySetpointW(6000))).reason).toBe('out-of-range');
    expect((await caught(client.setBatterySetpointW(Number.NaN))).reason).toBe('out-of-range');
    expect(device.state().chargePowerW).toBe(0);
    expect(await client.readInverterPowerW()).toBe(4000);
  });

  it('error: times out when no device answers for the unit id', async () => {
    const { device } = await aDevice({ unitId: 3 });
    const error = await caught(SunSpecClient.connect({ host: device.host, port: device.port, unitId: 4, timeoutMs: 150, retries: 1 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/after 2 attempt/);
  });

  it('error: reports a refused connection', async () => {
    const { device } = await aDevice();
    const port = device.port;
    await device.close();
    open.splice(0);
    expect((await caught(SunSpecClient.connect({ host: '127.0.0.1', port, timeoutMs: 500 }))).reason).toBe('connection');
  });

  it('error: rejects invalid options with the path', async () => {
    const error = await caught(SunSpecClient.connect({ host: '127.0.0.1', port: 70_000 }));
    expect(error.reason).toBe('bad-config');
    expect(error.details.join()).toMatch(/^port:/);
  });
});
