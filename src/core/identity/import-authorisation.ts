/**
 * How much energy a device may still import. Per authorisation period (slot / periodSlots) a
 * device may import `authorisedImportWh` (null = unlimited); a prepaid device is also limited by a
 * balance in Wh that only top-ups raise. Metered import is never refused (the energy has flowed):
 * a reading beyond the limit is flagged over-authorised, and the remaining cap (never negative)
 * tells the site controller how much more it may draw. Past periods are closed: their cap is 0.
 */
import { AUTHORISED_IMPORT_WH_MAX, type ConnectionGrant } from './connection-credential.js';
import { GateError } from './identity-errors.js';

export type ImportGrant = Pick<ConnectionGrant, 'authorisedImportWh' | 'authorisedPeriodSlots' | 'prepaid'>;

/** The most a single top-up may add, Wh. */
export const TOP_UP_WH_MAX = AUTHORISED_IMPORT_WH_MAX;

export class ImportAccount {
  private period = -1;
  private usedWh = 0;
  /** Prepaid balance, Wh; negative after metered import beyond it (a debt the next top-up pays). */
  private balance = 0;

  get balanceWh(): number {
    return this.balance;
  }

  /** Records metered import in `slot`; true when it went beyond the authorised import or balance. */
  record(grant: ImportGrant, slot: number, importWh: number): boolean {
    const period = Math.floor(slot / grant.authorisedPeriodSlots);
    if (period > this.period) {
      this.period = period;
      this.usedWh = 0;
    }
    const limit = grant.authorisedImportWh;
    const overPeriod = limit !== null && this.usedWh + importWh > limit;
    const overBalance = grant.prepaid === true && importWh > this.balance;
    this.usedWh += importWh;
    if (grant.prepaid === true) this.balance -= importWh;
    return overPeriod || overBalance;
  }

  /** Energy still authorised for `slot`'s period, Wh (>= 0), or null when unlimited. */
  remainingWh(grant: ImportGrant, slot: number): number | null {
    const period = Math.floor(slot / grant.authorisedPeriodSlots);
    let cap: number | null = null;
    if (grant.authorisedImportWh !== null) {
      if (period < this.period) cap = 0;
      else if (period > this.period) cap = grant.authorisedImportWh;
      else cap = Math.max(0, grant.authorisedImportWh - this.usedWh);
    }
    if (grant.prepaid === true) cap = Math.min(cap ?? Infinity, Math.max(0, this.balance));
    return cap;
  }

  /** Raises the prepaid balance; returns the new balance. */
  topUp(grant: ImportGrant, energyWh: number): number {
    if (grant.prepaid !== true) throw new GateError('not-prepaid', 'top-up of a device whose credential is not prepaid');
    if (!Number.isInteger(energyWh) || energyWh < 1 || energyWh > TOP_UP_WH_MAX) {
      throw new GateError('bad-amount', `top-up: expected an integer from 1 to ${TOP_UP_WH_MAX} Wh (got ${energyWh})`);
    }
    if (this.balance + energyWh > Number.MAX_SAFE_INTEGER) throw new GateError('bad-amount', 'top-up: the balance would exceed 2^53 - 1 Wh');
    this.balance += energyWh;
    return this.balance;
  }
}
