/**
 * `aRunResult({ ... })`: a plausible, deterministic RunResult for report tests. Two days of 15-minute
 * slots by default (192), 60 sites, a sine-shaped PV day, an evening peak, and an upstream outage
 * from 18:00 on day one to 06:00 on day two (37.5 % to 62.5 % of the run). In 'autonomous' mode the
 * microgrid `nb-north` islands on batteries and sheds normal load late in the night; in 'baseline'
 * mode the 48 sites downstream of the outage are dark. Not a simulation: the numbers only look right.
 */
import { createHash } from 'node:crypto';
import type { AreaMetrics, IslandPeriod, RunMetrics, RunResult, TimeSeries } from '../../core/sim/results-types.js';
import { scenarioTime } from './scenario-time.js';

export interface RunResultOverrides extends Partial<Omit<RunResult, 'metrics' | 'series' | 'areas' | 'sites'>> {
  metrics?: Partial<RunMetrics>;
  areas?: AreaMetrics[];
  /** Number of area rows to generate when `areas` is not given (default 7). */
  areaCount?: number;
}

const SITES = 60;
const ISLANDED_SITES = 40;
const DARK_SITES_AUTONOMOUS = 8;
const DARK_SITES_BASELINE = 48;
const BATTERY_CAPACITY_KWH = 400;
const BATTERY_POWER_KW = 60;

export function aRunResult(overrides: RunResultOverrides = {}): RunResult {
  const mode = overrides.mode ?? 'autonomous';
  const slots = overrides.slots ?? 192;
  const slotMinutes = overrides.slotMinutes ?? 15;
  const start = overrides.start ?? '2025-06-01T00:00:00+02:00';
  const seed = overrides.seed ?? 42;
  const outage = { startSlot: Math.round(slots * 0.375), endSlot: Math.round(slots * 0.625) };
  const series = syntheticSeries({ mode, slots, slotMinutes, start, seed, outage });
  const islands: IslandPeriod[] = mode === 'autonomous' && outage.endSlot > outage.startSlot
    ? [{
      area: 'nb-north', ...outage, minutes: (outage.endSlot - outage.startSlot) * slotMinutes, gridFormer: 'nb-north-battery',
      criticalSurvivalHours: ((outage.endSlot - outage.startSlot) * slotMinutes) / 60, survivedWholePeriod: true,
      notServedByPriorityKwh: { critical: 0, essential: 0, normal: 0 },
    }]
    : [];
  const metrics = { ...metricsOf(series, slotMinutes, islands), ...overrides.metrics };
  const areas = overrides.areas ?? syntheticAreas(overrides.areaCount ?? 7, metrics, mode);
  const body = {
    scenario: overrides.scenario ?? 'Riverside (fixture)', seed, mode, start, slotMinutes, slots, sites: SITES,
    metrics, areas, series,
  };
  const resultsHash = overrides.resultsHash ?? createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return { ...body, resultsHash };
}

interface SeriesSpec {
  mode: RunResult['mode'];
  slots: number;
  slotMinutes: number;
  start: string;
  seed: number;
  outage: { startSlot: number; endSlot: number };
}

function emptySeries(): TimeSeries {
  return {
    timeMs: [], demandKw: [], servedKw: [], pvKw: [], windKw: [], chpKw: [], plantsKw: [], curtailedKw: [],
    batteryChargeKw: [], batteryDischargeKw: [], batterySocPct: [], notServedCriticalKw: [],
    notServedEssentialKw: [], notServedNormalKw: [], islandedSites: [], darkSites: [],
  };
}

