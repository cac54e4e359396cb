/**
 * A gridmesh node (`gridmesh serve`): the slot cycle of ARCHITECTURE.md in wall-clock time, for
 * real devices.
 *
 * The node runs its grid's digital twin (the scenario: areas, sites, devices) with the same core code
 * as a simulation: markets, flexibility, agents, island control and the trust layer. Sites whose
 * meters are real devices (`devices.mqttMeters`) send signed readings over MQTT; the node settles
 * those records and never signs for them. Every other site is simulated by the twin.
 *
 * Each slot opens at its wall time (the clock is published on MQTT, retained, for devices), and is
 * settled `graceMs` after it closes: readings in → clear, dispatch, meter, settle (co-signed
 * statements into the durable queue, then to the chain) → the slot summary out to the API.
 *
 * Storage is the data folder's ledger.sqlite: the signed inputs, statements and the embedded chain's
 * journal, written in one transaction per slot, plus the schedule and operators' interventions.
 * A restarted node replays its twin up to the last recorded slot from the stored readings (nothing
 * is written twice), submits what is still queued, and catches up missed slots at once.
 */
import { mkdir } from 'node:fs/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import { z } from 'zod';
import type { Hex } from 'viem';
import { loadScenarioFile } from '../../adapters/scenario-file.js';
import { loadFeederNetworks } from '../../adapters/feeder-networks.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../adapters/mqtt/embedded-broker.js';
import { MqttDeviceGateway } from '../../adapters/mqtt/mqtt-gateway.js';
import { INBOUND_QUEUE_MESSAGES_MAX_DEFAULT } from '../../adapters/mqtt/inbound-queue.js';
import { clockPayload, publishClock } from '../../adapters/mqtt/node-clock.js';
import { loadHighsSolver, SIMULATION_BUDGET } from '../../adapters/solver/highs-lp-solver.js';
import { SimulationLedger } from '../../adapters/trust/simulation-ledger.js';
import type { ContractAddresses } from '../../adapters/chain/index.js';
import { UsageError } from '../../core/errors.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import { prepareRun, slotsOfRun, type PreparedRun } from '../../core/sim/simulate.js';
import type { ExternalReadings, TrustOutbox, TrustSlotRecord } from '../../core/trust/trust-run.js';
import { prepareTrust, type TrustSetup } from '../../core/trust/trust-setup.js';
import type { NodeConfig } from './node-config.js';
import { Interventions } from './node-interventions.js';
import { NodeViewModel } from './node-view-model.js';
import type { AlertView, NodeInfo, SlotSummary } from './node-view.js';
import { ReadingInbox } from './reading-inbox.js';
import { NodeChargers } from './node-chargers.js';
import { NodePeers } from './node-peers.js';
import { NodeModbusDevices, type ModbusSetpoints } from './node-modbus.js';
import { MqttSetpoints } from './node-mqtt-setpoints.js';
import { openSlotAt, opensAtMs, resumedSchedule, settlesAtMs, slotSchedule, type SlotSchedule } from './slot-schedule.js';
import { AreaImportTracker, areaViews, slotSummary } from './slot-summary.js';
import { slotAlerts } from './slot-alerts.js';
import { StoredReadings } from './stored-readings.js';
import { ParticipantOrderBook } from './participant-order-book.js';

const SCHEDULE_META = 'node_schedule';
const REPLAY_PROGRESS_EVERY_SLOTS = 96;

export interface StartNodeOptions {
  readonly config: NodeConfig;
  /** Wall clock, ms since the epoch (tests inject one). */
  readonly nowMs?: () => number;
  /** One line per event worth telling an operator (start, each slot, errors). */
  readonly log?: (line: string) => void;
}

interface NodeParts {
  readonly config: NodeConfig;
  readonly scenario: Scenario;
  readonly setup: TrustSetup;
  readonly ledger: SimulationLedger;
  readonly run: PreparedRun;
  readonly inbox: ReadingInbox;
  readonly realMeters: ReadonlyMap<string, number>;
  readonly broker: EmbeddedBroker | undefined;
  readonly mqttUrl: string;
  readonly captured: { record: TrustSlotRecord | undefined };
  readonly replayedThrough: number;
  readonly interventions: Interventions;
  readonly peers: NodePeers | undefined;
  readonly participants: ParticipantOrderBook | undefined;
}

