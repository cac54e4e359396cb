import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAreaTree } from '../../core/grid/area-tree.js';
import { deriveKeyPair } from '../../core/identity/key-pair.js';
import { decodeReadingUnchecked } from '../../core/identity/signed-reading.js';
import { aScenario } from '../../core/sim/scenario.fixture.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../mqtt/embedded-broker.js';
import { clockPayload, publishClock } from '../mqtt/node-clock.js';
import { channelFilter } from '../mqtt/topics.js';
import { DeviceSimulation, type RoundReport } from './device-simulation.js';
import { meterEnergyOfNet, TwinMeterReadings } from './twin-meter-readings.js';

const scenario = aScenario({ days: 0.1 }); // 10 slots of 15 minutes
const tree = buildAreaTree(scenario);
const SITES = [0, 1];
const SEED = 3;
const meters = SITES.map((i) => {
  const spec = scenario.sites[tree.siteOrder[i] as number];
  return { siteId: spec?.id ?? '', area: spec?.area ?? '', keyPair: deriveKeyPair(SEED, `meter:${spec?.id}`) };
});
const START_MS = Date.parse(scenario.start);

describe('TwinMeterReadings', () => {
  it('builds readings as the trust layer does', () => {
    expect(meterEnergyOfNet(-250.4, 900)).toEqual({ importWh: 250, exportWh: 0, peakPowerW: 1000 });
    expect(meterEnergyOfNet(100.6, 900)).toEqual({ importWh: 0, exportWh: 101, peakPowerW: 404 });
    expect(meterEnergyOfNet(0.2, 900)).toEqual({ importWh: 0, exportWh: 0, peakPowerW: 0 });
  });

  it('error: steps forward only, within the twin, and gives the slot last stepped only', () => {
    const twin = new TwinMeterReadings(scenario, { seed: SEED, siteIndices: SITES });
    expect(twin.slots).toBe(10);
    twin.advanceTo(3);
    expect(twin.steppedSlot).toBe(3);
    expect(twin.energy(1, 3)).toEqual(expect.objectContaining({ importWh: expect.any(Number) }));
    expect(() => twin.energy(1, 2)).toThrow(/at slot 3, not 2/);
    expect(() => twin.energy(2, 3)).toThrow(/below 2/);
    expect(() => twin.advanceTo(2)).toThrow(RangeError);
    expect(() => twin.advanceTo(10)).toThrow(/0\.\.9/);
    expect(() => new TwinMeterReadings(scenario, { seed: SEED, siteIndices: [99] })).toThrow(RangeError);
  });
});

describe('DeviceSimulation (in process)', () => {
  let broker: EmbeddedBroker;
  let node: MqttClient;
  let sim: DeviceSimulation | undefined;
  let telemetry: { slot: number; importWh: number; exportWh: number }[];

  beforeEach(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    node = await connectAsync(broker.url, { clientId: 'node' }, false);
    telemetry = [];
    node.on('message', (_topic, payload) => {
      const record = Buffer.from(JSON.parse(payload.toString()).reading, 'base64');
      const r = decodeReadingUnchecked(record);
      telemetry.push({ slot: r.slot, importWh: r.importWh, exportWh: r.exportWh });
    });
    await node.subscribeAsync(channelFilter('telemetry'), { qos: 1 });
  });

  afterEach(async () => {
    await sim?.stop('signal');
    sim = undefined;
    await node.endAsync();
    await broker.close();
  });

  const open = (slot: number, openedAtMs = Date.now()) =>
    publishClock(node, 'tso', clockPayload({ slot, slotWallMs: 1000, openedAtMs, twinStartMs: START_MS + slot * 900_000 }));

  const start = async (rounds?: number) => {
    const reports: RoundReport[] = [];
    const warnings: string[] = [];
    sim = await DeviceSimulation.start({
      mqtt: { url: broker.url, meters, twin: new TwinMeterReadings(scenario, { seed: SEED, siteIndices: SITES }), clockAreas: ['n1-s1', 'tso'], ...(rounds === undefined ? {} : { rounds }) },
      onRound: (r) => reports.push(r),
      onWarning: (w) => warnings.push(w),
    });
    return { reports, warnings, finished: sim.run() };
  };

  it('waits for run(), ignores a stale retained clock, and reports the slots a clock jump passed over', async () => {
    await open(4, Date.now() - 60_000); // left by a node that stopped
    const { reports } = await start();
    expect(sim?.ready.clock).toEqual(['gridmesh/v1/n1-s1/clock', 'gridmesh/v1/tso/clock']);
    await open(1);
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    await open(5);
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(reports).toEqual([
      { slot: 0, openSlot: 1, readings: 2, faults: 0, replies: 0, skipped: 0 },
      { slot: 4, openSlot: 5, readings: 2, faults: 0, replies: 0, skipped: 3 },
    ]);
    await vi.waitFor(() => expect(telemetry).toHaveLength(4));
    const twin = new TwinMeterReadings(scenario, { seed: SEED, siteIndices: SITES });
    twin.advanceTo(4);
    const slot4 = telemetry.filter((t) => t.slot === 4).map(({ importWh, exportWh }) => ({ importWh, exportWh }));
    expect(slot4).toEqual([0, 1].map((k) => ({ importWh: twin.energy(k, 4).importWh, exportWh: twin.energy(k, 4).exportWh })));
    const summary = await sim?.stop('signal');
    expect(summary).toMatchObject({ stopped: 'signal', rounds: 2, readingsPublished: 4, skippedSlots: 3, clock: { accepted: 2, stale: 1 } });
  });

  it('stops by itself after the rounds asked for, or when the node goes beyond the twin', async () => {
    const { finished, warnings } = await start(5);
    await open(10); // readings of slot 9, the twin's last
    await open(11);
    expect(await finished).toBe('twin-end');
    expect(warnings.join('\n')).toMatch(/beyond the twin's 10 slots/);
    expect(await sim?.stop('twin-end')).toMatchObject({ rounds: 1, readingsPublished: 2 });
  });
});