function syntheticSeries(spec: SeriesSpec): TimeSeries {
  const s = emptySeries();
  const startMs = Date.parse(spec.start);
  const { offsetMs } = scenarioTime(spec.start);
  const slotHours = spec.slotMinutes / 60;
  let storedKwh = BATTERY_CAPACITY_KWH * 0.6;
  for (let slot = 0; slot < spec.slots; slot++) {
    const timeMs = startMs + slot * spec.slotMinutes * 60_000;
    const hour = (((timeMs + offsetMs) / 3_600_000) % 24 + 24) % 24;
    const demand = 110 + 70 * bump(hour, 19, 2.5) + 35 * bump(hour, 8, 1.5) + 4 * Math.sin(slot * 0.7 + spec.seed);
    const pv = 160 * Math.max(0, Math.sin((Math.PI * (hour - 5.5)) / 15));
    const wind = 28 + 14 * Math.sin((2 * Math.PI * slot) / spec.slots * 3 + spec.seed);
    const chp = 20;
    const local = pv + wind + chp;
    const inOutage = slot >= spec.outage.startSlot && slot < spec.outage.endSlot;
    const socPct = (storedKwh / BATTERY_CAPACITY_KWH) * 100;

    let islanded = 0;
    let dark = 0;
    let shedNormal = 0;
    let charge = 0;
    let discharge = 0;
    if (inOutage && spec.mode === 'baseline') {
      dark = DARK_SITES_BASELINE;
    } else if (inOutage) {
      islanded = ISLANDED_SITES;
      dark = DARK_SITES_AUTONOMOUS;
      const islandDemand = (demand * ISLANDED_SITES) / SITES;
      const islandGen = (local * ISLANDED_SITES) / SITES;
      discharge = Math.min(BATTERY_POWER_KW, Math.max(0, islandDemand - islandGen), storedKwh / slotHours);
      // Below 25 % the microgrid rations storage: normal loads are shed so critical ones last.
      if (socPct < 25) shedNormal = Math.max(0, islandDemand - islandGen - discharge) + 0.3 * islandDemand;
    } else {
      const surplus = local - demand;
      if (surplus > 0) charge = Math.min(BATTERY_POWER_KW, surplus, (BATTERY_CAPACITY_KWH - storedKwh) / slotHours);
      else if (hour >= 17 && hour < 22) discharge = Math.min(25, -surplus, storedKwh / slotHours);
    }
    storedKwh += (charge * 0.95 - discharge / 0.95) * slotHours;
    storedKwh = Math.max(0, Math.min(BATTERY_CAPACITY_KWH, storedKwh));

    const darkDemand = (demand * dark) / SITES;
    const critical = darkDemand * 0.08;
    const essential = darkDemand * 0.27;
    const normal = darkDemand * 0.65 + shedNormal;
    const served = demand - critical - essential - normal;
    // In the baseline, generation downstream of the outage trips off with the grid.
    const running = inOutage && spec.mode === 'baseline' ? (SITES - DARK_SITES_BASELINE) / SITES : 1;
    const generation = local * running;
    const exportLimitKw = 10;
    const curtailed = Math.max(0, generation + discharge - served - charge - exportLimitKw);
    const plants = Math.max(0, served + charge - generation - discharge);

    push(s, {
      timeMs, demandKw: demand, servedKw: served, pvKw: pv * running, windKw: wind * running, chpKw: chp * running,
      plantsKw: plants, curtailedKw: curtailed, batteryChargeKw: charge, batteryDischargeKw: discharge,
      batterySocPct: (storedKwh / BATTERY_CAPACITY_KWH) * 100, notServedCriticalKw: critical,
      notServedEssentialKw: essential, notServedNormalKw: normal, islandedSites: islanded,
      darkSites: dark + (shedNormal > 0 ? 12 : 0),
    });
  }
  return s;
}

function bump(hour: number, centre: number, width: number): number {
  return Math.exp(-((hour - centre) ** 2) / (2 * width * width));
}