export class GridmeshNode {
  readonly view: NodeViewModel;
  private state: NodeInfo['state'] = 'starting';
  private lastSlot: number;
  private openSlot = -1;
  private schedule: SlotSchedule;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private gateway: MqttDeviceGateway | undefined;
  private clockClient: MqttClient | undefined;
  private mqttSetpoints: MqttSetpoints | undefined;
  private chargers: NodeChargers | undefined;
  private modbus: NodeModbusDevices | undefined;
  private readonly lastReading = new Map<string, number>();
  private readonly areaImport: AreaImportTracker;
  private previousIslands: readonly string[] = [];
  private readonly waiters = new Set<{ slot: number; resolve: (s: SlotSummary) => void }>();
  private failure: unknown;

  private constructor(private readonly parts: NodeParts, private readonly nowMs: () => number, private readonly log: (line: string) => void) {
    const { run, config, setup, ledger } = parts;
    this.lastSlot = parts.replayedThrough;
    this.areaImport = new AreaImportTracker(run.model.tree.count);
    this.areaImport.slotImportWh(run.recorder.areaImportWh);
    const fresh = slotSchedule(nowMs(), parts.scenario.slotMinutes, config.clock.speed, config.clock.graceFraction);
    this.schedule = resumedSchedule(storedSchedule(ledger.store.getMeta(SCHEDULE_META), log), fresh, this.lastSlot + 1, nowMs());
    ledger.store.setMeta(SCHEDULE_META, JSON.stringify(this.schedule));
    this.view = new NodeViewModel({
      info: () => this.info(), run, setup, ledger, dataDir: config.dataDir,
      interventions: parts.interventions,
      nextSlot: () => this.lastSlot + 1,
      protocolOf: (site) => (parts.inbox.serves(site) ? 'mqtt' : 'twin'),
      otherDevices: () => [...(this.chargers?.devices() ?? []), ...(this.modbus?.devices() ?? [])],
      lastReadingSlot: (did) => this.lastReading.get(did) ?? null,
      participants: parts.participants,
      operators: config.operators,
    });
  }

  /** Opens storage, the chain, the twin (replaying what was recorded) and MQTT, then starts the slot cycle. */
  static async start(options: StartNodeOptions): Promise<GridmeshNode> {
    const log = options.log ?? (() => {});
    const nowMs = options.nowMs ?? Date.now;
    const parts = await openParts(options.config, log);
    const node = new GridmeshNode(parts, nowMs, log);
    try {
      await node.connectMqtt();
      await node.startChargers();
      await node.connectModbus();
    } catch (e) {
      await node.closeParts();
      throw e;
    }
    node.state = 'running';
    const a = parts.ledger.chain.addresses;
    log(`chain ${chainDescription(options.config)} ${parts.ledger.chain.chainId}: contracts registry ${a.registry}, credits ${a.credits}, settlement ${a.settlement}`);
    log(`node ${options.config.node.id}: ${parts.run.slots} slots of ${parts.scenario.slotMinutes} min at speed ${options.config.clock.speed} (a slot every ${node.schedule.slotWallMs} ms); MQTT ${parts.mqttUrl}; ${parts.realMeters.size} real meters`);
    node.tick();
    return node;
  }

  /** The settlement contracts (other nodes of the microgrid attach to them with `chain.contracts`). */
  get contracts(): ContractAddresses {
    return this.parts.ledger.chain.addresses;
  }

  get mqttUrl(): string {
    return this.parts.mqttUrl;
  }

  /** The last settled slot (-1 before the first). */
  get settledSlot(): number {
    return this.lastSlot;
  }

  info(): NodeInfo {
    const { config, scenario, run, ledger } = this.parts;
    return {
      nodeId: config.node.id, area: run.model.tree.ids[0] as string, scenario: scenario.name, slotMinutes: scenario.slotMinutes, speed: config.clock.speed,
      slotWallMs: this.schedule.slotWallMs, lastSlot: this.lastSlot, totalSlots: run.slots, state: this.state,
      demoOutageOpen: config.demo.outageButton && config.clock.speed > 1,
      mqtt: { url: this.parts.mqttUrl, embedded: this.parts.broker !== undefined },
      chain: { kind: config.chain.rpc === undefined ? 'embedded' : 'rpc', chainId: Number(ledger.chain.chainId) },
    };
  }

