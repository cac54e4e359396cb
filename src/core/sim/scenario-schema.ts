/**
 * The scenario file format, as a zod schema (ADR 0004). This is the one place that defines what a
 * scenario may contain; `Scenario` (the parsed, defaulted value) is what the rest of the core sees.
 * Cross-references (parents, areas of sites and events) are checked in scenario-validate.ts.
 *
 * Times inside a scenario are hours from `start` (`startHour`), so `--days` can shorten a run without
 * rewriting events. Powers are kW, energies kWh (configuration, not settled values), prices minor
 * currency units per kWh (integers).
 */
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'an id of letters, digits, _ . : - (at most 64 characters)');
const kw = z.number().finite().nonnegative();
const positiveKw = z.number().finite().positive();
const pct = z.number().finite().min(0).max(100);
const hourOfDay = z.number().finite().min(0).lt(24);

export const PRIORITY_CLASSES = ['critical', 'essential', 'normal'] as const;
export const AREA_LEVELS = ['tso', 'dso', 'city', 'neighbourhood', 'street'] as const;
export const LOAD_PROFILES = ['household', 'commercial', 'farm', 'industrial'] as const;
export const SITE_KINDS = ['household', 'business', 'farm', 'factory', 'critical', 'community'] as const;

export const priorityClass = z.enum(PRIORITY_CLASSES);
export const areaLevel = z.enum(AREA_LEVELS);

const loadAsset = z.strictObject({
  kind: z.literal('load'),
  id: id.optional(),
  profile: z.enum(LOAD_PROFILES),
  annualKwh: z.number().finite().positive().max(1e9),
  priority: priorityClass.optional(),
  noisePct: pct.default(10),
});

const pvAsset = z.strictObject({
  kind: z.literal('pv'),
  id: id.optional(),
  kwp: positiveKw.max(1e6),
  tiltDeg: z.number().finite().min(0).max(90).default(30),
  azimuthDeg: z.number().finite().min(0).lt(360).default(180),
  inverterKw: positiveKw.optional(),
  systemLossPct: pct.default(14),
});

const windAsset = z.strictObject({
  kind: z.literal('wind'),
  id: id.optional(),
  ratedKw: positiveKw.max(1e6),
  hubHeightM: z.number().finite().positive().max(300).default(30),
  cutInMs: z.number().finite().positive().default(3),
  ratedMs: z.number().finite().positive().default(12),
  cutOutMs: z.number().finite().positive().default(25),
});

const batteryAsset = z.strictObject({
  kind: z.literal('battery'),
  id: id.optional(),
  capacityKwh: positiveKw.max(1e7),
  maxChargeKw: positiveKw,
  maxDischargeKw: positiveKw,
  roundTripEfficiencyPct: z.number().finite().gt(0).max(100).default(90),
  socMinPct: pct.default(10),
  socMaxPct: pct.default(95),
  initialSocPct: pct.default(50),
  gridForming: z.boolean().default(false),
});

const evAsset = z.strictObject({
  kind: z.literal('ev'),
  id: id.optional(),
  chargerKw: positiveKw.max(400).default(11),
  batteryKwh: positiveKw.max(300).default(60),
  arrivalHour: hourOfDay.default(18),
  departureHour: hourOfDay.default(7.5),
  energyPerSessionKwh: positiveKw.default(12),
  jitterHours: z.number().finite().min(0).max(6).default(1),
});

const washingMachineAsset = z.strictObject({
  kind: z.literal('washing-machine'),
  id: id.optional(),
  readyHour: hourOfDay.default(19),
  windowHours: z.number().finite().positive().max(48).default(12),
  cycleKwh: positiveKw.max(10).default(1),
  cycleHours: z.number().finite().positive().max(6).default(2),
  runsPerWeek: z.number().finite().min(0).max(14).default(4),
});

const heatPumpAsset = z.strictObject({
  kind: z.literal('heat-pump'),
  id: id.optional(),
  type: z.enum(['heat-pump', 'resistive']).default('heat-pump'),
  ratedKw: positiveKw.max(1000).default(3),
  copNominal: z.number().finite().min(1).max(8).default(3.5),
  comfortMinC: z.number().finite().min(5).max(30).default(19),
  comfortMaxC: z.number().finite().min(5).max(35).default(22),
  thermalCapacityKwhPerK: positiveKw.default(5),
  heatLossKwPerK: positiveKw.default(0.15),
  initialIndoorC: z.number().finite().min(-10).max(40).default(20.5),
});