function push(series: TimeSeries, row: Record<keyof TimeSeries, number>): void {
  for (const key of Object.keys(row) as (keyof TimeSeries)[]) series[key].push(round3(row[key]));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function sumKwh(values: readonly number[], slotMinutes: number): number {
  return round3(values.reduce((total, v) => total + v, 0) * (slotMinutes / 60));
}

function metricsOf(s: TimeSeries, slotMinutes: number, islands: IslandPeriod[]): RunMetrics {
  const kwh = (values: readonly number[]) => sumKwh(values, slotMinutes);
  const critical = kwh(s.notServedCriticalKw);
  const essential = kwh(s.notServedEssentialKw);
  const normal = kwh(s.notServedNormalKw);
  const served = kwh(s.servedKw);
  const imported = kwh(s.plantsKw);
  const cmi = s.darkSites.reduce((total, d) => total + d, 0) * slotMinutes;
  const interruptions = s.darkSites.reduce((n, d, i) => n + Math.max(0, d - (s.darkSites[i - 1] ?? 0)), 0);
  const selfSufficiencyPct = served > 0 ? round3(Math.max(0, 100 - (imported / served) * 100)) : 0;
  const local = selfSufficiencyPct;
  return {
    energyDemandKwh: kwh(s.demandKw),
    energyServedKwh: served,
    energyNotServedKwh: round3(critical + essential + normal),
    energyNotServedByPriorityKwh: { critical, essential, normal },
    criticalEnergyNotServedKwh: critical,
    customerMinutesInterrupted: cmi,
    interruptions,
    saidiMinutes: round3(cmi / SITES),
    saifi: round3(interruptions / SITES),
    selfSufficiencyPct,
    localBalancePct: {
      site: round3(local * 0.4), street: round3(local * 0.25), neighbourhood: round3(local * 0.2),
      city: round3(local * 0.1), dso: round3(local * 0.05), tso: round3(100 - local),
    },
    peakImportKw: Math.max(0, ...s.plantsKw),
    generationKwh: round3(kwh(s.pvKw) + kwh(s.windKw) + kwh(s.chpKw) + imported),
    curtailmentKwh: kwh(s.curtailedKw),
    lossesKwh: round3(kwh(s.batteryDischargeKw) * 0.1),
    evUnmetKwh: round3(normal * 0.05),
    networkLossesKwh: round3(kwh(s.demandKw) * 0.02),
    lineFaults: [],
    cascades: [],
    brownoutSlots: 0,
    islandingEvents: islands.length,
    islandedMinutes: islands.reduce((total, island) => total + island.minutes, 0),
    islands,
  };
}

const BASE_AREAS: readonly Pick<AreaMetrics, 'id' | 'level' | 'microgrid' | 'sites'>[] = [
  { id: 'tso', level: 'tso', microgrid: false, sites: SITES },
  { id: 'dso-east', level: 'dso', microgrid: false, sites: SITES },
  { id: 'riverside', level: 'city', microgrid: false, sites: SITES },
  { id: 'nb-north', level: 'neighbourhood', microgrid: true, sites: ISLANDED_SITES },
  { id: 'nb-south', level: 'neighbourhood', microgrid: false, sites: SITES - ISLANDED_SITES },
  { id: 'st-mill-lane', level: 'street', microgrid: false, sites: 12 },
  { id: 'st-quay', level: 'street', microgrid: false, sites: 8 },
];

function syntheticAreas(count: number, metrics: RunMetrics, mode: RunResult['mode']): AreaMetrics[] {
  return Array.from({ length: count }, (_, i) => {
    const base = BASE_AREAS[i] ?? { id: `st-${String(i).padStart(4, '0')}`, level: 'street' as const, microgrid: false, sites: 4 };
    const share = base.sites / SITES;
    const islanded = mode === 'autonomous' && base.microgrid;
    return {
      ...base,
      energyDemandKwh: round3(metrics.energyDemandKwh * share),
      energyServedKwh: round3(metrics.energyServedKwh * share),
      energyNotServedKwh: round3(metrics.energyNotServedKwh * share),
      customerMinutesInterrupted: Math.round(metrics.customerMinutesInterrupted * share),
      selfSufficiencyPct: round3(Math.min(100, metrics.selfSufficiencyPct * (base.microgrid ? 1.3 : 0.9))),
      peakImportKw: round3(metrics.peakImportKw * share),
      islandedMinutes: islanded ? metrics.islandedMinutes : 0,
    };
  });
}
