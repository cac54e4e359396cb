import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startOcppCentralSystem, type OcppCentralSystem } from '../ocpp/1.6/central-system.js';
import { waitUntil } from '../ocpp/1.6/ocpp-test-kit.fixture.js';
import { BoundedReadingBuffer } from '../ocpp/1.6/reading-buffer.js';
import { runOcppCharger, type OcppChargerSim } from './ocpp-charger-simulator.js';

const cleanup: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  for (const item of cleanup.splice(0).reverse()) await item.close();
});

async function aSystemWithCharger(): Promise<{ system: OcppCentralSystem; sim: OcppChargerSim; buffer: BoundedReadingBuffer }> {
  const buffer = new BoundedReadingBuffer(10_000);
  const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: buffer });
  cleanup.push(system);
  const sim = await runOcppCharger({ url: system.url, chargerId: 'cp-1', powerW: 7_400, meterIntervalMs: 10, simulatedStepMs: 60_000 });
  cleanup.push(sim);
  return { system, sim, buffer };
}

const txProfile = (transactionId: number, limitA: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 5, transactionId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: limitA, numberPhases: 1 }] },
  },
});

describe('runOcppCharger (simulated OCPP 1.6J charge point)', () => {
  it('boots, starts a transaction and charges at its power', async () => {
    const { sim, system } = await aSystemWithCharger();
    expect(sim.status()).toBe('Charging');
    expect(sim.transactionId()).toBe(1);
    expect(system.connector('cp-1', 0).status).toBe('Available');
    await waitUntil(() => sim.energyWh() > 200, 'energy to rise');
  });

  it('obeys a limit in A and rejects a TxProfile for another transaction', async () => {
    const { sim, system } = await aSystemWithCharger();
    await expect(system.call('cp-1', 'SetChargingProfile', txProfile(99, 16))).resolves.toEqual({ status: 'Rejected' });
    await expect(system.call('cp-1', 'SetChargingProfile', txProfile(1, 16))).resolves.toEqual({ status: 'Accepted' });
    await waitUntil(() => sim.powerW() === 16 * 230, '16 A on one phase');
    await expect(system.call('cp-1', 'ClearChargingProfile', { id: 5 })).resolves.toEqual({ status: 'Accepted' });
    await expect(system.call('cp-1', 'ClearChargingProfile', { id: 5 })).resolves.toEqual({ status: 'Unknown' });
    await waitUntil(() => sim.powerW() === 7_400, 'full power');
  });

  it('error: rejects a configuration without power', async () => {
    await expect(runOcppCharger({ url: 'ws://127.0.0.1:1', chargerId: 'x', powerW: 0 })).rejects.toMatchObject({ reason: 'bad-config' });
  });

  it('error: fails with a typed error when no central system listens', async () => {
    const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: new BoundedReadingBuffer(1) });
    const { url } = system;
    await system.close();
    await expect(runOcppCharger({ url, chargerId: 'x', powerW: 1_000 })).rejects.toMatchObject({ reason: 'not-connected' });
  });

  it('runs in a separate process against the central system', async () => {
    const buffer = new BoundedReadingBuffer(10_000);
    const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: buffer });
    cleanup.push(system);
    const modulePath = fileURLToPath(new URL('./ocpp-charger-simulator.ts', import.meta.url));
    const script = `const { runOcppCharger } = await import(${JSON.stringify(modulePath)});
      await runOcppCharger({ url: ${JSON.stringify(system.url)}, chargerId: 'cp-proc', powerW: 3700, meterIntervalMs: 10, simulatedStepMs: 60000 });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    cleanup.push({ close: async () => void child.kill() });
    await waitUntil(() => buffer.size >= 2, 'readings from the child process', 4_000);
    expect(buffer.drain()[0]).toMatchObject({ chargerId: 'cp-proc', powerW: 3_700 });
    expect(system.connector('cp-proc', 1).status).toBe('Charging');
  });
});