const chpAsset = z.strictObject({
  kind: z.literal('chp'),
  id: id.optional(),
  ratedKw: positiveKw.max(1e6),
  mustRunPct: pct.default(40),
  gridForming: z.boolean().default(true),
});

export const assetSchema = z.discriminatedUnion('kind', [
  loadAsset, pvAsset, windAsset, batteryAsset, evAsset, washingMachineAsset, heatPumpAsset, chpAsset,
]);

const limitsSchema = z.strictObject({
  maxSites: z.number().int().positive().default(200_000),
  maxAreas: z.number().int().positive().default(50_000),
  maxAssetsPerSite: z.number().int().positive().default(32),
  maxEvents: z.number().int().positive().default(1_000),
  maxDays: z.number().int().positive().default(366),
});

export const siteSchema = z.strictObject({
  id,
  area: id,
  kind: z.enum(SITE_KINDS).default('household'),
  name: z.string().max(200).optional(),
  priority: priorityClass.default('normal'),
  facility: z.string().max(64).optional(),
  assets: z.array(assetSchema).default([]),
});

/**
 * An electrical feeder generated from the area's layout: a transformer at the area's upstream
 * connection, then one radial cable along which the area's members (its own sites, in file order,
 * then its child areas, each as one bus) sit `spacingM` apart. Power flow runs on it every slot.
 */
export const feederSchema = z.strictObject({
  /** Nominal voltage of the cable, kV (0.4 for low-voltage streets, 10–20 for medium voltage). */
  voltageKv: z.number().finite().positive().max(150).default(0.4),
  /** Cable impedance per km and ampacity (default: a 4×150 mm² aluminium LV cable). */
  rOhmPerKm: z.number().finite().positive().max(100).default(0.206),
  xOhmPerKm: z.number().finite().nonnegative().max(100).default(0.08),
  ampacityA: z.number().finite().positive().max(10_000).default(270),
  spacingM: z.number().finite().positive().max(10_000).default(30),
  /** Transformer rating, kVA (default: the area's upstream link capacity / 0.95). */
  transformerKva: z.number().finite().positive().optional(),
  transformerImpedancePct: z.number().finite().positive().max(30).default(4),
  transformerXrRatio: z.number().finite().positive().max(50).default(3),
  /** Power factor of consumption (exports are at unity). */
  powerFactor: z.number().finite().gt(0).max(1).default(0.97),
  vminPu: z.number().finite().positive().default(0.9),
  vmaxPu: z.number().finite().positive().default(1.1),
  /**
   * Instead of the generated layout: a MATPOWER case file (path relative to the scenario file) whose
   * topology and impedances are the feeder; its REF bus is the upstream connection, its own loads
   * are replaced by the members' exchange. `memberBuses` places every member (site or child area
   * id) on a bus of the case (the case's bus numbers).
   */
  matpower: z.string().min(1).max(4096).optional(),
  memberBuses: z.record(z.string(), z.number().int().positive()).optional(),
});

export const areaSchema = z.strictObject({
  id,
  name: z.string().max(200).optional(),
  level: areaLevel,
  parent: id.optional(),
  microgrid: z.boolean().default(false),
  /** Capacity of the link to the parent (for the TSO: the interconnector), kW, both directions. */
  upstreamCapacityKw: kw,
  /** Run power flow on this area's feeder every slot (streets and neighbourhoods). */
  feeder: feederSchema.optional(),
});

export const plantSchema = z.strictObject({
  id,
  area: id,
  capacityKw: positiveKw,
  minKw: kw.default(0),
  rampKwPerMin: positiveKw,
  marginalCostMinorPerKwh: z.number().int().nonnegative(),
  initialKw: kw.optional(),
});

const startHour = z.number().finite().nonnegative();
const durationHours = z.number().finite().positive();

