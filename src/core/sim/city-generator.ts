/**
 * Generates a city scenario from a few options: pure and seeded (same options → identical output).
 *
 * Layout: tso > dso > city > neighbourhoods (each a microgrid with a grid-forming community battery)
 * > streets. Households, businesses and farms live on streets (farms on the last streets: the
 * outskirts); the critical facilities (hospital, water works, fire station, emergency services) on
 * the first street of neighbourhoods spread over the city; factories connect at city level (medium
 * voltage), outside the microgrids. Link capacities follow from the sites below each area, and the
 * central plants in the TSO area cover 1.35 × the city's expected peak (city-sizing.ts).
 *
 * Site count: neighbourhoods × streetsPerNeighbourhood × sitesPerStreet street sites, plus factories,
 * critical facilities and one community battery per neighbourhood (see citySiteCount). With
 * `totalSites` the street sites are spread over the streets so the city has exactly that many;
 * `cityOptionsForSites` picks a sensible layout for a target size.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { Rng } from '../rng.js';
import { CRITICAL_FACILITIES, business, type CriticalFacility, communityBattery, criticalFacility, factory, farm, household, type Penetration } from './city-sites.js';
import { INTERCONNECTOR_SHARE, NO_POWER, addEstimates, centralPlants, estimateSite, linkCapacityKw, roundUpNice, type PowerEstimate } from './city-sizing.js';
import type { ScenarioInput } from './scenario-schema.js';

export type { Penetration } from './city-sites.js';

type SiteInput = ScenarioInput['sites'][number];
type AreaInput = ScenarioInput['areas'][number];
type EventInput = NonNullable<ScenarioInput['events']>[number];

export interface OutageOption {
  /** Area whose upstream link fails (default in the CLI: the city; the tso means the interconnector). */
  area: string;
  startHour: number;
  durationHours: number;
  /** Duration the operator announces to islanded controllers (none by default). */
  expectedDurationHours?: number;
}

export interface DisasterOption {
  /** Normally a neighbourhood: all its generation and storage are destroyed. */
  area: string;
  startHour: number;
  /** When the area is fed from upstream again (its assets stay lost); never when absent. */
  restoreHour?: number;
}

export interface CommCutOption {
  area: string;
  startHour: number;
  durationHours: number;
}

export interface LineFaultOption {
  /** A street, e.g. nb-02-st-01. */
  area: string;
  /** Cable section, 1 = from the transformer to the first site. */
  section: number;
  startHour: number;
  durationHours: number;
}

export interface CityOptions {
  name: string;
  seed: number;
  /** ISO 8601 date-time with offset. */
  start: string;
  days: number;
  slotMinutes: number;
  latDeg: number;
  lonDeg: number;
  utcOffsetHours: number;
  neighbourhoods: number;
  streetsPerNeighbourhood: number;
  sitesPerStreet: number;
  /** Exact total site count; when set, sitesPerStreet is ignored (see the module comment). */
  totalSites?: number;
  /** Device ownership among households, fractions 0..1. */
  penetration: Penetration;
  businesses: number;
  farms: number;
  factories: number;
  criticalFacilities: boolean;
  /** Give every street a feeder (power flow each slot). */
  feeders?: boolean;
  outage?: OutageOption;
  disaster?: DisasterOption;
  commCut?: CommCutOption;
  /** A cable fault on a street feeder (needs `feeders`). */
  lineFault?: LineFaultOption;
  description?: string;
}

export type CityOptionsInput = Partial<Omit<CityOptions, 'penetration'>> & { penetration?: Partial<Penetration> };

export const DEFAULT_CITY_OPTIONS: Readonly<CityOptions> = Object.freeze({
  name: 'Gridmesh City',
  seed: 1,
  start: '2026-06-15T00:00:00+02:00',
  days: 7,
  slotMinutes: 15,
  latDeg: 50.1,
  lonDeg: 8.7,
  utcOffsetHours: 2,
  neighbourhoods: 6,
  streetsPerNeighbourhood: 4,
  sitesPerStreet: 20,
  penetration: Object.freeze({ pv: 0.35, battery: 0.15, ev: 0.25, heatPump: 0.2, washingMachine: 0.6 }),
  businesses: 24,
  farms: 12,
  factories: 2,
  criticalFacilities: true,
});

