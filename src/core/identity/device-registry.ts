/**
 * The devices a gate admits: verified connection credentials keyed by the device's public key,
 * the trusted gatekeepers, and the revocations they published. One registry can serve both the
 * reading gate and the order gate.
 *
 * - A credential is verified once (async, jose) and cached with the device's public KeyObject, so
 *   checking a record is a Map lookup and one signature verification.
 * - Admitting a new credential for an already admitted device replaces the old one (renewal);
 *   the gates' per-device state (last slot, import used) is kept.
 * - Revocations are scoped by issuer (a gatekeeper revokes only what it issued), permanent, and the
 *   earliest effective slot wins: a later list can add revocations but never lift or postpone one.
 * - Time: a record for slot s is checked at slotToSeconds(s); a credential is valid for
 *   notBefore <= t < expiresAt.
 * - Bounded: at most maxDevices devices and maxRevocations revocations (GateError / RevocationError).
 */
import type { KeyObject } from 'node:crypto';
import { verifyCredential, type ConnectionCredential } from './connection-credential.js';
import { isDidKey, publicKeyObjectOfDid, publicKeyOfDid } from './did-key.js';
import { keyIdAt, keyIdOf } from './device-key-id.js';
import { CredentialError, GateError, RevocationError } from './identity-errors.js';
import { verifyRevocationList } from './revocation-list.js';

export const MAX_DEVICES_DEFAULT = 100_000;
export const MAX_REVOCATIONS_DEFAULT = 1_000_000;

export interface DeviceRegistryOptions {
  /** DIDs of the gatekeepers (DSO, TSO) whose credentials and revocation lists are accepted. */
  readonly trustedGatekeepers: Iterable<string>;
  /** Start of a slot as Unix seconds; slot length = slotToSeconds(1) - slotToSeconds(0). */
  readonly slotToSeconds: (slot: number) => number;
  readonly maxDevices?: number;
  readonly maxRevocations?: number;
}

export interface AdmittedDevice {
  readonly did: string;
  readonly publicKey: KeyObject;
  /** keyIdOf(raw public key): the Map key of the device. */
  readonly keyId: string;
  /** The current credential (replaced on renewal). */
  readonly credential: ConnectionCredential;
  /** Records from this slot on are rejected as revoked (Infinity when not revoked). */
  readonly revokedFromSlot: number;
}

export type AdmissionProblem = 'revoked' | 'credential-expired' | 'not-yet-valid';

interface DeviceEntry {
  did: string;
  publicKey: KeyObject;
  keyId: string;
  credential: ConnectionCredential;
  revokedFromSlot: number;
}

export interface AppliedRevocations {
  readonly issuer: string;
  readonly sequence: number;
  /** Revocations that were new or moved earlier by this list. */
  readonly changed: number;
}

export class DeviceRegistry {
  readonly trustedGatekeepers: ReadonlySet<string>;
  readonly slotToSeconds: (slot: number) => number;
  /** Slot length in seconds, derived from slotToSeconds. */
  readonly slotSeconds: number;
  readonly maxDevices: number;
  readonly maxRevocations: number;
  private readonly byKeyId = new Map<string, DeviceEntry>();
  private readonly byDid = new Map<string, DeviceEntry>();
  private readonly byCredential = new Map<string, DeviceEntry>();
  private readonly revokedFrom = new Map<string, number>();
  private readonly lastSequence = new Map<string, number>();

  constructor(options: DeviceRegistryOptions) {
    this.trustedGatekeepers = new Set(options.trustedGatekeepers);
    for (const did of this.trustedGatekeepers) {
      if (!isDidKey(did)) throw new GateError('bad-config', `trustedGatekeepers: expected Ed25519 did:key identifiers (got ${JSON.stringify(did)})`);
    }
    this.slotToSeconds = options.slotToSeconds;
    this.slotSeconds = options.slotToSeconds(1) - options.slotToSeconds(0);
    if (!Number.isInteger(this.slotSeconds) || this.slotSeconds <= 0) {
      throw new GateError('bad-config', `slotToSeconds: expected slots a positive whole number of seconds long (got ${this.slotSeconds})`);
    }
    this.maxDevices = positiveInteger(options.maxDevices ?? MAX_DEVICES_DEFAULT, 'maxDevices');
    this.maxRevocations = positiveInteger(options.maxRevocations ?? MAX_REVOCATIONS_DEFAULT, 'maxRevocations');
  }

  get size(): number {
    return this.byKeyId.size;
  }

