/**
 * Simulated devices as one process that speaks the real protocols to a node
 * (`gridmesh devices simulate`, docs/devices.md):
 *
 * - MQTT meters (MqttMeterFleet), one connection each, following the node clock
 *   (NodeClockFollower): when slot s opens, the twin is stepped to s - 1 and every meter publishes
 *   its signed reading of s - 1 (with the faults asked for, just before the good reading);
 * - OCPP 1.6J chargers (runOcppCharger) that plug in and charge;
 * - SunSpec PV + battery devices over Modbus TCP (runSunSpecDevice) on ephemeral ports.
 *
 * Everything is bounded: meters, chargers, devices, faults, the slots waiting to be handled
 * (beyond PENDING_CLOCK_SLOTS_MAX the oldest is dropped and counted), reply codes counted and
 * warnings passed on.
 */
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { KeyPair } from '../../core/identity/key-pair.js';
import { MqttError } from '../mqtt/mqtt-errors.js';
import { NodeClockFollower, type ClockPayload, type NodeClockCounts } from '../mqtt/node-clock.js';
import { deviceTopic } from '../mqtt/topics.js';
import { runSunSpecDevice, type SunSpecDevice } from './modbus-sunspec-simulator.js';
import { MqttMeterFleet, type MeterFault } from './mqtt-meter-simulator.js';
import { runOcppCharger, type OcppChargerSim } from './ocpp-charger-simulator.js';
import type { TwinMeterReadings } from './twin-meter-readings.js';

/** Meters one process simulates (one MQTT connection each). */
export const SIMULATED_METERS_MAX = 1000;
/** Chargers one process simulates (one WebSocket each; the central system's default maxChargers). */
export const SIMULATED_CHARGERS_MAX = 1000;
export const SIMULATED_MODBUS_DEVICES_MAX = 100;
export const METER_FAULT_SPECS_MAX = 1000;
/** Clock slots waiting while a round is published; beyond it the oldest is dropped (counted). */
export const PENDING_CLOCK_SLOTS_MAX = 16;
/** Distinct reply codes counted; others are counted as `other`. */
export const REPLY_CODES_MAX = 64;
/** Warnings passed to onWarning; after that one note, then silence (they are still counted). */
export const WARNINGS_MAX = 100;
/** Twin slots stepped per event-loop turn when catching up with the node. */
export const TWIN_STEP_CHUNK_SLOTS = 8;
/** How long stopping waits for a round in progress and for each connection to close, ms. */
export const CLOSE_TIMEOUT_MS = 3000;

export interface SimulatedMeterSpec {
  readonly siteId: string;
  /** The area of the site (and of its connection credential). */
  readonly area: string;
  readonly keyPair: KeyPair;
}

export interface MeterFaultSpec {
  /** Index into the meters list. */
  readonly meterIndex: number;
  /** Slot of the reading to fault. */
  readonly slot: number;
  readonly fault: MeterFault;
}

export interface DeviceSimulationOptions {
  readonly mqtt?: {
    readonly url: string;
    /** Meter k reports the twin's site k. */
    readonly meters: readonly SimulatedMeterSpec[];
    readonly twin: TwinMeterReadings;
    /** Areas whose node clock to follow. */
    readonly clockAreas: readonly string[];
    readonly faults?: readonly MeterFaultSpec[];
    /** Stop after this many rounds of readings (default: run until stopped). */
    readonly rounds?: number;
    readonly clockGraceMs?: number;
    readonly connectTimeoutMs?: number;
  };
  readonly ocpp?: {
    readonly url: string;
    readonly chargerIds: readonly string[];
    readonly powerW: number;
    readonly meterIntervalMs: number;
  };
  readonly modbus?: {
    readonly host: string;
    readonly count: number;
    readonly pvRatedW: number;
    readonly batteryCapacityWh: number;
  };
  /** After each round of readings. */
  readonly onRound?: (round: RoundReport) => void;
  readonly onWarning?: (message: string) => void;
  /** Wall clock for the clock's staleness check; default Date.now. */
  readonly nowMs?: () => number;
}

