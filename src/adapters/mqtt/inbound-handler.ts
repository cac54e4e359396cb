/**
 * What the gateway does with one inbound message, without any I/O: parse the topic, validate the
 * payload (payload-parse.ts), check that a reading is published on its own device's topic and area,
 * and hand it to the reading gate. Returns an outcome; the gateway counts it, publishes a reply for
 * a rejection and calls the node's callbacks for accepted input. Checks in order (cheap first):
 * topic, size, JSON, schema, base64 length, topic-mismatch, wrong-area, then the gate's own checks.
 */
import type { AdmittedDevice } from '../../core/identity/device-registry.js';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import type { AcceptedReading, ReadingOutcome } from '../../core/identity/reading-gate.js';
import { FIELDS_OFFSET, KEY_OFFSET } from '../../core/identity/signed-layout.js';
import { READING_LAYOUT, SIGNED_READING_BYTES } from '../../core/identity/signed-reading.js';
import { ORDER_LAYOUT, SIGNED_ORDER_BYTES } from '../../core/identity/signed-order.js';
import type { RejectReason } from '../../core/identity/gate-rejections.js';
import { parsePayload } from './payload-parse.js';
import { orderPayloadSchema, statePayloadSchema, telemetryPayloadSchema, type ReplyCode, type StatePayload } from './payload-schemas.js';
import { parseDeviceTopic, type DeviceTopic } from './topics.js';

/** The part of ReadingGate the gateway uses (a ReadingGate is one). */
export interface ReadingIngest {
  ingestReading(bytes: Uint8Array, currentSlot: number): ReadingOutcome;
  readonly registry: {
    deviceAt(bytes: Uint8Array, offset: number): AdmittedDevice | undefined;
    device(did: string): AdmittedDevice | undefined;
  };
}

/** Where a node takes participants' signed orders (the node's order gate). */
export interface OrderIngest {
  /** Checks the order (signature, credential, revocation, slot window, sequence) and keeps it when accepted. */
  ingestOrder(bytes: Uint8Array, currentSlot: number): { readonly accepted: true; readonly slot: number } | { readonly accepted: false; readonly reason: RejectReason };
  /** The admitted participant with this DID (its credential's area), or undefined. */
  participant(did: string): { readonly area: string } | undefined;
}

export type InboundOutcome =
  | { readonly kind: 'reading'; readonly topic: DeviceTopic; readonly accepted: AcceptedReading }
  | { readonly kind: 'order'; readonly topic: DeviceTopic; readonly slot: number }
  | { readonly kind: 'state'; readonly topic: DeviceTopic; readonly state: StatePayload }
  | { readonly kind: 'rejected'; readonly topic: DeviceTopic; readonly code: ReplyCode; readonly message: string; readonly path?: string }
  /** Not a device topic (or a node -> device channel): no device to answer. */
  | { readonly kind: 'bad-topic' };

export interface InboundHandlerOptions {
  readonly gate: ReadingIngest;
  /** Participants' orders on the `orders` channel; without it such messages are refused. */
  readonly orders?: OrderIngest;
  readonly currentSlot: () => number;
  readonly payloadBytesMax: number;
}

export class InboundHandler {
  constructor(private readonly options: InboundHandlerOptions) {}

  handle(topicText: string, payload: Uint8Array): InboundOutcome {
    const topic = parseDeviceTopic(topicText);
    if (topic === null) return { kind: 'bad-topic' };
    if (topic.channel === 'telemetry') return this.telemetry(topic, payload);
    if (topic.channel === 'state') return this.state(topic, payload);
    if (topic.channel === 'orders') return this.order(topic, payload);
    return { kind: 'bad-topic' };
  }

  private order(topic: DeviceTopic, payload: Uint8Array): InboundOutcome {
    const parsed = parsePayload(payload, orderPayloadSchema, this.options.payloadBytesMax);
    if (!parsed.ok) return { kind: 'rejected', topic, ...parsed.error };
    const bytes = new Uint8Array(Buffer.from(parsed.value.order, 'base64'));
    if (bytes.length !== SIGNED_ORDER_BYTES) {
      return reject(topic, 'bad-schema', `order: expected base64 of ${SIGNED_ORDER_BYTES} bytes (got ${bytes.length})`, 'order');
    }
    const orders = this.options.orders;
    if (orders === undefined) return reject(topic, 'unknown-device', 'this node takes no orders over MQTT');
    if (bytes[0] === ORDER_LAYOUT.formatByte) {
      const claimed = didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET));
      if (claimed !== topic.did) return reject(topic, 'topic-mismatch', `the order is signed for ${claimed}, not the topic's participant`);
      const participant = orders.participant(topic.did);
      if (participant !== undefined && participant.area !== topic.area) {
        return reject(topic, 'wrong-area', `the participant's credential is for area ${JSON.stringify(participant.area)}, not ${JSON.stringify(topic.area)}`);
      }
    }
    const outcome = orders.ingestOrder(bytes, this.options.currentSlot());
    if (outcome.accepted) return { kind: 'order', topic, slot: outcome.slot };
    return reject(topic, outcome.reason, `order rejected: ${outcome.reason}`);
  }

  private telemetry(topic: DeviceTopic, payload: Uint8Array): InboundOutcome {
    const parsed = parsePayload(payload, telemetryPayloadSchema, this.options.payloadBytesMax);
    if (!parsed.ok) return { kind: 'rejected', topic, ...parsed.error };
    const bytes = new Uint8Array(Buffer.from(parsed.value.reading, 'base64'));
    if (bytes.length !== SIGNED_READING_BYTES) {
      return reject(topic, 'bad-schema', `reading: expected base64 of ${SIGNED_READING_BYTES} bytes (got ${bytes.length})`, 'reading');
    }
    if (bytes[0] === READING_LAYOUT.formatByte) {
      const claimed = didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET));
      if (claimed !== topic.did) return reject(topic, 'topic-mismatch', `the reading is signed for ${claimed}, not the topic's device`);
      const device = this.options.gate.registry.deviceAt(bytes, KEY_OFFSET);
      if (device !== undefined && device.credential.area !== topic.area) return wrongArea(topic, device);
    }
    const outcome = this.options.gate.ingestReading(bytes, this.options.currentSlot());
    if (outcome.accepted) return { kind: 'reading', topic, accepted: outcome };
    return reject(topic, outcome.reason, `reading for slot ${outcome.slot ?? '?'} rejected: ${outcome.reason}`);
  }

  private state(topic: DeviceTopic, payload: Uint8Array): InboundOutcome {
    const parsed = parsePayload(payload, statePayloadSchema, this.options.payloadBytesMax);
    if (!parsed.ok) return { kind: 'rejected', topic, ...parsed.error };
    const device = this.options.gate.registry.device(topic.did);
    if (device === undefined) return reject(topic, 'unknown-device', 'no admitted credential for this device');
    if (device.credential.area !== topic.area) return wrongArea(topic, device);
    return { kind: 'state', topic, state: parsed.value };
  }
}

function reject(topic: DeviceTopic, code: ReplyCode, message: string, path?: string): InboundOutcome {
  return path === undefined ? { kind: 'rejected', topic, code, message } : { kind: 'rejected', topic, code, message, path };
}

function wrongArea(topic: DeviceTopic, device: AdmittedDevice): InboundOutcome {
  return reject(topic, 'wrong-area', `the device's credential is for area ${JSON.stringify(device.credential.area)}, not ${JSON.stringify(topic.area)}`);
}
