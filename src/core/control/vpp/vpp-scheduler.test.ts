import { describe, expect, it } from 'vitest';
import { isHeatPump, type HeatPump } from '../../assets/heat-pump.js';
import { isWashingMachine, type WashingMachine } from '../../assets/washing-machine.js';
import { ScenarioError } from '../../errors.js';
import { PriceSignal } from '../../market/price-signal.js';
import { aScenario } from '../../sim/scenario.fixture.js';
import type { ScenarioInput } from '../../sim/scenario-schema.js';
import { prepareRun } from '../../sim/simulate.js';
import type { SimModel } from '../../sim/slot-context.js';
import { VppScheduler } from './vpp-scheduler.js';

/** Households of both neighbourhoods (washing machines at odd numbers, heat pumps at 1 and 5). */
const HOUSEHOLDS = ['n1', 'n2'].flatMap((nb) => Array.from({ length: 8 }, (_, h) => `${nb}-h${h}`));
const DAYS = 4;
const SLOTS_PER_DAY = 96;

/** Synthetic TSO price by local hour (the fixture starts at local midnight): dearest at 19:00, cheapest at 07:00. */
const priceAt = (slot: number): number => 25 + 15 * Math.cos((2 * Math.PI * ((slot % SLOTS_PER_DAY) / 4 - 19)) / 24);

type Vpps = NonNullable<ScenarioInput['market']>['vpps'];

const siteIndex = (model: SimModel) => new Map(model.sites.map((s, i) => [s.id, i]));

interface Outcome {
  scheduler: VppScheduler;
  model: SimModel;
  result: ReturnType<ReturnType<typeof prepareRun>['finish']>;
  /** Washing energy drawn by VPP members per slot, Wh. */
  washingWh: number[];
}

/** Early March, when heaters run (the fixture's June has little heating to move). */
const MARCH = { start: '2026-03-02T00:00:00+01:00', location: { latDeg: 52.1, lonDeg: 5.1, utcOffsetHours: 1 } };

/**
 * Steps a run with the scheduler in the settle stage and, when `plan`, in the plan stage; `record`
 * says whether the markets publish prices.
 */
function runWithVpp(vpps: Vpps, { record = true, plan = true, june = false }: { record?: boolean; plan?: boolean; june?: boolean } = {}): Outcome {
  const scenario = aScenario({ days: DAYS, ...(june ? {} : MARCH), market: { vpps } });
  const prices = new PriceSignal(SLOTS_PER_DAY);
  // The scheduler needs the run's model, so the stages reach it through a holder filled after prepareRun.
  const holder: { scheduler?: VppScheduler } = {};
  const run = prepareRun(scenario, {
    stages: { plan: { run: (ctx) => { if (plan) holder.scheduler?.plan(ctx, prices); } }, settle: { run: (ctx) => holder.scheduler?.settle(ctx) } },
  });
  const scheduler = new VppScheduler(run.model, scenario.market.vpps, siteIndex(run.model));
  holder.scheduler = scheduler;
  const washers = members(run.model, scheduler).flatMap((s) => s.deferrables.filter(isWashingMachine));
  const washingWh: number[] = [];
  for (let s = 0; s < run.slots; s++) {
    if (record) {
      prices.startSlot(s);
      prices.record('tso', s, priceAt(s));
    }
    run.engine.step(s);
    washingWh.push(washers.reduce((sum, w) => sum + w.lastDeliveredWh, 0));
  }
  return { scheduler, model: run.model, result: run.finish(), washingWh };
}

function members(model: SimModel, scheduler: VppScheduler) {
  return model.sites.filter((_, i) => (scheduler.vppOfSite[i] as number) >= 0);
}

const heatPumps = (o: Outcome): HeatPump[] => members(o.model, o.scheduler).flatMap((s) => s.heating.filter(isHeatPump));
const washingMachines = (o: Outcome): WashingMachine[] => members(o.model, o.scheduler).flatMap((s) => s.deferrables.filter(isWashingMachine));

/** Mean price of the washing energy, weighting every slot by its energy. */
const meanPrice = (wh: number[]) => wh.reduce((s, e, slot) => s + e * priceAt(slot), 0) / wh.reduce((s, e) => s + e, 0);

