import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { ScenarioError } from '../../errors.js';
import { aScenario, aScenarioInput } from '../../sim/scenario.fixture.js';
import type { ScenarioInput } from '../../sim/scenario-schema.js';
import { prepareRun, simulate } from '../../sim/simulate.js';
import type { RunResult } from '../../sim/results-types.js';
import type { FlexibilityMetrics } from './flex-metrics.js';
import { FlexibilityMarket } from './flexibility-market.js';

type Flexibility = NonNullable<NonNullable<ScenarioInput['market']>['flexibility']>;

/** A scenario of the test town (June, 2 days, from local midnight) with this flexibility config. */
function withFlexibility(flexibility: Flexibility, input: ScenarioInput = aScenarioInput()): ScenarioInput {
  return { ...input, market: { ...input.market, flexibility } };
}

function run(input: ScenarioInput, vpps = false): { result: RunResult; flex: FlexibilityMetrics } {
  const scenario = aScenario(input);
  let market: FlexibilityMarket | undefined;
  const result = simulate(scenario, {
    stages: {
      plan: {
        run: (ctx) => {
          market ??= new FlexibilityMarket(ctx.model, scenario, Int32Array.from(ctx.model.sites, (s) => (vpps && s.id.startsWith('n1-h') ? 0 : -1)));
          market.plan(ctx);
        },
      },
      settle: { run: (ctx) => (market as FlexibilityMarket).settle(ctx) },
    },
  });
  return { result, flex: (market as FlexibilityMarket).metrics() };
}

const evening = (id: string, day: number, o: Partial<Flexibility['requests'] extends (infer R)[] | undefined ? R : never> = {}) => ({
  id, buyer: 'dso' as const, area: 'city', startHour: 24 * day + 18.5, durationHours: 1.5, powerKw: 20, priceCapMinorPerKwh: 30, ...o,
});