export const MIN_CITY_SITES = 20;
export const MAX_CITY_SITES = 200_000;
const SITES_PER_STREET_TARGET = 20;

/** Layout and site mix for a city of exactly `totalSites` sites (5 % businesses, 2.5 % farms). */
export function cityOptionsForSites(totalSites: number): Pick<CityOptions, 'totalSites' | 'neighbourhoods' | 'streetsPerNeighbourhood' | 'businesses' | 'farms' | 'factories'> {
  if (!Number.isInteger(totalSites) || totalSites < MIN_CITY_SITES || totalSites > MAX_CITY_SITES) {
    throw new UsageError('invalid city size', { details: [`totalSites: a whole number from ${MIN_CITY_SITES} to ${MAX_CITY_SITES} (got ${totalSites})`] });
  }
  const factories = Math.max(1, Math.round(Math.sqrt(totalSites) / 11));
  const streetsPerNeighbourhood = totalSites < 2000 ? 4 : 8;
  const perNeighbourhood = streetsPerNeighbourhood * SITES_PER_STREET_TARGET + 1; // + its community battery
  const neighbourhoods = Math.max(1, Math.round((totalSites - factories - CRITICAL_FACILITIES.length) / perNeighbourhood));
  return {
    totalSites, neighbourhoods, streetsPerNeighbourhood, factories,
    businesses: Math.round(totalSites * 0.05), farms: Math.round(totalSites * 0.025),
  };
}

/** Number of sites the options produce. */
export function citySiteCount(input: CityOptionsInput = {}): number {
  const o = resolveCityOptions(input);
  return o.totalSites ?? streetSiteCount(o) + specialSiteCount(o);
}

function specialSiteCount(o: CityOptions): number {
  return o.factories + (o.criticalFacilities ? CRITICAL_FACILITIES.length : 0) + o.neighbourhoods;
}

function streetSiteCount(o: CityOptions): number {
  return o.totalSites === undefined ? o.neighbourhoods * o.streetsPerNeighbourhood * o.sitesPerStreet : o.totalSites - specialSiteCount(o);
}

export function resolveCityOptions(input: CityOptionsInput): CityOptions {
  const o: CityOptions = { ...DEFAULT_CITY_OPTIONS, ...dropUndefined(input), penetration: { ...DEFAULT_CITY_OPTIONS.penetration, ...dropUndefined(input.penetration ?? {}) } };
  const problems = checkOptions(o);
  if (problems.length > 0) throw new UsageError('invalid city options', { details: problems });
  return o;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkOptions(o: CityOptions): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, path: string, expected: string, got: unknown): void => {
    if (!ok) problems.push(`${path}: ${expected} (got ${JSON.stringify(got)})`);
  };
  const int = (path: keyof CityOptions, min: number, max: number): void => {
    const v = o[path];
    need(Number.isInteger(v) && (v as number) >= min && (v as number) <= max, path, `a whole number from ${min} to ${max}`, v);
  };
  const num = (path: string, v: number, min: number, max: number): void => need(Number.isFinite(v) && v >= min && v <= max, path, `a number from ${min} to ${max}`, v);
  need(o.name.length >= 1 && o.name.length <= 200, 'name', 'a name of 1 to 200 characters', o.name);
  int('seed', 0, 2 ** 32 - 1);
  need(z.iso.datetime({ offset: true }).safeParse(o.start).success, 'start', 'an ISO 8601 date-time with offset, e.g. "2026-06-15T00:00:00+02:00"', o.start);
  need(Number.isFinite(o.days) && o.days > 0 && o.days <= 366, 'days', 'a number of days more than 0 and at most 366', o.days);
  int('slotMinutes', 1, 60);
  num('latDeg', o.latDeg, -90, 90);
  num('lonDeg', o.lonDeg, -180, 180);
  num('utcOffsetHours', o.utcOffsetHours, -12, 14);
  int('neighbourhoods', 1, 2000);
  int('streetsPerNeighbourhood', 1, 100);
  int('sitesPerStreet', 0, 1000);
  int('businesses', 0, MAX_CITY_SITES);
  int('farms', 0, MAX_CITY_SITES);
  int('factories', 0, 1000);
  for (const [key, value] of Object.entries(o.penetration)) num(`penetration.${key}`, value, 0, 1);
  if (problems.length > 0) return problems;
  const streetSites = streetSiteCount(o);
  const total = streetSites + specialSiteCount(o);
  if (o.totalSites !== undefined) int('totalSites', specialSiteCount(o) + o.businesses + o.farms, MAX_CITY_SITES);
  else need(total <= MAX_CITY_SITES, 'sitesPerStreet', `at most ${MAX_CITY_SITES} sites in total`, total);
  need(o.businesses + o.farms <= streetSites, 'businesses', `with farms at most the ${streetSites} street sites`, o.businesses);
  return problems;
}

