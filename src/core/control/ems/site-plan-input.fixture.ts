/**
 * Test builders for the site EMS (`aSitePlanInput({ horizon: 8 })`, `aBattery()`, …) and a
 * fast-check arbitrary of random sites (`arbSitePlanInput`) for property tests.
 */
import fc from 'fast-check';
import { DEFAULT_PLAN_PENALTIES } from './plan-penalties.js';
import type { BatteryPlanInput, EvPlanInput, HeaterPlanInput, SitePlanInput, WasherPlanInput } from './site-plan-input.js';

export function flat(horizon: number, value: number): Float64Array {
  return new Float64Array(horizon).fill(value);
}

/** A site with a flat 200 Wh base load, no generation, buy 30 / sell 8, no limits and no devices. */
export function aSitePlanInput(overrides: Partial<SitePlanInput> = {}): SitePlanInput {
  const horizon = overrides.horizon ?? 8;
  return {
    slotHours: 0.25,
    horizon,
    baseLoadWh: flat(horizon, 200),
    generationWh: flat(horizon, 0),
    buyMinorPerKwh: flat(horizon, 30),
    sellMinorPerKwh: flat(horizon, 8),
    importLimitWh: Infinity,
    importAllowanceWh: Infinity,
    evs: [],
    heaters: [],
    washers: [],
    penalties: DEFAULT_PLAN_PENALTIES,
    ...overrides,
  };
}

/** 10 kWh, 10–90 %, half full, 5 kW on 15-minute slots, 90 % round trip. */
export function aBattery(overrides: Partial<BatteryPlanInput> = {}): BatteryPlanInput {
  return {
    storedWh: 5000, floorWh: 1000, ceilingWh: 9000, maxChargeWh: 1250, maxDischargeWh: 1250,
    chargeEfficiency: Math.sqrt(0.9), dischargeEfficiency: Math.sqrt(0.9), wearMinorPerKwh: 1,
    ...overrides,
  };
}

/** Plugged in now, leaves after slot 7, wants 3 kWh at up to 11 kW (2750 Wh a 15-minute slot). */
export function anEv(overrides: Partial<EvPlanInput> = {}): EvPlanInput {
  return { departureOffset: 7, energyNeededWh: 3000, maxChargeWh: 2750, availableFromOffset: 0, ...overrides };
}

/** A heat pump (COP 3, 3 kW) in a house of H = 0.2 kW/K and C = 5 kWh/K, at 21 °C in a 20–22 °C band, 0 °C outside. */
export function aHeater(horizon: number, overrides: Partial<HeaterPlanInput> = {}, slotHours = 0.25): HeaterPlanInput {
  return {
    indoorC: 21, comfortMinC: 20, comfortMaxC: 22, heatLossKwPerK: 0.2,
    decay: Math.exp((-0.2 * slotHours) / 5), ratedWh: 3 * slotHours * 1000,
    outdoorC: flat(horizon, 0), cop: flat(horizon, 3),
    ...overrides,
  };
}

/** Ready now, may start up to slot 4, draws 500 Wh in each of 4 slots. */
export function aWasher(overrides: Partial<WasherPlanInput> = {}): WasherPlanInput {
  return { readyOffset: 0, latestStartOffset: 4, cycleWh: [500, 500, 500, 500], ...overrides };
}

const seriesOf = (horizon: number, arb: fc.Arbitrary<number>): fc.Arbitrary<Float64Array> =>
  fc.array(arb, { minLength: horizon, maxLength: horizon }).map((a) => Float64Array.from(a));

const arbBattery: fc.Arbitrary<BatteryPlanInput> = fc.record({
  capacityWh: fc.integer({ min: 1000, max: 20_000 }),
  floorPct: fc.integer({ min: 0, max: 30 }),
  ceilingPct: fc.integer({ min: 70, max: 100 }),
  storedPct: fc.integer({ min: 0, max: 100 }),
  maxChargeWh: fc.integer({ min: 0, max: 3000 }),
  maxDischargeWh: fc.integer({ min: 0, max: 3000 }),
  roundTrip: fc.double({ min: 0.7, max: 1, noNaN: true }),
  wearMinorPerKwh: fc.integer({ min: 0, max: 10 }),
}).map((r) => ({
  storedWh: Math.round((r.capacityWh * r.storedPct) / 100),
  floorWh: (r.capacityWh * r.floorPct) / 100,
  ceilingWh: (r.capacityWh * r.ceilingPct) / 100,
  maxChargeWh: r.maxChargeWh,
  maxDischargeWh: r.maxDischargeWh,
  chargeEfficiency: Math.sqrt(r.roundTrip),
  dischargeEfficiency: Math.sqrt(r.roundTrip),
  wearMinorPerKwh: r.wearMinorPerKwh,
}));

