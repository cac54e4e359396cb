/**
 * Bounds of the OCPP 1.6J central system (CONVENTIONS 6). Every queue and message is bounded here;
 * exceeding a bound is refused (HTTP 503 for one charger too many, a CALLERROR for a message).
 */
import { z } from 'zod';
import { OcppError } from './ocpp-errors.js';

export const ocppLimitsSchema = z.strictObject({
  /** Chargers connected at the same time. */
  maxChargers: z.int().min(1).max(100_000).default(1_000),
  /** Connectors per charger that the central system tracks (connector 0 = the charger itself). */
  maxConnectorsPerCharger: z.int().min(1).max(64).default(8),
  /** Largest WebSocket frame accepted, bytes. */
  maxMessageBytes: z.int().min(1_024).max(1_048_576).default(65_536),
  /** meterValue entries in one MeterValues call. */
  maxMeterValuesPerMessage: z.int().min(1).max(1_000).default(50),
  /** sampledValue entries in one meterValue entry. */
  maxSampledValuesPerMeterValue: z.int().min(1).max(200).default(40),
  /** Consecutive malformed frames tolerated before the charger is disconnected. */
  maxBadMessages: z.int().min(1).max(1_000).default(10),
  /** Heartbeat interval sent in the BootNotification answer, s. */
  heartbeatIntervalS: z.int().min(1).max(86_400).default(300),
  /** How long an outbound call (SetChargingProfile, ...) waits for the charger, ms. */
  callTimeoutMs: z.int().min(10).max(300_000).default(30_000),
});

export type OcppLimits = z.infer<typeof ocppLimitsSchema>;
export type OcppLimitsInput = z.input<typeof ocppLimitsSchema>;

export function parseOcppLimits(input: OcppLimitsInput = {}): OcppLimits {
  const parsed = ocppLimitsSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `limits.${i.path.join('.')}: ${i.message}`);
    throw new OcppError('bad-config', 'invalid OCPP limits', { details });
  }
  return parsed.data;
}
