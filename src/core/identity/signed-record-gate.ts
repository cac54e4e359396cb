/**
 * The checks a reading and an order share, in this order (cheap before expensive, so junk costs no
 * signature verification): malformed, unknown-device, future-slot / stale-slot, revoked,
 * credential-expired / not-yet-valid, replay, bad-signature. The concrete gate then checks
 * plausibility and records the accepted record. Per-record work on the main thread is a Map
 * lookup, a few comparisons and one Ed25519 verification with the device's cached KeyObject (or
 * none when the signature was verified elsewhere, e.g. by worker threads).
 */
import { assert } from '../assert.js';
import type { ConnectionCredential } from './connection-credential.js';
import type { AdmittedDevice, AppliedRevocations, DeviceRegistry } from './device-registry.js';
import { readUint32 } from './byte-fields.js';
import { registryOf, slotWindowOf, slotWindowProblem, toleranceOf, type GateOptions, type SlotWindow } from './gate-config.js';
import { GateRejections, type GateCounts, type RejectReason, type Rejection } from './gate-rejections.js';
import { FIELDS_OFFSET, KEY_OFFSET, SLOT_OFFSET, verifyRecord, type SignedLayout } from './signed-layout.js';
import { didOfPublicKey } from './did-key.js';

export interface RejectedRecord {
  readonly accepted: false;
  readonly reason: RejectReason;
  /** The DID the record claims, or null when malformed. */
  readonly device: string | null;
  readonly slot: number | null;
}

/** A record that passed the shared checks, with its device and the gate's state for it. */
export interface ScreenedRecord<TState> {
  readonly device: AdmittedDevice;
  readonly state: TState;
  readonly slot: number;
}

export abstract class SignedRecordGate<TState> {
  readonly registry: DeviceRegistry;
  readonly window: SlotWindow;
  readonly tolerance: number;
  protected readonly log: GateRejections;
  private readonly states = new Map<AdmittedDevice, TState>();

  protected constructor(options: GateOptions, defaultWindow: SlotWindow, private readonly layout: SignedLayout) {
    this.registry = registryOf(options);
    this.window = slotWindowOf(options, defaultWindow);
    this.tolerance = toleranceOf(options);
    this.log = new GateRejections(options.rejectionLogSize);
  }

  /** Verifies a credential JWT (valid at the start of `atSlot`) and admits its device. */
  admit(credentialJwt: string, atSlot: number): Promise<AdmittedDevice> {
    return this.registry.admit(credentialJwt, atSlot);
  }

  admitVerified(credential: ConnectionCredential): AdmittedDevice {
    return this.registry.admitVerified(credential);
  }

  applyRevocationList(input: unknown): AppliedRevocations {
    return this.registry.applyRevocationList(input);
  }

  counts(): GateCounts {
    return this.log.snapshot();
  }

  /** The last rejections (up to rejectionLogSize), oldest first. */
  rejections(): Rejection[] {
    return this.log.entries();
  }

  protected abstract isMalformed(bytes: Uint8Array): boolean;
  protected abstract newState(): TState;
  protected abstract isReplay(state: TState, bytes: Uint8Array, slot: number): boolean;

  /** The shared checks; `signatureValid` null = verify here. */
  protected screen(bytes: Uint8Array, currentSlot: number, signatureValid: boolean | null): ScreenedRecord<TState> | RejectedRecord {
    assert(Number.isInteger(currentSlot) && currentSlot >= 0, 'currentSlot must be a non-negative integer', { currentSlot });
    if (this.isMalformed(bytes)) return this.reject('malformed', null, null);
    const slot = readUint32(bytes, SLOT_OFFSET);
    const device = this.registry.deviceAt(bytes, KEY_OFFSET);
    if (device === undefined) return this.reject('unknown-device', bytes.subarray(KEY_OFFSET, FIELDS_OFFSET), slot);
    const problem = slotWindowProblem(this.window, slot, currentSlot) ?? this.registry.admissionProblem(device, slot);
    if (problem !== null) return this.reject(problem, device.did, slot);
    const state = this.stateOf(device);
    if (this.isReplay(state, bytes, slot)) return this.reject('replay', device.did, slot);
    if (!(signatureValid ?? verifyRecord(bytes, device.publicKey, this.layout))) return this.reject('bad-signature', device.did, slot);
    return { device, state, slot };
  }

  protected reject(reason: RejectReason, device: string | Uint8Array | null, slot: number | null): RejectedRecord {
    this.log.reject(reason, device, slot);
    return { accepted: false, reason, device: device instanceof Uint8Array ? didOfPublicKey(device) : device, slot };
  }

  protected stateOf(device: AdmittedDevice): TState {
    let state = this.states.get(device);
    if (state === undefined) {
      state = this.newState();
      this.states.set(device, state);
    }
    return state;
  }
}