export const eventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('outage'), area: id, startHour, durationHours,
    /** What the operator announces; islanded controllers ration storage over it. */
    expectedDurationHours: durationHours.optional(),
  }),
  z.strictObject({ kind: z.literal('comm-cut'), area: id, startHour, durationHours }),
  z.strictObject({ kind: z.literal('disaster'), area: id, startHour }),
  z.strictObject({ kind: z.literal('restore'), area: id, startHour }),
  /**
   * A fault on cable section `section` (1 = from the transformer to the first member) of a street's
   * generated feeder, or on `branch` of a feeder imported from a MATPOWER case, repaired after
   * `durationHours`. gridmesh isolates it, restores what it can through the case's ties and islands
   * what lies beyond (FLISR); in baseline the whole feeder stays dark until the repair.
   */
  z.strictObject({
    kind: z.literal('line-fault'), area: id, startHour, durationHours,
    /** Generated feeders: the cable section. */
    section: z.number().int().positive().optional(),
    /** MATPOWER-case feeders: the faulted branch "FROM-TO" (case bus numbers); ties in the case may restore. */
    branch: z.string().regex(/^\d+-\d+$/, 'a branch as "FROM-TO" by case bus numbers').optional(),
  }),
  /**
   * An overload cascade on a feeder imported from a MATPOWER case: branch `trip` (case bus numbers
   * "FROM-TO") goes out with the flows of the slot before; branches are rated at those flows plus
   * `marginPct`, overloads trip in rounds (baseline) or the controllers shed and island to stop them
   * (autonomous). The outcome lasts `durationHours` (until the grid is reset).
   */
  z.strictObject({
    kind: z.literal('cascade'), area: id, trip: z.string().regex(/^\d+-\d+$/, 'a branch as "FROM-TO" by case bus numbers'),
    marginPct: z.number().finite().min(0).max(1000).default(30), closeTies: z.boolean().default(false), startHour, durationHours,
  }),
  /**
   * A site's meter misbehaves (trust layer, docs/trust.md): `forged-key` signs its readings with a
   * key that is not the admitted one, `replay` re-sends its previous reading, `over-report` claims
   * far more power than its credential's rating. The node must reject every such reading.
   */
  z.strictObject({
    kind: z.literal('rogue-device'), site: id, behaviour: z.enum(['forged-key', 'replay', 'over-report']), startHour, durationHours,
  }),
]);

const price = z.number().int().min(-100_000).max(100_000);
const mechanism = z.enum(['pay-as-clear', 'pay-as-bid']);
type Levels<T> = Record<'street' | 'neighbourhood' | 'city' | 'dso' | 'tso', T>;
const perLevel = <T extends z.ZodType>(v: T, d: Levels<z.output<T>>) => z.strictObject({
  street: v.default(d.street as never), neighbourhood: v.default(d.neighbourhood as never), city: v.default(d.city as never),
  dso: v.default(d.dso as never), tso: v.default(d.tso as never),
}).prefault({});

export const FLEX_RESOURCES = ['ev-pause', 'heater-shift', 'washing-shift', 'battery-discharge', 'pv-curtail'] as const;

/** A flexibility request posted by the DSO (congestion) or the TSO (peak, balancing) for a window. */
export const flexRequestSchema = z.strictObject({
  id,
  buyer: z.enum(['tso', 'dso']),
  /** Offers come from sites in this area's subtree. */
  area: id,
  startHour,
  durationHours,
  /** up = less consumption / more generation; down = more consumption / less generation. */
  direction: z.enum(['up', 'down']).default('up'),
  powerKw: positiveKw,
  priceCapMinorPerKwh: price,
});

/**
 * The markets (issue 4, ADR 0009). Prices are minor currency units per kWh (integers); a trade
 * cleared at a level pays the grid fees of every level up to it (street first, TSO last).
 */
