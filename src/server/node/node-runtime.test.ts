import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signOrder } from '../../core/identity/signed-order.js';
import { orderPayloadOf } from '../../adapters/mqtt/payload-schemas.js';
import { deviceTopic } from '../../adapters/mqtt/topics.js';
import { aScenarioInput } from '../../core/sim/scenario.fixture.js';
import { deriveKeyPair } from '../../core/identity/key-pair.js';
import { MqttMeterFleet } from '../../adapters/devices/mqtt-meter-simulator.js';
import { clockTopic, parseClockPayload } from '../../adapters/mqtt/node-clock.js';
import { UsageError } from '../../core/errors.js';
import { parseNodeConfig, type NodeConfigInput } from './node-config.js';
import { GridmeshNode } from './node-runtime.js';
import { INTERVENTIONS_META } from './node-interventions.js';
import { LedgerStore } from '../../adapters/ledger/ledger-store.js';
import { LEDGER_FILE } from '../../adapters/trust/simulation-ledger.js';
import { verifyLedger } from '../../adapters/trust/ledger-verify.js';

const SEED = 7;
const REAL = ['n1-h0', 'n1-h1'];

describe('GridmeshNode: the slot cycle in accelerated wall-clock time', () => {
  let dir: string;
  let scenarioPath: string;
  let node: GridmeshNode | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gridmesh-node-'));
    scenarioPath = join(dir, 'town.json');
    writeFileSync(scenarioPath, JSON.stringify(aScenarioInput({ days: 0.25 })));
  });

  afterEach(async () => {
    await node?.stop();
    node = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (over: Partial<NodeConfigInput> = {}) => parseNodeConfig({
    node: { id: 'test-node' }, scenario: scenarioPath, seed: SEED, dataDir: join(dir, 'data'),
    mqtt: { embedded: { port: 0 } }, clock: { speed: 1500, graceFraction: 0.7 }, devices: { mqttMeters: REAL }, ...over,
  });

  /** Real meters that send a reading for every slot the node's clock says is due (except `skip`). */
  const followClock = async (url: string, skip: (meter: number, slot: number) => boolean): Promise<{ fleet: MqttMeterFleet; client: MqttClient; sent: number[] }> => {
    const keys = REAL.map((id) => deriveKeyPair(SEED, `meter:${id}`));
    const fleet = await MqttMeterFleet.connect({
      url, meters: keys.map((k) => ({ area: 'n1-s1', privateKey: k.privateKey, publicKeyRaw: k.publicKeyRaw, profile: () => ({ importWh: 200, exportWh: 0, peakPowerW: 1000 }) })),
    });
    const client = await connectAsync(url, { clientId: 'test-clock-follower' });
    const sent: number[] = [];
    client.on('message', (_topic, payload) => {
      const clock = parseClockPayload(payload);
      if (!clock.ok || clock.value.slot === 0) return;
      const due = clock.value.slot - 1;
      for (let m = 0; m < REAL.length; m++) {
        if (skip(m, due)) continue;
        sent.push(due);
        fleet.publishReading(m, due).catch(() => {}); // the fleet may be closing
      }
    });
    await client.subscribeAsync(clockTopic('tso'), { qos: 1 });
    return { fleet, client, sent };
  };

  it('settles real meters\' signed readings, counts a missing one, and resumes after a restart without losing or repeating a slot', async () => {
    node = await GridmeshNode.start({ config: config() });
    const devices = await followClock(node.mqttUrl, (m, slot) => m === 1 && slot === 3);
    try {
      const s5 = await node.waitForSlot(5, 20_000);
      expect(s5.slot).toBeGreaterThanOrEqual(5);
      const history = node.view.history(100);
      const slot3 = history.find((s) => s.slot === 3);
      expect(slot3?.readings.external).toBe(1);
      expect(slot3?.readings.missing).toBe(1);
      const slot4 = history.find((s) => s.slot === 4);
      expect(slot4?.readings.external).toBe(2);
      expect(node.view.alerts(100).some((a) => a.kind === 'missing-reading' && a.slot === 3)).toBe(true);
      const meter = node.view.devices().find((d) => d.kind === 'meter' && d.site === 'n1-h0');
      expect(meter).toMatchObject({ protocol: 'mqtt', connected: true });
      expect(node.view.trades(4).length).toBeGreaterThan(10);
      // n1-h0 has a battery in the twin: its site gets the twin's battery power on its commands topic; n1-h1 has none.
      await vi.waitFor(() => expect(devices.fleet.commands(0).length).toBeGreaterThan(0), { timeout: 5000 });
      expect(devices.fleet.commands(0)[0]).toMatchObject({ v: 1, commandId: expect.stringMatching(/^battery-\d+$/), durationSlots: 1 });
      expect(devices.fleet.commands(1)).toEqual([]);
    } finally {
      await devices.fleet.close();
      await devices.client.endAsync();
    }
    await node.stop();
    const stoppedAt = node.settledSlot;
    const before = node.view.history(1000).length;
    expect(before).toBeGreaterThan(0);

    node = await GridmeshNode.start({ config: config() });
    const next = await node.waitForSlot(stoppedAt + 2, 20_000);
    expect(next.slot).toBeGreaterThan(stoppedAt);
    // The restarted node replayed slots 0..stoppedAt silently and went on with the next one.
    expect(node.view.history(1000)[0]?.slot).toBe(stoppedAt + 1);
    const statements = node.view.statements({ limit: 1000 });
    const keys = statements.map((s) => `${s.microgrid}:${s.slot}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const microgrid of new Set(statements.map((s) => s.microgrid))) {
      const slots = statements.filter((s) => s.microgrid === microgrid).map((s) => s.slot).sort((a, b) => a - b);
      expect(slots).toEqual(Array.from({ length: slots.length }, (_, k) => k));
    }
    // The real meters sent nothing after the restart: they are missing, not signed by the node.
    const after = node.view.history(10).filter((s) => s.slot > stoppedAt);
    expect(after.every((s) => s.readings.external === 0 && s.readings.missing === 2)).toBe(true);
  }, 60_000);

  it('an operator outage islands the area from the next slot and is kept across a restart', async () => {
    node = await GridmeshNode.start({ config: config({ devices: { mqttMeters: [] } }) });
    await node.waitForSlot(1, 20_000);
    const accepted = node.view.triggerOutage({ area: 'n1', durationSlots: 4 }, 'test');
    const islanded = await node.waitForSlot(accepted.fromSlot, 20_000);
    expect(islanded.islands).toContain('n1');
    expect(node.view.alerts(100).some((a) => a.kind === 'islanded' && a.area === 'n1')).toBe(true);
    await node.stop();
    node = await GridmeshNode.start({ config: config({ devices: { mqttMeters: [] } }) });
    expect(node.view.areas().length).toBeGreaterThan(0);
    const later = await node.waitForSlot(accepted.toSlot + 1, 20_000);
    expect(later.islands).not.toContain('n1');
  }, 60_000);

  it('pays verified flexibility: an operator request on the second day is settled against the first day\'s baseline', async () => {
    writeFileSync(scenarioPath, JSON.stringify(aScenarioInput({ days: 2 })));
    node = await GridmeshNode.start({ config: config({ devices: { mqttMeters: [] }, clock: { speed: 90_000, graceFraction: 0 } }) });
    const dso = deriveKeyPair(SEED, 'gatekeeper:dso');
    expect(node.view.roleOf(dso.did)).toBe('dso');
    // 18:30 to 20:00 on the second day, when the cars of the street come home.
    const request = node.view.requestFlexibility({ area: 'n1-s1', fromSlot: 170, toSlot: 175, requestedKw: 40, priceMinorPerKwh: 200 }, dso.did);
    expect(request).toMatchObject({ buyer: 'dso', fromSlot: 170, toSlot: 176, status: 'requested' });
    await node.waitForSlot(180, 60_000);
    const settled = node.view.flexibility().find((f) => f.id === request.id);
    expect(settled?.deliveredWh).toBeGreaterThan(0);
    expect(settled?.paidMinor).toBeGreaterThan(0);
    expect(settled?.status).toBe('delivered');
    expect(() => node?.view.requestFlexibility({ area: 'n1-s1', fromSlot: 3, toSlot: 4, requestedKw: 1, priceMinorPerKwh: 1 }, dso.did)).toThrow(/has not run yet/);
  }, 90_000);

  it('clears a real participant\'s own signed orders (sent over MQTT) for its site, records them in the ledger, and refuses a replay and a twin site\'s owner', async () => {
    node = await GridmeshNode.start({ config: config({ devices: { mqttMeters: [], participants: ['n1-h0'] } }) });
    await node.waitForSlot(1, 20_000);
    const owner = deriveKeyPair(SEED, 'owner:n1-h0');
    const other = deriveKeyPair(SEED, 'owner:n1-h1');
    const client = await connectAsync(node.mqttUrl, { clientId: 'test-participant' });
    const replies: { code: string; topic: string }[] = [];
    client.on('message', (_t, payload) => replies.push(JSON.parse(payload.toString()) as { code: string; topic: string }));
    await client.subscribeAsync([deviceTopic({ did: owner.did, area: 'n1-s1' }, 'reply'), deviceTopic({ did: other.did, area: 'n1-s1' }, 'reply')], { qos: 1 });
    const slot = node.settledSlot + 3;
    const sign = (key: typeof owner, seq: number, side: 'bid' | 'offer', energyWh: number, price: number) =>
      signOrder(key.privateKey, { participantKey: key.publicKeyRaw, slot, orderSeq: seq, side, priorityClass: side === 'offer' ? 4 : 2, energyWh, priceMinorPerKwh: price });
    const offer = sign(owner, 1, 'offer', 800, 12);
    const bid = sign(owner, 2, 'bid', 1500, 45);
    const topic = deviceTopic({ did: owner.did, area: 'n1-s1' }, 'orders');
    try {
      for (const order of [offer, bid, offer]) await client.publishAsync(topic, JSON.stringify(orderPayloadOf(order)), { qos: 1 });
      await client.publishAsync(deviceTopic({ did: other.did, area: 'n1-s1' }, 'orders'), JSON.stringify(orderPayloadOf(sign(other, 1, 'bid', 100, 30))), { qos: 1 });
      await vi.waitFor(() => expect(replies).toHaveLength(2), { timeout: 5000 });
      expect(replies.map((r) => r.code).sort()).toEqual(['replay', 'unknown-device']);
      expect(node.view.orders(slot).filter((o) => o.site === 'n1-h0')).toEqual([
        { slot, site: 'n1-h0', side: 'offer', energyWh: 800, priceMinorPerKwh: 12, source: 'mqtt' },
        { slot, site: 'n1-h0', side: 'bid', energyWh: 1500, priceMinorPerKwh: 45, source: 'mqtt' },
      ]);
      await node.waitForSlot(slot, 20_000);
      // Settled: the ledger holds the participant's own two records, and the twin signed none for the site.
      expect(node.view.orders(slot).filter((o) => o.site === 'n1-h0')).toEqual([
        { slot, site: 'n1-h0', side: 'offer', energyWh: 800, priceMinorPerKwh: 12, source: 'participant' },
        { slot, site: 'n1-h0', side: 'bid', energyWh: 1500, priceMinorPerKwh: 45, source: 'participant' },
      ]);
      expect(node.view.orders(slot).some((o) => o.site === 'n1-h1' && o.source === 'twin')).toBe(true);
      // A slot without orders from the participant: the site has none (what it meters is imbalance).
      expect(node.view.orders(slot - 1).filter((o) => o.site === 'n1-h0')).toEqual([]);
      const trade = node.view.trades(slot).find((t) => t.site === 'n1-h0');
      expect(trade?.boughtWh).toBeLessThanOrEqual(1500);
      expect(trade?.soldWh).toBeLessThanOrEqual(800);
    } finally {
      await client.endAsync();
    }
    await node.stop();
    // Anyone can re-execute the node's settlement from the stored records, the participant's included.
    const report = await verifyLedger(join(dir, 'data'));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  }, 90_000);

  it('error: refuses a data folder that holds another run, and an unknown real meter', async () => {
    node = await GridmeshNode.start({ config: config({ devices: { mqttMeters: [] } }) });
    await node.waitForSlot(0, 20_000);
    await node.stop();
    node = undefined;
    await expect(GridmeshNode.start({ config: config({ seed: SEED + 1, devices: { mqttMeters: [] } }) })).rejects.toThrow(/holds the ledger of a run with another seed/);
    await expect(GridmeshNode.start({ config: config({ devices: { mqttMeters: ['nowhere'] } }) })).rejects.toThrow(UsageError);
    // A damaged row of operators' interventions stops the node with its name (replaying without it would diverge).
    const store = LedgerStore.open(join(dir, 'data', LEDGER_FILE));
    store.setMeta(INTERVENTIONS_META, '[{"kind":"outage","area":"n1"}]');
    store.close();
    await expect(GridmeshNode.start({ config: config({ devices: { mqttMeters: [] } }) })).rejects.toThrow(/node_interventions row is not valid/);
  }, 60_000);
});
