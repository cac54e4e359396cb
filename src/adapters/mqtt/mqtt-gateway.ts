/**
 * The node's side of the MQTT device channel: connects to a broker (`mqtt://host:port`, embedded
 * aedes or mosquitto), subscribes to the devices' telemetry and state, and feeds signed readings to
 * the reading gate. Every refused payload is counted by reason and answered with a JSON error on the
 * device's reply topic; nothing thrown while handling a message escapes the handler.
 *
 * Messages go through a bounded queue (drop + count beyond `inboundQueueMessagesMax`) and are
 * processed in batches of `processBatchMessagesMax` per event-loop turn, so a burst cannot starve
 * the node's other I/O. Replies are QoS 0 and never queued while disconnected (`queueQoSZero:
 * false`); commands are QoS 1.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import type { AcceptedReading } from '../../core/identity/reading-gate.js';
import { copyGatewayCounts, zeroGatewayCounts, type GatewayCounts } from './gateway-counts.js';
import { InboundHandler, type InboundOutcome, type OrderIngest, type ReadingIngest } from './inbound-handler.js';
import { InboundQueue, INBOUND_QUEUE_MESSAGES_MAX_DEFAULT } from './inbound-queue.js';
import { MqttError } from './mqtt-errors.js';
import {
  commandPayloadSchema, INBOUND_PAYLOAD_BYTES_MAX_DEFAULT, PAYLOAD_SCHEMA_VERSION, REPLY_MESSAGE_CHARS_MAX,
  type CommandPayload, type ReplyPayload, type StatePayload,
} from './payload-schemas.js';
import { channelFilter, deviceTopic, INBOUND_CHANNELS, type DeviceAddress, type DeviceTopic } from './topics.js';

export const PROCESS_BATCH_MESSAGES_MAX_DEFAULT = 256;
export const CONNECT_TIMEOUT_MS_DEFAULT = 5000;

export interface MqttGatewayOptions {
  /** `mqtt://host:port` of the broker. */
  readonly url: string;
  /** Checks signed readings: the node's ReadingGate, the same as in simulation. */
  readonly gate: ReadingIngest;
  /** Participants' signed orders on the `orders` channel (absent: they are refused with a reply). */
  readonly orders?: OrderIngest;
  /** The node's current slot (from its injected clock). */
  readonly currentSlot: () => number;
  /** Only serve devices of this area (default: every area on the broker). */
  readonly area?: string;
  readonly inboundPayloadBytesMax?: number;
  readonly inboundQueueMessagesMax?: number;
  readonly processBatchMessagesMax?: number;
  readonly clientId?: string;
  readonly connectTimeoutMs?: number;
  readonly onReading?: (accepted: AcceptedReading, device: DeviceAddress) => void;
  readonly onState?: (state: StatePayload, device: DeviceAddress) => void;
  /** A callback or the gate threw (a bug): counted as `internal`; the gateway keeps running. */
  readonly onInternalError?: (error: unknown) => void;
}

interface InboundMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
}

export class MqttDeviceGateway {
  private readonly counters = zeroGatewayCounts();
  private readonly queue: InboundQueue<InboundMessage>;
  private readonly handler: InboundHandler;
  private readonly batchMax: number;
  private drainScheduled = false;
  private closed = false;

  private constructor(private readonly client: MqttClient, private readonly options: MqttGatewayOptions) {
    this.queue = new InboundQueue(options.inboundQueueMessagesMax ?? INBOUND_QUEUE_MESSAGES_MAX_DEFAULT);
    this.batchMax = positiveInteger(options.processBatchMessagesMax ?? PROCESS_BATCH_MESSAGES_MAX_DEFAULT, 'processBatchMessagesMax');
    const payloadBytesMax = positiveInteger(options.inboundPayloadBytesMax ?? INBOUND_PAYLOAD_BYTES_MAX_DEFAULT, 'inboundPayloadBytesMax');
    this.handler = new InboundHandler({ gate: options.gate, ...(options.orders === undefined ? {} : { orders: options.orders }), currentSlot: options.currentSlot, payloadBytesMax });
    client.on('message', (topic, payload) => this.enqueue(topic, payload));
  }

