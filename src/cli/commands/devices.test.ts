/**
 * `gridmesh devices simulate` end to end: the command runs as its own process (as a user runs it)
 * against an embedded broker and a node-side MqttDeviceGateway whose ReadingGate admits the
 * scenario's meter credentials (prepareTrust, the node's trust layer). The test plays the node
 * clock; the readings must be the scenario twin's, signed by the identities the node derives.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../adapters/mqtt/embedded-broker.js';
import { MqttDeviceGateway } from '../../adapters/mqtt/mqtt-gateway.js';
import { clockPayload, clockTopic, publishClock } from '../../adapters/mqtt/node-clock.js';
import { deviceTopic } from '../../adapters/mqtt/topics.js';
import { SunSpecClient } from '../../adapters/modbus/sunspec-client.js';
import { startOcppCentralSystem, type OcppCentralSystem } from '../../adapters/ocpp/1.6/central-system.js';
import { BoundedReadingBuffer } from '../../adapters/ocpp/1.6/reading-buffer.js';
import { UsageError } from '../../core/errors.js';
import { buildAreaTree } from '../../core/grid/area-tree.js';
import { ReadingGate } from '../../core/identity/reading-gate.js';
import { aScenario, aScenarioInput } from '../../core/sim/scenario.fixture.js';
import { prepareRun } from '../../core/sim/simulate.js';
import { prepareTrust, type TrustSetup } from '../../core/trust/trust-setup.js';
import { devicesSimulateCommand, type DevicesSimulateFlags } from './devices.js';
import { usageFailure } from './usage-failure.fixture.js';

const SEED = 11;
const input = aScenarioInput({ days: 1 });
const scenario = aScenario({ days: 1 });
const tree = buildAreaTree(scenario);
const dir = mkdtempSync(join(tmpdir(), 'gridmesh-devices-'));
const file = join(dir, 'town.json');
writeFileSync(file, JSON.stringify(input));
const SLOT_MS = scenario.slotMinutes * 60_000;
const START_MS = Date.parse(scenario.start);

interface Reading { did: string; slot: number; importWh: number; exportWh: number; peakPowerW: number }

/** What the node expects: the twin's net per site and slot, made into a reading as the trust layer does. */
function twinReadings(siteIds: readonly string[], slots: number): Map<string, Omit<Reading, 'did'>[]> {
  const run = prepareRun(scenario, { mode: 'autonomous', seed: SEED });
  const index = siteIds.map((id) => Array.from(tree.siteOrder).findIndex((k) => scenario.sites[k]?.id === id));
  const out = new Map(siteIds.map((id) => [id, [] as Omit<Reading, 'did'>[]]));
  for (let slot = 0; slot < slots; slot++) {
    run.engine.step(slot);
    siteIds.forEach((id, k) => {
      const net = Math.round(run.model.buffers.netWh[index[k] as number] as number);
      out.get(id)?.push({ slot, importWh: Math.max(0, -net), exportWh: Math.max(0, net), peakPowerW: Math.ceil((Math.abs(net) * 3600) / (SLOT_MS / 1000)) });
    });
  }
  return out;
}