export const marketSchema = z.strictObject({
  /** Clearing rule per level. */
  mechanism: perLevel(mechanism, { street: 'pay-as-clear', neighbourhood: 'pay-as-clear', city: 'pay-as-clear', dso: 'pay-as-clear', tso: 'pay-as-clear' }),
  /** Grid fee each level adds to a trade cleared at or above it. */
  gridFeeMinorPerKwh: perLevel(z.number().int().min(0).max(100_000), { street: 1, neighbourhood: 1, city: 2, dso: 3, tso: 5 }),
  /**
   * What sites bid for imports, by priority class; deferrable = EV charging and washing machines.
   * Bids are what a site pays at most (its retail alternative), not the value of lost load: who is
   * served first when supply runs short is decided by priority in the physical balance.
   */
  bidPriceMinorPerKwh: z.strictObject({
    critical: price.default(70), essential: price.default(65), normal: price.default(60), deferrable: price.default(40),
  }).prefault({}),
  /** What prosumers ask for exports (raised to the feed-in price, the DSO's floor). */
  offerPriceMinorPerKwh: price.default(0),
  /** The DSO buys surplus prosumer energy at this regulated price (the floor) and resells it at the TSO. */
  feedInMinorPerKwh: price.default(8),
  /** The TSO's market maker: sells imports over the interconnector in steps, buys exports at one price. */
  marketMaker: z.strictObject({
    importSteps: z.array(z.strictObject({ shareOfCapacityPct: pct, priceMinorPerKwh: price })).min(1).max(16)
      .default([{ shareOfCapacityPct: 50, priceMinorPerKwh: 20 }, { shareOfCapacityPct: 50, priceMinorPerKwh: 45 }]),
    exportPriceMinorPerKwh: price.default(3),
  }).prefault({}),
  /** Metered minus traded energy: a shortfall pays `short`, a surplus receives `long`, by the site's level. */
  imbalanceMinorPerKwh: perLevel(z.strictObject({ short: price, long: price }), {
    street: { short: 80, long: 2 }, neighbourhood: { short: 80, long: 2 }, city: { short: 80, long: 2 }, dso: { short: 90, long: 2 }, tso: { short: 100, long: 1 },
  }),
  /** Energy communities: members anywhere in the city trade among themselves first at their own price. */
  communities: z.array(z.strictObject({
    id,
    name: z.string().max(200).optional(),
    /** Site ids. */
    members: z.array(id).min(2).max(100_000),
    priceMinorPerKwh: price,
  })).max(10_000).default([]),
  flexibility: z.strictObject({
    /** Requests posted at fixed times. */
    requests: z.array(flexRequestSchema).max(10_000).default([]),
    /** The TSO posts a request for the excess whenever the system's planned import exceeds the threshold. */
    tsoPeak: z.strictObject({
      thresholdKw: positiveKw,
      priceCapMinorPerKwh: price,
      /** Local hours in which the TSO watches for peaks (default: the evening). */
      fromHour: hourOfDay.default(16),
      toHour: hourOfDay.default(21),
    }).optional(),
    /** The DSO posts a request on a feeder whose power flow showed an overload in the slot before. */
    dsoCongestion: z.strictObject({ priceCapMinorPerKwh: price }).optional(),
    /** What owners ask for each kind of flexibility. */
    offerPriceMinorPerKwh: z.strictObject({
      'ev-pause': price.default(15), 'heater-shift': price.default(20), 'washing-shift': price.default(10),
      'battery-discharge': price.default(30), 'pv-curtail': price.default(5),
    }).prefault({}),
    /** Paid per kWh awarded but not delivered (verified against the baseline). */
    penaltyMinorPerKwh: price.nonnegative().default(20),
    /** Days of metered history the baseline averages (same time of day, activation slots excluded). */
    baselineDays: z.number().int().min(1).max(28).default(5),
  }).prefault({}),
  /** Virtual power plants: an aggregator pools sites across areas and bids them as one plant. */
  vpps: z.array(z.strictObject({
    id,
    name: z.string().max(200).optional(),
    sites: z.array(id).min(1).max(100_000),
    /** Where the pooled generation is offered. */
    level: z.enum(['city', 'dso', 'tso']).default('tso'),
    /** The pooled plant's ask (no feed-in floor: a VPP sells at its own price). */
    offerPriceMinorPerKwh: price.default(0),
    /** Shift washing machines and heaters into the cheapest slots they allow. */
    schedule: z.boolean().default(true),
  })).max(1_000).default([]),
});

/** The trust layer (ADR 0010, docs/trust.md): identities, signed metering, statements, validators. */
export const trustSchema = z.strictObject({
  /** Run the trust layer in autonomous runs (`--no-trust` switches it off for physics-only studies). */
  enabled: z.boolean().default(true),
  /** Controller nodes validating each microgrid's statements, besides its DSO (n = this + 1). */
  validatorsPerMicrogrid: z.number().int().min(0).max(63).default(3),
  /** A reading this many slots late is still accepted; older ones are stale. */
  maxLateSlots: z.number().int().min(0).max(96).default(4),
  /** A reading's peak power may exceed the credential's rating by this factor before it is implausible. */
  plausibilityTolerance: z.number().finite().min(1).max(10).default(1.1),
  /** Energy each consumer may import per day under its credential (kWh), unless the site says otherwise; absent = unlimited. */
  authorisedImportKwhPerDay: z.number().finite().positive().max(1e7).optional(),
  /** Per site: authorised import (kWh per day). */
  siteAuthorisedImportKwhPerDay: z.record(z.string(), z.number().finite().positive().max(1e7)).default({}),
  /** Make controller validator `index` (0-based) of a unit (a microgrid, DSO or root area) compute a wrong statement, to see dissent detected and reported. */
  dishonestValidator: z.strictObject({ microgrid: id, index: z.number().int().min(0).max(63) }).optional(),
  /** Rejections kept with their device and slot in the results (the counts are always complete). */
  maxRejectionsListed: z.number().int().min(0).max(100_000).default(200),
});

