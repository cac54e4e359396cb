import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSunSpecDevice, type SunSpecDevice, type SunSpecDeviceOptions } from '../../adapters/devices/modbus-sunspec-simulator.js';
import { SunSpecClient } from '../../adapters/modbus/sunspec-client.js';
import { DEVICE_TURN_TIMEOUTS, MODBUS_DEVICES_MAX, modbusDevicesSchema, NodeModbusDevices, type ModbusDevicesConfig, type ModbusSetpoints } from './node-modbus.js';

const NOON_MS = Date.UTC(2025, 5, 21, 12);
const HALF_HOUR_MS = 1_800_000;
const SITES = new Map([['s1', { index: 0, area: 'mg1' }], ['s2', { index: 1, area: 'mg1' }]]);
const TIMEOUT_MS = 300;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const o of open.splice(0)) await o.close();
});

/** A device at solar noon on a fake clock: 80 % of its 5 kW rating available, battery 10 kWh at 50 %, WChaMax 5 kW. */
async function aDevice(overrides: Partial<SunSpecDeviceOptions> = {}): Promise<{ device: SunSpecDevice; clock: { nowMs: number } }> {
  const clock = { nowMs: NOON_MS };
  const device = await runSunSpecDevice({
    port: 0, unitId: 1, pvRatedW: 5000, batteryCapacityWh: 10_000, batteryMaxChargeW: 5000, initialSocPct: 50,
    clock: () => clock.nowMs, pvProfile: () => 0.8, ...overrides,
  });
  open.push(device);
  return { device, clock };
}

async function aNode(config: ModbusDevicesConfig, log?: (line: string) => void): Promise<NodeModbusDevices> {
  const node = await NodeModbusDevices.connect(config, SITES, { timeoutMs: TIMEOUT_MS, ...(log === undefined ? {} : { log }) });
  open.unshift(node);
  return node;
}

function entry(device: { host: string; port: number }, more: Partial<ModbusDevicesConfig[number]> = {}): ModbusDevicesConfig[number] {
  return { host: device.host, port: device.port, unitId: 1, site: 's1', id: 'inv1', ...more };
}

const always = (batteryW: number | null, curtailPct: number | null) => (): ModbusSetpoints => ({ batteryW, curtailPct });

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/**
 * A TCP server that accepts connections and never answers: `reads` = it consumes the requests (a
 * gateway asked for a unit id it does not have), else it reads nothing and never closes (a hung device).
 */
async function aSilentServer(reads: boolean): Promise<{ host: string; port: number }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    if (reads) s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  });
  const address = server.address();
  return { host: '127.0.0.1', port: typeof address === 'object' && address !== null ? address.port : 0 };
}