  /** Connects, subscribes to telemetry and state, and starts handling messages. */
  static async connect(options: MqttGatewayOptions): Promise<MqttDeviceGateway> {
    const filters = INBOUND_CHANNELS.map((channel) => channelFilter(channel, options.area));
    const client = await connectClient(options);
    const gateway = new MqttDeviceGateway(client, options);
    try {
      const granted = await client.subscribeAsync(filters, { qos: 1 });
      const refused = granted.filter((g) => g.qos > 2).map((g) => g.topic);
      if (refused.length > 0) throw new MqttError('connect-failed', 'the broker refused the subscriptions', { details: refused });
    } catch (cause) {
      await client.endAsync(true);
      throw cause instanceof MqttError ? cause : new MqttError('connect-failed', `cannot subscribe at ${options.url}`, { cause });
    }
    return gateway;
  }

  counts(): GatewayCounts {
    return copyGatewayCounts(this.counters);
  }

  /** Sends a setpoint to a device (QoS 1). A command that fails its schema is an MqttError. */
  async publishCommand(device: DeviceAddress, command: CommandPayload): Promise<void> {
    if (this.closed) throw new MqttError('closed', 'the gateway is closed');
    const parsed = commandPayloadSchema.safeParse(command);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
      throw new MqttError('bad-command', 'the command does not match its schema', { details });
    }
    await this.client.publishAsync(deviceTopic(device, 'commands'), JSON.stringify(parsed.data), { qos: 1 });
  }

  /** Stops handling messages (queued ones are dropped) and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.endAsync();
  }

  private enqueue(topic: string, payload: Uint8Array): void {
    this.counters.received++;
    if (this.closed) return;
    if (!this.queue.offer({ topic, payload })) {
      this.counters.droppedQueueFull++;
      return;
    }
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.drainScheduled = false;
    for (let n = 0; n < this.batchMax && !this.closed; n++) {
      const message = this.queue.take();
      if (message === undefined) return;
      this.process(message);
    }
    if (this.queue.length > 0 && !this.closed) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private process(message: InboundMessage): void {
    let outcome: InboundOutcome | undefined;
    try {
      outcome = this.handler.handle(message.topic, message.payload);
      this.record(outcome);
    } catch (error) {
      this.counters.rejected.internal++;
      if (outcome !== undefined && outcome.kind !== 'bad-topic') this.reply(outcome.topic, { code: 'internal', message: 'the node failed to handle this message' });
      this.options.onInternalError?.(error);
    }
  }

  private record(outcome: InboundOutcome): void {
    switch (outcome.kind) {
      case 'bad-topic':
        this.counters.badTopic++;
        return;
      case 'rejected':
        this.counters.rejected[outcome.code]++;
        this.reply(outcome.topic, outcome.path === undefined ? { code: outcome.code, message: outcome.message } : outcome);
        return;
      case 'reading':
        this.counters.readingsAccepted++;
        this.options.onReading?.(outcome.accepted, outcome.topic);
        return;
      case 'order':
        this.counters.ordersAccepted++;
        return;
      case 'state':
        this.counters.statesAccepted++;
        this.options.onState?.(outcome.state, outcome.topic);
    }
  }

  private reply(topic: DeviceTopic, error: { code: ReplyPayload['code']; message: string; path?: string }): void {
    const payload: ReplyPayload = {
      v: PAYLOAD_SCHEMA_VERSION,
      code: error.code,
      message: error.message.slice(0, REPLY_MESSAGE_CHARS_MAX),
      ...(error.path === undefined ? {} : { path: error.path.slice(0, REPLY_MESSAGE_CHARS_MAX) }),
      topic: deviceTopic(topic, topic.channel),
    };
    // QoS 0 and fire-and-forget: a failed reply must not fail the handler.
    this.client.publish(deviceTopic(topic, 'reply'), JSON.stringify(payload), { qos: 0 }, () => undefined);
  }
}

async function connectClient(options: MqttGatewayOptions): Promise<MqttClient> {
  try {
    return await connectAsync(options.url, {
      clientId: options.clientId ?? `gridmesh-node-${process.pid}-${Date.now().toString(36)}`,
      clean: true,
      connectTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT,
      reconnectPeriod: 1000,
      queueQoSZero: false,
    }, false);
  } catch (cause) {
    throw new MqttError('connect-failed', `cannot connect to the MQTT broker at ${options.url}`, { cause });
  }
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new MqttError('bad-config', `${field}: expected a positive integer (got ${value})`);
  return value;
}
