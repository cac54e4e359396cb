/**
 * OCPP 1.6J payloads as gridmesh reads them (CONVENTIONS 7). ocpp-rpc's strict mode has already
 * checked each frame against the official JSON schema; these zod schemas turn the fields gridmesh
 * uses into typed values, once, at the edge. Unread fields are stripped.
 */
import { z } from 'zod';
import { OcppError } from './ocpp-errors.js';

const dateTime = z.iso.datetime({ offset: true });

export const connectorStatuses = [
  'Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted',
] as const;
export type ConnectorStatus = (typeof connectorStatuses)[number];

export const bootNotificationReq = z.object({
  chargePointVendor: z.string(),
  chargePointModel: z.string(),
  firmwareVersion: z.string().optional(),
});

export const statusNotificationReq = z.object({
  connectorId: z.int().min(0),
  errorCode: z.string(),
  status: z.enum(connectorStatuses),
  timestamp: dateTime.optional(),
});

export const sampledValue = z.object({
  value: z.string(),
  context: z.string().optional(),
  format: z.enum(['Raw', 'SignedData']).optional(),
  measurand: z.string().optional(),
  phase: z.string().optional(),
  unit: z.string().optional(),
});
export type SampledValue = z.infer<typeof sampledValue>;

export const meterValue = z.object({ timestamp: dateTime, sampledValue: z.array(sampledValue) });
export type MeterValue = z.infer<typeof meterValue>;

export const meterValuesReq = z.object({
  connectorId: z.int().min(0),
  transactionId: z.int().optional(),
  meterValue: z.array(meterValue),
});
export type MeterValuesReq = z.infer<typeof meterValuesReq>;

export const startTransactionReq = z.object({
  connectorId: z.int().min(1),
  idTag: z.string(),
  meterStart: z.int(),
  timestamp: dateTime,
});

export const stopTransactionReq = z.object({
  transactionId: z.int(),
  meterStop: z.int(),
  timestamp: dateTime,
});

export const chargingRateUnits = ['A', 'W'] as const;
export type ChargingRateUnit = (typeof chargingRateUnits)[number];
export const chargingProfilePurposes = ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'] as const;
export type ChargingProfilePurpose = (typeof chargingProfilePurposes)[number];

export const chargingProfile = z.object({
  chargingProfileId: z.int(),
  transactionId: z.int().optional(),
  stackLevel: z.int().min(0),
  chargingProfilePurpose: z.enum(chargingProfilePurposes),
  chargingProfileKind: z.enum(['Absolute', 'Recurring', 'Relative']),
  chargingSchedule: z.object({
    chargingRateUnit: z.enum(chargingRateUnits),
    chargingSchedulePeriod: z.array(z.object({ startPeriod: z.int().min(0), limit: z.number().min(0), numberPhases: z.int().optional() })).min(1),
  }),
});
export type ChargingProfile = z.infer<typeof chargingProfile>;

export const setChargingProfileReq = z.object({ connectorId: z.int().min(0), csChargingProfiles: chargingProfile });
export type SetChargingProfileReq = z.infer<typeof setChargingProfileReq>;
export const setChargingProfileConf = z.object({ status: z.enum(['Accepted', 'Rejected', 'NotSupported']) });

export const clearChargingProfileReq = z.object({
  id: z.int().optional(),
  connectorId: z.int().optional(),
  chargingProfilePurpose: z.enum(chargingProfilePurposes).optional(),
  stackLevel: z.int().optional(),
});
export type ClearChargingProfileReq = z.infer<typeof clearChargingProfileReq>;
export const clearChargingProfileConf = z.object({ status: z.enum(['Accepted', 'Unknown']) });

/** Parses a payload or throws `OcppError('bad-payload')` naming each path and what was expected. */
export function parseWire<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${what}.${i.path.join('.')}: ${i.message}`);
    throw new OcppError('bad-payload', `malformed ${what}`, { details });
  }
  return parsed.data;
}
