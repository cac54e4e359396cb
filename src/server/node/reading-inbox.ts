/**
 * Where a node keeps the signed readings real meters send (MQTT) until their slot is settled.
 *
 * The MQTT gateway hands every telemetry message here (this is its `ReadingIngest`). The inbox does
 * the checks a device can be told about at once: the record's shape, that the meter is one of the
 * node's real devices, its signature, that the slot is due (closed and not yet settled), and that it
 * is the first record for that slot. The slot engine then takes each meter's record in the settle
 * stage (`ExternalReadings`), where the trust layer's ReadingGate checks it again in full
 * (credential, revocation, plausibility, replay) exactly as in a simulation.
 *
 * Bounded: at most `maxSlotsHeld` open slots × the real meters' count records are held; records for
 * slots that were settled are dropped when the slot is settled.
 */
import type { AcceptedReading, ReadingOutcome } from '../../core/identity/reading-gate.js';
import type { DeviceRegistry } from '../../core/identity/device-registry.js';
import type { RejectReason } from '../../core/identity/gate-rejections.js';
import { KEY_OFFSET } from '../../core/identity/signed-layout.js';
import { decodeReadingUnchecked, READING_LAYOUT, SIGNED_READING_BYTES, verifySignedReading } from '../../core/identity/signed-reading.js';
import type { ExternalReadings } from '../../core/trust/trust-run.js';

export interface ReadingInboxOptions {
  readonly registry: DeviceRegistry;
  /** Internal site index of each real meter, by its DID. */
  readonly siteOfMeter: ReadonlyMap<string, number>;
  /** Open slots whose records may wait here (default 4). */
  readonly maxSlotsHeld?: number;
}

export interface InboxCounts {
  readonly received: number;
  readonly held: number;
  readonly rejected: Partial<Record<RejectReason, number>>;
}

export class ReadingInbox implements ExternalReadings {
  readonly registry: DeviceRegistry;
  private readonly held = new Map<string, Uint8Array>();
  private readonly external: ReadonlySet<number>;
  private readonly maxSlotsHeld: number;
  private received = 0;
  /** The last settled slot (-1 before the first): records for it and before are stale. */
  private lastSettled = -1;
  private readonly rejectedCounts: Partial<Record<RejectReason, number>> = {};

  constructor(private readonly options: ReadingInboxOptions) {
    this.registry = options.registry;
    this.external = new Set(options.siteOfMeter.values());
    this.maxSlotsHeld = options.maxSlotsHeld ?? 4;
    if (!Number.isInteger(this.maxSlotsHeld) || this.maxSlotsHeld < 1) throw new RangeError(`maxSlotsHeld must be a positive integer, got ${this.maxSlotsHeld}`);
  }

  /** `openSlot`: the slot now running; readings are due for the slots before it. */
  ingestReading(bytes: Uint8Array, openSlot: number): ReadingOutcome {
    this.received++;
    if (bytes.length !== SIGNED_READING_BYTES || bytes[0] !== READING_LAYOUT.formatByte) return this.reject('malformed', null, null);
    const reading = decodeReadingUnchecked(bytes);
    const device = this.registry.deviceAt(bytes, KEY_OFFSET);
    if (device === undefined || !this.options.siteOfMeter.has(device.did)) return this.reject('unknown-device', device?.did ?? null, reading.slot);
    if (reading.slot >= openSlot) return this.reject('future-slot', device.did, reading.slot);
    if (reading.slot <= this.lastSettled || reading.slot < openSlot - this.maxSlotsHeld) return this.reject('stale-slot', device.did, reading.slot);
    if (!verifySignedReading(bytes, device.publicKey)) return this.reject('bad-signature', device.did, reading.slot);
    const key = holdKey(this.options.siteOfMeter.get(device.did) as number, reading.slot);
    if (this.held.has(key)) return this.reject('replay', device.did, reading.slot);
    const leaf = Uint8Array.from(bytes);
    this.held.set(key, leaf);
    const accepted: AcceptedReading = { accepted: true, device, reading, leaf, overAuthorised: false };
    return accepted;
  }

  /** Every record the inbox hands over had its signature verified on arrival. */
  signaturesVerified(): boolean {
    return true;
  }

  serves(site: number): boolean {
    return this.external.has(site);
  }

  take(site: number, slot: number): Uint8Array | undefined {
    const key = holdKey(site, slot);
    const bytes = this.held.get(key);
    this.held.delete(key);
    return bytes;
  }

  /** Marks `slot` settled: drops what is held for it and before; later records for them are stale. */
  settled(slot: number): void {
    this.lastSettled = Math.max(this.lastSettled, slot);
    for (const key of this.held.keys()) if (slotOfKey(key) <= slot) this.held.delete(key);
  }

  counts(): InboxCounts {
    return { received: this.received, held: this.held.size, rejected: { ...this.rejectedCounts } };
  }

  private reject(reason: RejectReason, device: string | null, slot: number | null): ReadingOutcome {
    this.rejectedCounts[reason] = (this.rejectedCounts[reason] ?? 0) + 1;
    return { accepted: false, reason, device, slot };
  }
}

function holdKey(site: number, slot: number): string {
  return `${slot}:${site}`;
}

function slotOfKey(key: string): number {
  return Number(key.slice(0, key.indexOf(':')));
}
