/**
 * The node clock topic: how a gridmesh node tells devices which slot is open, so separate device
 * processes (simulated or real) report each slot's reading when it is due (docs/devices.md).
 *
 *   topic    gridmesh/v1/<area>/clock        (retained, QoS 1; <area> as in topics.ts)
 *   payload  {"v":1,"slot":12,"slotWallMs":900000,"openedAtMs":1781474400000,"twinIso":"2026-06-15T01:00:00.000Z"}
 *
 * - `slot`: the slot now open; readings for `slot - 1` are due now.
 * - `slotWallMs`: wall-clock milliseconds per slot (900000 in real time; less when the node runs
 *   the scenario faster than real time).
 * - `openedAtMs`: the wall time (ms since the epoch) the slot opened.
 * - `twinIso`: the start of the slot in scenario time (ISO 8601), e.g. to check both sides run the
 *   same scenario.
 *
 * The topic has two levels below the root, so it never matches a device topic filter
 * (`gridmesh/v1/+/+/<channel>`). Retained: a device that connects late learns the open slot at once.
 * A retained clock left by a node that stopped is recognised as stale by its `openedAtMs`.
 */
import type { MqttClient } from 'mqtt';
import { z } from 'zod';
import { MqttError } from './mqtt-errors.js';
import { parsePayload, type ParsedPayload, type PayloadError } from './payload-parse.js';
import { PAYLOAD_SCHEMA_VERSION } from './payload-schemas.js';
import { areaTopicLevel, TOPIC_ROOT } from './topics.js';

export const CLOCK_CHANNEL = 'clock';
/** A clock payload is ~120 bytes; anything above this bound is refused before it is parsed. */
export const CLOCK_PAYLOAD_BYTES_MAX = 512;
/** Longest slot: one day of wall time. */
export const CLOCK_SLOT_WALL_MS_MAX = 86_400_000;
/** The latest time a Date can hold, ms since the epoch. */
const EPOCH_MS_MAX = 8.64e15;
const TWIN_ISO_CHARS_MAX = 40;
const UINT32_MAX = 0xffff_ffff;
/** Clock topics one follower listens to (a device's area and the areas above it). */
export const CLOCK_TOPICS_MAX = 64;
/** Default slack for clock skew and delivery delay before a clock message counts as stale, ms. */
export const CLOCK_GRACE_MS_DEFAULT = 5000;

export const clockPayloadSchema = z.strictObject({
  v: z.literal(PAYLOAD_SCHEMA_VERSION),
  slot: z.int().min(0).max(UINT32_MAX),
  slotWallMs: z.int().min(1).max(CLOCK_SLOT_WALL_MS_MAX),
  openedAtMs: z.int().min(0).max(EPOCH_MS_MAX),
  twinIso: z.string().max(TWIN_ISO_CHARS_MAX).pipe(z.iso.datetime({ offset: true })),
});
export type ClockPayload = z.infer<typeof clockPayloadSchema>;

/** `gridmesh/v1/<area>/clock`: where the node serving `area` publishes its clock. */
export function clockTopic(area: string): string {
  return `${TOPIC_ROOT}/${areaTopicLevel(area)}/${CLOCK_CHANNEL}`;
}

/** The fields of a clock payload; the slot's scenario-time start as `twinIso` or as `twinStartMs`. */
export type ClockFields = {
  readonly slot: number;
  readonly slotWallMs: number;
  readonly openedAtMs: number;
} & ({ readonly twinIso: string } | { readonly twinStartMs: number });

/** A checked clock payload (for the node to publish); bad fields are an MqttError `bad-config`. */
export function clockPayload(fields: ClockFields): ClockPayload {
  const twinIso = 'twinIso' in fields ? fields.twinIso : isoOrNull(fields.twinStartMs);
  const parsed = clockPayloadSchema.safeParse({
    v: PAYLOAD_SCHEMA_VERSION, slot: fields.slot, slotWallMs: fields.slotWallMs, openedAtMs: fields.openedAtMs, twinIso,
  });
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new MqttError('bad-config', `the clock payload does not match its schema (${details[0] ?? 'unknown problem'})`, { details });
  }
  return parsed.data;
}

/** Checks a clock payload: size first (before anything reads the bytes), then UTF-8 JSON, then schema. */
export function parseClockPayload(bytes: Uint8Array, maxBytes = CLOCK_PAYLOAD_BYTES_MAX): ParsedPayload<ClockPayload> {
  return parsePayload(bytes, clockPayloadSchema, maxBytes);
}

/** Publishes the node's clock for `area`, retained, QoS 1. */
export async function publishClock(client: MqttClient, area: string, payload: ClockPayload): Promise<void> {
  await client.publishAsync(clockTopic(area), JSON.stringify(payload), { qos: 1, retain: true });
}

