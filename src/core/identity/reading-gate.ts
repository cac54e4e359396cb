/**
 * The ingest gate for signed meter readings. Per slot the caller feeds the raw records; each is
 * accepted (with the decoded reading and its leaf bytes, a private copy of the signed record to
 * commit to the slot's Merkle tree) or rejected with a reason (gate-rejections.ts).
 *
 * Beyond the shared checks (signed-record-gate.ts):
 * - replay: a slot at or before the device's last accepted slot;
 * - implausible: peakPowerW above ratedPowerW × tolerance, or importWh + exportWh above what
 *   peakPowerW can deliver in one slot (+ ENERGY_ROUNDING_SLACK_WH for the two rounded counters);
 * - authorised import: accepted readings count towards the device's import per authorisation
 *   period (and prepaid balance); one that goes beyond is accepted but flagged over-authorised.
 * Default window: the current slot and up to 4 slots late, nothing ahead.
 */
import type { AdmittedDevice } from './device-registry.js';
import type { GateOptions, SlotWindow } from './gate-config.js';
import { ImportAccount } from './import-authorisation.js';
import { READING_LAYOUT, decodeReadingUnchecked, type SignedReading } from './signed-reading.js';
import { SignedRecordGate, type RejectedRecord } from './signed-record-gate.js';

export const READING_WINDOW_DEFAULT: SlotWindow = { maxLateSlots: 4, maxAheadSlots: 0 };
/** importWh and exportWh are each rounded to whole Wh by the meter. */
export const ENERGY_ROUNDING_SLACK_WH = 2;

export type ReadingGateOptions = GateOptions;

export interface AcceptedReading {
  readonly accepted: true;
  readonly device: AdmittedDevice;
  readonly reading: SignedReading;
  /** The signed record (113 bytes), copied: the Merkle leaf. */
  readonly leaf: Uint8Array;
  /** The reading took the device beyond its authorised import or prepaid balance. */
  readonly overAuthorised: boolean;
}

export type ReadingOutcome = AcceptedReading | RejectedRecord;

interface ReadingState {
  lastSlot: number;
  readonly account: ImportAccount;
}

export class ReadingGate extends SignedRecordGate<ReadingState> {
  constructor(options: ReadingGateOptions) {
    super(options, READING_WINDOW_DEFAULT, READING_LAYOUT);
  }

  /** Checks one signed reading (verifying its signature here) and records it when accepted. */
  ingestReading(bytes: Uint8Array, currentSlot: number): ReadingOutcome {
    return this.ingest(bytes, currentSlot, null);
  }

  /** As ingestReading, with the signature already verified elsewhere (e.g. worker threads). */
  ingestVerified(bytes: Uint8Array, currentSlot: number, signatureValid: boolean): ReadingOutcome {
    return this.ingest(bytes, currentSlot, signatureValid);
  }

  /** Energy the device may still import in `slot`'s period, Wh, or null when unlimited. */
  importCapWh(deviceDid: string, slot: number): number | null {
    const device = this.registry.requireDevice(deviceDid);
    return this.stateOf(device).account.remainingWh(device.credential, slot);
  }

  /** Raises a prepaid device's balance by `energyWh`; returns the new balance, Wh. */
  topUp(deviceDid: string, energyWh: number): number {
    const device = this.registry.requireDevice(deviceDid);
    return this.stateOf(device).account.topUp(device.credential, energyWh);
  }

  /** A prepaid device's balance, Wh (negative: imported beyond it). */
  prepaidBalanceWh(deviceDid: string): number {
    return this.stateOf(this.registry.requireDevice(deviceDid)).account.balanceWh;
  }

  protected isMalformed(bytes: Uint8Array): boolean {
    return bytes.length !== READING_LAYOUT.recordBytes || bytes[0] !== READING_LAYOUT.formatByte;
  }

  protected newState(): ReadingState {
    return { lastSlot: -1, account: new ImportAccount() };
  }

  protected isReplay(state: ReadingState, _bytes: Uint8Array, slot: number): boolean {
    return slot <= state.lastSlot;
  }

  private ingest(bytes: Uint8Array, currentSlot: number, signatureValid: boolean | null): ReadingOutcome {
    const screened = this.screen(bytes, currentSlot, signatureValid);
    if (!('state' in screened)) return screened;
    const { device, state, slot } = screened;
    const leaf = bytes.slice();
    const reading = decodeReadingUnchecked(leaf);
    if (!this.plausible(device, reading)) return this.reject('implausible', device.did, slot);
    state.lastSlot = slot;
    const overAuthorised = state.account.record(device.credential, slot, reading.importWh);
    this.log.accepted(overAuthorised);
    return { accepted: true, device, reading, leaf, overAuthorised };
  }

  private plausible(device: AdmittedDevice, reading: SignedReading): boolean {
    if (reading.peakPowerW > device.credential.ratedPowerW * this.tolerance) return false;
    const energyWs = (reading.importWh + reading.exportWh) * 3600;
    return energyWs <= (reading.peakPowerW * this.registry.slotSeconds) + ENERGY_ROUNDING_SLACK_WH * 3600;
  }
}
