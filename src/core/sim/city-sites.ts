/**
 * Builders for the sites of a generated city, one per kind. Each takes its own forked Rng, so a
 * site's devices depend only on the seed and the site id. Sizes are typical mid-European values;
 * only parameters that differ from the schema defaults are written, to keep scenario files short.
 */
import type { Rng } from '../rng.js';
import type { ScenarioInput } from './scenario-schema.js';

type SiteInput = ScenarioInput['sites'][number];
type AssetInput = NonNullable<SiteInput['assets']>[number];

/** Fractions (0..1) of households that own each device. */
export interface Penetration {
  pv: number;
  battery: number;
  ev: number;
  heatPump: number;
  washingMachine: number;
}

const round = (value: number, step: number): number => Math.round(value / step) * step;
const round1 = (value: number): number => Math.round(value * 10) / 10;
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export function household(rng: Rng, id: string, area: string, p: Penetration): SiteInput {
  const assets: AssetInput[] = [
    { kind: 'load', profile: 'household', annualKwh: round(clamp(3500 + 900 * rng.normal(), 1200, 8000), 10) },
  ];
  const hasPv = rng.chance(p.pv);
  if (hasPv) assets.push({ kind: 'pv', kwp: round1(rng.uniform(3, 12)), tiltDeg: rng.int(15, 45), azimuthDeg: rng.int(120, 240) });
  // Home batteries go to PV owners first; the overall share still equals p.battery.
  const batteryChance = hasPv ? Math.min(1, p.battery / Math.max(p.pv, 1e-9)) : Math.max(0, (p.battery - p.pv) / Math.max(1 - p.pv, 1e-9));
  if (rng.chance(batteryChance)) assets.push(homeBattery(rng));
  if (rng.chance(p.ev)) assets.push(homeEv(rng));
  if (rng.chance(p.heatPump)) {
    assets.push(rng.chance(0.1) ? { kind: 'heat-pump', type: 'resistive', ratedKw: rng.pick([2, 3]) } : { kind: 'heat-pump', ratedKw: rng.pick([2, 3, 4, 5]) });
  }
  if (rng.chance(p.washingMachine)) assets.push({ kind: 'washing-machine', readyHour: rng.int(17, 21), runsPerWeek: rng.int(2, 6) });
  // A few homes keep medical equipment running: essential, shed after normal load.
  return rng.chance(0.04) ? { id, area, kind: 'household', priority: 'essential', assets } : { id, area, kind: 'household', assets };
}

function homeBattery(rng: Rng): AssetInput {
  const capacityKwh = rng.pick([5, 7.5, 10, 13.5, 15]);
  const powerKw = round1(capacityKwh * rng.uniform(0.4, 0.5));
  return { kind: 'battery', capacityKwh, maxChargeKw: powerKw, maxDischargeKw: powerKw };
}

function homeEv(rng: Rng): AssetInput {
  const batteryKwh = rng.pick([40, 58, 64, 77]);
  return {
    kind: 'ev',
    chargerKw: rng.pick([3.7, 7.4, 11, 11]),
    batteryKwh,
    arrivalHour: round(rng.uniform(16, 20), 0.25),
    departureHour: round(rng.uniform(6.5, 8.5), 0.25),
    energyPerSessionKwh: Math.min(batteryKwh, rng.int(6, 18)),
  };
}

const SHOPS = ['grocery', 'pharmacy', 'petrol station', 'supermarket'];

export function business(rng: Rng, id: string, area: string): SiteInput {
  const annualKwh = round(clamp(30_000 * Math.exp(0.6 * rng.normal()), 8_000, 150_000), 100);
  const assets: AssetInput[] = [{ kind: 'load', profile: 'commercial', annualKwh }];
  if (rng.chance(0.45)) assets.push({ kind: 'pv', kwp: round(rng.uniform(10, 80), 0.5), tiltDeg: rng.int(10, 30) });
  if (rng.chance(0.15)) {
    const capacityKwh = round(rng.uniform(20, 100), 5);
    assets.push({ kind: 'battery', capacityKwh, maxChargeKw: capacityKwh / 2, maxDischargeKw: capacityKwh / 2 });
  }
  if (rng.chance(0.3)) {
    assets.push({ kind: 'ev', chargerKw: 22, batteryKwh: 75, arrivalHour: 8, departureHour: 17.5, energyPerSessionKwh: rng.int(15, 40) });
  }
  if (rng.chance(0.25)) assets.push({ kind: 'heat-pump', ratedKw: rng.int(5, 20), thermalCapacityKwhPerK: 20, heatLossKwPerK: 0.6 });
  if (!rng.chance(0.2)) return { id, area, kind: 'business', assets };
  return { id, area, kind: 'business', priority: 'essential', facility: rng.pick(SHOPS), assets };
}

const TURBINES: readonly { ratedKw: number; hubHeightM: number }[] = [
  { ratedKw: 30, hubHeightM: 24 }, { ratedKw: 50, hubHeightM: 30 }, { ratedKw: 80, hubHeightM: 36 },
  { ratedKw: 100, hubHeightM: 40 }, { ratedKw: 250, hubHeightM: 50 },
];