  /** Verifies a credential JWT (valid at the start of `atSlot`) and admits its device. */
  async admit(credentialJwt: string, atSlot: number): Promise<AdmittedDevice> {
    const credential = await verifyCredential(credentialJwt, { trustedGatekeepers: this.trustedGatekeepers, nowSeconds: this.slotToSeconds(atSlot) });
    return this.admitVerified(credential);
  }

  /**
   * Admits an already verified credential (e.g. verified by verifyCredential elsewhere). Its
   * issuer must still be trusted here.
   */
  admitVerified(credential: ConnectionCredential): AdmittedDevice {
    if (!this.trustedGatekeepers.has(credential.issuer)) {
      throw new CredentialError('untrusted-issuer', `issuer ${credential.issuer} is not a trusted gatekeeper`);
    }
    const keyId = keyIdOf(publicKeyOfDid(credential.subject));
    let entry = this.byKeyId.get(keyId);
    if (entry === undefined) {
      if (this.byKeyId.size >= this.maxDevices) {
        throw new GateError('too-many-devices', `cannot admit ${credential.subject}: the registry holds at most ${this.maxDevices} devices`);
      }
      entry = { did: credential.subject, publicKey: publicKeyObjectOfDid(credential.subject), keyId, credential, revokedFromSlot: Infinity };
      this.byKeyId.set(keyId, entry);
      this.byDid.set(entry.did, entry);
    } else {
      this.byCredential.delete(credentialKey(entry.credential.issuer, entry.credential.credentialId));
      entry.credential = credential;
    }
    const key = credentialKey(credential.issuer, credential.credentialId);
    this.byCredential.set(key, entry);
    entry.revokedFromSlot = this.revokedFrom.get(key) ?? Infinity;
    return entry;
  }

  /** Verifies and applies a signed revocation list (see revocation-list.ts). */
  applyRevocationList(input: unknown): AppliedRevocations {
    const list = verifyRevocationList(input, this.trustedGatekeepers);
    const last = this.lastSequence.get(list.issuer);
    if (last !== undefined && list.sequence <= last) {
      throw new RevocationError('stale-sequence', `revocation list ${list.sequence} of ${list.issuer} is not newer than ${last}, already applied`);
    }
    const fresh = list.revoked.filter((e) => !this.revokedFrom.has(credentialKey(list.issuer, e.credentialId))).length;
    if (this.revokedFrom.size + fresh > this.maxRevocations) {
      throw new RevocationError('too-many', `applying the list would exceed ${this.maxRevocations} revocations`);
    }
    let changed = 0;
    for (const entry of list.revoked) {
      const key = credentialKey(list.issuer, entry.credentialId);
      const previous = this.revokedFrom.get(key) ?? Infinity;
      if (entry.effectiveSlot >= previous) continue;
      changed++;
      this.revokedFrom.set(key, entry.effectiveSlot);
      const device = this.byCredential.get(key);
      if (device !== undefined) device.revokedFromSlot = entry.effectiveSlot;
    }
    this.lastSequence.set(list.issuer, list.sequence);
    return { issuer: list.issuer, sequence: list.sequence, changed };
  }

  /** The admitted device whose raw public key is at bytes[offset .. offset+31]. */
  deviceAt(bytes: Uint8Array, offset: number): AdmittedDevice | undefined {
    return this.byKeyId.get(keyIdAt(bytes, offset));
  }

  device(did: string): AdmittedDevice | undefined {
    return this.byDid.get(did);
  }

  /** The admitted device with this DID, or a GateError('unknown-device'). */
  requireDevice(did: string): AdmittedDevice {
    const device = this.byDid.get(did);
    if (device === undefined) throw new GateError('unknown-device', `no credential admitted for ${did}`);
    return device;
  }

  /** Why a record of `device` for `slot` must be rejected for its credential, or null. */
  admissionProblem(device: AdmittedDevice, slot: number): AdmissionProblem | null {
    if (slot >= device.revokedFromSlot) return 'revoked';
    const seconds = this.slotToSeconds(slot);
    if (seconds >= device.credential.expiresAtSeconds) return 'credential-expired';
    if (seconds < device.credential.notBeforeSeconds) return 'not-yet-valid';
    return null;
  }

  /** The last revocation-list sequence applied from `issuer`, if any. */
  revocationSequence(issuer: string): number | undefined {
    return this.lastSequence.get(issuer);
  }
}

function credentialKey(issuer: string, credentialId: string): string {
  return `${issuer}\n${credentialId}`;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new GateError('bad-config', `${field}: expected a positive integer (got ${value})`);
  return value;
}