export interface DevicesReady {
  readonly meters: readonly { readonly site: string; readonly did: string; readonly topic: string }[];
  readonly chargers: readonly string[];
  readonly modbus: readonly { readonly host: string; readonly port: number }[];
  /** The clock topics followed. */
  readonly clock: readonly string[];
}

export interface RoundReport {
  /** The slot of the readings. */
  readonly slot: number;
  /** The node's open slot (slot + 1). */
  readonly openSlot: number;
  readonly readings: number;
  readonly faults: number;
  /** Replies received from the node since the previous round. */
  readonly replies: number;
  /** Slots of readings passed over before this one (the clock jumped or slots were dropped). */
  readonly skipped: number;
}

export type StopReason = 'rounds' | 'twin-end' | 'signal';

export interface DeviceSimulationSummary {
  readonly done: true;
  readonly stopped: StopReason;
  readonly rounds: number;
  readonly readingsPublished: number;
  readonly faultsPublished: number;
  readonly publishFailures: number;
  readonly repliesReceived: number;
  readonly replyCodes: Readonly<Record<string, number>>;
  readonly skippedSlots: number;
  readonly clock: NodeClockCounts & { readonly droppedPending: number };
  /** Clock messages whose twinIso is not the start of the slot in this process's twin. */
  readonly twinMismatches: number;
  readonly chargers: number;
  readonly chargerMeterValuesSent: number;
  readonly chargerErrors: number;
  readonly modbusDevices: number;
  readonly warnings: number;
}

interface MqttPart {
  readonly fleet: MqttMeterFleet;
  readonly clockClient: MqttClient;
  readonly twin: TwinMeterReadings;
  readonly faultsBySlot: ReadonlyMap<number, readonly MeterFaultSpec[]>;
  readonly rounds: number | undefined;
  follower: NodeClockFollower | null;
}

export class DeviceSimulation {
  private readonly pending: ClockPayload[] = [];
  private readonly replyCodes = new Map<string, number>();
  private readonly counts = {
    rounds: 0, readingsPublished: 0, faultsPublished: 0, publishFailures: 0, repliesReceived: 0, repliesSinceRound: 0,
    skippedSlots: 0, droppedPending: 0, twinMismatches: 0, chargerErrors: 0, warnings: 0,
  };
  private lastReadingSlot = -1;
  private begun = false;
  private draining: Promise<void> | null = null;
  private stopping = false;
  private stopped: Promise<DeviceSimulationSummary> | null = null;
  private finish: (reason: StopReason) => void = () => undefined;
  private readonly finished: Promise<StopReason>;
  private mqtt: MqttPart | null = null;
  private readonly chargers: OcppChargerSim[] = [];
  private readonly modbusDevices: SunSpecDevice[] = [];
  private readyInfo: DevicesReady = { meters: [], chargers: [], modbus: [], clock: [] };

  private constructor(private readonly options: DeviceSimulationOptions) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** Connects every device; on any failure closes what was started and rethrows. */
  static async start(options: DeviceSimulationOptions): Promise<DeviceSimulation> {
    checkBounds(options);
    const sim = new DeviceSimulation(options);
    try {
      await sim.connectAll();
    } catch (error) {
      await sim.closeAll();
      throw error;
    }
    return sim;
  }

  /** What is connected: meters (site, did, telemetry topic), charger ids, Modbus endpoints, clock topics. */
  get ready(): DevicesReady {
    return this.readyInfo;
  }

  /**
   * Starts handling clock slots (call it after reporting `ready`: slots that arrived before wait).
   * Resolves when the rounds asked for are done or the twin has no more slots; never without MQTT.
   */
  run(): Promise<StopReason> {
    this.begun = true;
    this.kick();
    return this.finished;
  }

  /** Stops (waiting a bounded time for a round in progress), disconnects everything, and sums up. */
  stop(reason: StopReason): Promise<DeviceSimulationSummary> {
    this.stopped ??= this.doStop(reason);
    return this.stopped;
  }

