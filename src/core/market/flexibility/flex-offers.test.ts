import { describe, expect, it } from 'vitest';
import { selfConsume } from '../../control/self-consumption.js';
import { DARK } from '../../grid/islands.js';
import { aScenario, aScenarioInput } from '../../sim/scenario.fixture.js';
import type { SlotContext } from '../../sim/slot-context.js';
import { collectOffers, type FlexOffer, type OfferSources } from './flex-offers.js';
import { runToSlot, slotAt } from './flex-test-run.fixture.js';

const PRICES = { 'ev-pause': 15, 'heater-shift': 20, 'washing-shift': 10, 'battery-discharge': 30, 'pv-curtail': 5 };

function sources(ctx: SlotContext, o: { vppOfSite?: Int32Array; vppCount?: number; siteRegion?: Uint8Array; taken?: Int32Array } = {}): OfferSources {
  const n = ctx.model.sites.length;
  return {
    sites: ctx.model.sites, buffers: ctx.model.buffers, siteRegion: o.siteRegion ?? ctx.regionSites.siteRegion,
    vppOfSite: o.vppOfSite ?? new Int32Array(n).fill(-1), vppCount: o.vppCount ?? 0, prices: PRICES,
    taken: o.taken ?? new Int32Array(n).fill(-1), siteActivations: new Int32Array(n),
  };
}

/** Offers of area `area` at a local hour of the first day (June; at 19:00 cars are home and machines ready). */
function offersAt(hour: number, area: string, direction: 'up' | 'down', o: Parameters<typeof sources>[1] = {}, input = aScenarioInput()): { offers: FlexOffer[]; ctx: SlotContext } {
  let result: { offers: FlexOffer[]; ctx: SlotContext } | undefined;
  runToSlot(aScenario(input), slotAt(hour), (ctx) => {
    const { tree } = ctx.model;
    const a = tree.indexOf.get(area) as number;
    result = { offers: collectOffers(sources(ctx, o), tree.siteStart[a] as number, tree.siteEnd[a] as number, direction), ctx };
  });
  return result as { offers: FlexOffer[]; ctx: SlotContext };
}

describe('flexibility offers', () => {
  it('come from the EVs and washing machines in the area, each site up to its planned import', () => {
    const { offers, ctx } = offersAt(19, 'n1', 'up');
    const { tree, sites, buffers: b } = ctx.model;
    const n1 = tree.indexOf.get('n1') as number;
    const resources = new Set(offers.map((o) => o.resource));
    expect(resources).toEqual(new Set(['ev-pause', 'washing-shift']));
    for (const offer of offers) {
      expect(offer.aggregator).toBe(-1);
      expect(offer.priceMinorPerKwh).toBe(PRICES[offer.resource]);
      expect(new Set(offer.units.map((u) => u.site)).size).toBe(1);
      expect(offer.energyWh).toBe(offer.units.reduce((s, u) => s + u.energyWh, 0));
      for (const u of offer.units) {
        expect(u.site).toBeGreaterThanOrEqual(tree.siteStart[n1] as number);
        expect(u.site).toBeLessThan(tree.siteEnd[n1] as number);
        expect(u.energyWh).toBeLessThanOrEqual(sites[u.site]?.deferrableRequestWh[u.device] as number);
      }
    }
    const bySite = new Map<number, number>();
    for (const u of offers.flatMap((o) => o.units)) bySite.set(u.site, (bySite.get(u.site) ?? 0) + u.energyWh);
    for (const [i, wh] of bySite) {
      selfConsume(b, i, false);
      expect(wh).toBeLessThanOrEqual(b.totalImportWh(i));
    }
    expect(bySite.size).toBeGreaterThan(2);
  });

  it('of a VPP are pooled: one offer per resource with the members\' devices', () => {
    const base = offersAt(19, 'city', 'up');
    const n = base.ctx.model.sites.length;
    const vppOfSite = new Int32Array(n).fill(-1);
    base.ctx.model.sites.forEach((s, i) => { if (s.id.startsWith('n1-')) vppOfSite[i] = 0; });
    const { offers } = offersAt(19, 'city', 'up', { vppOfSite, vppCount: 1 });
    const pooled = offers.filter((o) => o.aggregator === 0);
    expect(pooled.map((o) => o.resource).sort()).toEqual(['ev-pause', 'washing-shift']);
    expect(pooled.every((o) => o.rank === 0 && new Set(o.units.map((u) => u.site)).size > 1)).toBe(true);
    expect(offers.filter((o) => o.aggregator === -1).every((o) => o.rank >= 1)).toBe(true);
    // Same devices, same energy: pooling changes who offers, not what.
    const total = (list: FlexOffer[]): number => list.reduce((s, o) => s + o.energyWh, 0);
    expect(total(offers)).toBe(total(base.offers));
  });

  it('leave out sites already awarded this slot and sites not grid-connected', () => {
    const { offers, ctx } = offersAt(19, 'n1', 'up');
    const first = offers[0]?.units[0]?.site as number;
    const n = ctx.model.sites.length;
    const taken = new Int32Array(n).fill(-1);
    taken[first] = 0;
    const siteRegion = new Uint8Array(n);
    const second = offers.find((o) => o.units[0]?.site !== first)?.units[0]?.site as number;
    siteRegion[second] = DARK;
    const fewer = offersAt(19, 'n1', 'up', { taken, siteRegion }).offers.flatMap((o) => o.units.map((u) => u.site));
    expect(fewer).not.toContain(first);
    expect(fewer).not.toContain(second);
    expect(fewer.length).toBeGreaterThan(0);
  });

  it('never come from devices of the critical class', () => {
    const input = aScenarioInput();
    const sites = input.sites.map((s) => (s.id === 'hospital' ? { ...s, assets: [...(s.assets ?? []), { kind: 'ev' as const, arrivalHour: 17, departureHour: 23, energyPerSessionKwh: 40, batteryKwh: 80 }] } : s));
    const { offers, ctx } = offersAt(19, 'n1', 'up', {}, { ...input, sites });
    const hospital = ctx.model.sites.findIndex((s) => s.id === 'hospital');
    expect(ctx.model.sites[hospital]?.deferrableRequestWh[0]).toBeGreaterThan(0);
    expect(offers.some((o) => o.units.some((u) => u.site === hospital))).toBe(false);
  });

  it('down: PV sites offer to curtail what they plan to export', () => {
    const { offers, ctx } = offersAt(12.5, 'city', 'down');
    const b = ctx.model.buffers;
    expect(offers.length).toBeGreaterThan(0);
    for (const o of offers) {
      expect(o.resource).toBe('pv-curtail');
      const u = o.units[0];
      if (u === undefined) throw new Error('an offer has units');
      selfConsume(b, u.site, false);
      expect(u.energyWh).toBe(Math.min(b.exportWh[u.site] as number, b.pvWh[u.site] as number));
    }
  });

  it('error path: an area without flexible devices offers nothing', () => {
    const input = aScenarioInput();
    const sites = input.sites.map((s) => ({ ...s, assets: (s.assets ?? []).filter((a) => a.kind === 'load') }));
    expect(offersAt(19, 'city', 'up', {}, { ...input, sites }).offers).toEqual([]);
  });
});
