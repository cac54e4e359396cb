import { RPCError } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { runOcppCharger, type OcppChargerSim } from '../../devices/ocpp-charger-simulator.js';
import { startOcppCentralSystem, type OcppCentralSystem, type OcppCentralSystemOptions } from './central-system.js';
import { aRawChargePoint, waitUntil } from './ocpp-test-kit.fixture.js';
import { BoundedReadingBuffer } from './reading-buffer.js';

const T0 = Date.parse('2025-06-01T12:00:00Z');
const cleanup: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  for (const item of cleanup.splice(0).reverse()) await item.close();
});

async function aCentralSystem(options: Partial<OcppCentralSystemOptions> = {}): Promise<{ system: OcppCentralSystem; buffer: BoundedReadingBuffer }> {
  const buffer = new BoundedReadingBuffer(1_000);
  const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: buffer, nowMs: () => T0, ...options });
  cleanup.push(system);
  return { system, buffer };
}

async function aCharger(url: string, chargerId = 'cp-1'): Promise<OcppChargerSim> {
  const sim = await runOcppCharger({ url, chargerId, powerW: 11_000, meterIntervalMs: 10, simulatedStepMs: 60_000, startMs: T0 });
  cleanup.push(sim);
  return sim;
}

describe('OCPP 1.6J central system', () => {
  it('turns boot, status and meter values of a charger into readings', async () => {
    const { system, buffer } = await aCentralSystem();
    await aCharger(system.url);
    await waitUntil(() => buffer.size >= 3, 'three readings');
    const readings = buffer.drain();
    expect(readings[0]).toMatchObject({ chargerId: 'cp-1', connectorId: 1, powerW: 11_000, transactionId: 1 });
    // 11 kW for one simulated minute per tick = 183.3 Wh per tick.
    expect(readings[1]!.energyWh - readings[0]!.energyWh).toBeGreaterThanOrEqual(183);
    expect(readings[1]!.timestampMs - readings[0]!.timestampMs).toBe(60_000);
    expect(system.connector('cp-1', 1)).toMatchObject({ status: 'Charging', transactionId: 1 });
    expect(system.stats()).toMatchObject({ connectedChargers: 1, callErrorsSent: 0 });
  });

  it('error: refuses a charge point the gatekeeper has not admitted', async () => {
    const { system } = await aCentralSystem({ allowedChargerIds: new Set(['cp-admitted']) });
    await expect(aCharger(system.url, 'cp-rogue')).rejects.toMatchObject({ name: 'OcppError', reason: 'not-connected' });
    expect(system.stats()).toMatchObject({ refusedConnections: 1, connectedChargers: 0 });
    await aCharger(system.url, 'cp-admitted');
    expect(system.isConnected('cp-admitted')).toBe(true);
  });

  it('error: refuses one charger more than maxChargers', async () => {
    const { system } = await aCentralSystem({ limits: { maxChargers: 1 } });
    await aCharger(system.url, 'cp-1');
    await expect(aCharger(system.url, 'cp-2')).rejects.toMatchObject({ reason: 'not-connected' });
  });

  it('error: answers a malformed call with a CALLERROR and keeps serving', async () => {
    const { system } = await aCentralSystem();
    const raw = await aRawChargePoint(system.url, 'cp-raw');
    cleanup.push(raw);
    const bad = raw.call('MeterValues', { connectorId: 'one', meterValue: [] });
    await expect(bad).rejects.toBeInstanceOf(RPCError);
    await expect(raw.call('Reset', { type: 'Hard' })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    const outOfRange = raw.call('StatusNotification', { connectorId: 99, errorCode: 'NoError', status: 'Available' });
    await expect(outOfRange).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    raw.sendRaw('this is not an OCPP frame');
    await expect(raw.call('Heartbeat', {})).resolves.toEqual({ currentTime: new Date(T0).toISOString() });
    await waitUntil(() => system.stats().badMessages === 1, 'the bad frame to be counted');
    expect(system.stats().callErrorsSent).toBeGreaterThanOrEqual(3);
  });

  it('error: answers a meter value that is not a number with PropertyConstraintViolation', async () => {
    const { system, buffer } = await aCentralSystem();
    const raw = await aRawChargePoint(system.url, 'cp-raw');
    cleanup.push(raw);
    const call = raw.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: new Date(T0).toISOString(), sampledValue: [{ value: 'NaN-ish' }] }] });
    await expect(call).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    expect(buffer.size).toBe(0);
  });

  it('error: pushes back with a CALLERROR when the reading buffer is full', async () => {
    const { system } = await aCentralSystem({ sink: new BoundedReadingBuffer(1) });
    const raw = await aRawChargePoint(system.url, 'cp-raw', { strictMode: true });
    cleanup.push(raw);
    const sampledValue = [{ value: '10', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];
    const meterValue = [{ timestamp: new Date(T0).toISOString(), sampledValue }];
    await raw.call('MeterValues', { connectorId: 1, meterValue });
    await expect(raw.call('MeterValues', { connectorId: 1, meterValue })).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    expect(system.stats().readingsAccepted).toBe(1);
  });

  it('error: refuses a MeterValues with more entries than the limit', async () => {
    const { system } = await aCentralSystem({ limits: { maxMeterValuesPerMessage: 1 } });
    const raw = await aRawChargePoint(system.url, 'cp-raw', { strictMode: true });
    cleanup.push(raw);
    const entry = { timestamp: new Date(T0).toISOString(), sampledValue: [{ value: '10' }] };
    await expect(raw.call('MeterValues', { connectorId: 1, meterValue: [entry, entry] })).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
  });

  it('error: rejects invalid limits with a typed error naming the path', async () => {
    await expect(startOcppCentralSystem({ port: 0, strictMode: true, sink: new BoundedReadingBuffer(1), limits: { maxChargers: 0 } }))
      .rejects.toMatchObject({ reason: 'bad-config', details: [expect.stringContaining('limits.maxChargers')] });
  });

  it('forgets a charger that disconnects', async () => {
    const { system } = await aCentralSystem();
    const sim = await aCharger(system.url);
    await sim.close();
    await waitUntil(() => !system.isConnected('cp-1'), 'the disconnect');
    expect(() => system.connector('cp-1', 1)).toThrow(/not connected/);
  });
});