  private async connectAll(): Promise<void> {
    const { mqtt, ocpp, modbus } = this.options;
    if (mqtt !== undefined) {
      const fleet = await MqttMeterFleet.connect({
        url: mqtt.url,
        meters: mqtt.meters.map((m, k) => ({
          area: m.area, privateKey: m.keyPair.privateKey, publicKeyRaw: m.keyPair.publicKeyRaw, profile: (slot: number) => mqtt.twin.energy(k, slot),
        })),
        ...(mqtt.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: mqtt.connectTimeoutMs }),
        onReply: (_meter, reply) => this.countReply(reply.code),
      });
      let clockClient: MqttClient;
      try {
        clockClient = await connectAsync(mqtt.url, {
          clientId: `gridmesh-devices-clock-${randomUUID().slice(0, 8)}`, clean: true, connectTimeout: mqtt.connectTimeoutMs ?? 5000, reconnectPeriod: 1000,
        }, false);
      } catch (cause) {
        await fleet.close(true);
        throw new MqttError('connect-failed', `the clock follower cannot connect to ${mqtt.url}`, { cause });
      }
      this.mqtt = { fleet, clockClient, twin: mqtt.twin, faultsBySlot: faultsBySlot(mqtt.faults ?? []), rounds: mqtt.rounds, follower: null };
    }
    if (ocpp !== undefined) {
      for (const id of ocpp.chargerIds) {
        this.chargers.push(await runOcppCharger({
          url: ocpp.url, chargerId: id, powerW: ocpp.powerW, meterIntervalMs: ocpp.meterIntervalMs,
          onError: (error) => {
            this.counts.chargerErrors++;
            this.warn(`charger ${id}: ${messageOf(error)}`);
          },
        }));
      }
    }
    if (modbus !== undefined) {
      for (let k = 0; k < modbus.count; k++) {
        this.modbusDevices.push(await runSunSpecDevice({
          port: 0, host: modbus.host, unitId: 1, pvRatedW: modbus.pvRatedW, batteryCapacityWh: modbus.batteryCapacityWh,
          serialNumber: `SIM-${String(k + 1).padStart(4, '0')}`,
        }));
      }
    }
    // The clock last: its retained slot waits in `pending` until run().
    if (this.mqtt !== null && mqtt !== undefined) {
      this.mqtt.follower = await NodeClockFollower.follow({
        client: this.mqtt.clockClient,
        areas: mqtt.clockAreas,
        onSlot: (clock) => this.enqueue(clock),
        onBadPayload: (error, topic) => this.warn(`ignored a bad clock payload on ${topic}: ${error.message}`),
        onError: (error) => this.warn(`clock: ${messageOf(error)}`),
        ...(mqtt.clockGraceMs === undefined ? {} : { graceMs: mqtt.clockGraceMs }),
        ...(this.options.nowMs === undefined ? {} : { nowMs: this.options.nowMs }),
      });
    }
    const fleet = this.mqtt?.fleet;
    this.readyInfo = {
      meters: (mqtt?.meters ?? []).map((m, k) => {
        const address = (fleet as MqttMeterFleet).address(k);
        return { site: m.siteId, did: address.did, topic: deviceTopic(address, 'telemetry') };
      }),
      chargers: this.chargers.map((c) => c.chargerId),
      modbus: this.modbusDevices.map((d) => ({ host: d.host, port: d.port })),
      clock: this.mqtt?.follower?.topicList ?? [],
    };
  }

  private enqueue(clock: ClockPayload): void {
    if (this.stopping) return;
    if (this.pending.length >= PENDING_CLOCK_SLOTS_MAX) {
      this.pending.shift();
      this.counts.droppedPending++;
    }
    this.pending.push(clock);
    this.kick();
  }

  private kick(): void {
    if (!this.begun || this.stopping || this.draining !== null) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let clock = this.pending.shift(); clock !== undefined && !this.stopping; clock = this.pending.shift()) {
      try {
        await this.round(clock);
      } catch (error) {
        this.warn(`slot ${clock.slot}: ${messageOf(error)}`);
      }
    }
  }

  private async round(clock: ClockPayload): Promise<void> {
    const mqtt = this.mqtt;
    if (mqtt === null || clock.slot === 0) return; // slot 0 opening: no slot has ended yet
    const slot = clock.slot - 1;
    if (slot <= this.lastReadingSlot) return;
    if (slot >= mqtt.twin.slots) {
      this.warn(`the node opened slot ${clock.slot}, beyond the twin's ${mqtt.twin.slots} slots (the scenario's days): stopping`);
      this.finish('twin-end');
      return;
    }
    if (clock.slot < mqtt.twin.slots && Date.parse(clock.twinIso) !== mqtt.twin.slotStartMs(clock.slot)) {
      if (this.counts.twinMismatches++ === 0) {
        this.warn(`the node's slot ${clock.slot} starts at ${clock.twinIso} in scenario time, this twin's at ${new Date(mqtt.twin.slotStartMs(clock.slot)).toISOString()}: is it running the same scenario?`);
      }
    }
    const skipped = this.lastReadingSlot < 0 ? 0 : slot - this.lastReadingSlot - 1;
    this.counts.skippedSlots += skipped;
    // A long catch-up (the node far ahead) is stepped in chunks, so connections keep being served.
    while (slot - mqtt.twin.steppedSlot > TWIN_STEP_CHUNK_SLOTS) {
      mqtt.twin.advanceTo(mqtt.twin.steppedSlot + TWIN_STEP_CHUNK_SLOTS);
      await new Promise((resolve) => setImmediate(resolve));
      if (this.stopping) return;
    }
    mqtt.twin.advanceTo(slot);
    this.lastReadingSlot = slot;
    const faults = mqtt.faultsBySlot.get(slot) ?? [];
    let readings = 0;
    let faulted = 0;
    await Promise.all(Array.from({ length: mqtt.fleet.size }, async (_, index) => {
      // Faults go first: after the good reading any record of the same slot would be a replay.
      for (const f of faults) {
        if (f.meterIndex !== index) continue;
        if (await this.publish(mqtt.fleet, index, slot, f.fault)) faulted++;
      }
      if (await this.publish(mqtt.fleet, index, slot)) readings++;
    }));
    this.counts.rounds++;
    this.counts.readingsPublished += readings;
    this.counts.faultsPublished += faulted;
    const replies = this.counts.repliesSinceRound;
    this.counts.repliesSinceRound = 0;
    this.options.onRound?.({ slot, openSlot: clock.slot, readings, faults: faulted, replies, skipped });
    if (mqtt.rounds !== undefined && this.counts.rounds >= mqtt.rounds) this.finish('rounds');
  }

  private async publish(fleet: MqttMeterFleet, index: number, slot: number, fault?: MeterFault): Promise<boolean> {
    try {
      await fleet.publishReading(index, slot, fault);
      return true;
    } catch (error) {
      this.counts.publishFailures++;
      this.warn(`meter ${index}, slot ${slot}: ${messageOf(error)}`);
      return false;
    }
  }

  private countReply(code: string): void {
    this.counts.repliesReceived++;
    this.counts.repliesSinceRound++;
    const key = this.replyCodes.has(code) || this.replyCodes.size < REPLY_CODES_MAX - 1 ? code : 'other';
    this.replyCodes.set(key, (this.replyCodes.get(key) ?? 0) + 1);
  }

  private warn(message: string): void {
    const n = ++this.counts.warnings;
    if (n < WARNINGS_MAX) this.options.onWarning?.(message);
    else if (n === WARNINGS_MAX) this.options.onWarning?.(`${message} (further warnings are not shown)`);
  }

  private async doStop(reason: StopReason): Promise<DeviceSimulationSummary> {
    this.stopping = true;
    this.finish(reason);
    if (this.draining !== null) await withTimeout(this.draining, CLOSE_TIMEOUT_MS);
    const chargerMeterValuesSent = this.chargers.reduce((sum, c) => sum + c.meterValuesSent(), 0);
    await this.closeAll();
    const clockCounts = this.mqtt?.follower?.counts() ?? { accepted: 0, duplicate: 0, older: 0, stale: 0, bad: 0 };
    const c = this.counts;
    return {
      done: true, stopped: reason, rounds: c.rounds, readingsPublished: c.readingsPublished, faultsPublished: c.faultsPublished,
      publishFailures: c.publishFailures, repliesReceived: c.repliesReceived, replyCodes: Object.fromEntries(this.replyCodes),
      skippedSlots: c.skippedSlots, clock: { ...clockCounts, droppedPending: c.droppedPending }, twinMismatches: c.twinMismatches,
      chargers: this.chargers.length, chargerMeterValuesSent, chargerErrors: c.chargerErrors, modbusDevices: this.modbusDevices.length, warnings: c.warnings,
    };
  }

  /** Closes every connection, each bounded by CLOSE_TIMEOUT_MS (then forced where possible). */
  private async closeAll(): Promise<void> {
    this.stopping = true;
    const mqtt = this.mqtt;
    const closing: Promise<unknown>[] = [];
    if (mqtt !== null) {
      closing.push((async () => {
        await mqtt.follower?.stop();
        if (!(await withTimeout(mqtt.clockClient.endAsync(), CLOSE_TIMEOUT_MS))) await mqtt.clockClient.endAsync(true);
      })());
      closing.push((async () => {
        if (!(await withTimeout(mqtt.fleet.close(), CLOSE_TIMEOUT_MS))) await mqtt.fleet.close(true);
      })());
    }
    for (const charger of this.chargers) closing.push(withTimeout(charger.close(), CLOSE_TIMEOUT_MS));
    for (const device of this.modbusDevices) closing.push(withTimeout(device.close(), CLOSE_TIMEOUT_MS));
    await Promise.allSettled(closing);
  }
}

