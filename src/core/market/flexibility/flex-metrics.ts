/**
 * What the flexibility market reports for a run (issue 4): totals, one record per request, totals per
 * kind of resource and per aggregator, the system peak the TSO watched, and per-slot series for the
 * report's chart. Energies are kWh (from integer Wh totals, rounded to the Wh), money integer minor
 * currency units, powers kW.
 */
import type { FlexResource } from '../../sim/scenario-schema.js';

export type FlexBuyer = 'tso' | 'dso';
export type FlexDirection = 'up' | 'down';

/** One request: a scheduled request of the scenario, or a run of consecutive TSO-peak / DSO-congestion slots. */
export interface FlexRequestRecord {
  id: string;
  buyer: FlexBuyer;
  /** Area id: offers came from the sites in its subtree. */
  area: string;
  startSlot: number;
  /** Exclusive. */
  endSlot: number;
  direction: FlexDirection;
  /** Largest power asked for in one slot, kW. */
  requestedKw: number;
  requestedKwh: number;
  awardedKwh: number;
  /** Verified against the baseline (see baseline.ts and flex-settlement.ts). */
  deliveredKwh: number;
  /** Awarded at sites without a baseline yet: neither paid nor penalised. */
  unverifiedKwh: number;
  paidMinor: number;
  penaltiesMinor: number;
  /** Distinct sites activated. */
  sites: number;
  /** Slots the request was open, and those in which the awards covered it. */
  slots: number;
  coveredSlots: number;
  /** Slots with no offer at all in the area, and with offers but all above the price cap. */
  noOfferSlots: number;
  aboveCapSlots: number;
}

export interface FlexResourceTotals {
  resource: FlexResource;
  /** Device-slots activated. */
  activations: number;
  awardedKwh: number;
  /** Delivery of a site-slot attributed to its resources in proportion to what each was awarded. */
  deliveredKwh: number;
  paidMinor: number;
}

export interface FlexAggregatorTotals {
  /** A VPP id, or null for the sites that offer on their own. */
  aggregator: string | null;
  awardedKwh: number;
  deliveredKwh: number;
  paidMinor: number;
  penaltiesMinor: number;
}

/** The system import the TSO watched (sum of connected sites' net import, network losses excluded). */
export interface FlexPeakFigures {
  thresholdKw: number;
  /** Highest import as planned before flexibility was activated (the TSO's estimate), kW. */
  plannedPeakKw: number;
  /** Highest metered import, kW. */
  meteredPeakKw: number;
}

export interface FlexibilityMetrics {
  requests: number;
  requestedKwh: number;
  awardedKwh: number;
  deliveredKwh: number;
  unverifiedKwh: number;
  paidMinor: number;
  penaltiesMinor: number;
  /** EV-slots paused. */
  evPauses: number;
  /** Distinct EVs paused at least once. */
  evsPaused: number;
  /** The first FLEX_RECORDS_MAX request records; `recordsOmitted` counts the rest (they are in the totals). */
  records: FlexRequestRecord[];
  recordsOmitted: number;
  byResource: FlexResourceTotals[];
  byAggregator: FlexAggregatorTotals[];
  /** Present when the scenario has `market.flexibility.tsoPeak`. */
  peak: FlexPeakFigures | null;
  /** Per slot, kW: requested, awarded, and verified delivered flexibility. */
  series: { flexRequestedKw: number[]; flexAwardedKw: number[]; flexDeliveredKw: number[] };
}

/** Request records kept in the metrics (the totals count all of them). */
export const FLEX_RECORDS_MAX = 1000;

/** Wh to kWh, exact to the Wh. */
export function kwhOf(energyWh: number): number {
  return Math.round(energyWh) / 1000;
}
