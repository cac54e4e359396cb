/**
 * What the central system knows of one connected charge point (pure): its boot data, the last
 * status of each connector, the open transaction per connector, and the latest reading.
 */
import type { ChargerReading } from './charger-reading.js';
import { OcppError } from './ocpp-errors.js';
import type { ConnectorStatus } from './wire-messages.js';

/** Statuses in which a car is connected to the connector (OCPP 1.6 §4.9). */
const PLUGGED_IN: ReadonlySet<ConnectorStatus> = new Set(['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing']);

export function isPluggedIn(status: ConnectorStatus | undefined): boolean {
  return status !== undefined && PLUGGED_IN.has(status);
}

export interface ConnectorView {
  readonly status: ConnectorStatus | undefined;
  readonly transactionId: number | null;
  readonly lastReading: ChargerReading | null;
}

export class ChargePointState {
  vendor = '';
  model = '';
  booted = false;
  private readonly connectors = new Map<number, { status?: ConnectorStatus; transactionId: number | null; lastReading: ChargerReading | null }>();

  constructor(readonly chargerId: string, private readonly maxConnectors: number) {}

  connector(connectorId: number): ConnectorView {
    const c = this.connectors.get(connectorId);
    return { status: c?.status, transactionId: c?.transactionId ?? null, lastReading: c?.lastReading ?? null };
  }

  setStatus(connectorId: number, status: ConnectorStatus): void {
    this.slot(connectorId).status = status;
  }

  openTransaction(connectorId: number, transactionId: number): void {
    this.slot(connectorId).transactionId = transactionId;
  }

  /** Closes a transaction wherever it is open; returns its connector, or null if unknown. */
  closeTransaction(transactionId: number): number | null {
    for (const [connectorId, c] of this.connectors) {
      if (c.transactionId === transactionId) {
        c.transactionId = null;
        return connectorId;
      }
    }
    return null;
  }

  recordReading(reading: ChargerReading): void {
    const slot = this.slot(reading.connectorId);
    if (slot.lastReading === null || slot.lastReading.timestampMs <= reading.timestampMs) slot.lastReading = reading;
  }

  private slot(connectorId: number): { status?: ConnectorStatus; transactionId: number | null; lastReading: ChargerReading | null } {
    const existing = this.connectors.get(connectorId);
    if (existing) return existing;
    if (connectorId < 0 || connectorId > this.maxConnectors) {
      throw new OcppError('bad-payload', `connector ${connectorId} is out of range`, {
        details: [`charger ${this.chargerId}: expected 0..${this.maxConnectors}`],
      });
    }
    const created = { transactionId: null, lastReading: null };
    this.connectors.set(connectorId, created);
    return created;
  }
}
