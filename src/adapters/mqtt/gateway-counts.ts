/** Counters of the MQTT gateway: what came in, what was accepted, and why the rest was refused. */
import { REJECT_REASONS } from '../../core/identity/gate-rejections.js';
import type { ReplyCode } from './payload-schemas.js';

export const REPLY_CODES = [
  'oversize', 'bad-json', 'bad-schema', 'topic-mismatch', 'wrong-area', ...REJECT_REASONS, 'internal',
] as const satisfies readonly ReplyCode[];

export interface GatewayCounts {
  /** Messages delivered by the broker (including those dropped on a full queue). */
  received: number;
  readingsAccepted: number;
  ordersAccepted: number;
  statesAccepted: number;
  /** Dropped because the inbound queue was full (no reply: the node is overloaded). */
  droppedQueueFull: number;
  /** Not a gridmesh device topic: no device to reply to. */
  badTopic: number;
  /** Refused payloads by reason; each got a reply on the device's reply topic. */
  rejected: Record<ReplyCode, number>;
}

export function zeroGatewayCounts(): GatewayCounts {
  const rejected = Object.fromEntries(REPLY_CODES.map((code) => [code, 0])) as Record<ReplyCode, number>;
  return { received: 0, readingsAccepted: 0, ordersAccepted: 0, statesAccepted: 0, droppedQueueFull: 0, badTopic: 0, rejected };
}

export function copyGatewayCounts(counts: GatewayCounts): GatewayCounts {
  return { ...counts, rejected: { ...counts.rejected } };
}