interface Layout {
  neighbourhoodIds: string[];
  /** Street ids per neighbourhood. */
  streetIds: string[][];
  /** Street sites per street, in street order. */
  sitesPerStreet: number[];
}

function layoutOf(o: CityOptions): Layout {
  const nbWidth = Math.max(2, String(o.neighbourhoods).length);
  const stWidth = Math.max(2, String(o.streetsPerNeighbourhood).length);
  const neighbourhoodIds = Array.from({ length: o.neighbourhoods }, (_, n) => `nb-${String(n + 1).padStart(nbWidth, '0')}`);
  const streetIds = neighbourhoodIds.map((nb) => Array.from({ length: o.streetsPerNeighbourhood }, (_, s) => `${nb}-st-${String(s + 1).padStart(stWidth, '0')}`));
  const streets = o.neighbourhoods * o.streetsPerNeighbourhood;
  const streetSites = streetSiteCount(o);
  const sitesPerStreet = Array.from({ length: streets }, (_, t) => Math.floor(streetSites / streets) + (t < streetSites % streets ? 1 : 0));
  return { neighbourhoodIds, streetIds, sitesPerStreet };
}

type SlotKind = 'household' | 'business' | 'farm';

/** Farms take the last street slots (the outskirts); businesses are spread evenly over the rest. */
function slotKind(slot: number, streetSites: number, o: CityOptions): SlotKind {
  if (slot >= streetSites - o.farms) return 'farm';
  const others = streetSites - o.farms;
  return Math.floor(((slot + 1) * o.businesses) / others) > Math.floor((slot * o.businesses) / others) ? 'business' : 'household';
}

const NEIGHBOURHOOD_NAMES = ['Old Town', 'Mill Quarter', 'Harbour', 'Northfield', 'Eastgate', 'Southbank', 'Westend', 'Hillside', 'Market Square', 'Orchard', 'Station Quarter', 'Meadows'];

export function generateCity(input: CityOptionsInput = {}): ScenarioInput {
  const o = resolveCityOptions(input);
  const layout = layoutOf(o);
  checkEventAreas(o, layout);
  const estimates = new Map<string, PowerEstimate>();
  const sites = buildSites(o, layout, estimates);
  const areas = buildAreas(o, layout, estimates);
  return {
    name: o.name,
    description: o.description ?? `Generated city: ${sites.length} sites in ${o.neighbourhoods} neighbourhood microgrids (seed ${o.seed}).`,
    seed: o.seed,
    start: o.start,
    days: o.days,
    slotMinutes: o.slotMinutes,
    location: { latDeg: o.latDeg, lonDeg: o.lonDeg, utcOffsetHours: o.utcOffsetHours },
    areas,
    plants: centralPlants(estimates.get('city')?.peakKw ?? 0),
    sites,
    events: buildEvents(o),
  };
}

/**
 * All sites, in area order: factories (city level), then per neighbourhood its community battery
 * and its streets' sites. Adds each site's power estimate to its area in `estimates`.
 */
function buildSites(o: CityOptions, layout: Layout, estimates: Map<string, PowerEstimate>): SiteInput[] {
  const root = new Rng(o.seed);
  const addTo = (area: string, e: PowerEstimate): void => void estimates.set(area, addEstimates(estimates.get(area) ?? NO_POWER, e));
  const streetSites = streetSiteCount(o);
  const households = streetSites - o.businesses - o.farms;
  const critical = criticalFacilityStreets(o, layout);
  const sites: SiteInput[] = Array.from({ length: o.factories }, (_, i) => factory(root.fork(`factory-${i + 1}`), `factory-${i + 1}`, 'city', i));
  for (const f of sites) addTo('city', estimateSite(f));

  const nextSite = streetSiteFactory(o, root, households, streetSites);
  let streetIndex = 0;
  layout.neighbourhoodIds.forEach((nb, n) => {
    const nbSites: SiteInput[] = [];
    for (const street of layout.streetIds[n] ?? []) {
      for (const facility of critical.get(street) ?? []) nbSites.push(criticalFacility(facility, street, households));
      const count = layout.sitesPerStreet[streetIndex++] ?? 0;
      for (let k = 0; k < count; k++) nbSites.push(nextSite(street));
    }
    // The community battery serves the neighbourhood's own demand (critical sites bring storage).
    const demand = nbSites.filter((s) => s.priority !== 'critical').map(estimateSite).reduce(addEstimates, NO_POWER);
    sites.push(communityBattery(`${nb}-community`, nb, demand.meanKw, demand.peakKw), ...nbSites);
    for (const s of nbSites) addTo(s.area, estimateSite(s));
  });
  return sites;
}