/** The gridmesh CLI as a child process, with its stdout read line by line. */
class Cli {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'devices', 'simulate', ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let partial = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  json(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async line(n: number): Promise<Record<string, unknown>> {
    await vi.waitFor(() => {
      if (this.child.exitCode !== null && this.lines.length <= n) throw new Error(`exited ${this.child.exitCode}: ${this.stderr}`);
      expect(this.lines.length).toBeGreaterThan(n);
    }, { timeout: 20_000, interval: 20 });
    return JSON.parse(this.lines[n] as string) as Record<string, unknown>;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}

describe('gridmesh devices simulate (a separate process against a node)', () => {
  let setup: TrustSetup;
  let broker: EmbeddedBroker;
  let node: MqttClient;
  let gateway: MqttDeviceGateway;
  let nodeSlot: number;
  let accepted: Reading[];
  let cli: Cli | undefined;
  const cleanup: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    setup = await prepareTrust(scenario, SEED, 96);
  });

  beforeEach(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    node = await connectAsync(broker.url, { clientId: 'node-clock' }, false);
    const gate = new ReadingGate({
      trustedGatekeepers: [...setup.gatekeepers.values()].map((k) => k.did),
      slotToSeconds: (slot) => Math.floor((START_MS + slot * SLOT_MS) / 1000),
      maxDevices: setup.sites.length,
    });
    for (const s of setup.sites) gate.admitVerified(s.meterCredential);
    nodeSlot = 0;
    accepted = [];
    gateway = await MqttDeviceGateway.connect({
      url: broker.url, gate, currentSlot: () => nodeSlot,
      onReading: (a) => accepted.push({ did: a.device.did, slot: a.reading.slot, importWh: a.reading.importWh, exportWh: a.reading.exportWh, peakPowerW: a.reading.peakPowerW }),
    });
  });

  afterEach(async () => {
    cli?.kill('SIGKILL');
    cli = undefined;
    for (const item of cleanup.splice(0).reverse()) await item.close();
    await gateway.close();
    await node.endAsync();
    await broker.close();
  });

  /** Opens `slot` as the node does: its gate moves on, then the retained clock goes out. */
  const openSlot = async (area: string, slot: number): Promise<void> => {
    nodeSlot = slot;
    await publishClock(node, area, clockPayload({ slot, slotWallMs: 60_000, openedAtMs: Date.now(), twinStartMs: START_MS + slot * SLOT_MS }));
  };

  it('meters report the twin\'s readings for each slot the node clock closes, a fault is rejected, SIGTERM ends cleanly', async () => {
    cli = new Cli([file, '--seed', String(SEED), '--area', 'n1', '--meters', '2', '--mqtt', broker.url, '--fault', '1:1:forged-signature', '--json']);
    const ready = await cli.line(0);
    const sites = ['n1-h0', 'n1-h1'];
    const identities = sites.map((id) => setup.sites.find((s) => s.siteId === id));
    expect(ready).toEqual({
      ready: true, scenario: 'Test town', seed: SEED, chargers: [], modbus: [],
      meters: identities.map((s) => ({ site: s?.siteId, did: s?.meter.did, topic: deviceTopic({ did: s?.meter.did ?? '', area: 'n1-s1' }, 'telemetry') })),
      clock: ['n1-s1', 'n1', 'city', 'dso', 'tso'].map(clockTopic),
    });

    const replies: string[] = [];
    node.on('message', (topic, payload) => {
      if (topic.endsWith('/reply')) replies.push(payload.toString());
    });
    await node.subscribeAsync(deviceTopic({ did: identities[1]?.meter.did ?? '', area: 'n1-s1' }, 'reply'), { qos: 0 });
    for (const slot of [1, 2, 3]) await openSlot('n1', slot);
    const rounds = await Promise.all([1, 2, 3].map((n) => cli?.line(n)));
    expect(rounds).toEqual([
      { slot: 0, openSlot: 1, readings: 2, faults: 0, replies: 0, skipped: 0 },
      { slot: 1, openSlot: 2, readings: 2, faults: 1, replies: expect.any(Number), skipped: 0 },
      { slot: 2, openSlot: 3, readings: 2, faults: 0, replies: expect.any(Number), skipped: 0 },
    ]);
    await vi.waitFor(() => expect(gateway.counts().readingsAccepted).toBe(6));
    expect(gateway.counts().rejected['bad-signature']).toBe(1);

    const expected = twinReadings(sites, 3);
    for (const [k, site] of sites.entries()) {
      const did = identities[k]?.meter.did;
      expect(accepted.filter((r) => r.did === did)).toEqual((expected.get(site) ?? []).map((r) => ({ did, ...r })));
    }
    expect(accepted.some((r) => r.importWh + r.exportWh > 0)).toBe(true);

    // The node's reply to the forged reading has gone through the broker (the meter gets it as the test does).
    await vi.waitFor(() => expect(replies.map((r) => JSON.parse(r).code)).toEqual(['bad-signature']));
    const killedAt = Date.now();
    cli.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(1500); // closed cleanly, not by the safety exit
    const summary = cli.json().at(-1);
    expect(summary).toMatchObject({
      done: true, stopped: 'signal', rounds: 3, readingsPublished: 6, faultsPublished: 1, publishFailures: 0,
      repliesReceived: 1, replyCodes: { 'bad-signature': 1 }, skippedSlots: 0, twinMismatches: 0,
      clock: { accepted: 3, duplicate: 0, older: 0, stale: 0, bad: 0, droppedPending: 0 },
    });
    expect(cli.json()).toHaveLength(5);
    expect(cli.stderr).toBe('');
  });

