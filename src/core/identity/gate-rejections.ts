/**
 * Why a gate rejects a signed reading or order, how often, and the last N rejections.
 * A reason is the first failed check in the gate's order (cheap checks before the signature):
 * malformed, unknown-device, future-slot / stale-slot, revoked, credential-expired /
 * not-yet-valid, replay, bad-signature, implausible. Only `implausible` is certainly the named
 * device's doing (its signature verified); for earlier reasons the "device" is whoever the record
 * claims to be.
 */
import { didOfPublicKey } from './did-key.js';
import { GateError } from './identity-errors.js';

export const REJECT_REASONS = [
  'malformed', 'unknown-device', 'future-slot', 'stale-slot', 'revoked', 'credential-expired', 'not-yet-valid',
  'replay', 'bad-signature', 'implausible',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECTION_LOG_SIZE_DEFAULT = 1000;
export const REJECTION_LOG_SIZE_MAX = 1_000_000;

export interface Rejection {
  /** DID the record claims (null when it is too malformed to name one). */
  readonly device: string | null;
  /** Slot the record claims (null when malformed). */
  readonly slot: number | null;
  readonly reason: RejectReason;
}

export interface GateCounts {
  accepted: number;
  /** Accepted readings that took a device beyond its authorised import (or prepaid balance). */
  overAuthorised: number;
  rejected: Record<RejectReason, number>;
}

/** A device is named by its DID when known, or by its raw key (turned into a DID only when read). */
type DeviceRef = string | Uint8Array | null;

interface LogEntry {
  device: DeviceRef;
  slot: number | null;
  reason: RejectReason;
}

/** Counters per outcome and a ring buffer of the last `capacity` rejections. */
export class GateRejections {
  private readonly log: LogEntry[] = [];
  private next = 0;
  private readonly counts: GateCounts = { accepted: 0, overAuthorised: 0, rejected: zeroCounts() };

  constructor(readonly capacity: number = REJECTION_LOG_SIZE_DEFAULT) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > REJECTION_LOG_SIZE_MAX) {
      throw new GateError('bad-config', `rejectionLogSize: expected an integer from 0 to ${REJECTION_LOG_SIZE_MAX} (got ${capacity})`);
    }
  }

  accepted(overAuthorised: boolean): void {
    this.counts.accepted++;
    if (overAuthorised) this.counts.overAuthorised++;
  }

  /** Counts and logs a rejection; `device` is a DID, a raw key (copied) or null. */
  reject(reason: RejectReason, device: DeviceRef, slot: number | null): void {
    this.counts.rejected[reason]++;
    if (this.capacity === 0) return;
    const entry: LogEntry = { device: device instanceof Uint8Array ? device.slice() : device, slot, reason };
    if (this.log.length < this.capacity) this.log.push(entry);
    else this.log[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** A copy of the counters. */
  snapshot(): GateCounts {
    return { ...this.counts, rejected: { ...this.counts.rejected } };
  }

  /** The logged rejections, oldest first. */
  entries(): Rejection[] {
    const ordered = this.log.length < this.capacity ? this.log : [...this.log.slice(this.next), ...this.log.slice(0, this.next)];
    return ordered.map((e) => ({ device: e.device instanceof Uint8Array ? didOfPublicKey(e.device) : e.device, slot: e.slot, reason: e.reason }));
  }
}

function zeroCounts(): Record<RejectReason, number> {
  return Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
}
