import { afterEach, describe, expect, it } from 'vitest';
import { runSunSpecDevice } from '../devices/modbus-sunspec-simulator.js';
import { connectModbusTcp, type ModbusTcpOptions } from './modbus-tcp-transport.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function aTransport(options: Partial<ModbusTcpOptions>) {
  const device = await runSunSpecDevice({ port: 0, unitId: 1, pvRatedW: 5000, batteryCapacityWh: 10_000 });
  closers.push(() => device.close());
  const transport = await connectModbusTcp({ host: device.host, port: device.port, unitId: 1, timeoutMs: 500, retries: 0, maxPendingRequests: 4, ...options });
  closers.push(() => transport.close());
  return transport;
}

describe('Modbus TCP transport', () => {
  it('reads holding registers one request at a time', async () => {
    const transport = await aTransport({});
    const reads = await Promise.all([transport.readHoldingRegisters(40000, 2), transport.readHoldingRegisters(40002, 2)]);
    expect(reads).toEqual([[0x5375, 0x6e53], [1, 66]]);
  });

  it('error: more waiting requests than maxPendingRequests is busy', async () => {
    const transport = await aTransport({ unitId: 9, timeoutMs: 100, maxPendingRequests: 1 });
    const first = transport.readHoldingRegisters(40000, 2).catch((e: unknown) => e);
    await expect(transport.readHoldingRegisters(40000, 2)).rejects.toMatchObject({ reason: 'busy' });
    expect(await first).toMatchObject({ reason: 'timeout' });
  });

  it('error: spans beyond the Modbus limits are refused before sending', async () => {
    const transport = await aTransport({});
    await expect(transport.readHoldingRegisters(40000, 126)).rejects.toMatchObject({ reason: 'out-of-range' });
    await expect(transport.writeRegisters(65535, [1, 2])).rejects.toMatchObject({ reason: 'out-of-range' });
  });

  it('error: requests after close are refused', async () => {
    const transport = await aTransport({});
    await transport.close();
    await expect(transport.readHoldingRegisters(40000, 2)).rejects.toMatchObject({ reason: 'closed' });
  });
});
