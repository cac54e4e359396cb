import { NOREPLY } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { runOcppCharger, type OcppChargerSim } from '../../devices/ocpp-charger-simulator.js';
import { startOcppCentralSystem, type OcppCentralSystem } from './central-system.js';
import { createChargerControl } from './charger-control.js';
import { aRawChargePoint, waitUntil } from './ocpp-test-kit.fixture.js';
import { BoundedReadingBuffer } from './reading-buffer.js';

const T0 = Date.parse('2025-06-01T12:00:00Z');
const cleanup: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  for (const item of cleanup.splice(0).reverse()) await item.close();
});

async function aCentralSystem(): Promise<{ system: OcppCentralSystem; buffer: BoundedReadingBuffer }> {
  const buffer = new BoundedReadingBuffer(10_000);
  const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: buffer });
  cleanup.push(system);
  return { system, buffer };
}

async function aCharger(url: string): Promise<OcppChargerSim> {
  const sim = await runOcppCharger({ url, chargerId: 'cp-1', powerW: 11_000, meterIntervalMs: 10, simulatedStepMs: 60_000, startMs: T0 });
  cleanup.push(sim);
  return sim;
}

/** A raw charge point that booted and answers SetChargingProfile with `answer`, recording the requests. */
async function aScriptedCharger(system: OcppCentralSystem, answer: () => unknown): Promise<unknown[]> {
  const raw = await aRawChargePoint(system.url, 'cp-raw', { strictMode: true });
  cleanup.push(raw);
  const requests: unknown[] = [];
  raw.handle('SetChargingProfile', async ({ params }) => {
    requests.push(params);
    return answer() as Record<string, unknown>;
  });
  await raw.call('BootNotification', { chargePointVendor: 'x', chargePointModel: 'y' });
  return requests;
}

describe('charger control over OCPP 1.6J', () => {
  it('pauses a charging car with a 0 A TxProfile and resumes it by clearing the profile', async () => {
    const { system, buffer } = await aCentralSystem();
    const sim = await aCharger(system.url);
    const control = createChargerControl(system, { rateUnit: 'A', timeoutMs: 1_000 });
    await waitUntil(() => system.connector('cp-1', 1).status === 'Charging', 'Charging');

    await expect(control.pauseCharging('cp-1', 1)).resolves.toEqual({ purpose: 'TxProfile', transactionId: 1, nothingToClear: false });
    await waitUntil(() => system.connector('cp-1', 1).status === 'SuspendedEVSE', 'SuspendedEVSE at the central system');
    expect(sim.powerW()).toBe(0);
    const sentBefore = sim.meterValuesSent();
    await waitUntil(() => sim.meterValuesSent() >= sentBefore + 3, 'meter values while paused');
    const paused = buffer.drain().slice(-2);
    expect(paused.map((r) => r.powerW)).toEqual([0, 0]);
    expect(paused[1]!.energyWh).toBe(paused[0]!.energyWh);

    await expect(control.resumeCharging('cp-1', 1)).resolves.toMatchObject({ purpose: 'Clear', nothingToClear: false });
    await waitUntil(() => system.connector('cp-1', 1).status === 'Charging', 'Charging again');
    buffer.drain();
    await waitUntil(() => buffer.size >= 2, 'meter values after resume');
    const resumed = buffer.drain();
    expect(resumed[1]!.energyWh).toBeGreaterThan(resumed[0]!.energyWh);
    expect(sim.powerW()).toBe(11_000);
  });

  it('sends a 0 W TxDefaultProfile when no transaction is open', async () => {
    const { system } = await aCentralSystem();
    const requests = await aScriptedCharger(system, () => ({ status: 'Accepted' }));
    const control = createChargerControl(system, { rateUnit: 'W' });
    await expect(control.pauseCharging('cp-raw', 1)).resolves.toMatchObject({ purpose: 'TxDefaultProfile', transactionId: null });
    expect(requests).toEqual([{
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1_607, stackLevel: 8, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] },
      },
    }]);
  });

  it('resumes with a full limit when configured so', async () => {
    const { system } = await aCentralSystem();
    const sim = await aCharger(system.url);
    const control = createChargerControl(system, { rateUnit: 'A', resumeBy: 'full-limit', fullLimit: 10 });
    await control.pauseCharging('cp-1', 1);
    await waitUntil(() => sim.powerW() === 0, 'pause');
    await control.resumeCharging('cp-1', 1);
    await waitUntil(() => sim.powerW() === 10 * 230 * 3, '10 A on three phases');
  });

  it('error: a Rejected answer is a typed error', async () => {
    const { system } = await aCentralSystem();
    await aScriptedCharger(system, () => ({ status: 'Rejected' }));
    const control = createChargerControl(system, { rateUnit: 'A' });
    await expect(control.pauseCharging('cp-raw', 1)).rejects.toMatchObject({ name: 'OcppError', reason: 'rejected' });
  });

  it('error: times out when the charger never answers', async () => {
    const { system } = await aCentralSystem();
    await aScriptedCharger(system, () => NOREPLY);
    const control = createChargerControl(system, { rateUnit: 'A', timeoutMs: 50 });
    await expect(control.pauseCharging('cp-raw', 1)).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('error: a charger that is not connected cannot be paused', async () => {
    const { system } = await aCentralSystem();
    const control = createChargerControl(system, { rateUnit: 'A' });
    await expect(control.pauseCharging('cp-absent', 1)).rejects.toMatchObject({ reason: 'not-connected' });
  });

  it('error: full-limit resumption needs a limit', async () => {
    const { system } = await aCentralSystem();
    expect(() => createChargerControl(system, { rateUnit: 'A', resumeBy: 'full-limit' })).toThrow(/fullLimit/);
  });
});
