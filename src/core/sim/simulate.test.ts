import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { aScenario, aScenarioInput } from './scenario.fixture.js';
import type { ScenarioInput } from './scenario-schema.js';
import { prepareRun, simulate } from './simulate.js';
import { withholdDeferrable } from './site-model.js';
import type { SlotContext } from './slot-context.js';

const outage = { kind: 'outage' as const, area: 'city', startHour: 12, durationHours: 20 };

describe('simulate', () => {
  it('gives the same resultsHash for the same scenario and seed', () => {
    const scenario = aScenario({ events: [outage] });
    const a = simulate(scenario, { mode: 'autonomous' });
    const b = simulate(scenario, { mode: 'autonomous' });
    expect(a.resultsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.resultsHash).toBe(a.resultsHash);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives a different result for a different seed', () => {
    const scenario = aScenario();
    expect(simulate(scenario, { seed: 1 }).resultsHash).not.toBe(simulate(scenario, { seed: 2 }).resultsHash);
  });

  it('serves everything when the grid is intact', () => {
    const r = simulate(aScenario());
    expect(r.metrics.energyNotServedKwh).toBe(0);
    expect(r.metrics.customerMinutesInterrupted).toBe(0);
    expect(r.metrics.islandingEvents).toBe(0);
    expect(r.metrics.energyServedKwh).toBeCloseTo(r.metrics.energyDemandKwh, 3);
    const shares = Object.values(r.metrics.localBalancePct).reduce((s, x) => s + x, 0);
    expect(shares).toBeCloseTo(100, 1);
  });

  it('islands the microgrids below an outage, keeps critical load served, and reconnects', () => {
    const r = simulate(aScenario({ events: [outage] }), { mode: 'autonomous' });
    const slotsPerHour = 4;
    expect(r.metrics.islands.map((p) => p.area).sort()).toEqual(['n1', 'n2']);
    for (const p of r.metrics.islands) {
      expect(p.startSlot).toBe(12 * slotsPerHour);
      expect(p.endSlot).toBe(32 * slotsPerHour);
      expect(p.minutes).toBe(20 * 60);
    }
    expect(r.metrics.criticalEnergyNotServedKwh).toBe(0);
    const islanded = r.series.islandedSites.slice(12 * slotsPerHour, 32 * slotsPerHour);
    expect(Math.min(...islanded)).toBeGreaterThan(0);
    expect(r.series.islandedSites[32 * slotsPerHour]).toBe(0);
  });

  it('baseline: every site below the outage is dark, critical load included', () => {
    const baseline = simulate(aScenario({ events: [outage] }), { mode: 'baseline' });
    const autonomous = simulate(aScenario({ events: [outage] }), { mode: 'autonomous' });
    expect(baseline.metrics.islandingEvents).toBe(0);
    expect(baseline.metrics.criticalEnergyNotServedKwh).toBeGreaterThan(0);
    expect(baseline.series.darkSites[13 * 4]).toBe(baseline.sites - 0);
    expect(baseline.metrics.energyNotServedKwh).toBeGreaterThan(autonomous.metrics.energyNotServedKwh);
    expect(baseline.metrics.customerMinutesInterrupted).toBeGreaterThan(autonomous.metrics.customerMinutesInterrupted);
  });

  it('a disaster in one neighbourhood leaves the other running', () => {
    const r = simulate(aScenario({ events: [outage, { kind: 'disaster', area: 'n1', startHour: 14 }] }), { mode: 'autonomous' });
    const n1 = r.areas.find((a) => a.id === 'n1');
    const n2 = r.areas.find((a) => a.id === 'n2');
    expect(n1?.energyNotServedKwh).toBeGreaterThan(0);
    expect(n2?.islandedMinutes).toBe(20 * 60);
    expect(n1?.islandedMinutes).toBe(2 * 60);
    // n1 stays dark after the outage ends: destroyed until restored.
    expect(r.series.darkSites[40 * 4]).toBeGreaterThan(0);
  });

  it('a restore reconnects a destroyed neighbourhood without its lost assets', () => {
    const events = [{ kind: 'disaster' as const, area: 'n1', startHour: 2 }, { kind: 'restore' as const, area: 'n1', startHour: 6 }];
    const r = simulate(aScenario({ events }), { mode: 'autonomous' });
    expect(r.series.darkSites[3 * 4]).toBeGreaterThan(0);
    expect(r.series.darkSites[7 * 4]).toBe(0);
    const n1 = r.areas.find((a) => a.id === 'n1');
    // Every customer of n1 but the community battery (no demand) is interrupted for 4 hours.
    expect(n1?.customerMinutesInterrupted).toBe(4 * 60 * (n1!.sites - 1));
  });

  it('an island without a grid-forming source cannot form and goes dark', () => {
    const input = aScenarioInput({ events: [outage] });
    input.sites = input.sites.map((s) => ({ ...s, assets: (s.assets ?? []).map((a) => (a.kind === 'battery' ? { ...a, gridForming: false } : a)) }));
    const r = simulate(aScenario(input), { mode: 'autonomous' });
    expect(r.series.islandedSites[13 * 4]).toBe(0);
    expect(r.series.darkSites[13 * 4]).toBe(r.sites);
  });

  it('an outage of a street inside a microgrid islands only that street when it is a microgrid', () => {
    const input = aScenarioInput({ events: [{ kind: 'outage', area: 'n2-s1', startHour: 12, durationHours: 4 }] });
    input.areas = input.areas.map((a) => (a.id === 'n2-s1' ? { ...a, microgrid: true } : a));
    const r = simulate(aScenario(input), { mode: 'autonomous' });
    expect(r.metrics.islands.map((p) => p.area)).toEqual(['n2-s1']);
  });

  it('curtails exports a street cannot carry upstream', () => {
    const input = aScenarioInput();
    input.areas = input.areas.map((a) => (a.id === 'n1-s1' ? { ...a, upstreamCapacityKw: 5 } : a));
    const wide = simulate(aScenario());
    const narrow = simulate(aScenario(input));
    expect(narrow.metrics.curtailmentKwh).toBeGreaterThan(wide.metrics.curtailmentKwh);
    expect(narrow.areas.find((a) => a.id === 'n1-s1')?.peakImportKw).toBeLessThanOrEqual(5);
  });

  it('rations storage: with a long announced outage, normal load is shed to keep critical load served', () => {
    const long = { ...outage, durationHours: 30, expectedDurationHours: 30 };
    const r = simulate(aScenario({ events: [long], days: 2 }), { mode: 'autonomous' });
    expect(r.metrics.criticalEnergyNotServedKwh).toBe(0);
    expect(r.metrics.energyNotServedByPriorityKwh.normal).toBeGreaterThan(0);
  });

  it('names the grid-forming source of each island', () => {
    const r = simulate(aScenario({ events: [outage] }), { mode: 'autonomous' });
    expect(r.metrics.islands.map((p) => p.gridFormer).sort()).toEqual(['n1-community', 'n2-community']);
  });

  it('a communication cut hides the announced outage: islands ration over the longer default horizon', () => {
    // An evening outage announced as 6 hours: storage may serve normal load above a 6-hour critical reserve.
    const announced = { ...outage, startHour: 17, durationHours: 6, expectedDurationHours: 6 };
    const smallStorage = (events: ScenarioInput['events']): ScenarioInput => {
      const input = aScenarioInput({ events });
      input.sites = input.sites.map((site) => (site.kind === 'community'
        ? { ...site, assets: [{ kind: 'battery', capacityKwh: 100, maxChargeKw: 50, maxDischargeKw: 50, gridForming: true, initialSocPct: 80 }] }
        : site));
      return input;
    };
    const informed = simulate(aScenario(smallStorage([announced])), { mode: 'autonomous' });
    const cut = simulate(aScenario(smallStorage([announced, { kind: 'comm-cut', area: 'city', startHour: 17, durationHours: 6 }])), { mode: 'autonomous' });
    expect(cut.resultsHash).not.toBe(informed.resultsHash);
    expect(cut.metrics.energyNotServedByPriorityKwh.normal).toBeGreaterThan(informed.metrics.energyNotServedByPriorityKwh.normal);
    expect(cut.metrics.criticalEnergyNotServedKwh).toBe(0);
  });

  it('over-supply with nothing left to curtail runs plants below their minimum instead of failing', () => {
    const input = aScenarioInput({ days: 0.5 });
    input.areas = input.areas.map((a) => (a.level === 'tso' ? { ...a, upstreamCapacityKw: 0 } : a));
    input.plants = [{ id: 'big', area: 'tso', capacityKw: 5000, minKw: 4000, rampKwPerMin: 10, marginalCostMinorPerKwh: 3 }];
    const r = simulate(aScenario(input));
    expect(r.metrics.energyNotServedKwh).toBe(0);
    expect(Math.max(...r.series.plantsKw)).toBeLessThan(4000);
  });

  it('runs plugged-in stages every slot in order, and a planner can withhold EV charging', () => {
    const order: string[] = [];
    const log = (name: string) => ({ run: (ctx: SlotContext) => { if (ctx.slot === 0) order.push(name); } });
    const eveningPeak = {
      run(ctx: SlotContext): void {
        const hour = ctx.env.hourOfDay;
        if (hour < 17 || hour >= 21) return;
        ctx.model.sites.forEach((site, i) => site.deferrables.forEach((device, k) => {
          if (device.kind === 'ev') withholdDeferrable(site, ctx.model.buffers, i, k);
        }));
      },
    };
    const plain = simulate(aScenario());
    const paused = simulate(aScenario(), {
      stages: { forecast: log('forecast'), plan: { run: (ctx) => { log('plan').run(ctx); eveningPeak.run(ctx); } }, check: log('check'), settle: log('settle') },
    });
    expect(order).toEqual(['forecast', 'plan', 'check', 'settle']);
    const evening = (r: typeof plain): number => r.series.demandKw.filter((_, s) => { const h = (s / 4 + 24) % 24; return h >= 17 && h < 21; })
      .reduce((x, y) => x + y, 0);
    expect(evening(paused)).toBeLessThan(evening(plain));
    expect(paused.metrics.energyNotServedKwh).toBe(0);
  });

  it('steps slot by slot through prepareRun', () => {
    const run = prepareRun(aScenario({ days: 0.25 }));
    expect(run.slots).toBe(24);
    for (let s = 0; s < run.slots; s++) run.engine.step(s);
    expect(run.finish().slots).toBe(24);
  });

  it('error: rejects an out-of-range --days or --seed', () => {
    expect(() => simulate(aScenario(), { days: 0 })).toThrow(/days/);
    expect(() => simulate(aScenario(), { seed: -1 })).toThrow(/seed/);
  });

  it('conserves energy on random scenarios with random outages and disasters (property)', () => {
    const areas = ['dso', 'city', 'n1', 'n2', 'n1-s1', 'n2-s1'];
    const event = fc.oneof(
      fc.record({ kind: fc.constant('outage' as const), area: fc.constantFrom(...areas), startHour: fc.integer({ min: 0, max: 10 }), durationHours: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant('disaster' as const), area: fc.constantFrom(...areas), startHour: fc.integer({ min: 0, max: 10 }) }),
    );
    const withRestores = (events: { kind: string; area: string; startHour: number }[]): typeof events =>
      events.flatMap((e, k) => (e.kind === 'disaster' && k % 2 === 0 ? [e, { kind: 'restore', area: e.area, startHour: e.startHour + 2 }] : [e]));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom('autonomous' as const, 'baseline' as const),
        fc.integer({ min: 5, max: 400 }), (events, seed, mode, streetKw) => {
          const input = aScenarioInput({ events: withRestores(events) as never, days: 0.5, seed });
          input.areas = input.areas.map((a) => (a.level === 'street' ? { ...a, upstreamCapacityKw: streetKw } : a));
          let result;
          try {
            result = simulate(aScenario(input), { mode });
          } catch (error) {
            if (error instanceof InvariantError) throw new Error(`${error.message} ${JSON.stringify(error.details)} (seed ${seed})`, { cause: error });
            throw error;
          }
          const m = result.metrics;
          expect(m.energyServedKwh + m.energyNotServedKwh).toBeCloseTo(m.energyDemandKwh, 2);
        }),
      { numRuns: 25, seed: 42 },
    );
  });
});