  /** Resolves with the summary once `slot` is settled (at once if it already is and still in history). */
  waitForSlot(slot: number, timeoutMs: number): Promise<SlotSummary> {
    const done = this.view.history(1).find((s) => s.slot >= slot);
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const waiter = { slot, resolve: (s: SlotSummary) => { clearTimeout(timer); resolve(s); } };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`slot ${slot} was not settled within ${timeoutMs} ms (last settled: ${this.lastSlot})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Graceful: finishes the slot being settled, then closes MQTT, the chain and storage. */
  async stop(): Promise<void> {
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.busy.catch(() => {});
    await this.closeParts();
    this.log(`node ${this.parts.config.node.id} stopped after slot ${this.lastSlot}`);
  }

  /** The error that stopped the slot cycle, if any. */
  get error(): unknown {
    return this.failure;
  }

  private async connectMqtt(): Promise<void> {
    const { config, mqttUrl, inbox } = this.parts;
    this.gateway = await MqttDeviceGateway.connect({
      url: mqttUrl, gate: inbox, orders: this.view.orderIngest(), currentSlot: () => Math.max(0, this.openSlot), clientId: `${config.node.id}-gateway`,
      // A slot's readings arrive in one burst: room for two slots of every real meter.
      inboundQueueMessagesMax: Math.max(INBOUND_QUEUE_MESSAGES_MAX_DEFAULT, 2 * this.parts.realMeters.size),
      onReading: (accepted) => this.lastReading.set(accepted.device.did, accepted.reading.slot),
      onInternalError: (e) => this.log(`MQTT gateway: internal error: ${(e as Error).message}`),
    });
    const setup = this.parts.setup;
    const batterySites = [...this.parts.realMeters.values()].filter((i) => (this.parts.run.model.sites[i]?.batteries.length ?? 0) > 0);
    this.mqttSetpoints = new MqttSetpoints(this.gateway, batterySites.map((i) => {
      const s = setup.sites[i] as TrustSetup['sites'][number];
      return { site: i, did: s.meter.did, area: s.meterCredential.area };
    }));
    this.clockClient = await connectAsync(mqttUrl, { clientId: `${config.node.id}-clock`, connectTimeout: 5000, reconnectPeriod: 1000 });
    this.clockClient.on('error', (e) => this.log(`MQTT clock client: ${e.message}`));
  }

  private async startChargers(): Promise<void> {
    const { config, setup } = this.parts;
    if (config.ocpp === undefined) return;
    const sites = new Map(setup.sites.map((s, index) => [s.siteId, { index, area: s.meterCredential.area }]));
    try {
      this.chargers = await NodeChargers.start(config.ocpp, sites);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    this.log(`OCPP 1.6J central system: ${this.chargers.url} (${config.ocpp.chargers.length} chargers)`);
  }

  /** The co-signing peers (undefined without `peers` in the config); an operator or a test can block a peer. */
  get peers(): NodePeers | undefined {
    return this.parts.peers;
  }

  private async connectModbus(): Promise<void> {
    const { config, setup } = this.parts;
    if (config.modbus.length === 0) return;
    const sites = new Map(setup.sites.map((s, index) => [s.siteId, { index, area: s.meterCredential.area }]));
    try {
      this.modbus = await NodeModbusDevices.connect(config.modbus, sites, { log: (line) => this.log(line) });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    this.log(`Modbus/SunSpec: ${config.modbus.length} devices`);
  }

  /** ws://host:port of the OCPP central system (undefined without `ocpp` in the config). */
  get ocppUrl(): string | undefined {
    return this.chargers?.url;
  }

  private async closeParts(): Promise<void> {
    const { ledger, broker } = this.parts;
    await this.chargers?.close().catch(() => {});
    await this.modbus?.close().catch(() => {});
    await this.parts.peers?.close().catch(() => {});
    await this.gateway?.close().catch(() => {});
    await this.clockClient?.endAsync().catch(() => {});
    await broker?.close().catch(() => {});
    await ledger.close();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.state !== 'running') return;
    const now = this.nowMs();
    const open = openSlotAt(this.schedule, now);
    if (open !== this.openSlot && open >= 0) {
      this.openSlot = open;
      this.publishClock(open);
    }
    const next = this.lastSlot + 1;
    if (next >= this.parts.run.slots) {
      this.state = 'finished';
      this.log(`node ${this.parts.config.node.id}: all ${this.parts.run.slots} slots settled`);
      return;
    }
    if (now >= settlesAtMs(this.schedule, next)) {
      this.busy = this.settle(next).then(() => this.tick(), (e: unknown) => this.fail(e));
      return;
    }
    const wake = Math.min(settlesAtMs(this.schedule, next), opensAtMs(this.schedule, open + 1));
    this.timer = setTimeout(() => this.tick(), Math.max(1, wake - now));
  }

  private publishClock(slot: number): void {
    const client = this.clockClient;
    if (client === undefined) return;
    const { run } = this.parts;
    const payload = clockPayload({ slot, slotWallMs: this.schedule.slotWallMs, openedAtMs: opensAtMs(this.schedule, slot), twinStartMs: run.model.clock.slotStartMs(Math.min(slot, run.slots - 1)) });
    publishClock(client, run.model.tree.ids[0] as string, payload).catch((e: unknown) => this.log(`MQTT clock: ${(e as Error).message}`));
  }

  /** One slot: the twin steps with the real readings, the ledger records and submits, the view publishes. */
  private async settle(slot: number): Promise<void> {
    const { run, ledger, inbox, captured, realMeters } = this.parts;
    const started = performance.now();
    captured.record = undefined;
    run.engine.step(slot);
    this.lastSlot = slot;
    inbox.settled(slot);
    this.parts.participants?.settled(slot);
    const record = captured.record as TrustSlotRecord | undefined;
    await ledger.pump(slot);
    const latencyMs = performance.now() - started;
    await ledger.storeNewBlocks();
    const areas = areaViews(run, this.areaImport.slotImportWh(run.recorder.areaImportWh));
    const counts = ledger.store.queue.counts();
    const external = record?.units.reduce((n, u) => n + u.readings.filter((r) => realMeters.has(r.device)).length, 0) ?? 0;
    const summary = slotSummary(run, areas, {
      slot, settledAtMs: this.nowMs(), latencyMs, trust: record, externalReadings: external,
      statements: {
        final: record?.units.filter((u) => ledger.store.queue.get(u.microgrid, BigInt(slot)) !== undefined).length ?? 0,
        queued: counts.queued + counts.submitting + counts.failed, committed: counts.committed,
      },
    });
    const alerts: AlertView[] = slotAlerts(slot, record, this.previousIslands, summary.islands);
    if (this.chargers !== undefined) alerts.push(...await this.chargers.follow(slot, (i) => evWithheld(run, i)));
    if (this.modbus !== undefined) alerts.push(...await this.modbus.follow(slot, (i) => twinSetpoints(run, i)));
    if (this.mqttSetpoints !== undefined) alerts.push(...await this.mqttSetpoints.follow(slot, (i) => twinSetpoints(run, i).batteryW));
    if (this.parts.peers !== undefined) alerts.push(...this.parts.peers.takeAlerts());
    this.previousIslands = summary.islands;
    this.view.published(summary, alerts);
    this.log(`slot ${slot} (${summary.twinIso}) settled in ${summary.latencyMs} ms: ${summary.readings.accepted} readings (${external} real, ${summary.readings.missing} missing), ${summary.readings.rejected} rejected; statements ${summary.statements.final} final, ${summary.statements.queued} queued; islands: ${summary.islands.length === 0 ? '-' : summary.islands.join(', ')}`);
    for (const w of [...this.waiters]) {
      if (w.slot > slot) continue;
      this.waiters.delete(w);
      w.resolve(summary);
    }
  }

  private fail(e: unknown): void {
    this.failure = e;
    this.state = 'finished';
    this.log(`node ${this.parts.config.node.id}: the slot cycle stopped at slot ${this.lastSlot + 1}: ${(e as Error).stack ?? String(e)}`);
  }
}

/**
 * The twin withheld the site's EV charging this slot: a flexibility award paused it, or a plugged-in
 * car's charging was cut (load shedding, an authorised-import cap).
 */
function evWithheld(run: PreparedRun, site: number): boolean {
  if (run.market.flexibility?.evPausedSites().has(site) === true) return true;
  const s = run.model.sites[site];
  if (s === undefined || !s.evs.some((ev) => ev.pluggedIn)) return false;
  const b = run.model.buffers;
  return (b.deferrableWh[site] as number) - (b.deferrableServedWh[site] as number) > 0.5;
}

const storedScheduleSchema = z.strictObject({ epochMs: z.number().finite().min(0), slotWallMs: z.int().min(1), graceMs: z.int().min(0) });

/** The schedule a previous run stored, or undefined (a new ledger, or an unreadable row: re-anchored, and said). */
function storedSchedule(text: string | undefined, log: (line: string) => void): SlotSchedule | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = storedScheduleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  log(`the stored schedule (${SCHEDULE_META}) is not readable: the slot clock starts again from the next slot`);
  return undefined;
}

/**
 * What the site's inverter and battery do this slot in the twin: battery power (W, positive =
 * charge, the SunSpec sign) and the PV limit as a share of the PV's rated power when the twin curtailed
 * (null: no limit).
 */
function twinSetpoints(run: PreparedRun, site: number): ModbusSetpoints {
  const s = run.model.sites[site];
  const b = run.model.buffers;
  const h = run.model.clock.slotHours;
  const batteryW = s === undefined || s.batteries.length === 0 ? null : Math.round(((b.chargeWh[site] as number) - (b.dischargeWh[site] as number)) / h);
  const pvRatedW = (s?.generators ?? []).filter((g) => g.kind === 'pv').reduce((sum, g) => sum + g.ratedKw * 1000, 0);
  const curtailedWh = b.curtailedWh[site] as number;
  const curtailPct = pvRatedW > 0 && curtailedWh > 0.5
    ? Math.max(0, Math.min(100, Math.round((100 * Math.max(0, (b.pvWh[site] as number) - curtailedWh) / h) / pvRatedW)))
    : null;
  return { batteryW, curtailPct };
}

async function openParts(config: NodeConfig, log: (line: string) => void): Promise<NodeParts> {
  const scenario = await loadScenarioFile(config.scenario);
  if (!scenario.trust.enabled) throw new UsageError(`${config.scenario}: a node needs the trust layer (trust.enabled: true in the scenario)`);
  const feederNetworks = await loadFeederNetworks(scenario, config.scenario);
  const seed = config.seed ?? scenario.seed;
  const days = config.days ?? scenario.days;
  const slots = slotsOfRun(scenario, days);
  const setup = await prepareTrust(scenario, seed, slots);
  const realMeters = resolveRealMeters(config.devices.mqttMeters, setup);
  await mkdir(config.dataDir, { recursive: true });
  const key = process.env['GRIDMESH_CHAIN_KEY'];
  const ledger = await SimulationLedger.open({
    outDir: config.dataDir, scenario, seed, slots, setup, resume: true,
    ...(config.chain.rpc === undefined ? {} : { chainRpc: config.chain.rpc }),
    ...(config.chain.contracts === undefined ? {} : { chainContracts: config.chain.contracts as ContractAddresses }),
    ...(key === undefined || key === '' ? {} : { chainKey: key as Hex }),
  });
  let broker: EmbeddedBroker | undefined;
  let peers: NodePeers | undefined;
  try {
    checkSameRun(ledger, scenario, seed, slots, config.dataDir);
    ledger.nameAccounts(setup);
    const replayedThrough = ledger.lastRecordedSlot();
    const captured: { record: TrustSlotRecord | undefined } = { record: undefined };
    peers = config.peers === undefined ? undefined : await NodePeers.start(config.peers, seed, setup, ledger.domain, ledger.store);
    const outbox: TrustOutbox = {
      slot: (all) => {
        const r = peers === undefined ? all : peers.ownRecord(all, all.slot > replayedThrough);
        if (r.slot <= replayedThrough) return; // recorded before the restart: replaying only
        ledger.outbox.slot(r);
        captured.record = r;
      },
    };
    const realSites = new Set(realMeters.values());
    const inboxRef: { current?: ReadingInbox } = {}; // the inbox needs the trust run's registry: made after it
    const live: ExternalReadings = {
      serves: (i) => realSites.has(i),
      take: (i, s) => inboxRef.current?.take(i, s),
      signaturesVerified: () => inboxRef.current?.signaturesVerified() ?? false,
    };
    const stored = new StoredReadings(ledger.store, setup, live, replayedThrough);
    const participantSites = new Set(resolveSites(config.devices.participants, setup, 'devices.participants').values());
    const participants = participantSites.size === 0 ? undefined : new ParticipantOrderBook(participantSites, setup, ledger.store, replayedThrough);
    const control = scenario.control.ems.enabled ? { solver: await loadHighsSolver({ budget: SIMULATION_BUDGET }) } : {};
    const run = prepareRun(scenario, { mode: 'autonomous', seed, days, feederNetworks, control, ...(participants === undefined ? {} : { participantOrders: participants }), trust: { setup, domain: ledger.domain, outbox, readingSource: stored.source(), trustOwnSignatures: true } });
    const trust = run.trust;
    if (trust === undefined) throw new UsageError('the trust layer did not start (the scenario must enable it)');
    const inbox = new ReadingInbox({ registry: trust.readings.registry, siteOfMeter: realMeters });
    inboxRef.current = inbox;
    if (replayedThrough >= 0) log(`resuming: replaying slots 0..${replayedThrough} from ${config.dataDir}`);
    inbox.settled(replayedThrough);
    // Operators' outages and flexibility requests, stored: the replay must see them.
    const interventions = new Interventions(ledger.store, run, scenario.events.length);
    for (let slot = 0; slot <= replayedThrough; slot++) {
      run.engine.step(slot);
      if ((slot + 1) % REPLAY_PROGRESS_EVERY_SLOTS === 0) log(`  replayed ${slot + 1}/${replayedThrough + 1} slots`);
    }
    if (peers !== undefined && replayedThrough >= 0) log(`peers: cast again ${peers.recastOpen()} statements that had no quorum before the restart`);
    if ('embedded' in config.mqtt) broker = await startEmbeddedBroker({ host: config.mqtt.embedded.host, port: config.mqtt.embedded.port });
    const mqttUrl = broker?.url ?? ('url' in config.mqtt ? config.mqtt.url : '');
    return { config, scenario, setup, ledger, run, inbox, realMeters, broker, mqttUrl, captured, replayedThrough, interventions, peers, participants };
  } catch (e) {
    await peers?.close().catch(() => {});
    await broker?.close().catch(() => {});
    await ledger.close();
    throw e;
  }
}

function chainDescription(config: NodeConfig): string {
  return config.chain.rpc === undefined ? 'embedded' : `at ${config.chain.rpc}`;
}

/** The sites a config list names ('all' or site ids), by site id; an unknown id is a UsageError naming `path[k]`. */
function resolveSites(spec: 'all' | readonly string[], setup: TrustSetup, path: string): Map<string, number> {
  if (spec === 'all') return new Map(setup.sites.map((s, i) => [s.siteId, i]));
  const index = new Map(setup.sites.map((s, i) => [s.siteId, i]));
  const out = new Map<string, number>();
  spec.forEach((id, k) => {
    const i = index.get(id);
    if (i === undefined) throw new UsageError(`${path}[${k}]: no site ${JSON.stringify(id)} in the scenario`);
    out.set(id, i);
  });
  return out;
}

/** Real meters by their DID. */
function resolveRealMeters(spec: NodeConfig['devices']['mqttMeters'], setup: TrustSetup): Map<string, number> {
  return new Map([...resolveSites(spec, setup, 'devices.mqttMeters').values()].map((i) => [(setup.sites[i] as TrustSetup['sites'][number]).meter.did, i]));
}

/** A data folder belongs to one scenario, seed and length: another would mix two ledgers. */
function checkSameRun(ledger: SimulationLedger, scenario: Scenario, seed: number, slots: number, dataDir: string): void {
  const { store } = ledger;
  const stored = { scenario: store.getMeta('scenario'), seed: store.getMeta('seed'), slots: store.getMeta('slots') };
  const mismatch = stored.scenario !== JSON.stringify(scenario) ? 'scenario' : stored.seed !== String(seed) ? 'seed' : stored.slots !== String(slots) ? 'length (days)' : undefined;
  if (mismatch !== undefined) {
    throw new UsageError(`${dataDir} holds the ledger of a run with another ${mismatch}; use another dataDir (--data) or the same ${mismatch}`);
  }
}
