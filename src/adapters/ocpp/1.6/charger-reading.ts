/**
 * What the central system makes of a charger's MeterValues: one reading per sampled instant.
 * (A domain type; it lives beside its only producer until the core grows a telemetry module.)
 */
import type { Wh } from '../../../core/units.js';

export interface ChargerReading {
  readonly chargerId: string;
  /** 0 = the whole charger, 1.. = a connector. */
  readonly connectorId: number;
  readonly timestampMs: number;
  /** Energy.Active.Import.Register: the meter's running total, integer Wh. */
  readonly energyWh: Wh;
  /** Power.Active.Import (positive = the car draws from the grid), W; null when the charger did not report it. */
  readonly powerW: number | null;
  /** The OCPP transaction the sample belongs to, if the charger named one. */
  readonly transactionId: number | null;
}

/**
 * Where readings go. `pushAll` takes the readings of one MeterValues call, all or none; it may throw
 * an `OcppError('reading-buffer-full')` to push back.
 */
export interface ChargerReadingSink {
  pushAll(readings: readonly ChargerReading[]): void;
}