function checkBounds(options: DeviceSimulationOptions): void {
  const problems: string[] = [];
  const { mqtt, ocpp, modbus } = options;
  if (mqtt !== undefined) {
    if (mqtt.meters.length > SIMULATED_METERS_MAX) problems.push(`meters: at most ${SIMULATED_METERS_MAX} (got ${mqtt.meters.length})`);
    if ((mqtt.faults?.length ?? 0) > METER_FAULT_SPECS_MAX) problems.push(`faults: at most ${METER_FAULT_SPECS_MAX} (got ${mqtt.faults?.length})`);
    for (const f of mqtt.faults ?? []) {
      if (!Number.isInteger(f.meterIndex) || f.meterIndex < 0 || f.meterIndex >= mqtt.meters.length) {
        problems.push(`faults: meter index ${f.meterIndex} is not in 0..${mqtt.meters.length - 1}`);
        break;
      }
    }
    if (mqtt.rounds !== undefined && !(Number.isInteger(mqtt.rounds) && mqtt.rounds >= 1)) problems.push(`rounds: expected a whole number >= 1 (got ${mqtt.rounds})`);
  }
  if (ocpp !== undefined && ocpp.chargerIds.length > SIMULATED_CHARGERS_MAX) problems.push(`chargers: at most ${SIMULATED_CHARGERS_MAX} (got ${ocpp.chargerIds.length})`);
  if (modbus !== undefined && (!Number.isInteger(modbus.count) || modbus.count < 0 || modbus.count > SIMULATED_MODBUS_DEVICES_MAX)) {
    problems.push(`modbus: expected 0..${SIMULATED_MODBUS_DEVICES_MAX} devices (got ${modbus.count})`);
  }
  if (problems.length > 0) throw new MqttError('bad-config', 'invalid device simulation options', { details: problems });
}

function faultsBySlot(faults: readonly MeterFaultSpec[]): Map<number, MeterFaultSpec[]> {
  const bySlot = new Map<number, MeterFaultSpec[]>();
  for (const f of faults) {
    const list = bySlot.get(f.slot) ?? [];
    list.push(f);
    bySlot.set(f.slot, list);
  }
  return bySlot;
}

/** True when `promise` settled within `ms` (its failure counts as settled). */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