describe('VppScheduler', () => {
  const plain = runWithVpp([{ id: 'vpp-1', sites: HOUSEHOLDS, schedule: false }]);
  const scheduled = runWithVpp([{ id: 'vpp-1', sites: HOUSEHOLDS }]);

  it('maps member sites to their VPP', () => {
    const { model, scheduler } = scheduled;
    model.sites.forEach((s, i) => expect(scheduler.vppOfSite[i]).toBe(HOUSEHOLDS.includes(s.id) ? 0 : -1));
  });

  it('moves the members\' washing energy into cheaper slots and misses no deadline that was met', () => {
    const before = plain.scheduler.metrics()[0]!;
    const after = scheduled.scheduler.metrics()[0]!;
    expect(after.washingCyclesShifted).toBeGreaterThan(0);
    expect(before.washingCyclesShifted).toBe(0);
    // The same washing up to the last evening (cycles held from then on run after the end of the run).
    const untilLastEvening = (o: Outcome) => o.washingWh.slice(0, (DAYS - 1) * SLOTS_PER_DAY + 19 * 4).reduce((x, y) => x + y, 0);
    expect(untilLastEvening(scheduled)).toBe(untilLastEvening(plain));
    expect(meanPrice(scheduled.washingWh)).toBeLessThan(meanPrice(plain.washingWh) - 5);
    expect(after.washingPriceMinorPerKwh!).toBeLessThan(before.washingPriceMinorPerKwh! - 5);
    const missed = (o: Outcome) => washingMachines(o).map((w) => w.missedDeadlines);
    missed(scheduled).forEach((m, k) => expect(m).toBeLessThanOrEqual(missed(plain)[k]!));
    expect(scheduled.result.metrics.evUnmetKwh).toBeLessThanOrEqual(plain.result.metrics.evUnmetKwh);
    expect(scheduled.result.metrics.energyNotServedKwh).toBe(0);
  });

  it('schedules nothing the first day: without yesterday\'s prices there is no forecast', () => {
    const firstDay = (o: Outcome) => o.washingWh.slice(0, SLOTS_PER_DAY);
    expect(firstDay(scheduled)).toEqual(firstDay(plain));
  });

  it('shifts the heaters by price and keeps them in the comfort band', () => {
    const m = scheduled.scheduler.metrics()[0]!;
    expect(m.heatingPreheatKwh).toBeGreaterThan(0);
    expect(m.heatingShiftedKwh).toBeCloseTo(m.heatingPreheatKwh + m.heatingCoastKwh, 3);
    expect(m.heatingPriceMinorPerKwh!).toBeLessThan(plain.scheduler.metrics()[0]!.heatingPriceMinorPerKwh!);
    const discomfort = (o: Outcome) => heatPumps(o).reduce((s, hp) => s + hp.comfortViolationDegreeHours, 0);
    expect(discomfort(scheduled)).toBeLessThanOrEqual(discomfort(plain) + 1e-9);
  });

  it('meters the pool as one plant', () => {
    const m = scheduled.scheduler.metrics()[0]!;
    expect(m.id).toBe('vpp-1');
    expect(m.sites).toBe(HOUSEHOLDS.length);
    expect(m.outputKwh).toBeGreaterThan(0); // the PV households export at noon
    expect(m.importKwh).toBeGreaterThan(0);
    expect(m.peakOutputKw).toBeGreaterThan(0);
    expect(m.peakOutputKw * 0.25 * DAYS * SLOTS_PER_DAY).toBeGreaterThanOrEqual(m.outputKwh);
  });

  it('changes nothing without a price forecast', () => {
    const vpps = [{ id: 'vpp-1', sites: HOUSEHOLDS }];
    const blind = runWithVpp(vpps, { record: false });
    expect(blind.scheduler.metrics()[0]!.washingCyclesShifted).toBe(0);
    expect(blind.scheduler.metrics()[0]!.washingPriceMinorPerKwh).toBeNull();
    expect(blind.result.resultsHash).toBe(runWithVpp(vpps, { record: false, plan: false }).result.resultsHash);
  });

  it('does not pre-heat in warm weather', () => {
    const june = runWithVpp([{ id: 'vpp-1', sites: HOUSEHOLDS }], { june: true });
    expect(june.scheduler.metrics()[0]!.heatingPreheatKwh).toBe(0);
  });

  it('error: rejects an unknown site and a site in two VPPs', () => {
    const { model } = scheduled;
    const vpp = (id: string, sites: string[]) => ({ id, sites, level: 'tso' as const, offerPriceMinorPerKwh: 10, schedule: true });
    expect(() => new VppScheduler(model, [vpp('a', ['nowhere'])], siteIndex(model))).toThrow(ScenarioError);
    expect(() => new VppScheduler(model, [vpp('a', ['n1-h1']), vpp('b', ['n1-h1'])], siteIndex(model))).toThrow(/already in VPP/);
  });
});