const arbEv = (horizon: number): fc.Arbitrary<EvPlanInput> => fc.record({
  availableFromOffset: fc.integer({ min: 0, max: horizon }),
  stay: fc.integer({ min: -1, max: horizon + 8 }),
  energyNeededWh: fc.integer({ min: 0, max: 20_000 }),
  maxChargeWh: fc.integer({ min: 0, max: 3000 }),
}).map(({ stay, ...ev }) => ({ ...ev, departureOffset: ev.availableFromOffset + stay }));

const arbHeater = (horizon: number, slotHours: number): fc.Arbitrary<HeaterPlanInput> => fc.record({
  indoorC: fc.double({ min: 15, max: 25, noNaN: true }),
  comfortMinC: fc.integer({ min: 18, max: 21 }),
  bandK: fc.integer({ min: 0, max: 4 }),
  heatLossKwPerK: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
  capacityKwhPerK: fc.double({ min: 2, max: 20, noNaN: true }),
  ratedKw: fc.double({ min: 0, max: 6, noNaN: true }),
  outdoorC: seriesOf(horizon, fc.integer({ min: -15, max: 20 })),
  cop: seriesOf(horizon, fc.double({ min: 1, max: 4.5, noNaN: true })),
}).map((r) => ({
  indoorC: r.indoorC,
  comfortMinC: r.comfortMinC,
  comfortMaxC: r.comfortMinC + r.bandK,
  heatLossKwPerK: r.heatLossKwPerK,
  decay: Math.exp((-r.heatLossKwPerK * slotHours) / r.capacityKwhPerK),
  ratedWh: r.ratedKw * slotHours * 1000,
  outdoorC: r.outdoorC,
  cop: r.cop,
}));

const arbWasher = (horizon: number): fc.Arbitrary<WasherPlanInput> => fc.record({
  readyOffset: fc.integer({ min: -2, max: horizon }),
  window: fc.integer({ min: 0, max: horizon }),
  cycleWh: fc.array(fc.integer({ min: 0, max: 800 }), { minLength: 1, maxLength: 6 }),
}).map((r) => ({ readyOffset: r.readyOffset, latestStartOffset: r.readyOffset + r.window, cycleWh: r.cycleWh }));

/** Random sites: devices, prices (sell sometimes above buy, sometimes negative), forecasts and limits. */
export function arbSitePlanInput(options: { maxHorizon?: number } = {}): fc.Arbitrary<SitePlanInput> {
  const maxHorizon = options.maxHorizon ?? 16;
  return fc.record({
    horizon: fc.integer({ min: 1, max: maxHorizon }),
    slotHours: fc.constantFrom(0.25, 0.5, 1),
  }).chain(({ horizon, slotHours }) => fc.record({
    slotHours: fc.constant(slotHours),
    horizon: fc.constant(horizon),
    baseLoadWh: seriesOf(horizon, fc.double({ min: 0, max: 2000, noNaN: true })),
    generationWh: seriesOf(horizon, fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3000, noNaN: true }))),
    buyMinorPerKwh: seriesOf(horizon, fc.integer({ min: -5, max: 60 })),
    sellMinorPerKwh: seriesOf(horizon, fc.integer({ min: -5, max: 40 })),
    importLimitWh: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 4000 })),
    importAllowanceWh: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 40_000 })),
    peakMinorPerKwh: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
    storedValueMinorPerKwh: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
    battery: fc.option(arbBattery, { nil: undefined }),
    evs: fc.array(arbEv(horizon), { maxLength: 2 }),
    heaters: fc.array(arbHeater(horizon, slotHours), { maxLength: 2 }),
    washers: fc.array(arbWasher(horizon), { maxLength: 2 }),
    penalties: fc.record({
      unmetEvMinorPerKwh: fc.integer({ min: 0, max: 300 }),
      comfortMinorPerKelvinSlot: fc.integer({ min: 0, max: 50 }),
      overImportMinorPerKwh: fc.integer({ min: 0, max: 600 }),
      missedWasherMinorPerKwh: fc.integer({ min: 0, max: 300 }),
    }),
  })).map((r) => {
    const { battery, ...rest } = r;
    return battery === undefined ? rest : { ...rest, battery };
  });
}
