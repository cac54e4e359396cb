/**
 * Test builders for the identity layer: derived (NOT secret) keys, credential claims, signed
 * readings and orders, and gates with admitted devices. Slots are 15 minutes from 2026-01-01.
 */
import { issueCredential, verifyCredential, type ConnectionCredential, type CredentialClaims } from './connection-credential.js';
import type { GateOptions } from './gate-config.js';
import { deriveKeyPair, type KeyPair } from './key-pair.js';
import { OrderGate } from './order-gate.js';
import { ReadingGate } from './reading-gate.js';
import { signOrder, type SignedOrderFields } from './signed-order.js';
import { signReading, type Reading } from './signed-reading.js';

export const START_SECONDS = 1_767_225_600;
export const SLOT_SECONDS = 900;
export const slotToSeconds = (slot: number): number => START_SECONDS + slot * SLOT_SECONDS;

export const aGatekeeper = (name = 'dso-riverside'): KeyPair => deriveKeyPair(7, `gatekeeper/${name}`);
export const aDevice = (name = 'house-1/meter'): KeyPair => deriveKeyPair(7, name);

export function aCredentialClaims(device: KeyPair, overrides: Partial<CredentialClaims> = {}): CredentialClaims {
  return {
    credentialId: `conn-${device.did.slice(-8)}`,
    subject: device.did,
    issuedAtSeconds: slotToSeconds(0),
    notBeforeSeconds: slotToSeconds(0),
    expiresAtSeconds: slotToSeconds(10_000),
    deviceType: 'meter',
    ratedPowerW: 11_000,
    area: 'riverside/street-3',
    owner: 'household-1',
    authorisedImportWh: null,
    authorisedPeriodSlots: 96,
    ...overrides,
  };
}

/** Issues (gatekeeper signs) and verifies a credential for `device`. */
export async function aCredential(device: KeyPair, overrides: Partial<CredentialClaims> = {}, gatekeeper = aGatekeeper()): Promise<ConnectionCredential> {
  const jwt = await issueCredential(gatekeeper.privateKey, aCredentialClaims(device, overrides));
  const nowSeconds = overrides.notBeforeSeconds ?? slotToSeconds(0);
  return verifyCredential(jwt, { trustedGatekeepers: new Set([gatekeeper.did]), nowSeconds });
}

export function aReading(device: KeyPair, fields: Partial<Omit<Reading, 'deviceKey'>> = {}): Uint8Array {
  return signReading(device.privateKey, { deviceKey: device.publicKeyRaw, slot: 10, importWh: 500, exportWh: 0, peakPowerW: 3000, ...fields });
}

export function anOrder(participant: KeyPair, fields: Partial<Omit<SignedOrderFields, 'participantKey'>> = {}): Uint8Array {
  return signOrder(participant.privateKey, {
    participantKey: participant.publicKeyRaw, slot: 11, orderSeq: 1, side: 'bid', priorityClass: 2, energyWh: 1000, priceMinorPerKwh: 25, ...fields,
  });
}

export function gateOptions(overrides: Partial<GateOptions> = {}): GateOptions {
  return { trustedGatekeepers: [aGatekeeper().did], slotToSeconds, ...overrides } as GateOptions;
}

/** A reading gate with `devices` admitted, each with the given credential overrides. */
export async function aReadingGate(devices: readonly KeyPair[], overrides: Partial<CredentialClaims> = {}, options: Partial<GateOptions> = {}): Promise<ReadingGate> {
  const gate = new ReadingGate(gateOptions(options));
  for (const device of devices) gate.admitVerified(await aCredential(device, overrides));
  return gate;
}

export async function anOrderGate(participants: readonly KeyPair[], overrides: Partial<CredentialClaims> = {}, options: Partial<GateOptions> = {}): Promise<OrderGate> {
  const gate = new OrderGate(gateOptions(options));
  for (const participant of participants) gate.admitVerified(await aCredential(participant, overrides));
  return gate;
}