describe('flexibility market', () => {
  it('awards a scheduled request every slot of its window and pauses EVs', () => {
    const { flex } = run(withFlexibility({ requests: [evening('evening-1', 0)] }));
    expect(flex.requests).toBe(1);
    const [r] = flex.records;
    expect(r).toMatchObject({ id: 'evening-1', buyer: 'dso', area: 'city', direction: 'up', startSlot: 74, endSlot: 80, slots: 6, requestedKw: 20, requestedKwh: 30 });
    expect(r?.awardedKwh).toBeGreaterThan(0);
    expect(r?.sites).toBeGreaterThan(0);
    expect(flex.evPauses).toBeGreaterThan(0);
    expect(flex.series.flexRequestedKw.slice(74, 80)).toEqual([20, 20, 20, 20, 20, 20]);
    expect(flex.series.flexRequestedKw[73] ?? 0).toBe(0);
    expect(flex.byResource.find((x) => x.resource === 'ev-pause')?.activations).toBe(flex.evPauses);
  });

  it('error path: no baseline history on the first day, so nothing is verified, paid or penalised', () => {
    const { flex } = run(withFlexibility({ requests: [evening('evening-1', 0)] }));
    expect(flex.unverifiedKwh).toBe(flex.awardedKwh);
    expect(flex.deliveredKwh).toBe(0);
    expect(flex.paidMinor).toBe(0);
    expect(flex.penaltiesMinor).toBe(0);
  });

  it('verifies the second day against the first: owners paid, shortfalls penalised', () => {
    const { flex } = run(withFlexibility({ requests: [evening('evening-1', 0, { powerKw: 8 }), evening('evening-2', 1, { powerKw: 8 })], penaltyMinorPerKwh: 50 }));
    const second = flex.records[1];
    expect(second?.awardedKwh).toBeGreaterThan(0);
    expect((second?.deliveredKwh ?? 0) + (second?.unverifiedKwh ?? 0)).toBeGreaterThan(0);
    expect(second?.paidMinor).toBeGreaterThan(0);
    expect(flex.paidMinor).toBe(flex.records.reduce((s, r) => s + r.paidMinor, 0));
    expect(flex.penaltiesMinor).toBe(flex.records.reduce((s, r) => s + r.penaltiesMinor, 0));
    expect(flex.penaltiesMinor).toBeGreaterThan(0);
    expect(Number.isInteger(flex.paidMinor) && Number.isInteger(flex.penaltiesMinor)).toBe(true);
  });

  it('error path: no offers in the area', () => {
    const input = aScenarioInput();
    const sites = input.sites.map((s) => ({ ...s, assets: (s.assets ?? []).filter((a) => a.kind === 'load' || a.kind === 'battery') }));
    const { flex } = run(withFlexibility({ requests: [evening('nothing', 0)] }, { ...input, sites }));
    expect(flex.records[0]).toMatchObject({ awardedKwh: 0, slots: 6, coveredSlots: 0, noOfferSlots: 6, aboveCapSlots: 0, sites: 0 });
  });

  it('error path: a price cap below every offer awards nothing', () => {
    const { flex } = run(withFlexibility({ requests: [evening('cheap', 0, { priceCapMinorPerKwh: 9 })] }));
    const r = flex.records[0];
    expect(r).toMatchObject({ awardedKwh: 0, coveredSlots: 0 });
    expect(r?.aboveCapSlots).toBeGreaterThan(0);
    expect((r?.aboveCapSlots ?? 0) + (r?.noOfferSlots ?? 0)).toBe(6); // no car or machine asked for energy in some slot
    expect(flex.evPauses).toBe(0);
  });

  it('a down request at noon curtails PV, and the run books it as curtailment', () => {
    const input = withFlexibility({ requests: [{ id: 'noon', buyer: 'dso', area: 'city', startHour: 12, durationHours: 1, direction: 'down', powerKw: 5, priceCapMinorPerKwh: 10 }] });
    const { flex, result } = run(input);
    const without = simulate(aScenario(withFlexibility({}))); // the default pipeline with no request
    expect(flex.records[0]?.direction).toBe('down');
    expect(flex.byResource.find((x) => x.resource === 'pv-curtail')?.awardedKwh).toBeGreaterThan(0);
    expect(result.metrics.curtailmentKwh).toBeGreaterThan(without.metrics.curtailmentKwh);
    expect(result.metrics.energyNotServedKwh).toBe(without.metrics.energyNotServedKwh);
  });

  it('the TSO shaves the evening peak of the system import', () => {
    const input = withFlexibility({ tsoPeak: { thresholdKw: 60, priceCapMinorPerKwh: 25, fromHour: 17, toHour: 22 } });
    const { flex } = run(input);
    expect(flex.records.length).toBeGreaterThan(0);
    expect(flex.records.every((r) => r.buyer === 'tso' && r.area === 'tso')).toBe(true);
    expect(flex.peak?.thresholdKw).toBe(60);
    expect(flex.peak?.meteredPeakKw).toBeLessThan(flex.peak?.plannedPeakKw ?? 0);
    expect(flex.records[0]?.id).toBe('tso-peak-1');
  });

  it('the DSO relieves a feeder overloaded in the slot before', () => {
    const input = aScenarioInput();
    const weak = { ...input, areas: input.areas.map((a) => (a.level === 'street' ? { ...a, feeder: { spacingM: 400, transformerKva: 20 } } : a)) };
    const { flex } = run(withFlexibility({ dsoCongestion: { priceCapMinorPerKwh: 40 } }, weak));
    expect(flex.records.length).toBeGreaterThan(0);
    expect(flex.records.every((r) => r.buyer === 'dso' && r.id.startsWith(`dso-congestion-${r.area}-`))).toBe(true);
    expect(flex.awardedKwh).toBeGreaterThan(0);
  });

  it('a VPP offers its members pooled and is settled as one aggregator', () => {
    const input = aScenarioInput();
    const { flex } = run(withFlexibility({ requests: [evening('evening-1', 0)] }, {
      ...input, market: { vpps: [{ id: 'n1-pool', sites: input.sites.filter((s) => s.id.startsWith('n1-h')).map((s) => s.id) }] },
    }), true);
    expect(flex.byAggregator.map((a) => a.aggregator)).toEqual(['n1-pool', null]);
    expect(flex.byAggregator[0]?.awardedKwh).toBeGreaterThan(0);
    expect((flex.byAggregator[0]?.awardedKwh ?? 0) + (flex.byAggregator[1]?.awardedKwh ?? 0)).toBeCloseTo(flex.awardedKwh, 3);
  });

  it('is deterministic', () => {
    const input = withFlexibility({ tsoPeak: { thresholdKw: 60, priceCapMinorPerKwh: 25 }, requests: [evening('e', 1)] });
    expect(run(input).flex).toEqual(run(input).flex);
  });

  it('error: more requests in one slot than the limit is a ScenarioError', () => {
    const requests = Array.from({ length: 1001 }, (_, k) => evening(`r${k}`, 0));
    expect(() => run(withFlexibility({ requests }))).toThrow(ScenarioError);
  });

  it('error: plan and settle out of step, or a wrong VPP map, are bugs', () => {
    const scenario = aScenario();
    const prepared = prepareRun(scenario);
    expect(() => new FlexibilityMarket(prepared.model, scenario, new Int32Array(1))).toThrow(InvariantError);
    const markets: FlexibilityMarket[] = [];
    const stepped = prepareRun(scenario, { stages: { settle: { run: (ctx) => markets[0]?.settle(ctx) } } });
    markets.push(new FlexibilityMarket(stepped.model, scenario, new Int32Array(stepped.model.sites.length).fill(-1)));
    expect(() => stepped.engine.step(0)).toThrow(InvariantError);
  });
});
