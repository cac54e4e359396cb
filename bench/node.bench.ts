/**
 * Runtime figures (part of `npm run bench`):
 * 1. Signed MQTT readings ingested per second by one node: the embedded broker, the node's MQTT
 *    gateway and its reading inbox (topic, size, JSON, schema, device, slot window, Ed25519
 *    signature, duplicate), from 4 publishing connections at QoS 1. The devices' signing is done
 *    before the clock starts: it is their work, not the node's.
 * 2. Slot latency of a running node (`GridmeshNode`) whose every meter is a real MQTT device, at
 *    1,000 and 10,000 sites. For each slot, the meters' readings are published when the slot closes.
 *    "Processing" is readings in → trades, statements and setpoints out (the twin's step with the
 *    full trust checks, co-signing, ledger write, chain submission). "From close" adds the grace
 *    the node waits for late readings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectAsync, type MqttClient } from 'mqtt';
import { deriveKeyPair } from '../src/core/identity/key-pair.js';
import { signReading } from '../src/core/identity/signed-reading.js';
import { ReadingGate } from '../src/core/identity/reading-gate.js';
import { issueCredential, verifyCredential } from '../src/core/identity/connection-credential.js';
import { startEmbeddedBroker } from '../src/adapters/mqtt/embedded-broker.js';
import { MqttDeviceGateway } from '../src/adapters/mqtt/mqtt-gateway.js';
import { telemetryPayloadOf } from '../src/adapters/mqtt/payload-schemas.js';
import { deviceTopic } from '../src/adapters/mqtt/topics.js';
import { clockTopic, parseClockPayload } from '../src/adapters/mqtt/node-clock.js';
import { generateCity, cityOptionsForSites } from '../src/core/sim/city-generator.js';
import { parseScenario } from '../src/core/sim/scenario-validate.js';
import { prepareRun } from '../src/core/sim/simulate.js';
import { ReadingInbox } from '../src/server/node/reading-inbox.js';
import { parseNodeConfig } from '../src/server/node/node-config.js';
import { GridmeshNode } from '../src/server/node/node-runtime.js';
import type { SlotSummary } from '../src/server/node/node-view.js';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const START_S = 1_780_000_000;

async function mqttIngest(): Promise<void> {
  const METERS = 2_000;
  const SLOTS = 10;
  const keys = Array.from({ length: METERS }, (_, i) => deriveKeyPair(3, `bench-meter-${i}`));
  const gatekeeper = deriveKeyPair(3, 'bench-gatekeeper');
  const gate = new ReadingGate({ trustedGatekeepers: [gatekeeper.did], slotToSeconds: (s) => START_S + s * 900, maxDevices: METERS + 1 });
  for (const [i, k] of keys.entries()) {
    const jwt = await issueCredential(gatekeeper.privateKey, {
      credentialId: `urn:bench:${i}`, subject: k.did, deviceType: 'meter', ratedPowerW: 20_000, area: 'bench', owner: 'bench',
      authorisedImportWh: null, authorisedPeriodSlots: 96, issuedAtSeconds: START_S - 10, notBeforeSeconds: START_S - 10, expiresAtSeconds: START_S + 1e8,
    });
    gate.admitVerified(await verifyCredential(jwt, { trustedGatekeepers: new Set([gatekeeper.did]), nowSeconds: START_S }));
  }
  const inbox = new ReadingInbox({ registry: gate.registry, siteOfMeter: new Map(keys.map((k, i) => [k.did, i])), maxSlotsHeld: SLOTS + 1 });
  const broker = await startEmbeddedBroker({ port: 0 });
  const gateway = await MqttDeviceGateway.connect({ url: broker.url, gate: inbox, currentSlot: () => SLOTS, inboundQueueMessagesMax: METERS * SLOTS });
  const messages: { topic: string; payload: string }[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    for (const k of keys) {
      const record = signReading(k.privateKey, { deviceKey: k.publicKeyRaw, slot, importWh: 300, exportWh: 0, peakPowerW: 2000 });
      messages.push({ topic: deviceTopic({ did: k.did, area: 'bench' }, 'telemetry'), payload: JSON.stringify(telemetryPayloadOf(record)) });
    }
  }
  const publishers: MqttClient[] = await Promise.all([0, 1, 2, 3].map((p) => connectAsync(broker.url, { clientId: `bench-publisher-${p}` })));
  const t0 = performance.now();
  // Each publisher keeps up to 500 messages in flight (devices do not wait for one PUBACK before the next).
  await Promise.all(publishers.map(async (client, p) => {
    let window: Promise<unknown>[] = [];
    for (let k = p; k < messages.length; k += publishers.length) {
      const m = messages[k] as { topic: string; payload: string };
      window.push(client.publishAsync(m.topic, m.payload, { qos: 1 }));
      if (window.length >= 500) {
        await Promise.all(window);
        window = [];
      }
    }
    await Promise.all(window);
  }));
  while (gateway.counts().readingsAccepted + Object.values(gateway.counts().rejected).reduce((a, b) => a + b, 0) < messages.length) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - t0) / 1000;
  const c = gateway.counts();
  await Promise.all(publishers.map((client) => client.endAsync()));
  await gateway.close();
  await broker.close();
  if (c.readingsAccepted !== messages.length) throw new Error(`only ${c.readingsAccepted} of ${messages.length} readings accepted: ${JSON.stringify(c.rejected)}`);
  console.log(`node, signed MQTT readings ingested (embedded broker, gateway, inbox with signature check; 4 publishers, QoS 1, 500 in flight each): ${fmt(messages.length / seconds)}/s (${fmt(messages.length)} readings in ${seconds.toFixed(2)} s)`);
}

async function slotLatency(sites: number, slotWallMs: number, measuredSlots: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gridmesh-node-bench-'));
  try {
    const input = { ...generateCity({ ...cityOptionsForSites(sites), days: 1, seed: 11 }), days: 1 };
    const scenarioPath = join(dir, 'city.json');
    writeFileSync(scenarioPath, JSON.stringify(input));
    const scenario = parseScenario(input);
    const config = parseNodeConfig({
      node: { id: `bench-${sites}` }, scenario: scenarioPath, dataDir: join(dir, 'data'), mqtt: { embedded: { port: 0 } },
      clock: { speed: (scenario.slotMinutes * 60_000) / slotWallMs, graceFraction: 0.15 }, devices: { mqttMeters: 'all' },
    });
    const t0 = performance.now();
    const node = await GridmeshNode.start({ config });
    const startS = (performance.now() - t0) / 1000;
    // The devices: each meter's reading from the scenario's twin, signed, published when its slot closes.
    const twin = prepareRun(scenario, { mode: 'autonomous' });
    const meters = twin.model.sites.map((s) => ({ key: deriveKeyPair(scenario.seed, `meter:${s.id}`), area: scenario.sites.find((x) => x.id === s.id)?.area ?? '' }));
    const publisher = await connectAsync(node.mqttUrl, { clientId: 'bench-devices' });
    let twinSlot = -1;
    const publishSlot = async (due: number): Promise<void> => {
      while (twinSlot < due) twin.engine.step(++twinSlot);
      const slotSeconds = scenario.slotMinutes * 60;
      let window: Promise<unknown>[] = [];
      for (const [i, m] of meters.entries()) {
        const net = Math.round(twin.model.buffers.netWh[i] as number);
        const record = signReading(m.key.privateKey, { deviceKey: m.key.publicKeyRaw, slot: due, importWh: Math.max(0, -net), exportWh: Math.max(0, net), peakPowerW: Math.ceil((Math.abs(net) * 3600) / slotSeconds) });
        window.push(publisher.publishAsync(deviceTopic({ did: m.key.did, area: m.area }, 'telemetry'), JSON.stringify(telemetryPayloadOf(record)), { qos: 1 }));
        if (window.length >= 500) {
          await Promise.all(window);
          window = [];
        }
      }
      await Promise.all(window);
    };
    publisher.on('message', (_t, payload) => {
      const clock = parseClockPayload(payload);
      if (!clock.ok || clock.value.slot === 0) return;
      publishSlot(clock.value.slot - 1).catch((e: unknown) => console.error(`bench devices: ${(e as Error).message}`));
    });
    await publisher.subscribeAsync(clockTopic(scenario.areas[0]?.id ?? 'tso'), { qos: 1 });
    const measured: SlotSummary[] = [];
    for (let slot = 1; slot <= measuredSlots + 1; slot++) {
      const s = await node.waitForSlot(slot, slotWallMs * 4 + 60_000);
      if (slot > 1) measured.push(s); // slot 0 and 1 warm up
    }
    await publisher.endAsync();
    await node.stop();
    const lat = measured.map((s) => s.latencyMs).sort((a, b) => a - b);
    const p50 = lat[Math.floor(lat.length / 2)] ?? NaN;
    const max = lat[lat.length - 1] ?? NaN;
    const complete = measured.filter((s) => s.readings.external === meters.length).length;
    const graceMs = Math.round(slotWallMs * 0.15);
    console.log(`node, slot latency with ${fmt(sites)} real MQTT meters (${fmt(meters.length)} sites): processing p50 ${fmt(p50)} ms, max ${fmt(max)} ms over ${measured.length} slots (from slot close: + ${fmt(graceMs)} ms grace); all readings in for ${complete}/${measured.length} slots; start-up ${startS.toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await mqttIngest();
await slotLatency(1_000, 6_000, 4);
await slotLatency(10_000, 30_000, 3);