describe('NodeModbusDevices over Modbus TCP', () => {
  it('reads power and SoC, and writes the battery setpoint and PV cap that the device then applies', async () => {
    const { device, clock } = await aDevice();
    const node = await aNode([entry(device)]);
    expect(await node.follow(0, always(2000, 30))).toEqual([]);
    // Read before the writes: full PV (80 % of 5 kW), SoC as it started.
    expect(node.state()).toEqual([{ id: 'inv1', site: 's1', powerW: 4000, socPct: 50, batterySetpointW: 2000, curtailPct: 30, connected: true }]);
    expect(device.state()).toMatchObject({ chargePowerW: 2000, acPowerW: 1500 });

    clock.nowMs += HALF_HOUR_MS;
    expect(await node.follow(1, always(2000, 30))).toEqual([]);
    expect(node.state()[0]).toMatchObject({ powerW: 1500, socPct: 60 });
    expect(node.devices()).toEqual([{
      did: 'modbus:inv1', kind: 'inverter', site: 's1', area: 'mg1', protocol: 'modbus', connected: true, credential: null, lastReadingSlot: 1, powerW: 1500,
    }]);

    // Discharge at 3 kW and lift the cap (null = no cap).
    expect(await node.follow(2, always(-3000, null))).toEqual([]);
    expect(device.state()).toMatchObject({ chargePowerW: -3000, acPowerW: 4000 });
    expect(node.state()[0]).toMatchObject({ batterySetpointW: -3000, curtailPct: 100 });
  });

  it('follows each site with its own setpoints, and leaves the battery alone when batteryW is null', async () => {
    const a = await aDevice();
    const b = await aDevice();
    const node = await aNode([entry(a.device), entry(b.device, { site: 's2', id: undefined })]);
    const bySite = (i: number): ModbusSetpoints => (i === 0 ? { batteryW: 1000, curtailPct: null } : { batteryW: null, curtailPct: 50 });
    expect(await node.follow(0, bySite)).toEqual([]);
    expect(a.device.state()).toMatchObject({ chargePowerW: 1000, acPowerW: 4000 });
    expect(b.device.state()).toMatchObject({ chargePowerW: 0, acPowerW: 2500 });
    expect(node.devices().map((d) => d.did)).toEqual(['modbus:inv1', `modbus:127.0.0.1:${b.device.port}/1`]);
    expect(node.state()[1]).toMatchObject({ batterySetpointW: null, curtailPct: 50 });
  });

  it('does not write a value again within the deadband, and caps the setpoint at WChaMax', async () => {
    const { device } = await aDevice();
    const battery = vi.spyOn(SunSpecClient.prototype, 'setBatterySetpointW');
    const cap = vi.spyOn(SunSpecClient.prototype, 'setPvCurtailmentPct');
    const node = await aNode([entry(device)]);

    await node.follow(0, always(2000, 30));
    await node.follow(1, always(2000, 30));
    await node.follow(2, always(2030, 30.5));
    expect(battery.mock.calls).toEqual([[2000]]);
    expect(cap.mock.calls).toEqual([[30]]);

    await node.follow(3, always(2100, 100));
    expect(battery.mock.calls).toEqual([[2000], [2100]]);
    expect(cap.mock.calls).toEqual([[30], [100]]);
    await node.follow(4, always(2100, null));
    expect(cap).toHaveBeenCalledTimes(2);

    await node.follow(5, always(9000, null));
    expect(battery.mock.calls.at(-1)).toEqual([5000]);
    expect(device.state().chargePowerW).toBe(5000);
  });

  it('writes again when the device no longer holds the value written (reverted or changed by another master)', async () => {
    const { device } = await aDevice();
    const node = await aNode([entry(device)]);
    await node.follow(0, always(2000, 30));
    const other = await SunSpecClient.connect({ host: device.host, port: device.port, unitId: 1, timeoutMs: TIMEOUT_MS });
    open.unshift(other);
    await other.setBatterySetpointW(0);
    await other.setPvCurtailmentPct(100);
    expect(device.state()).toMatchObject({ chargePowerW: 0, acPowerW: 4000 });
    expect(await node.follow(1, always(2000, 30))).toEqual([]);
    expect(device.state()).toMatchObject({ chargePowerW: 2000, acPowerW: 1500 });
  });

  it('starts with an unreachable device, reports it, and picks it up once it answers', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const node = await aNode([entry({ host: '127.0.0.1', port })], (line) => lines.push(line));
    expect(node.devices()[0]).toMatchObject({ connected: false, powerW: null, lastReadingSlot: null });
    expect(lines.join('\n')).toMatch(/inv1 \(s1\) is not reachable/);

    const alerts = await node.follow(0, always(1000, null));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ slot: 0, kind: 'device', device: 'modbus:inv1', area: 'mg1' });
    expect(alerts[0]?.message).toMatch(/cannot connect.*tried again next slot/);

    const { device } = await aDevice({ port });
    expect(await node.follow(1, always(1000, null))).toEqual([]);
    expect(node.state()[0]).toMatchObject({ connected: true, powerW: 4000, socPct: 50, batterySetpointW: 1000 });
    expect(device.state().chargePowerW).toBe(1000);
    expect(lines.join('\n')).toMatch(/inv1 \(s1\) connected: SunSpec models 1, 103, 123, 124/);
  });

  it('backs off between reconnects of a device that stays away', async () => {
    const port = await freePort();
    const node = await aNode([entry({ host: '127.0.0.1', port })]);
    const attempts: number[] = [];
    for (let slot = 0; slot < 12; slot++) {
      if ((await node.follow(slot, always(null, null))).length > 0) attempts.push(slot);
    }
    expect(attempts).toEqual([0, 1, 3, 7, 15].filter((s) => s < 12));
  });

  it('error: a device that dies mid-run gives a device alert, not a throw, and is reconnected when it is back', async () => {
    const { device } = await aDevice();
    const port = device.port;
    const node = await aNode([entry(device)]);
    expect(await node.follow(0, always(1000, 30))).toEqual([]);
    await device.close();

    const alerts = await node.follow(1, always(1000, 30));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ slot: 1, kind: 'device', device: 'modbus:inv1' });
    expect(alerts[0]?.message).toMatch(/reading inverter power failed: .*disconnected, tried again next slot/);
    expect(node.devices()[0]).toMatchObject({ connected: false, powerW: 4000, lastReadingSlot: 0 });

    // Back (a restarted device has forgotten its setpoints): the node reconnects and writes them again.
    const back = await aDevice({ port });
    expect(await node.follow(2, always(1000, 30))).toEqual([]);
    expect(back.device.state()).toMatchObject({ chargePowerW: 1000, acPowerW: 1500 });
    expect(node.devices()[0]).toMatchObject({ connected: true, lastReadingSlot: 2 });
  });

  it('error: a device that accepts TCP but never answers is bounded by the request timeout', async () => {
    const silent = await aSilentServer(true);
    const node = await aNode([entry(silent)]);
    expect(node.devices()[0]?.connected).toBe(false);
    const started = performance.now();
    const alerts = await node.follow(0, always(1000, 50));
    expect(performance.now() - started).toBeLessThan(DEVICE_TURN_TIMEOUTS * TIMEOUT_MS);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toMatch(/cannot connect: no answer from .* after 1 attempt/);
  });

  it('error: a hung device is cut by the time budget of its turn, and the other devices are followed', async () => {
    const hung = await aSilentServer(false);
    const { device } = await aDevice();
    const timeoutMs = 100;
    const node = await NodeModbusDevices.connect([entry(hung, { id: 'hung' }), entry(device, { site: 's2' })], SITES, { timeoutMs });
    open.unshift(node);
    expect(node.devices().map((d) => d.connected)).toEqual([false, true]);
    const started = performance.now();
    const alerts = await node.follow(0, always(1000, null));
    expect(performance.now() - started).toBeLessThan(DEVICE_TURN_TIMEOUTS * timeoutMs + 500);
    expect(alerts.map((a) => a.device)).toEqual(['modbus:hung']);
    expect(device.state().chargePowerW).toBe(1000);
  });

  it('error: an unknown site is a RangeError naming the entry', async () => {
    const { device } = await aDevice();
    await expect(NodeModbusDevices.connect([entry(device), entry(device, { site: 'nowhere', id: 'inv2' })], SITES)).rejects.toThrow(RangeError);
    await expect(NodeModbusDevices.connect([entry(device), entry(device, { site: 'nowhere', id: 'inv2' })], SITES)).rejects.toThrow(/^modbus\[1\]\.site: no site "nowhere"/);
  });

  it('error: the schema bounds ports, unit ids and the number of devices, and refuses duplicates', () => {
    const one = { host: 'inverter.local', site: 's1' };
    expect(modbusDevicesSchema.parse([one])).toEqual([{ host: 'inverter.local', port: 502, unitId: 1, site: 's1' }]);
    const paths = (value: unknown): string[] => {
      const parsed = modbusDevicesSchema.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths([{ ...one, port: 0 }])).toEqual(['0.port']);
    expect(paths([{ ...one, port: 65_536 }])).toEqual(['0.port']);
    expect(paths([{ ...one, unitId: 0 }])).toEqual(['0.unitId']);
    expect(paths([{ ...one, unitId: 248 }])).toEqual(['0.unitId']);
    expect(paths([one, { ...one, site: 's2' }])).toEqual(['1.host']);
    expect(paths([{ ...one, id: 'a' }, { ...one, id: 'a', host: 'other' }])).toEqual(['1.id']);
    expect(paths(Array.from({ length: MODBUS_DEVICES_MAX + 1 }, (_, k) => ({ ...one, id: `d${k}` })))).toEqual(['']);
    expect(paths(Array.from({ length: MODBUS_DEVICES_MAX }, (_, k) => ({ ...one, id: `d${k}` })))).toEqual([]);
  });
});
