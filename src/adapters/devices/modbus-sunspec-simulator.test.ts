import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connectModbusTcp, type ModbusTransport } from '../modbus/modbus-tcp-transport.js';
import { SunSpecClient } from '../modbus/sunspec-client.js';
import { CONTROLS, STORAGE } from '../modbus/sunspec/sunspec-models.js';
import { daylightProfile, runSunSpecDevice, type SunSpecDevice } from './modbus-sunspec-simulator.js';

const NOON_MS = Date.UTC(2025, 5, 21, 12);
const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function aDevice(): Promise<SunSpecDevice> {
  const device = await runSunSpecDevice({ port: 0, unitId: 1, pvRatedW: 5000, batteryCapacityWh: 10_000, clock: () => NOON_MS });
  closers.push(() => device.close());
  return device;
}

async function aTransport(device: SunSpecDevice): Promise<ModbusTransport> {
  const transport = await connectModbusTcp({ host: device.host, port: device.port, unitId: 1, timeoutMs: 500, retries: 0, maxPendingRequests: 4 });
  closers.push(() => transport.close());
  return transport;
}

describe('SunSpec device simulator', () => {
  it('listens on an ephemeral port when given port 0', async () => {
    const [a, b] = [await aDevice(), await aDevice()];
    expect(a.port).toBeGreaterThan(0);
    expect(a.port).not.toBe(b.port);
  });

  it('follows the daylight profile: nothing at night, full rating at solar noon', async () => {
    expect(daylightProfile(Date.UTC(2025, 0, 1, 3))).toBe(0);
    expect(daylightProfile(NOON_MS)).toBe(1);
    expect((await aDevice()).state().acPowerW).toBe(5000);
  });

  it('error: refuses raw writes a real device would refuse (exception 3) and read-only points (exception 2)', async () => {
    const device = await aDevice();
    const transport = await aTransport(device);
    const controls = 40002 + 68 + 52; // after the marker, model 1 (68 registers) and model 103 (52)
    const storage = controls + 26;
    const refused = async (address: number, values: number[]): Promise<string | undefined> =>
      transport.writeRegisters(address, values).then(() => undefined, (e: { reason: string; details: string[] }) => `${e.reason} ${e.details.join()}`);
    expect(await refused(controls + CONTROLS.WMaxLimPct, [1001])).toBe('device-exception Modbus exception code 3');
    expect(await refused(controls + CONTROLS.WMaxLim_Ena, [2])).toBe('device-exception Modbus exception code 3');
    expect(await refused(storage + STORAGE.InWRte, [0x8001])).toBe('device-exception Modbus exception code 3');
    expect(await refused(storage + STORAGE.ChaState, [0])).toBe('device-exception Modbus exception code 2');
    expect(device.state()).toMatchObject({ acPowerW: 5000, chargePowerW: 0, socPct: 50 });
  });

  it('runs in a separate process and serves a client over TCP', async () => {
    const script = [
      "const { runSunSpecDevice } = await import('./src/adapters/devices/modbus-sunspec-simulator.ts');",
      "const d = await runSunSpecDevice({ port: 0, unitId: 2, pvRatedW: 3000, batteryCapacityWh: 8000, initialSocPct: 20, serialNumber: 'CHILD' });",
      'console.log(JSON.stringify({ port: d.port }));',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    closers.push(() => {
      child.kill();
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { port } = JSON.parse(line.toString()) as { port: number };
    const client = await SunSpecClient.connect({ host: '127.0.0.1', port, unitId: 2, timeoutMs: 1000 });
    closers.push(() => client.close());
    expect((await client.readIdentity()).serialNumber).toBe('CHILD');
    expect(await client.readBatterySocPct()).toBe(20);
  });
});