export interface NodeClockCounts {
  /** New slots passed to `onSlot`. */
  readonly accepted: number;
  /** The slot already seen (a QoS 1 redelivery, the retained copy after a reconnect). */
  readonly duplicate: number;
  /** A slot before the last one seen. */
  readonly older: number;
  /** A slot that ended more than the grace period ago (e.g. retained by a node that stopped). */
  readonly stale: number;
  /** Oversize, not JSON or not matching the schema. */
  readonly bad: number;
}

export interface NodeClockFollowerOptions {
  /** A connected client; the follower subscribes on it and listens to its messages. */
  readonly client: MqttClient;
  /** Areas whose clock to follow (the node's area, or a device's area and the areas above it). */
  readonly areas: readonly string[];
  /** Called once per new slot, in increasing slot order. An exception goes to `onError`. */
  readonly onSlot: (clock: ClockPayload, topic: string) => void;
  /** A payload that was refused as bad (for logging). */
  readonly onBadPayload?: (error: PayloadError, topic: string) => void;
  readonly onError?: (error: unknown) => void;
  /** Wall clock, ms since the epoch; default Date.now. */
  readonly nowMs?: () => number;
  /** A clock message is stale when now > openedAtMs + slotWallMs + graceMs. Default 5000. */
  readonly graceMs?: number;
  readonly payloadBytesMax?: number;
}

/**
 * Follows the node clock: subscribes to the clock topics of the given areas and calls `onSlot`
 * with each new slot. Duplicates, older slots, stale and bad payloads are counted and ignored.
 */
export class NodeClockFollower {
  private readonly counters = { accepted: 0, duplicate: 0, older: 0, stale: 0, bad: 0 };
  private readonly topics: ReadonlySet<string>;
  private last: ClockPayload | null = null;
  private stopped = false;
  private readonly listener = (topic: string, payload: Buffer): void => this.receive(topic, payload);

  private constructor(private readonly options: NodeClockFollowerOptions) {
    if (options.areas.length === 0 || options.areas.length > CLOCK_TOPICS_MAX) {
      throw new MqttError('bad-config', `areas: expected 1 to ${CLOCK_TOPICS_MAX} areas (got ${options.areas.length})`);
    }
    const graceMs = options.graceMs ?? CLOCK_GRACE_MS_DEFAULT;
    if (!Number.isFinite(graceMs) || graceMs < 0) throw new MqttError('bad-config', `graceMs: expected a number >= 0 (got ${graceMs})`);
    this.topics = new Set(options.areas.map(clockTopic));
  }

  /** Starts following: listens, then subscribes (QoS 1); a retained clock arrives right away. */
  static async follow(options: NodeClockFollowerOptions): Promise<NodeClockFollower> {
    const follower = new NodeClockFollower(options);
    options.client.on('message', follower.listener);
    try {
      const granted = await options.client.subscribeAsync([...follower.topics], { qos: 1 });
      const refused = granted.filter((g) => g.qos > 2).map((g) => g.topic);
      if (refused.length > 0) throw new MqttError('connect-failed', 'the broker refused the clock subscriptions', { details: refused });
    } catch (cause) {
      options.client.removeListener('message', follower.listener);
      throw cause instanceof MqttError ? cause : new MqttError('connect-failed', 'cannot subscribe to the node clock', { cause });
    }
    return follower;
  }

  /** The clock topics followed. */
  get topicList(): readonly string[] {
    return [...this.topics];
  }

  /** The last clock accepted, or null before the first. */
  latest(): ClockPayload | null {
    return this.last;
  }

  counts(): NodeClockCounts {
    return { ...this.counters };
  }

  /** Stops listening and unsubscribes (the client stays connected; it is the caller's). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.options.client.removeListener('message', this.listener);
    if (this.options.client.connected) await this.options.client.unsubscribeAsync([...this.topics]).catch(() => undefined);
  }

  private receive(topic: string, payload: Uint8Array): void {
    if (this.stopped || !this.topics.has(topic)) return;
    const parsed = parseClockPayload(payload, this.options.payloadBytesMax ?? CLOCK_PAYLOAD_BYTES_MAX);
    if (!parsed.ok) {
      this.counters.bad++;
      this.notify(() => this.options.onBadPayload?.(parsed.error, topic));
      return;
    }
    const clock = parsed.value;
    const lastSlot = this.last?.slot ?? -1;
    if (clock.slot === lastSlot) {
      this.counters.duplicate++;
      return;
    }
    if (clock.slot < lastSlot) {
      this.counters.older++;
      return;
    }
    const now = (this.options.nowMs ?? Date.now)();
    if (now > clock.openedAtMs + clock.slotWallMs + (this.options.graceMs ?? CLOCK_GRACE_MS_DEFAULT)) {
      this.counters.stale++;
      return;
    }
    this.last = clock;
    this.counters.accepted++;
    this.notify(() => this.options.onSlot(clock, topic));
  }

  private notify(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= EPOCH_MS_MAX ? new Date(ms).toISOString() : null;
}
