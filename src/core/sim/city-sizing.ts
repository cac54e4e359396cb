/**
 * Rough, conservative sizing rules for generated cities: the expected peak demand and peak export of
 * sites and areas, link capacities with headroom, and central plants. These are planning estimates
 * (diversified, as a distribution planner would use), not simulation results.
 */
import type { ScenarioInput } from './scenario-schema.js';

type SiteInput = ScenarioInput['sites'][number];
type AssetInput = NonNullable<SiteInput['assets']>[number];
type PlantInput = NonNullable<ScenarioInput['plants']>[number];

/** Ratio of a load's diversified peak to its mean power, per profile. */
const PEAK_TO_MEAN: Record<string, number> = { household: 2.2, commercial: 2.0, farm: 1.8, industrial: 1.4 };
/** Share of rated power that flexible devices add to the diversified peak. */
const EV_DIVERSITY = 0.3;
const HEAT_PUMP_DIVERSITY = 0.5;
const WASHING_MACHINE_PEAK_KW = 0.1;
/** Share of PV inverter power that can be exported at once (losses, orientation). */
const PV_EXPORT_SHARE = 0.85;

export const LINK_HEADROOM = 1.5;
export const PLANT_MARGIN = 1.35;
export const INTERCONNECTOR_SHARE = 0.5;

export interface PowerEstimate {
  /** Mean demand, kW. */
  meanKw: number;
  /** Diversified peak demand, kW. */
  peakKw: number;
  /** Largest export (generation with no local demand), kW. */
  exportKw: number;
}

export const NO_POWER: PowerEstimate = { meanKw: 0, peakKw: 0, exportKw: 0 };

export function addEstimates(a: PowerEstimate, b: PowerEstimate): PowerEstimate {
  return { meanKw: a.meanKw + b.meanKw, peakKw: a.peakKw + b.peakKw, exportKw: a.exportKw + b.exportKw };
}

export function estimateSite(site: SiteInput): PowerEstimate {
  return (site.assets ?? []).reduce<PowerEstimate>((sum, asset) => addEstimates(sum, estimateAsset(asset)), NO_POWER);
}

function estimateAsset(a: AssetInput): PowerEstimate {
  switch (a.kind) {
    case 'load': {
      const meanKw = a.annualKwh / 8760;
      return { meanKw, peakKw: meanKw * (PEAK_TO_MEAN[a.profile] ?? 2), exportKw: 0 };
    }
    case 'ev':
      return { meanKw: 0, peakKw: (a.chargerKw ?? 11) * EV_DIVERSITY, exportKw: 0 };
    case 'heat-pump':
      return { meanKw: 0, peakKw: (a.ratedKw ?? 3) * HEAT_PUMP_DIVERSITY, exportKw: 0 };
    case 'washing-machine':
      return { meanKw: 0, peakKw: WASHING_MACHINE_PEAK_KW, exportKw: 0 };
    case 'pv':
      return { meanKw: 0, peakKw: 0, exportKw: (a.inverterKw ?? a.kwp) * PV_EXPORT_SHARE };
    case 'wind':
    case 'chp':
      return { meanKw: 0, peakKw: 0, exportKw: a.ratedKw };
    case 'battery':
      return NO_POWER;
  }
}

/** A link sized for the larger of peak demand and peak export, with headroom. */
export function linkCapacityKw(e: PowerEstimate): number {
  return roundUpNice(LINK_HEADROOM * Math.max(e.peakKw, e.exportKw, 1));
}

/**
 * Three central plants in the TSO area with PLANT_MARGIN times the city's peak between them:
 * a base-load plant (cheap, minimum output, slow ramp), a mid-merit plant and a fast, expensive peaker.
 */
export function centralPlants(cityPeakKw: number): PlantInput[] {
  const base = roundUpNice(0.5 * cityPeakKw);
  const mid = roundUpNice(0.5 * cityPeakKw);
  const peaker = roundUpNice((PLANT_MARGIN - 1) * cityPeakKw);
  const baseMin = Math.round(0.4 * base);
  return [
    { id: 'plant-base', area: 'tso', capacityKw: base, minKw: baseMin, rampKwPerMin: roundUpNice(0.01 * base), marginalCostMinorPerKwh: 5, initialKw: baseMin },
    { id: 'plant-mid', area: 'tso', capacityKw: mid, rampKwPerMin: roundUpNice(0.05 * mid), marginalCostMinorPerKwh: 9 },
    { id: 'plant-peaker', area: 'tso', capacityKw: peaker, rampKwPerMin: roundUpNice(0.25 * peaker), marginalCostMinorPerKwh: 22 },
  ];
}

/** Rounds up to two significant digits (87 → 87, 1234 → 1300); at least 1. */
export function roundUpNice(value: number): number {
  if (!(value > 1)) return 1;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / step - 1e-9) * step;
}
