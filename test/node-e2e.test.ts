/**
 * End to end over real sockets and processes: a node (`gridmesh serve`, a child process) on an
 * external mosquitto broker, simulated MQTT meters in another child process (`gridmesh devices
 * simulate`), an operator outage that islands a neighbourhood, a crash of the node (SIGKILL) and its
 * restart, then a graceful stop and `gridmesh ledger verify` of the node's data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aScenarioInput } from '../src/core/sim/scenario.fixture.js';
import { deriveKeyPair } from '../src/core/identity/key-pair.js';
import { signRequest } from '../src/server/http/request-signing.js';
import type { AlertView, DeviceView, FlexibilityView } from '../src/server/node/node-view.js';
import type { SlotSummary, StatementView } from '../src/server/node/node-view.js';
import { describeWithMosquitto, startMosquitto, stopChild, type Mosquitto } from './support/mosquitto.js';

const REAL = ['n1-h0', 'n1-h2', 'n2-h1'];
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

function run(args: readonly string[]): Child {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 5000) lines.splice(0, lines.length - 5000);
      for (const w of waiters) w();
    });
  }
  return {
    process: child, lines,
    waitFor: (pattern, timeoutMs) => new Promise((resolve, reject) => {
      const check = (): void => {
        for (const line of lines) {
          const m = pattern.exec(line);
          if (m !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    }),
  };
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${(last as Error).message}`}`);
}

describeWithMosquitto('a node, mosquitto and simulated meters in separate processes', () => {
  let broker: Mosquitto;
  let dir: string;
  const children: Child[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'gridmesh-e2e-'));
  });

  afterAll(async () => {
    for (const c of children) await stopChild(c.process, 'SIGKILL');
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('settles every real reading, islands on an outage, survives a crash and verifies', async () => {
    const scenario = join(dir, 'town.json');
    writeFileSync(scenario, JSON.stringify(aScenarioInput({ days: 0.5 })));
    const config = join(dir, 'node.json');
    writeFileSync(config, JSON.stringify({
      node: { id: 'e2e' }, scenario, seed: 7, dataDir: join(dir, 'data'), http: { port: 0 },
      clock: { speed: 1500, graceFraction: 0.6 }, mqtt: { url: broker.url }, devices: { mqttMeters: REAL }, demo: { outageButton: true },
    }));
    const startNode = async (): Promise<{ child: Child; api: string }> => {
      const child = run(['serve', '--config', config]);
      children.push(child);
      const m = await child.waitFor(/dashboard and API: (http:\/\/[^/ ]+)\//, 60_000);
      return { child, api: `${m[1] as string}/api/v1` };
    };

    let node = await startNode();
    const devices = run(['devices', 'simulate', scenario, '--seed', '7', '--mqtt', broker.url, '--sites', REAL.join(',')]);
    children.push(devices);
    await devices.waitFor(/"ready":true/, 60_000);

    const slots = (api: string) => getJson<SlotSummary[]>(`${api}/slots?limit=2000`);
    // Three slots in a row with every real meter's reading settled.
    await until('three slots with all real readings', async () => {
      const s = await slots(node.api);
      return s.slice(-3).length === 3 && s.slice(-3).every((x) => x.readings.external === REAL.length) ? s : undefined;
    }, 60_000);

    const r = await fetch(`${node.api}/outages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ area: 'n1', durationSlots: 3 }) });
    expect(r.status).toBe(202);
    const outage = (await r.json()) as { fromSlot: number; toSlot: number };
    await until('n1 islanded', async () => ((await slots(node.api)).some((x) => x.islands.includes('n1')) ? true : undefined), 30_000);
    await until('n1 reconnected', async () => ((await slots(node.api)).some((x) => x.slot >= outage.toSlot && !x.islands.includes('n1')) ? true : undefined), 30_000);
    const beforeCrash = await slots(node.api);
    // While the devices and the node both ran, no reading was lost: every slot after the first full one has all of them.
    const firstFull = beforeCrash.findIndex((x) => x.readings.external === REAL.length);
    expect(beforeCrash.slice(firstFull).every((x) => x.readings.external === REAL.length)).toBe(true);

    // Crash: no graceful stop. The restarted node replays and goes on; statements stay contiguous.
    await stopChild(node.child.process, 'SIGKILL');
    const crashedAfter = beforeCrash[beforeCrash.length - 1]?.slot ?? 0;
    node = await startNode();
    const after = await until('three full slots after the restart', async () => {
      const s = await slots(node.api);
      return s.slice(-3).length === 3 && s.slice(-3).every((x) => x.readings.external === REAL.length && x.slot > crashedAfter + 1) ? s : undefined;
    }, 90_000);
    expect(after[0]?.slot).toBeGreaterThan(crashedAfter);
    const statements = await getJson<StatementView[]>(`${node.api}/statements?limit=2000`);
    const last = after[after.length - 1]?.slot ?? 0;
    for (const microgrid of new Set(statements.map((s) => s.microgrid))) {
      const mine = statements.filter((s) => s.microgrid === microgrid).map((s) => s.slot).sort((a, b) => a - b);
      expect(new Set(mine).size).toBe(mine.length);
      expect(mine.slice(0, last + 1)).toEqual(Array.from({ length: Math.min(mine.length, last + 1) }, (_, k) => k));
    }

    // Graceful stop, then everything the node settled checks out against its signed inputs and the chain.
    expect(await stopChild(node.child.process, 'SIGTERM')).toBe(0);
    await node.child.waitFor(/stopped after slot \d+/, 5_000);
    const verify = run(['ledger', 'verify', join(dir, 'data'), '--no-progress']);
    children.push(verify);
    const code = await new Promise<number | null>((resolve) => verify.process.once('exit', resolve));
    expect(code, verify.lines.join('\n')).toBe(0);
    expect(await stopChild(devices.process, 'SIGTERM')).toBe(0);
  }, 240_000);

  it('a DSO flexibility request pauses a real OCPP charger while the twin withholds its EV, then resumes it; a SunSpec inverter follows the twin', async () => {
    const scenario = join(dir, 'evening.json');
    // Late afternoon: the car of n1-h0 comes home and plugs in around 18:30, slot 10 or so.
    writeFileSync(scenario, JSON.stringify(aScenarioInput({ days: 0.5, start: '2026-06-15T16:00:00+02:00' })));
    // A SunSpec inverter with a battery (Modbus TCP) in its own process: n1-h0 has PV and a battery.
    const inverter = run(['devices', 'simulate', scenario, '--seed', '7', '--modbus', '1']);
    children.push(inverter);
    const ready = JSON.parse((await inverter.waitFor(/^\{"ready":true.*$/, 60_000))[0]) as { modbus: { host: string; port: number }[] };
    const modbus = ready.modbus.map((m) => ({ host: m.host, port: m.port, unitId: 1, site: 'n1-h0', id: 'n1-h0-inverter' }));
    const config = join(dir, 'node-ocpp.json');
    writeFileSync(config, JSON.stringify({
      node: { id: 'e2e-ocpp' }, scenario, seed: 7, dataDir: join(dir, 'data-ocpp'), http: { port: 0 },
      clock: { speed: 1500, graceFraction: 0.5 }, mqtt: { url: broker.url }, ocpp: { port: 0, chargers: [{ id: 'tso-ev-1', site: 'n1-h0' }] }, modbus,
    }));
    const node = run(['serve', '--config', config]);
    children.push(node);
    const ocpp = (await node.waitFor(/OCPP 1\.6J central system: (ws:\/\/\S+)/, 60_000))[1] as string;
    const api = `${(await node.waitFor(/dashboard and API: (http:\/\/[^/ ]+)\//, 60_000))[1] as string}/api/v1`;
    const charger = run(['devices', 'simulate', scenario, '--seed', '7', '--ocpp', `${ocpp}/`, '--chargers', '1']);
    children.push(charger);
    await charger.waitFor(/"ready":true/, 60_000);
    await until('the charger connected', async () => {
      const d = (await getJson<DeviceView[]>(`${api}/devices`)).find((x) => x.kind === 'charger');
      return d?.connected === true ? d : undefined;
    }, 30_000);

    // The DSO (the scenario's gatekeeper) asks the street for flexibility over the next slots.
    const dso = deriveKeyPair(7, 'gatekeeper:dso');
    const last = (await getJson<{ lastSlot: number }>(`${api}/node`)).lastSlot;
    const body = JSON.stringify({ area: 'n1-s1', fromSlot: last + 2, toSlot: last + 30, requestedKw: 40, priceMinorPerKwh: 200 });
    const headers = { 'content-type': 'application/json', ...signRequest({ privateKey: dso.privateKey, did: dso.did }, 'POST', '/api/v1/flexibility', body, Date.now()) };
    const posted = await fetch(`${api}/flexibility`, { method: 'POST', headers, body });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const request = (await posted.json()) as FlexibilityView;

    const paused = await until('the charger paused', async () => {
      const alerts = await getJson<AlertView[]>(`${api}/alerts?limit=1000`);
      return alerts.find((a) => a.kind === 'ev-paused' && a.device === 'tso-ev-1' && /paused/.test(a.message));
    }, 30_000);
    expect(paused.slot).toBeGreaterThanOrEqual(request.fromSlot);
    const resumed = await until('the charger resumed', async () => {
      const alerts = await getJson<AlertView[]>(`${api}/alerts?limit=1000`);
      return alerts.find((a) => a.kind === 'ev-paused' && a.device === 'tso-ev-1' && /resumed/.test(a.message));
    }, 60_000);
    expect(resumed.slot).toBeGreaterThan(paused.slot);
    // No command failed (a failure is a 'device' alert), and the inverter reports its power.
    expect((await getJson<AlertView[]>(`${api}/alerts?limit=1000`)).filter((a) => a.kind === 'device')).toEqual([]);
    const inverterView = (await getJson<DeviceView[]>(`${api}/devices`)).find((x) => x.protocol === 'modbus');
    expect(inverterView).toMatchObject({ did: 'modbus:n1-h0-inverter', site: 'n1-h0', connected: true });
    expect(typeof inverterView?.powerW).toBe('number');
    expect(await stopChild(inverter.process, 'SIGTERM')).toBe(0);
    expect(await stopChild(node.process, 'SIGTERM')).toBe(0);
    expect(await stopChild(charger.process, 'SIGTERM')).toBe(0);
  }, 180_000);
});
