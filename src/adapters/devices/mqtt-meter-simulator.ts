/**
 * Simulated smart meters that talk MQTT like real ones: each meter has its own client connection,
 * publishes a signed reading per slot on its telemetry topic, and listens on its commands and reply
 * topics. A test (or `gridmesh devices simulate --mqtt URL`, from a separate process) can make a
 * meter send a bad payload to see the node refuse it.
 *
 * SIMULATION ONLY: meters are given their private keys, typically derived (not secret) keys.
 */
import type { KeyObject } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { signReading } from '../../core/identity/signed-reading.js';
import { MqttError } from '../mqtt/mqtt-errors.js';
import {
  commandPayloadSchema, INBOUND_PAYLOAD_BYTES_MAX_DEFAULT, PAYLOAD_SCHEMA_VERSION, replyPayloadSchema, telemetryPayloadOf,
  type CommandPayload, type ReplyPayload, type StatePayload,
} from '../mqtt/payload-schemas.js';
import { deviceTopic, type DeviceAddress } from '../mqtt/topics.js';

/** Replies and commands kept per meter (oldest dropped beyond it). */
export const METER_RECEIVED_MESSAGES_MAX = 1000;
export const METER_FAULTS = ['forged-signature', 'bad-json', 'bad-schema', 'oversize', 'replay'] as const;
export type MeterFault = (typeof METER_FAULTS)[number];

export interface MeterSlotEnergy {
  readonly importWh: number;
  readonly exportWh: number;
  readonly peakPowerW: number;
}

export interface MqttMeter {
  readonly area: string;
  readonly privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key; the meter's did:key is derived from it. */
  readonly publicKeyRaw: Uint8Array;
  /** Energy per slot; default: a deterministic pattern from the slot and the meter's index. */
  readonly profile?: (slot: number) => MeterSlotEnergy;
}

export interface MqttMeterFleetOptions {
  readonly url: string;
  readonly meters: readonly MqttMeter[];
  readonly clientIdPrefix?: string;
  readonly connectTimeoutMs?: number;
  /** Called with every error reply the node sends to a meter (the kept log is bounded; this is not a log). */
  readonly onReply?: (meterIndex: number, reply: ReplyPayload) => void;
}

interface MeterConnection {
  readonly meter: MqttMeter;
  readonly address: DeviceAddress;
  readonly index: number;
  readonly client: MqttClient;
  readonly replies: ReplyPayload[];
  readonly commands: CommandPayload[];
  lastRecord: Uint8Array | null;
  readonly onReply: ((meterIndex: number, reply: ReplyPayload) => void) | undefined;
}

export class MqttMeterFleet {
  private constructor(private readonly connections: readonly MeterConnection[]) {}

  static async connect(options: MqttMeterFleetOptions): Promise<MqttMeterFleet> {
    const connections: MeterConnection[] = [];
    try {
      for (const [index, meter] of options.meters.entries()) connections.push(await connectMeter(options, meter, index));
    } catch (cause) {
      await Promise.all(connections.map((c) => c.client.endAsync(true)));
      throw cause instanceof MqttError ? cause : new MqttError('connect-failed', `meters cannot connect to ${options.url}`, { cause });
    }
    return new MqttMeterFleet(connections);
  }

  get size(): number {
    return this.connections.length;
  }

  address(meterIndex: number): DeviceAddress {
    return this.connection(meterIndex).address;
  }

  /**
   * Signs and publishes the meter's reading for `slot` (QoS 1), or a bad payload for `fault`:
   * `replay` resends the meter's last good record (the current one when it has sent none yet).
   */
  async publishReading(meterIndex: number, slot: number, fault?: MeterFault): Promise<void> {
    const c = this.connection(meterIndex);
    const energy = (c.meter.profile ?? defaultProfile(meterIndex))(slot);
    const record = signReading(c.meter.privateKey, { deviceKey: c.meter.publicKeyRaw, slot, ...energy });
    const payload = fault === undefined ? JSON.stringify(telemetryPayloadOf(record)) : faultyPayload(fault, record, c.lastRecord);
    if (fault === undefined) c.lastRecord = record;
    await c.client.publishAsync(deviceTopic(c.address, 'telemetry'), payload, { qos: 1 });
  }

  async publishState(meterIndex: number, state: Omit<StatePayload, 'v'>): Promise<void> {
    const c = this.connection(meterIndex);
    await c.client.publishAsync(deviceTopic(c.address, 'state'), JSON.stringify({ v: PAYLOAD_SCHEMA_VERSION, ...state }), { qos: 1 });
  }

  /** Publishes raw bytes on one of the meter's device -> node channels. */
  async publishRaw(meterIndex: number, channel: 'telemetry' | 'state', payload: string | Uint8Array): Promise<void> {
    const c = this.connection(meterIndex);
    await c.client.publishAsync(deviceTopic(c.address, channel), Buffer.from(payload), { qos: 1 });
  }

  /** Error replies the node sent to the meter, oldest first. */
  replies(meterIndex: number): readonly ReplyPayload[] {
    return [...this.connection(meterIndex).replies];
  }

