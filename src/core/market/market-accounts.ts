/**
 * Who bought and sold what, and who paid whom, in the markets: this slot per site (for imbalance
 * settlement) and over the run per market bucket (the five levels, energy communities, islands).
 *
 * Money: a trade of e Wh at p minor units per kWh moves round(e·p/1000) minor units from the buyer
 * to the seller; the buyer also pays the grid fees round(e·fee/1000) to the network operators. Both
 * are integers; what buyers pay equals what sellers receive plus the fees (budget balance).
 */
import { LEVELS_BOTTOM_UP } from './market-levels.js';
import type { AreaLevel } from '../sim/scenario-schema.js';

export const BUCKET_COMMUNITY = 5;
export const BUCKET_ISLAND = 6;
export const BUCKETS = [...LEVELS_BOTTOM_UP, 'community', 'island'] as const;
export type Bucket = (typeof BUCKETS)[number];

export function bucketOfLevel(level: AreaLevel): number {
  return LEVELS_BOTTOM_UP.indexOf(level);
}

export function moneyMinor(energyWh: number, priceMinorPerKwh: number): number {
  return Math.round((energyWh * priceMinorPerKwh) / 1000);
}

export class MarketAccounts {
  // This slot, per site.
  readonly boughtWh: Float64Array;
  readonly soldWh: Float64Array;
  /** This slot, per site: what it paid (trades and grid fees) and received, integer minor units. */
  readonly paidMinor: Float64Array;
  readonly receivedMinor: Float64Array;
  // This slot, per bucket (for prices and series).
  readonly slotVolumeWh = new Float64Array(BUCKETS.length);
  readonly slotValueMinor = new Float64Array(BUCKETS.length);
  // The run, per bucket.
  readonly volumeWh = new Float64Array(BUCKETS.length);
  readonly valueMinor = new Float64Array(BUCKETS.length);
  /** Σ energy × price (Wh · minor/kWh), unrounded: for average prices. */
  readonly valueWhPrice = new Float64Array(BUCKETS.length);
  readonly feesMinor = new Float64Array(BUCKETS.length);
  readonly trades = new Float64Array(BUCKETS.length);
  // The run, per participant group.
  sitesPaidMinor = 0;
  sitesReceivedMinor = 0;
  sitesBoughtWh = 0;
  sitesSoldWh = 0;
  plantsSoldWh = 0;
  plantsRevenueMinor = 0;
  marketMakerSoldWh = 0;
  marketMakerBoughtWh = 0;
  marketMakerNetMinor = 0;
  /** The DSO's feed-in purchases and what it got back reselling them. */
  feedInWh = 0;
  feedInPaidMinor = 0;
  feedInResoldMinor = 0;

  constructor(sites: number) {
    this.boughtWh = new Float64Array(sites);
    this.soldWh = new Float64Array(sites);
    this.paidMinor = new Float64Array(sites);
    this.receivedMinor = new Float64Array(sites);
  }

  startSlot(): void {
    this.boughtWh.fill(0);
    this.soldWh.fill(0);
    this.paidMinor.fill(0);
    this.receivedMinor.fill(0);
    this.slotVolumeWh.fill(0);
    this.slotValueMinor.fill(0);
  }

  /** One trade: energy, price and grid fee (per kWh), and the market bucket it cleared in. */
  trade(bucket: number, energyWh: number, priceMinorPerKwh: number, feeMinorPerKwh: number): { money: number; fee: number } {
    const money = moneyMinor(energyWh, priceMinorPerKwh);
    const fee = moneyMinor(energyWh, feeMinorPerKwh);
    this.slotVolumeWh[bucket] = (this.slotVolumeWh[bucket] as number) + energyWh;
    this.slotValueMinor[bucket] = (this.slotValueMinor[bucket] as number) + energyWh * priceMinorPerKwh;
    this.volumeWh[bucket] = (this.volumeWh[bucket] as number) + energyWh;
    this.valueMinor[bucket] = (this.valueMinor[bucket] as number) + money;
    this.valueWhPrice[bucket] = (this.valueWhPrice[bucket] as number) + energyWh * priceMinorPerKwh;
    this.feesMinor[bucket] = (this.feesMinor[bucket] as number) + fee;
    this.trades[bucket] = (this.trades[bucket] as number) + 1;
    return { money, fee };
  }

  siteBuys(i: number, energyWh: number, paidMinor: number): void {
    this.boughtWh[i] = (this.boughtWh[i] as number) + energyWh;
    this.paidMinor[i] = (this.paidMinor[i] as number) + paidMinor;
    this.sitesBoughtWh += energyWh;
    this.sitesPaidMinor += paidMinor;
  }

  siteSells(i: number, energyWh: number, receivedMinor: number): void {
    this.soldWh[i] = (this.soldWh[i] as number) + energyWh;
    this.receivedMinor[i] = (this.receivedMinor[i] as number) + receivedMinor;
    this.sitesSoldWh += energyWh;
    this.sitesReceivedMinor += receivedMinor;
  }

  /** Volume-weighted average price of a bucket this slot, or NaN when nothing traded. */
  slotPrice(bucket: number): number {
    const v = this.slotVolumeWh[bucket] as number;
    return v > 0 ? (this.slotValueMinor[bucket] as number) / v : NaN;
  }
}