/** Makes the street sites in order: each call builds the next slot's household, business or farm. */
function streetSiteFactory(o: CityOptions, root: Rng, households: number, streetSites: number): (street: string) => SiteInput {
  const widths = { household: Math.max(4, String(households).length), business: Math.max(3, String(o.businesses).length), farm: Math.max(2, String(o.farms).length) };
  const prefix = { household: 'h', business: 'b', farm: 'farm' };
  const counters = { household: 0, business: 0, farm: 0 };
  let slot = 0;
  return (street) => {
    const kind = slotKind(slot++, streetSites, o);
    const id = `${prefix[kind]}-${String(++counters[kind]).padStart(widths[kind], '0')}`;
    const rng = root.fork(id);
    if (kind === 'household') return household(rng, id, street, o.penetration);
    return kind === 'business' ? business(rng, id, street) : farm(rng, id, street);
  };
}

/** Critical facilities go to the first streets of neighbourhoods spread evenly over the city. */
function criticalFacilityStreets(o: CityOptions, layout: Layout): Map<string, CriticalFacility[]> {
  const map = new Map<string, CriticalFacility[]>();
  if (!o.criticalFacilities) return map;
  const usedPerNeighbourhood = new Map<number, number>();
  CRITICAL_FACILITIES.forEach((facility, f) => {
    const n = Math.floor((f * o.neighbourhoods) / CRITICAL_FACILITIES.length);
    const used = usedPerNeighbourhood.get(n) ?? 0;
    usedPerNeighbourhood.set(n, used + 1);
    const streets = layout.streetIds[n] ?? [];
    const street = streets[used % streets.length] as string;
    map.set(street, [...(map.get(street) ?? []), facility]);
  });
  return map;
}

/**
 * A street feeder: a 0.4 kV, 4×150 mm² aluminium cable with houses 30 m apart; streets whose link
 * carries more than LV_FEEDER_MAX_KW (farm streets with wind) are 10 kV with 240 mm² cable and
 * 300 m between farms.
 */
const LV_FEEDER_MAX_KW = 150;
function streetFeeder(capacityKw: number): NonNullable<AreaInput['feeder']> {
  return capacityKw <= LV_FEEDER_MAX_KW
    ? { voltageKv: 0.4, rOhmPerKm: 0.206, xOhmPerKm: 0.08, ampacityA: 270, spacingM: 30 }
    : { voltageKv: 10, rOhmPerKm: 0.125, xOhmPerKm: 0.1, ampacityA: 400, spacingM: 300 };
}

/** Areas top-down, each neighbourhood followed by its streets; estimates are summed up the tree. */
function buildAreas(o: CityOptions, layout: Layout, estimates: Map<string, PowerEstimate>): AreaInput[] {
  const sum = (ids: readonly string[]): PowerEstimate => ids.reduce((acc, id) => addEstimates(acc, estimates.get(id) ?? NO_POWER), NO_POWER);
  const below: AreaInput[] = [];
  layout.neighbourhoodIds.forEach((nb, n) => {
    const streets = layout.streetIds[n] ?? [];
    const nbTotal = addEstimates(estimates.get(nb) ?? NO_POWER, sum(streets));
    estimates.set(nb, nbTotal);
    below.push({ id: nb, name: NEIGHBOURHOOD_NAMES[n] ?? `Neighbourhood ${n + 1}`, level: 'neighbourhood', parent: 'city', microgrid: true, upstreamCapacityKw: linkCapacityKw(nbTotal) });
    for (const st of streets) {
      const capacityKw = linkCapacityKw(estimates.get(st) ?? NO_POWER);
      below.push({ id: st, level: 'street', parent: nb, upstreamCapacityKw: capacityKw, ...(o.feeders === true ? { feeder: streetFeeder(capacityKw) } : {}) });
    }
  });
  const city = addEstimates(estimates.get('city') ?? NO_POWER, sum(layout.neighbourhoodIds));
  estimates.set('city', city);
  estimates.set('dso', city);
  return [
    { id: 'tso', name: 'Transmission grid', level: 'tso', upstreamCapacityKw: roundUpNice(INTERCONNECTOR_SHARE * city.peakKw) },
    { id: 'dso', name: `${o.name} distribution`, level: 'dso', parent: 'tso', upstreamCapacityKw: linkCapacityKw(city) },
    { id: 'city', name: o.name, level: 'city', parent: 'dso', upstreamCapacityKw: linkCapacityKw(city) },
    ...below,
  ];
}

