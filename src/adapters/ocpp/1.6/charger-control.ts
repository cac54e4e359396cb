/**
 * Flexibility over OCPP 1.6J: pause = SetChargingProfile with a 0 limit (TxProfile when a
 * transaction is open on the connector, else TxDefaultProfile, so the next session starts paused
 * too); resume = ClearChargingProfile of that profile (or, with `resumeBy: 'full-limit'`, the same
 * profile with the full limit, for chargers that mishandle Clear). Each waits for the charger's
 * answer at most `timeoutMs`; anything but Accepted is a typed `OcppError('rejected')`.
 */
import type { OcppCentralSystem } from './central-system.js';
import { OcppError } from './ocpp-errors.js';
import {
  clearChargingProfileConf, parseWire, setChargingProfileConf,
  type ChargingProfile, type ChargingProfilePurpose, type ChargingRateUnit,
} from './wire-messages.js';

export interface ChargerControlOptions {
  /** Unit of the limits sent; most AC chargers take A, some DC chargers only W. */
  readonly rateUnit: ChargingRateUnit;
  readonly resumeBy?: 'clear' | 'full-limit';
  /** The limit `resumeBy: 'full-limit'` sends, in `rateUnit` (e.g. 32 A or 22000 W). */
  readonly fullLimit?: number;
  /** Id of the profile gridmesh installs; Clear removes only this one, leaving the owner's profiles alone. */
  readonly profileId?: number;
  /** Above the stack levels chargers and owners usually use, so the pause wins. */
  readonly stackLevel?: number;
  readonly timeoutMs?: number;
}

export interface ChargerCommandResult {
  readonly purpose: ChargingProfilePurpose | 'Clear';
  readonly transactionId: number | null;
  /** Clear answered Unknown: no gridmesh profile was installed, charging was not limited by it. */
  readonly nothingToClear: boolean;
}

export interface ChargerControl {
  pauseCharging(chargerId: string, connectorId: number): Promise<ChargerCommandResult>;
  resumeCharging(chargerId: string, connectorId: number): Promise<ChargerCommandResult>;
}

const DEFAULT_PROFILE_ID = 1_607;
const DEFAULT_STACK_LEVEL = 8;

export function createChargerControl(system: OcppCentralSystem, options: ChargerControlOptions): ChargerControl {
  const profileId = options.profileId ?? DEFAULT_PROFILE_ID;
  const stackLevel = options.stackLevel ?? DEFAULT_STACK_LEVEL;
  const timeoutMs = options.timeoutMs ?? system.limits.callTimeoutMs;
  const resumeBy = options.resumeBy ?? 'clear';
  if (resumeBy === 'full-limit' && !(options.fullLimit !== undefined && options.fullLimit > 0)) {
    throw new OcppError('bad-config', "resumeBy 'full-limit' needs a positive fullLimit");
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new OcppError('bad-config', `timeoutMs must be a positive integer, got ${timeoutMs}`);

  async function setLimit(chargerId: string, connectorId: number, limit: number): Promise<ChargerCommandResult> {
    const { transactionId } = system.connector(chargerId, connectorId);
    const purpose: ChargingProfilePurpose = transactionId === null ? 'TxDefaultProfile' : 'TxProfile';
    const profile: ChargingProfile = {
      chargingProfileId: profileId,
      ...(transactionId === null ? {} : { transactionId }),
      stackLevel,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: options.rateUnit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    };
    const answer = await system.call(chargerId, 'SetChargingProfile', { connectorId, csChargingProfiles: profile }, timeoutMs);
    const { status } = parseWire(setChargingProfileConf, answer, 'SetChargingProfile.conf');
    if (status !== 'Accepted') throw new OcppError('rejected', `charger ${chargerId} answered SetChargingProfile with ${status}`);
    return { purpose, transactionId, nothingToClear: false };
  }

  async function clear(chargerId: string, connectorId: number): Promise<ChargerCommandResult> {
    const answer = await system.call(chargerId, 'ClearChargingProfile', { id: profileId, connectorId }, timeoutMs);
    const { status } = parseWire(clearChargingProfileConf, answer, 'ClearChargingProfile.conf');
    return { purpose: 'Clear', transactionId: system.connector(chargerId, connectorId).transactionId, nothingToClear: status === 'Unknown' };
  }

  return {
    pauseCharging: (chargerId, connectorId) => setLimit(chargerId, connectorId, 0),
    resumeCharging: (chargerId, connectorId) =>
      resumeBy === 'clear' ? clear(chargerId, connectorId) : setLimit(chargerId, connectorId, options.fullLimit ?? 0),
  };
}