/** Forecasting agents and site energy management (issue 6, docs/control.md). */
export const controlSchema = z.strictObject({
  forecast: z.strictObject({
    /** Days of history the learned model trains on (a rolling window). */
    trainingDays: z.number().int().min(2).max(365).default(28),
    /** Refit the learned model every this many hours as the run goes (online training). */
    refitEveryHours: z.number().int().min(1).max(168).default(24),
  }).prefault({}),
  ems: z.strictObject({
    /** Sites with a battery, EV, heater or washing machine plan them by model-predictive control. */
    enabled: z.boolean().default(false),
    /** Only these sites (ids); empty = every site with flexible devices that is not in a scheduling VPP. */
    sites: z.array(id).max(100_000).default([]),
    horizonHours: z.number().int().min(1).max(48).default(24),
    replanEveryHours: z.number().finite().positive().max(24).default(1),
    /** Solver time limit per plan; past it (or on any solver failure) the heuristic plan is used. */
    timeLimitMs: z.number().int().min(1).max(60_000).default(500),
    /**
     * Cost of the plan's highest import, per kWh of that slot's import: spreads a site's EV charging
     * and battery charging over the cheap hours instead of piling it into the cheapest slot, where
     * every site's plan would meet at the street's link limit.
     */
    peakMinorPerKwh: z.number().finite().min(0).max(10_000).default(40),
    /** Cost of a kWh through the battery (wear), minor units; keeps the plan from cycling for nothing. */
    batteryWearMinorPerKwh: z.number().finite().min(0).max(1000).default(2),
    /** Also run the same scenario without EMS and report cost, peak import and self-consumption side by side. */
    compareWithoutEms: z.boolean().default(true),
  }).prefault({}),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(1),
  start: z.iso.datetime({ offset: true }),
  days: z.number().positive().max(3660).default(7),
  slotMinutes: z.number().int().min(1).max(60).default(15),
  location: z.strictObject({
    latDeg: z.number().finite().min(-90).max(90),
    lonDeg: z.number().finite().min(-180).max(180),
    elevationM: z.number().finite().min(-500).max(9000).default(0),
    utcOffsetHours: z.number().finite().min(-12).max(14).default(0),
  }),
  weather: z.strictObject({
    cloudCoverMean: z.number().finite().min(0).max(1).default(0.5),
    windMeanMs: z.number().finite().positive().max(30).default(6),
    windWeibullShape: z.number().finite().min(1).max(5).default(2),
    temperatureMeanC: z.number().finite().min(-40).max(45).default(12),
    temperatureDailySwingC: z.number().finite().min(0).max(30).default(8),
  }).prefault({}),
  autonomy: z.strictObject({
    /** Storage is rationed so critical loads survive this long when no outage duration is announced. */
    rationingHorizonHours: z.number().finite().positive().max(720).default(24),
    /**
     * How an island's controllers ration storage: `forecast` (issue 6) keeps the reserve for the
     * forecast critical net load over the expected outage and re-plans every slot; `simple` is the
     * spine's rule (this slot's critical demand × slots left).
     */
    rationing: z.enum(['forecast', 'simple']).default('forecast'),
  }).prefault({}),
  control: controlSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  areas: z.array(areaSchema).min(1),
  plants: z.array(plantSchema).default([]),
  sites: z.array(siteSchema).min(1),
  events: z.array(eventSchema).default([]),
  market: marketSchema.prefault({}),
  trust: trustSchema.prefault({}),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type AreaSpec = z.output<typeof areaSchema>;
export type FeederSpec = z.output<typeof feederSchema>;
export type SiteSpec = z.output<typeof siteSchema>;
export type PlantSpec = z.output<typeof plantSchema>;
export type AssetSpec = z.output<typeof assetSchema>;
export type EventSpec = z.output<typeof eventSchema>;
export type MarketSpec = z.output<typeof marketSchema>;
export type TrustSpec = z.output<typeof trustSchema>;
export type ControlSpec = z.output<typeof controlSchema>;
export type FlexRequestSpec = z.output<typeof flexRequestSchema>;
export type FlexResource = (typeof FLEX_RESOURCES)[number];
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];
export type AreaLevel = (typeof AREA_LEVELS)[number];
export type LoadProfileName = (typeof LOAD_PROFILES)[number];
export type AssetSpecOf<K extends AssetSpec['kind']> = Extract<AssetSpec, { kind: K }>;
