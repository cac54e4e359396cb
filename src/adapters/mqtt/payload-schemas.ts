/**
 * JSON payloads of the MQTT channels (docs/mqtt.md has examples). Every payload carries the schema
 * version `v`; objects are strict (an unknown key is an error, so a typo is not silently ignored).
 *
 * - telemetry (device -> node): `{ v: 1, reading: <base64 of the 113-byte signed reading> }`. The
 *   signature covers the binary record, so JSON re-encoding by a broker or bridge cannot break it.
 * - orders (participant -> node): `{ v: 1, order: <base64 of the 115-byte signed order> }`.
 * - state (device -> node): `{ v: 1, slot, socPct?, pluggedIn?, powerW? }`. NOT signed: advisory
 *   input for controllers, never settled. powerW sign: positive = export / discharge to the grid.
 * - commands (node -> device): `{ v: 1, commandId, slot, setpointPowerW, durationSlots }`, same sign.
 * - reply (node -> device): `{ v: 1, code, message, path?, topic }` for each bad payload.
 */
import { z } from 'zod';
import type { RejectReason } from '../../core/identity/gate-rejections.js';
import { SIGNED_READING_BYTES } from '../../core/identity/signed-reading.js';
import { SIGNED_ORDER_BYTES } from '../../core/identity/signed-order.js';

export const PAYLOAD_SCHEMA_VERSION = 1;
/** Default bound of an inbound payload (telemetry, state), bytes; a reading payload is ~180. */
export const INBOUND_PAYLOAD_BYTES_MAX_DEFAULT = 1024;
/** Base64 characters of one signed reading (113 bytes, padded). */
export const READING_BASE64_CHARS = Math.ceil(SIGNED_READING_BYTES / 3) * 4;
const UINT32_MAX = 0xffff_ffff;
/** |setpoint| bound: 100 MW, above any single grid connection gridmesh handles. */
export const SETPOINT_POWER_W_ABS_MAX = 100_000_000;
export const COMMAND_DURATION_SLOTS_MAX = 96;
export const COMMAND_ID_CHARS_MAX = 64;
export const REPLY_MESSAGE_CHARS_MAX = 300;

const version = z.literal(PAYLOAD_SCHEMA_VERSION);
const slot = z.int().min(0).max(UINT32_MAX);

export const telemetryPayloadSchema = z.strictObject({
  v: version,
  reading: z.string().length(READING_BASE64_CHARS).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
});
export type TelemetryPayload = z.infer<typeof telemetryPayloadSchema>;

/** Base64 characters of a 115-byte signed order. */
export const ORDER_BASE64_CHARS = Math.ceil(SIGNED_ORDER_BYTES / 3) * 4;

/** A participant's signed order (docs/identity.md: bid or offer, slot, sequence, energy, price). */
export const orderPayloadSchema = z.strictObject({
  v: version,
  order: z.string().length(ORDER_BASE64_CHARS).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
});
export type OrderPayload = z.infer<typeof orderPayloadSchema>;

export const orderPayloadOf = (signedOrder: Uint8Array): OrderPayload => ({ v: PAYLOAD_SCHEMA_VERSION, order: Buffer.from(signedOrder).toString('base64') });

export const statePayloadSchema = z.strictObject({
  v: version,
  slot,
  socPct: z.number().min(0).max(100).optional(),
  pluggedIn: z.boolean().optional(),
  powerW: z.int().min(-SETPOINT_POWER_W_ABS_MAX).max(SETPOINT_POWER_W_ABS_MAX).optional(),
});
export type StatePayload = z.infer<typeof statePayloadSchema>;

export const commandPayloadSchema = z.strictObject({
  v: version,
  commandId: z.string().min(1).max(COMMAND_ID_CHARS_MAX).regex(/^[A-Za-z0-9._:-]+$/, 'expected letters, digits, ".", "_", ":" or "-"'),
  slot,
  setpointPowerW: z.int().min(-SETPOINT_POWER_W_ABS_MAX).max(SETPOINT_POWER_W_ABS_MAX),
  durationSlots: z.int().min(1).max(COMMAND_DURATION_SLOTS_MAX),
});
export type CommandPayload = z.infer<typeof commandPayloadSchema>;

/** Why a payload was refused: the parse step's codes, the topic checks, and the gate's reasons. */
export type PayloadErrorCode = 'oversize' | 'bad-json' | 'bad-schema';
export type TopicErrorCode = 'topic-mismatch' | 'wrong-area';
export type ReplyCode = PayloadErrorCode | TopicErrorCode | RejectReason | 'internal';

export const replyPayloadSchema = z.strictObject({
  v: version,
  code: z.string().max(32),
  message: z.string().max(REPLY_MESSAGE_CHARS_MAX),
  path: z.string().max(REPLY_MESSAGE_CHARS_MAX).optional(),
  topic: z.string(),
});
export type ReplyPayload = z.infer<typeof replyPayloadSchema> & { code: ReplyCode };

export const telemetryPayloadOf = (signedReading: Uint8Array): TelemetryPayload => ({
  v: PAYLOAD_SCHEMA_VERSION,
  reading: Buffer.from(signedReading).toString('base64'),
});