  it('--slots ends by itself; chargers charge over OCPP and SunSpec devices answer over Modbus', async () => {
    const system: OcppCentralSystem = await startOcppCentralSystem({ port: 0, host: '127.0.0.1', strictMode: true, sink: new BoundedReadingBuffer(100) });
    cleanup.push(system);
    cli = new Cli([file, '--seed', String(SEED), '--area', 'n2', '--mqtt', broker.url, '--slots', '1', '--ocpp', system.url, '--chargers', '2', '--modbus', '1']);
    const ready = await cli.line(0);
    expect(ready.chargers).toEqual(['n2-ev-1', 'n2-ev-2']);
    expect(ready.meters).toHaveLength(10);
    const modbus = ready.modbus as { host: string; port: number }[];
    expect(modbus).toEqual([{ host: '127.0.0.1', port: expect.any(Number) }]);
    for (const id of ['n2-ev-1', 'n2-ev-2']) {
      expect(system.isConnected(id)).toBe(true);
      await vi.waitFor(() => expect(system.connector(id, 1).status).toBe('Charging'));
    }
    const inverter = await SunSpecClient.connect({ host: '127.0.0.1', port: modbus[0]?.port ?? 0, unitId: 1 });
    expect(inverter.modelIds).toEqual(expect.arrayContaining([1, 103, 123, 124]));
    expect(await inverter.readBatterySocPct()).toBe(50);
    await inverter.close();

    nodeSlot = 7;
    await publishClock(node, 'n2', clockPayload({ slot: 7, slotWallMs: 60_000, openedAtMs: Date.now(), twinIso: '2026-06-15T23:45:00.000Z' }));
    expect(await cli.exited).toBe(0);
    await vi.waitFor(() => expect(gateway.counts().readingsAccepted).toBe(10));
    expect(accepted.every((r) => r.slot === 6)).toBe(true);
    expect(cli.json().at(-1)).toMatchObject({ done: true, stopped: 'rounds', rounds: 1, readingsPublished: 10, chargers: 2, modbusDevices: 1, twinMismatches: 1 });
    expect(cli.stderr).toMatch(/^slot 6 \(node at 7\): 10 readings, 0 faults, 0 replies$/m);
    expect(cli.stderr).toMatch(/warning: the node's slot 7 starts at 2026-06-15T23:45:00.000Z in scenario time, this twin's at 2026-06-14T23:45:00.000Z/);
  });
});

