/**
 * Verification and payment of one activated site-slot against its baseline (see baseline.ts):
 *
 *   up:   delivered = max(0, baseline import − metered import)
 *   down: delivered = max(0, metered import − baseline import)
 *
 * The owner is paid delivered kWh × the award's price; a shortfall (awarded − delivered, when
 * positive) costs kWh × the penalty. Delivery above the award is paid too: the baseline is an
 * estimate, and capping it at the award would bias payments down while shortfalls are penalised in
 * full (with an unbiased baseline, payments are then unbiased too). Money is rounded to
 * whole minor units per site-slot (half away from zero). Without a baseline nothing can be verified:
 * the awarded energy is counted as unverified, neither paid nor penalised.
 */
import type { FlexDirection } from './flex-metrics.js';

export interface SiteSlotSettlement {
  readonly verified: boolean;
  readonly deliveredWh: number;
  readonly shortfallWh: number;
  readonly unverifiedWh: number;
  readonly paidMinor: number;
  readonly penaltyMinor: number;
}

export interface SiteSlotInput {
  readonly direction: FlexDirection;
  /** Baseline net import, Wh; undefined without history. */
  readonly baselineImportWh: number | undefined;
  /** Metered net import this slot, Wh (import positive). */
  readonly meteredImportWh: number;
  readonly awardedWh: number;
  /** Price of the award, minor units per kWh (awarded-energy-weighted when the site had several units). */
  readonly priceMinorPerKwh: number;
  readonly penaltyMinorPerKwh: number;
}

export function settleSiteSlot(input: SiteSlotInput): SiteSlotSettlement {
  const { baselineImportWh: baseline, meteredImportWh: metered, awardedWh } = input;
  if (baseline === undefined) {
    return { verified: false, deliveredWh: 0, shortfallWh: 0, unverifiedWh: awardedWh, paidMinor: 0, penaltyMinor: 0 };
  }
  const response = input.direction === 'up' ? baseline - metered : metered - baseline;
  const deliveredWh = Math.max(0, response);
  const shortfallWh = Math.max(0, awardedWh - deliveredWh);
  return {
    verified: true, deliveredWh, shortfallWh, unverifiedWh: 0,
    paidMinor: minorFor(deliveredWh, input.priceMinorPerKwh),
    penaltyMinor: minorFor(shortfallWh, input.penaltyMinorPerKwh),
  };
}

/** Money for an energy at a price per kWh, whole minor units, rounded half away from zero. */
export function minorFor(energyWh: number, priceMinorPerKwh: number): number {
  const exact = (energyWh * priceMinorPerKwh) / 1000;
  const rounded = exact >= 0 ? Math.floor(exact + 0.5) : -Math.floor(-exact + 0.5);
  return rounded === 0 ? 0 : rounded; // no -0
}