/** Farms sit on the outskirts; most have a small wind turbine. */
export function farm(rng: Rng, id: string, area: string): SiteInput {
  const assets: AssetInput[] = [{ kind: 'load', profile: 'farm', annualKwh: round(rng.uniform(20_000, 80_000), 100) }];
  if (rng.chance(0.8)) assets.push({ kind: 'wind', ...rng.pick(TURBINES) });
  if (rng.chance(0.5)) assets.push({ kind: 'pv', kwp: round(rng.uniform(20, 150), 0.5), tiltDeg: rng.int(10, 35) });
  if (rng.chance(0.2)) {
    const capacityKwh = round(rng.uniform(30, 150), 5);
    assets.push({ kind: 'battery', capacityKwh, maxChargeKw: capacityKwh / 2, maxDischargeKw: capacityKwh / 2 });
  }
  return { id, area, kind: 'farm', assets };
}

const FACTORY_NAMES = ['Brewery', 'Paper mill', 'Foundry', 'Dairy', 'Sawmill', 'Textile works', 'Cannery', 'Glassworks'];

/** A factory with a CHP plant running on its own gas supply (waste heat used on site). */
export function factory(rng: Rng, id: string, area: string, index: number): SiteInput {
  const annualKwh = round(rng.uniform(1.5e6, 4e6), 1000);
  const meanKw = annualKwh / 8760;
  const assets: AssetInput[] = [
    { kind: 'load', profile: 'industrial', annualKwh },
    { kind: 'chp', ratedKw: round(meanKw * rng.uniform(0.6, 0.9), 10), mustRunPct: 40 },
    { kind: 'pv', kwp: round(rng.uniform(200, 800), 10), tiltDeg: 10 },
  ];
  if (rng.chance(0.5)) {
    const capacityKwh = round(rng.uniform(500, 2000), 50);
    assets.push({ kind: 'battery', capacityKwh, maxChargeKw: capacityKwh / 4, maxDischargeKw: capacityKwh / 4 });
  }
  const name = FACTORY_NAMES[index % FACTORY_NAMES.length] ?? 'Factory';
  return { id, area, kind: 'factory', name: index < FACTORY_NAMES.length ? name : `${name} ${index + 1}`, assets };
}

export const CRITICAL_FACILITIES = ['hospital', 'water-works', 'fire-station', 'emergency-services'] as const;
export type CriticalFacility = (typeof CRITICAL_FACILITIES)[number];

const FACILITY: Record<CriticalFacility, { name: string; profile: 'commercial' | 'industrial'; kwhPerHousehold: number; minKwh: number }> = {
  hospital: { name: 'Hospital', profile: 'commercial', kwhPerHousehold: 350, minKwh: 400_000 },
  'water-works': { name: 'Water works', profile: 'industrial', kwhPerHousehold: 120, minKwh: 150_000 },
  'fire-station': { name: 'Fire station', profile: 'commercial', kwhPerHousehold: 15, minKwh: 40_000 },
  'emergency-services': { name: 'Emergency services', profile: 'commercial', kwhPerHousehold: 20, minKwh: 60_000 },
};

/**
 * A critical facility, sized with the town (its households): PV and a grid-forming battery for a
 * day of its mean load; the hospital also a CHP, so it needs only half a day of storage.
 */
export function criticalFacility(facility: CriticalFacility, area: string, households: number): SiteInput {
  const spec = FACILITY[facility];
  const annualKwh = round(Math.max(spec.minKwh, households * spec.kwhPerHousehold), 1000);
  const meanKw = annualKwh / 8760;
  const hasChp = facility === 'hospital';
  const capacityKwh = round(meanKw * (hasChp ? 12 : 24), 10);
  const powerKw = Math.ceil((meanKw * 2.5) / 5) * 5; // covers the diversified peak of its load
  const assets: AssetInput[] = [
    { kind: 'load', profile: spec.profile, annualKwh, noisePct: 5 },
    { kind: 'pv', kwp: round(meanKw * 1.2, 5), tiltDeg: 20 },
    { kind: 'battery', capacityKwh, maxChargeKw: powerKw, maxDischargeKw: powerKw, initialSocPct: 90, gridForming: true },
  ];
  if (hasChp) assets.push({ kind: 'chp', ratedKw: round(meanKw * 1.3, 10), mustRunPct: 30 });
  return { id: facility, area, kind: 'critical', name: spec.name, priority: 'critical', facility, assets };
}

/**
 * The neighbourhood's grid-forming community battery: enough energy for twelve hours of the
 * neighbourhood's mean demand (the night between two sunny days; rationing stretches it further)
 * and enough power for its diversified peak.
 */
export function communityBattery(id: string, area: string, meanKw: number, peakKw: number): SiteInput {
  const capacityKwh = Math.max(50, Math.ceil((meanKw * 12) / 10) * 10);
  const powerKw = Math.max(25, Math.ceil(peakKw / 5) * 5);
  return {
    id, area, kind: 'community', name: 'Community battery',
    assets: [{ kind: 'battery', capacityKwh, maxChargeKw: powerKw, maxDischargeKw: powerKw, socMinPct: 5, initialSocPct: 80, gridForming: true }],
  };
}