describe('gridmesh devices simulate: usage errors (exit code 2, before anything connects)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = { stdout: () => undefined, stderr: () => undefined };
  const run = (flags: DevicesSimulateFlags, scenarioFile = file) => devicesSimulateCommand(scenarioFile, flags, quiet);
  const message = async (flags: DevicesSimulateFlags): Promise<string> => {
    const error = await usageFailure(run(flags));
    expect(error).toBeInstanceOf(UsageError);
    return error.message + error.details.join('\n');
  };
  const mqtt = 'mqtt://127.0.0.1:1';

  it('error: bad --meters, --sites and --seed', async () => {
    expect(await message({ mqtt, meters: '0' })).toMatch(/--meters must be a whole number 1\.\.1000, got "0"/);
    expect(await message({ mqtt, meters: 'two' })).toMatch(/--meters must be a whole number/);
    expect(await message({ mqtt, meters: '1001' })).toMatch(/--meters must be a whole number 1\.\.1000/);
    expect(await message({ mqtt, meters: '2', sites: 'n1-h0' })).toMatch(/--meters and --sites exclude each other/);
    expect(await message({ mqtt, sites: 'n1-h0,nowhere' })).toMatch(/--sites: no site "nowhere"/);
    expect(await message({ mqtt, sites: 'n1-h0,n1-h0' })).toMatch(/--sites: site "n1-h0" is listed twice/);
    expect(await message({ mqtt, area: 'n2', sites: 'n1-h0' })).toMatch(/--sites: site "n1-h0" is not under --area n2/);
    expect(await message({ mqtt, seed: '-1' })).toMatch(/--seed must be a whole number 0\.\.4294967295/);
    expect(await message({ mqtt, days: '0' })).toMatch(/--days must be a positive number, got "0"/);
    expect(await message({ mqtt, days: '400' })).toMatch(/--days must be at most the scenario's limits\.maxDays \(366\), got 400/);
    expect(await message({ modbus: '1', days: '2' })).toMatch(/--days needs --mqtt URL/);
  });

  it('error: an unknown --area names the areas there are', async () => {
    expect(await message({ mqtt, area: 'atlantis' })).toMatch(/--area: no area "atlantis" in the scenario; expected one of tso, dso, city, n1, n1-s1/);
  });

  it('error: bad URLs, faults and options without what they need', async () => {
    expect(await message({})).toMatch(/nothing to simulate/);
    expect(await message({ mqtt: 'localhost:1883' })).toMatch(/--mqtt must be a .*URL such as mqtt:\/\/127\.0\.0\.1:1883/);
    expect(await message({ ocpp: 'http://127.0.0.1:9220/' })).toMatch(/--ocpp must be a ws, wss URL/);
    expect(await message({ ocpp: 'ws://127.0.0.1:1/', chargers: '0' })).toMatch(/--chargers must be a whole number 1\.\.1000/);
    expect(await message({ modbus: '101' })).toMatch(/--modbus must be a whole number 1\.\.100/);
    expect(await message({ meters: '2' })).toMatch(/--meters needs --mqtt URL/);
    expect(await message({ modbus: '1', slots: '3' })).toMatch(/--slots needs --mqtt URL/);
    expect(await message({ modbus: '1', chargers: '3' })).toMatch(/--chargers needs --ocpp URL/);
    expect(await message({ ocpp: 'ws://127.0.0.1:1/', modbusHost: '0.0.0.0' })).toMatch(/--modbus-host needs --modbus N/);
    expect(await message({ mqtt, slots: '0' })).toMatch(/--slots must be a whole number 1\.\./);
    expect(await message({ mqtt, fault: ['0:5'] })).toMatch(/--fault "0:5": expected meterIndex:slot:kind with kind one of forged-signature, bad-json/);
    expect(await message({ mqtt, fault: ['0:5:gremlins'] })).toMatch(/--fault "0:5:gremlins": unknown kind "gremlins"/);
    expect(await message({ mqtt, fault: ['x:5:replay'] })).toMatch(/--fault "x:5:replay": meter index must be a whole number/);
    expect(await message({ mqtt, area: 'n1', meters: '2', fault: ['0:1:replay,2:1:replay'] })).toMatch(/--fault 2:1:replay: meter index 2 is not one of the 2 meters \(0\.\.1\)/);
  });

  it('error: a broker that cannot be reached is a clear error', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    const url = broker.url;
    await broker.close();
    const error = await usageFailure(run({ mqtt: url, area: 'n1', meters: '1' }));
    expect(error.message).toMatch(/cannot connect/);
  });
});
