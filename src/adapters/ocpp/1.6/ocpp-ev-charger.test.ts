import { afterEach, describe, expect, it } from 'vitest';
import type { SlotEnvironment } from '../../../core/assets/environment.js';
import { runOcppCharger, type OcppChargerSim } from '../../devices/ocpp-charger-simulator.js';
import { startOcppCentralSystem, type OcppCentralSystem } from './central-system.js';
import { createChargerControl, type ChargerControl } from './charger-control.js';
import { OcppError } from './ocpp-errors.js';
import { OcppEvCharger } from './ocpp-ev-charger.js';
import { waitUntil } from './ocpp-test-kit.fixture.js';
import { BoundedReadingBuffer } from './reading-buffer.js';

const cleanup: Array<{ close(): Promise<unknown> }> = [];
const quarterHour = { slotHours: 0.25 } as SlotEnvironment;

afterEach(async () => {
  for (const item of cleanup.splice(0).reverse()) await item.close();
});

async function aSetup(): Promise<{ system: OcppCentralSystem; sim: OcppChargerSim; ev: OcppEvCharger }> {
  const system = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: new BoundedReadingBuffer(10_000) });
  cleanup.push(system);
  const sim = await runOcppCharger({ url: system.url, chargerId: 'cp-1', powerW: 11_000, meterIntervalMs: 10, simulatedStepMs: 60_000 });
  cleanup.push(sim);
  const control = createChargerControl(system, { rateUnit: 'A', timeoutMs: 1_000 });
  const ev = anOcppEvCharger(system, control);
  await waitUntil(() => ev.status === 'Charging' && ev.meteredEnergyWh !== null, 'charging with a reading');
  return { system, sim, ev };
}

function anOcppEvCharger(system: OcppCentralSystem, control: ChargerControl): OcppEvCharger {
  return new OcppEvCharger({ id: 'ev-1', chargerId: 'cp-1', connectorId: 1, chargerKw: 11, priority: 'normal', system, control });
}

describe('OcppEvCharger (EvCharger over OCPP 1.6J)', () => {
  it('reports plugged in, metered energy and a request at rated power while charging', async () => {
    const { ev } = await aSetup();
    expect(ev.pluggedIn).toBe(true);
    expect(ev.paused).toBe(false);
    expect(ev.powerW).toBe(11_000);
    expect(ev.requestWh(quarterHour)).toBe(2_750);
  });

  it('pauses and resumes the field charger', async () => {
    const { sim, ev } = await aSetup();
    ev.pause();
    expect(ev.paused).toBe(true);
    expect(ev.requestWh(quarterHour)).toBe(0);
    await ev.settled();
    expect(ev.confirmedPaused).toBe(true);
    await waitUntil(() => ev.status === 'SuspendedEVSE' && ev.powerW === 0, 'suspended with 0 W');
    expect(ev.pluggedIn).toBe(true);

    ev.resume();
    await ev.settled();
    expect(ev.confirmedPaused).toBe(false);
    await waitUntil(() => ev.status === 'Charging' && sim.powerW() === 11_000, 'charging again');
  });

  it('ends in the latest wanted state when commands pile up', async () => {
    const { sim, ev } = await aSetup();
    ev.pause();
    ev.resume();
    ev.pause();
    await ev.settled();
    expect(ev.confirmedPaused).toBe(true);
    await waitUntil(() => sim.powerW() === 0, 'paused');
  });

  it('says what OCPP 1.6 cannot tell: energy need and departure are unknown (NaN)', async () => {
    const { ev } = await aSetup();
    expect(ev.energyRemainingWh).toBeNaN();
    expect(ev.departureMs).toBeNaN();
    expect(ev.unmetAtDepartureWh).toBeNaN();
  });

  it('error: an offline charger is not plugged in and a pause fails with a typed error', async () => {
    const { sim, ev, system } = await aSetup();
    await sim.close();
    await waitUntil(() => !system.isConnected('cp-1'), 'disconnect');
    expect(ev.pluggedIn).toBe(false);
    expect(ev.meteredEnergyWh).toBeNull();
    ev.pause();
    await expect(ev.settled()).rejects.toBeInstanceOf(OcppError);
    expect(ev.confirmedPaused).toBe(false);
  });
});
