import { describe, expect, it } from 'vitest';
import { aScenario, aScenarioInput } from '../sim/scenario.fixture.js';
import { prepareRun, simulate } from '../sim/simulate.js';
import { kwToWh } from '../units.js';
import type { ScenarioInput } from '../sim/scenario-schema.js';

const bucket = (r: ReturnType<typeof simulate>, name: string) => r.metrics.market?.buckets.find((b) => b.market === name);

describe('local markets in the simulation', () => {
  it('trades locally first: streets clear before the TSO, baseline trades only at the TSO', () => {
    const scenario = aScenario();
    const auto = simulate(scenario, { mode: 'autonomous' });
    const base = simulate(scenario, { mode: 'baseline' });
    expect(bucket(auto, 'street')?.volumeKwh).toBeGreaterThan(0);
    expect(auto.metrics.market?.localTradePct).toBeGreaterThan(0);
    expect(bucket(base, 'street')?.volumeKwh).toBe(0);
    expect(base.metrics.market?.localTradePct).toBe(0);
    // The same energy changes hands either way: every site's plan is traded.
    expect(auto.metrics.market?.sites.boughtKwh).toBeCloseTo(base.metrics.market?.sites.boughtKwh ?? -1, 3);
  });

  it('pays the DSO feed-in price for surplus that reaches the TSO', () => {
    const base = simulate(aScenario(), { mode: 'baseline' });
    const m = base.metrics.market;
    expect(m?.feedIn.kwh).toBeGreaterThan(0);
    expect(m?.feedIn.kwh).toBeCloseTo(m?.sites.soldKwh ?? -1, 3);
    // 8 minor units per kWh by default, rounded per trade.
    expect(m?.feedIn.paidMinor).toBeGreaterThan((m?.feedIn.kwh ?? 0) * 8 - (m?.buckets.find((b) => b.market === 'tso')?.trades ?? 0));
  });

  it('keeps every area\'s net traded flow within its upstream link', () => {
    const input = aScenarioInput();
    const areas = (input.areas ?? []).map((a) => (a.level === 'street' ? { ...a, upstreamCapacityKw: 6 } : a));
    const run = prepareRun(aScenario({ areas }), { mode: 'autonomous' });
    const { model, market } = run;
    const { tree } = model;
    let checked = 0;
    const net = new Float64Array(tree.count);
    for (let slot = 0; slot < run.slots; slot++) {
      run.engine.step(slot);
      const a = market.markets.accounts;
      net.fill(0);
      for (let i = 0; i < model.sites.length; i++) net[tree.siteArea[i] as number] = (net[tree.siteArea[i] as number] as number) + (a.soldWh[i] as number) - (a.boughtWh[i] as number);
      for (let area = tree.count - 1; area >= 1; area--) {
        const capWh = kwToWh(tree.upstreamCapacityKw[area] as number, model.clock.slotHours);
        expect(Math.abs(net[area] as number)).toBeLessThanOrEqual(capWh + 1e-9);
        checked++;
        net[tree.parent[area] as number] = (net[tree.parent[area] as number] as number) + (net[area] as number);
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The tight street links leave part of the plans untraded: that is imbalance.
    expect(run.finish().metrics.market?.imbalance.shortKwh).toBeGreaterThan(0);
  });

  it('lets an energy community trade among itself first, at its own price, across streets', () => {
    const members = ['n1-h0', 'n1-h2', 'n2-h1', 'n2-h3', 'n2-h5'];
    const r = simulate(aScenario({ market: { communities: [{ id: 'family', members, priceMinorPerKwh: 21 }] } } as Partial<ScenarioInput>));
    const c = r.metrics.market?.communities[0];
    expect(c?.volumeKwh).toBeGreaterThan(0);
    expect(c?.averagePriceMinorPerKwh).toBe(21);
    expect(bucket(r, 'community')?.volumeKwh).toBe(c?.volumeKwh);
  });

  it('never trades a community below its members\' asks', () => {
    // Members ask at least the feed-in price (8): a community price of 5 gives no seller a reason to sell.
    const r = simulate(aScenario({ market: { communities: [{ id: 'cheap', members: ['n1-h0', 'n1-h1'], priceMinorPerKwh: 5 }] } } as Partial<ScenarioInput>));
    expect(r.metrics.market?.communities[0]?.volumeKwh).toBe(0);
  });

  it('clears an islanded microgrid in its own book', () => {
    const r = simulate(aScenario({ events: [{ kind: 'outage', area: 'n1', startHour: 8, durationHours: 12 }] }), { mode: 'autonomous' });
    expect(bucket(r, 'island')?.volumeKwh).toBeGreaterThan(0);
  });

  it('pools a VPP\'s exports into one offer and pays the members for what it sold', () => {
    const r = simulate(aScenario({ market: { vpps: [{ id: 'vpp', sites: ['farm', 'n1-h0', 'n2-h0'] }] } } as Partial<ScenarioInput>));
    const v = r.metrics.market?.vpps[0];
    expect(v?.sites).toBe(3);
    expect(v?.soldKwh).toBeGreaterThan(0);
    expect(v?.revenueMinor).toBeGreaterThanOrEqual(0);
  });

  it('records prices for planners and market columns in the series', () => {
    const run = prepareRun(aScenario(), { mode: 'autonomous' });
    let sawPrice = false;
    for (let slot = 0; slot < run.slots; slot++) {
      run.engine.step(slot);
      if (slot >= 96 && run.market.prices.forecast('tso', slot + 1, slot + 1) !== undefined) sawPrice = true;
    }
    const r = run.finish();
    expect(sawPrice).toBe(true);
    expect(r.series.tradedKw?.length).toBe(r.slots);
    expect(r.series.priceTsoMinorPerKwh?.some((p) => Number.isFinite(p))).toBe(true);
  });

  it('is deterministic', () => {
    const a = simulate(aScenario({ market: { communities: [{ id: 'f', members: ['n1-h0', 'n2-h1'], priceMinorPerKwh: 20 }] } } as Partial<ScenarioInput>));
    const b = simulate(aScenario({ market: { communities: [{ id: 'f', members: ['n1-h0', 'n2-h1'], priceMinorPerKwh: 20 }] } } as Partial<ScenarioInput>));
    expect(a.resultsHash).toBe(b.resultsHash);
  });
});