  commands(meterIndex: number): readonly CommandPayload[] {
    return [...this.connection(meterIndex).commands];
  }

  /** Disconnects every meter; `force` does not wait for messages in flight (e.g. the broker is gone). */
  async close(force = false): Promise<void> {
    await Promise.all(this.connections.map((c) => c.client.endAsync(force)));
  }

  private connection(meterIndex: number): MeterConnection {
    const c = this.connections[meterIndex];
    if (c === undefined) throw new MqttError('bad-config', `meter ${meterIndex}: expected an index below ${this.connections.length}`);
    return c;
  }
}

export interface RunMqttMetersOptions extends MqttMeterFleetOptions {
  readonly startSlot?: number;
  readonly slots: number;
  /** Pause between slots, ms (0 = as fast as the broker takes them). */
  readonly slotIntervalMs?: number;
  /** Bad payloads to send, each just before the meter's good reading of that slot. */
  readonly faults?: readonly { readonly meterIndex: number; readonly slot: number; readonly fault: MeterFault }[];
}

export interface RunMqttMetersSummary {
  readonly readingsPublished: number;
  readonly faultsPublished: number;
}

/** Connects the meters, publishes `slots` slots of readings (with the given faults), disconnects. */
export async function runMqttMeters(options: RunMqttMetersOptions): Promise<RunMqttMetersSummary> {
  const fleet = await MqttMeterFleet.connect(options);
  const startSlot = options.startSlot ?? 0;
  let readingsPublished = 0;
  let faultsPublished = 0;
  try {
    for (let slot = startSlot; slot < startSlot + options.slots; slot++) {
      for (let index = 0; index < fleet.size; index++) {
        // Faults go first: after the good reading any record of the same slot would be a replay.
        for (const f of options.faults ?? []) {
          if (f.meterIndex !== index || f.slot !== slot) continue;
          await fleet.publishReading(index, slot, f.fault);
          faultsPublished++;
        }
        await fleet.publishReading(index, slot);
        readingsPublished++;
      }
      if ((options.slotIntervalMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, options.slotIntervalMs));
    }
  } finally {
    await fleet.close();
  }
  return { readingsPublished, faultsPublished };
}

async function connectMeter(options: MqttMeterFleetOptions, meter: MqttMeter, index: number): Promise<MeterConnection> {
  const address = { did: didOfPublicKey(meter.publicKeyRaw), area: meter.area };
  const client = await connectAsync(options.url, {
    clientId: `${options.clientIdPrefix ?? 'gridmesh-meter'}-${index}-${address.did.slice(-12)}`,
    clean: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    reconnectPeriod: 1000,
  }, false);
  const connection: MeterConnection = { meter, address, index, client, replies: [], commands: [], lastRecord: null, onReply: options.onReply };
  const replyTopic = deviceTopic(address, 'reply');
  const commandTopic = deviceTopic(address, 'commands');
  client.on('message', (topic, payload) => receive(connection, topic === replyTopic, topic === commandTopic, payload));
  await client.subscribeAsync([replyTopic, commandTopic], { qos: 1 });
  return connection;
}

function receive(c: MeterConnection, isReply: boolean, isCommand: boolean, payload: Buffer): void {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return; // a real meter would log it; the node only sends JSON
  }
  if (isReply) {
    const reply = replyPayloadSchema.safeParse(json).data as ReplyPayload | undefined;
    keepBounded(c.replies, reply);
    try {
      if (reply !== undefined) c.onReply?.(c.index, reply);
    } catch {
      // the listener's bug must not break the meter's connection
    }
  }
  if (isCommand) keepBounded(c.commands, commandPayloadSchema.safeParse(json).data);
}

function keepBounded<T>(log: T[], item: T | undefined): void {
  if (item === undefined) return;
  if (log.length >= METER_RECEIVED_MESSAGES_MAX) log.shift();
  log.push(item);
}

function faultyPayload(fault: MeterFault, record: Uint8Array, lastRecord: Uint8Array | null): string {
  switch (fault) {
    case 'forged-signature': {
      const forged = record.slice();
      forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 0x01;
      return JSON.stringify(telemetryPayloadOf(forged));
    }
    case 'bad-json':
      return JSON.stringify(telemetryPayloadOf(record)).slice(0, 20);
    case 'bad-schema':
      return JSON.stringify({ v: PAYLOAD_SCHEMA_VERSION, reading: 'not a reading' });
    case 'oversize':
      return JSON.stringify({ ...telemetryPayloadOf(record), padding: 'x'.repeat(INBOUND_PAYLOAD_BYTES_MAX_DEFAULT) });
    case 'replay':
      return JSON.stringify(telemetryPayloadOf(lastRecord ?? record));
  }
}

/** 100-499 Wh imported per 15-minute slot at a 4 kW peak: always plausible for an 11 kW meter. */
function defaultProfile(meterIndex: number): (slot: number) => MeterSlotEnergy {
  return (slot) => ({ importWh: 100 + ((slot * 37 + meterIndex * 11) % 400), exportWh: 0, peakPowerW: 4000 });
}
