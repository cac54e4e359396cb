import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { aScenario, aScenarioInput } from '../../sim/scenario.fixture.js';
import type { SiteModel } from '../../sim/site-model.js';
import { prepareRun } from '../../sim/simulate.js';
import type { SlotContext } from '../../sim/slot-context.js';
import { Activations } from './flex-activation.js';
import { evOf, washingMachineOf, type OfferUnit } from './flex-offers.js';
import { runToSlot, slotAt } from './flex-test-run.fixture.js';

/** The first site (and device) with a request of this kind in the slot. */
function findDevice(ctx: SlotContext, kind: 'ev' | 'washing-machine' | 'heat-pump'): { i: number; k: number } {
  const sites = ctx.model.sites;
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i];
    if (site === undefined) continue;
    const list = kind === 'heat-pump' ? site.heating : site.deferrables;
    const requests = kind === 'heat-pump' ? site.heatingRequestWh : site.deferrableRequestWh;
    for (let k = 0; k < list.length; k++) if (list[k]?.kind === kind && (requests[k] as number) > 0) return { i, k };
  }
  throw new Error(`fixture: no ${kind} asks for energy in slot ${ctx.slot}`);
}

describe('activation', () => {
  it('ev-pause: the charger pauses and gets nothing this slot, and charges again after the slot', () => {
    const activations = new Activations();
    let unit: OfferUnit | undefined;
    let deferrableBefore = 0;
    const run = runToSlot(aScenario(), slotAt(19), (ctx) => {
      const { i, k } = findDevice(ctx, 'ev');
      const site = ctx.model.sites[i];
      if (site === undefined) throw new Error('site');
      deferrableBefore = ctx.model.buffers.deferrableWh[i] as number;
      unit = { site: i, resource: 'ev-pause', device: k, energyWh: site.deferrableRequestWh[k] as number };
      activations.activate(site, ctx.model.buffers, unit, ctx.model.clock.slotStartMs(ctx.slot + 1));
      expect(evOf(site, k).paused).toBe(true);
      expect(site.deferrableRequestWh[k]).toBe(0);
      expect(ctx.model.buffers.deferrableWh[i]).toBe(deferrableBefore - unit.energyWh);
      expect(activations.paused).toHaveLength(1);
    }, (ctx) => {
      const u = unit as OfferUnit;
      expect(ctx.model.buffers.deferrableServedWh[u.site]).toBe(deferrableBefore - u.energyWh);
      activations.endSlot(ctx.model.buffers);
      expect(evOf(ctx.model.sites[u.site] as never, u.device).paused).toBe(false);
      expect(activations.paused).toHaveLength(0);
    });
    const u = unit as OfferUnit;
    const ev = evOf(run.model.sites[u.site] as never, u.device);
    const remaining = ev.energyRemainingWh;
    run.engine.step(slotAt(19) + 1);
    expect(ev.energyRemainingWh).toBeLessThan(remaining); // charging again
  });

  it('washing-shift: the job waits until the next slot', () => {
    const activations = new Activations();
    let unit: OfferUnit | undefined;
    const run = runToSlot(aScenario(), slotAt(19), (ctx) => {
      const { i, k } = findDevice(ctx, 'washing-machine');
      const site = ctx.model.sites[i] as never;
      unit = { site: i, resource: 'washing-shift', device: k, energyWh: 250 };
      activations.activate(site, ctx.model.buffers, unit, ctx.model.clock.slotStartMs(ctx.slot + 1));
      expect(washingMachineOf(site, k).holdUntilMs).toBe(ctx.model.clock.slotStartMs(ctx.slot + 1));
    }, (ctx) => activations.endSlot(ctx.model.buffers));
    const u = unit as OfferUnit;
    const machine = washingMachineOf(run.model.sites[u.site] as never, u.device);
    expect(machine.running).toBe(false);
    run.engine.step(slotAt(19) + 1);
    expect(machine.running).toBe(true);
  });

  it('heater-shift: the heating request leaves its class demand for the slot', () => {
    const winter = aScenario(aScenarioInput({ start: '2026-01-15T00:00:00+01:00', location: { latDeg: 52.1, lonDeg: 5.1, utcOffsetHours: 1 } }));
    const activations = new Activations();
    let checked = false;
    const run = prepareRun(winter, {
      stages: {
        plan: {
          run: (ctx) => {
            const site = ctx.model.sites.findIndex((s) => s.heatingRequestWh.some((wh) => wh > 0));
            if (checked || site < 0) return;
            const s = ctx.model.sites[site] as SiteModel;
            const k = s.heatingRequestWh.findIndex((wh) => wh > 0);
            const b = ctx.model.buffers;
            const cls = s.heatingClass[k] as 0 | 1 | 2;
            const demandBefore = b.demandWh[cls][site] as number;
            const request = s.heatingRequestWh[k] as number;
            activations.activate(s, b, { site, resource: 'heater-shift', device: k, energyWh: request }, 0);
            expect(b.demandWh[cls][site]).toBe(demandBefore - request);
            expect(s.heatingRequestWh[k]).toBe(0);
            checked = true;
          },
        },
        // This test replaces the plan stage, so it replaces the default settle stage too.
        settle: { run: () => undefined },
      },
    });
    for (let slot = 0; slot < 96 && !checked; slot++) run.engine.step(slot);
    expect(checked).toBe(true);
  });

  it('pv-curtail: the inverter limit is booked as curtailment after metering, the exchange unchanged', () => {
    const activations = new Activations();
    let site = -1;
    let pvBefore = 0;
    let limitWh = 0;
    let netAfterMeter = 0;
    runToSlot(aScenario(), slotAt(12.5), (ctx) => {
      const b = ctx.model.buffers;
      site = ctx.model.sites.findIndex((s, i) => s.generators.length > 0 && (b.pvWh[i] as number) > 300);
      pvBefore = b.pvWh[site] as number;
      limitWh = Math.floor(pvBefore / 2);
      activations.activate(ctx.model.sites[site] as never, b, { site, resource: 'pv-curtail', device: -1, energyWh: limitWh }, 0);
      expect(b.pvWh[site]).toBe(pvBefore - limitWh);
    }, (ctx) => {
      const b = ctx.model.buffers;
      netAfterMeter = b.netWh[site] as number;
      const curtailedBefore = b.curtailedWh[site] as number;
      activations.endSlot(b);
      expect(b.pvWh[site]).toBe(pvBefore);
      expect(b.curtailedWh[site]).toBe(curtailedBefore + limitWh);
      expect(b.exchangeWh(site)).toBe(netAfterMeter);
    });
  });

  it('error: battery-discharge is not a resource the market activates', () => {
    const activations = new Activations();
    runToSlot(aScenario(), 0, (ctx) => {
      expect(() => activations.activate(ctx.model.sites[0] as never, ctx.model.buffers, { site: 0, resource: 'battery-discharge', device: 0, energyWh: 1 }, 0)).toThrow(InvariantError);
    });
  });
});