function checkEventAreas(o: CityOptions, layout: Layout): void {
  const all = new Set(['tso', 'dso', 'city', ...layout.neighbourhoodIds, ...layout.streetIds.flat()]);
  const example = `e.g. "city", "${layout.neighbourhoodIds[0] ?? 'nb-01'}"`;
  const problems: string[] = [];
  const area = (path: string, id: string, allowTso: boolean): void => {
    if (!all.has(id) || (!allowTso && id === 'tso')) problems.push(`${path}: an area of the generated city${allowTso ? '' : ' below the tso'}, ${example} (got ${JSON.stringify(id)})`);
  };
  const hours = (path: string, value: number, positive: boolean): void => {
    if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) problems.push(`${path}: a number of hours ${positive ? 'more than 0' : 'at least 0'} (got ${value})`);
  };
  if (o.outage !== undefined) {
    area('outage.area', o.outage.area, true);
    hours('outage.startHour', o.outage.startHour, false);
    hours('outage.durationHours', o.outage.durationHours, true);
    if (o.outage.expectedDurationHours !== undefined) hours('outage.expectedDurationHours', o.outage.expectedDurationHours, true);
  }
  if (o.commCut !== undefined) {
    area('commCut.area', o.commCut.area, false);
    hours('commCut.startHour', o.commCut.startHour, false);
    hours('commCut.durationHours', o.commCut.durationHours, true);
  }
  if (o.disaster !== undefined) {
    area('disaster.area', o.disaster.area, false);
    hours('disaster.startHour', o.disaster.startHour, false);
    const restore = o.disaster.restoreHour;
    if (restore !== undefined && !(restore > o.disaster.startHour)) problems.push(`disaster.restoreHour: an hour after the disaster at ${o.disaster.startHour} (got ${restore})`);
  }
  if (o.lineFault !== undefined) {
    if (o.feeders !== true) problems.push('lineFault: only with feeders (a line fault needs a street feeder)');
    if (!layout.streetIds.flat().includes(o.lineFault.area)) problems.push(`lineFault.area: a street of the generated city (got ${JSON.stringify(o.lineFault.area)})`);
    if (!(Number.isInteger(o.lineFault.section) && o.lineFault.section >= 1)) problems.push(`lineFault.section: a whole number from 1 (got ${o.lineFault.section})`);
    hours('lineFault.startHour', o.lineFault.startHour, false);
    hours('lineFault.durationHours', o.lineFault.durationHours, true);
  }
  if (problems.length > 0) throw new UsageError('invalid city events', { details: problems });
}

function buildEvents(o: CityOptions): EventInput[] {
  const events: EventInput[] = [];
  if (o.outage !== undefined) {
    const { area, startHour, durationHours, expectedDurationHours } = o.outage;
    events.push(expectedDurationHours === undefined ? { kind: 'outage', area, startHour, durationHours } : { kind: 'outage', area, startHour, durationHours, expectedDurationHours });
  }
  if (o.commCut !== undefined) events.push({ kind: 'comm-cut', ...o.commCut });
  if (o.disaster !== undefined) {
    events.push({ kind: 'disaster', area: o.disaster.area, startHour: o.disaster.startHour });
    if (o.disaster.restoreHour !== undefined) events.push({ kind: 'restore', area: o.disaster.area, startHour: o.disaster.restoreHour });
  }
  if (o.lineFault !== undefined) events.push({ kind: 'line-fault', ...o.lineFault });
  return events.sort((a, b) => a.startHour - b.startHour);
}
