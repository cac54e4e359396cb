/**
 * The charging profiles a charge point holds and the power limit they impose now (pure; used by the
 * charger simulator). Simplified from OCPP 1.6 §3.13: a schedule's first period applies for its
 * whole duration; TxProfile replaces TxDefaultProfile while its transaction runs; within one
 * purpose the highest stack level wins; ChargePointMaxProfile caps both. Limits in A are turned
 * into W with the given voltage and phase count.
 */
import { OcppError } from './ocpp-errors.js';
import type { ChargingProfile, ClearChargingProfileReq } from './wire-messages.js';

interface Installed {
  readonly connectorId: number;
  readonly profile: ChargingProfile;
}

export interface ElectricalRating {
  readonly voltageV: number;
  readonly phases: number;
}

export class ChargingProfileStack {
  private readonly installed = new Map<number, Installed>();

  constructor(readonly maxProfiles: number) {}

  get size(): number {
    return this.installed.size;
  }

  /** Installs or replaces (same id) a profile; throws `OcppError('rejected')` when full. */
  set(connectorId: number, profile: ChargingProfile): void {
    if (!this.installed.has(profile.chargingProfileId) && this.installed.size >= this.maxProfiles) {
      throw new OcppError('rejected', `at most ${this.maxProfiles} charging profiles`);
    }
    this.installed.set(profile.chargingProfileId, { connectorId, profile });
  }

  /** Removes the profiles matching every given criterion; returns how many. */
  clear(req: ClearChargingProfileReq): number {
    let removed = 0;
    for (const [id, { connectorId, profile }] of this.installed) {
      const matches = (req.id === undefined || req.id === id)
        && (req.connectorId === undefined || req.connectorId === connectorId)
        && (req.chargingProfilePurpose === undefined || req.chargingProfilePurpose === profile.chargingProfilePurpose)
        && (req.stackLevel === undefined || req.stackLevel === profile.stackLevel);
      if (matches) {
        this.installed.delete(id);
        removed += 1;
      }
    }
    return removed;
  }

  /** The limit in W on a connector now; null when no profile limits it. */
  limitW(connectorId: number, transactionId: number | null, rating: ElectricalRating): number | null {
    const applies = (i: Installed): boolean => i.connectorId === connectorId || i.connectorId === 0;
    const all = [...this.installed.values()].filter(applies).map((i) => i.profile);
    const txProfiles = all.filter((p) => p.chargingProfilePurpose === 'TxProfile' && transactionId !== null
      && (p.transactionId === undefined || p.transactionId === transactionId));
    const session = top(txProfiles) ?? top(all.filter((p) => p.chargingProfilePurpose === 'TxDefaultProfile'));
    const cap = top(all.filter((p) => p.chargingProfilePurpose === 'ChargePointMaxProfile'));
    const limits = [session, cap].filter((p): p is ChargingProfile => p !== undefined).map((p) => firstLimitW(p, rating));
    return limits.length === 0 ? null : Math.min(...limits);
  }
}

function top(profiles: readonly ChargingProfile[]): ChargingProfile | undefined {
  return profiles.reduce<ChargingProfile | undefined>((best, p) => (best === undefined || p.stackLevel > best.stackLevel ? p : best), undefined);
}

function firstLimitW(profile: ChargingProfile, rating: ElectricalRating): number {
  const { chargingRateUnit, chargingSchedulePeriod } = profile.chargingSchedule;
  const period = chargingSchedulePeriod[0];
  if (!period) throw new OcppError('bad-payload', `profile ${profile.chargingProfileId} has no schedule period`);
  if (chargingRateUnit === 'W') return period.limit;
  return period.limit * rating.voltageV * (period.numberPhases ?? rating.phases);
}
