/** The markets' figures in `results.json` (issue 4). Energies kWh, money integer minor units. */
import type { VppMetrics } from '../control/vpp/vpp-metrics.js';
import type { Bucket } from './market-accounts.js';
import type { FlexibilityMetrics } from './flexibility/flex-metrics.js';

export interface MarketBucketMetrics {
  /** street, neighbourhood, city, dso, tso; community (energy communities); island (islanded microgrids). */
  market: Bucket;
  volumeKwh: number;
  /** Volume-weighted average trade price (before grid fees), minor units per kWh; null when nothing traded. */
  averagePriceMinorPerKwh: number | null;
  trades: number;
  feesMinor: number;
}

export interface ImbalanceMetrics {
  /** Metered less than traded (a buyer took more, a seller delivered less). */
  shortKwh: number;
  longKwh: number;
  /** Paid by short parties / to long parties at the imbalance prices of their level. */
  chargedMinor: number;
  paidMinor: number;
}

export interface MarketMetrics {
  tradedKwh: number;
  /** Share of the traded energy cleared below the TSO: streets to DSO, communities and islands, percent. */
  localTradePct: number;
  buckets: MarketBucketMetrics[];
  communities: { id: string; volumeKwh: number; averagePriceMinorPerKwh: number | null }[];
  sites: { boughtKwh: number; soldKwh: number; paidMinor: number; receivedMinor: number };
  plants: { soldKwh: number; revenueMinor: number };
  marketMaker: { soldKwh: number; boughtKwh: number; netMinor: number };
  /** The DSO's purchases of surplus at the feed-in price, and what it got back reselling them. */
  feedIn: { kwh: number; paidMinor: number; resoldMinor: number };
  imbalance: ImbalanceMetrics & { byLevel: Record<string, ImbalanceMetrics> };
  /** Each VPP: its pooled generation sold in the markets (soldKwh, revenueMinor) and what its scheduling did. */
  vpps: (VppMetrics & { soldKwh: number; revenueMinor: number })[];
  /** Flexibility requests, awards, verified delivery and payments (autonomous runs; its series are in the time series). */
  flexibility?: Omit<FlexibilityMetrics, 'series'>;
}

/** Market columns of the time series (one value per slot). */
export interface MarketSeries {
  /** Average TSO price, minor units per kWh (NaN → null in JSON when nothing traded). */
  priceTsoMinorPerKwh: number[];
  /** Average price of local trades (streets to DSO and communities). */
  priceLocalMinorPerKwh: number[];
  /** Average price of trades in islands' markets; NaN when no island traded. */
  priceIslandMinorPerKwh: number[];
  /**
   * The scarcity price islands offered their storage at (the cheaper tranche, island-scarcity.ts;
   * the highest over islands): rises as the reserve for critical load takes up the store. NaN when
   * no island offered storage.
   */
  islandScarcityMinorPerKwh: number[];
  tradedKw: number[];
  localTradedKw: number[];
  imbalanceKw: number[];
  /** Flexibility requested, awarded and verified delivered, kW (autonomous runs). */
  flexRequestedKw?: number[];
  flexAwardedKw?: number[];
  flexDeliveredKw?: number[];
}
