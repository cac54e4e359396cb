/**
 * The ingest gate for signed orders (bids and offers), with the same checks as readings
 * (signed-record-gate.ts) and these of its own:
 * - replay: an orderSeq at or below the participant's last accepted orderSeq (the sequence is
 *   strictly increasing per participant, across slots);
 * - implausible: energyWh of 0, energyWh above ratedPowerW × tolerance × slot length, or a price
 *   beyond ±MAX_ABS_PRICE_MINOR_PER_KWH.
 * Default window: orders for the current slot up to 96 slots ahead (a day of 15-minute slots),
 * nothing late.
 */
import { MAX_ABS_PRICE_MINOR_PER_KWH } from '../market/order.js';
import type { AdmittedDevice } from './device-registry.js';
import type { GateOptions, SlotWindow } from './gate-config.js';
import { readUint32 } from './byte-fields.js';
import { FIELDS_OFFSET } from './signed-layout.js';
import { ORDER_LAYOUT, decodeOrderUnchecked, orderProblem, type SignedOrder } from './signed-order.js';
import { SignedRecordGate, type RejectedRecord } from './signed-record-gate.js';

export const ORDER_WINDOW_DEFAULT: SlotWindow = { maxLateSlots: 0, maxAheadSlots: 96 };
const ORDER_SEQ_OFFSET = FIELDS_OFFSET + 4;

export type OrderGateOptions = GateOptions;

export interface AcceptedOrder {
  readonly accepted: true;
  readonly device: AdmittedDevice;
  readonly order: SignedOrder;
  /** The signed record (115 bytes), copied: the Merkle leaf. */
  readonly leaf: Uint8Array;
}

export type OrderOutcome = AcceptedOrder | RejectedRecord;

interface OrderState {
  lastSeq: number;
}

export class OrderGate extends SignedRecordGate<OrderState> {
  constructor(options: OrderGateOptions) {
    super(options, ORDER_WINDOW_DEFAULT, ORDER_LAYOUT);
  }

  /** Checks one signed order (verifying its signature here) and records it when accepted. */
  ingestOrder(bytes: Uint8Array, currentSlot: number): OrderOutcome {
    return this.ingest(bytes, currentSlot, null);
  }

  /** As ingestOrder, with the signature already verified elsewhere (e.g. worker threads). */
  ingestVerified(bytes: Uint8Array, currentSlot: number, signatureValid: boolean): OrderOutcome {
    return this.ingest(bytes, currentSlot, signatureValid);
  }

  protected isMalformed(bytes: Uint8Array): boolean {
    return orderProblem(bytes) !== null;
  }

  protected newState(): OrderState {
    return { lastSeq: -1 };
  }

  protected isReplay(state: OrderState, bytes: Uint8Array): boolean {
    return readUint32(bytes, ORDER_SEQ_OFFSET) <= state.lastSeq;
  }

  private ingest(bytes: Uint8Array, currentSlot: number, signatureValid: boolean | null): OrderOutcome {
    const screened = this.screen(bytes, currentSlot, signatureValid);
    if (!('state' in screened)) return screened;
    const { device, state, slot } = screened;
    const leaf = bytes.slice();
    const order = decodeOrderUnchecked(leaf);
    if (!this.plausible(device, order)) return this.reject('implausible', device.did, slot);
    state.lastSeq = order.orderSeq;
    this.log.accepted(false);
    return { accepted: true, device, order, leaf };
  }

  private plausible(device: AdmittedDevice, order: SignedOrder): boolean {
    if (order.energyWh === 0 || Math.abs(order.priceMinorPerKwh) > MAX_ABS_PRICE_MINOR_PER_KWH) return false;
    return order.energyWh * 3600 <= device.credential.ratedPowerW * this.tolerance * this.registry.slotSeconds;
  }
}
