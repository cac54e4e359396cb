/**
 * The market stages of one run, composed for the slot engine: the markets clear on the sites' plans
 * before the physical balancing rule runs, and settle imbalance after metering.
 */
import type { Scenario } from '../sim/scenario-schema.js';
import type { EngineStages } from '../sim/engine.js';
import type { SimModel, SlotContext } from '../sim/slot-context.js';
import type { Balancer } from './balancer.js';
import { LocalFirstBalancer } from './local-first-balancer.js';
import { LocalMarkets } from './local-markets.js';
import type { MarketMetrics, MarketSeries } from './market-metrics.js';
import { PriceSignal } from './price-signal.js';
import { VppScheduler } from '../control/vpp/vpp-scheduler.js';
import { FlexibilityMarket } from './flexibility/flexibility-market.js';
import type { ParticipantOrders } from './participant-orders.js';

export interface MarketRun {
  readonly stages: EngineStages;
  /** Real participants' own orders (a node's runtime), when some sites' owners are real. */
  readonly participants: ParticipantOrders | undefined;
  readonly prices: PriceSignal;
  /** The run's market figures and market columns of the time series (call once, at the end). */
  results(): { metrics: MarketMetrics; series: MarketSeries };
  readonly markets: LocalMarkets;
  /** VPP index per internal site position, -1 when not in a VPP. */
  readonly vppOfSite: Int32Array;
  /** The flexibility market (autonomous runs only). */
  readonly flexibility: FlexibilityMarket | undefined;
}

export function createMarketRun(model: SimModel, scenario: Scenario, participants?: ParticipantOrders): MarketRun {
  const prices = new PriceSignal(model.clock.slotsPerDay());
  const position = new Map(model.sites.map((s, i) => [s.id, i]));
  const vpp = new VppScheduler(model, scenario.market.vpps, position);
  const markets = new LocalMarkets(model, scenario, vpp.vppOfSite, prices, participants);
  // Baseline is today's grid: no aggregator schedules devices and nobody buys flexibility.
  const local = model.mode === 'autonomous';
  const flex = local ? new FlexibilityMarket(model, scenario, vpp.vppOfSite) : undefined;
  const physical = new LocalFirstBalancer();
  const clear: Balancer = {
    clear(ctx: SlotContext): void {
      // The markets built their orders from every supplied site's self-consumption plan: the physical
      // balance starts from those plans instead of computing them again.
      markets.clear(ctx);
      physical.balance(ctx);
    },
  };
  return {
    prices,
    markets,
    participants,
    vppOfSite: vpp.vppOfSite,
    flexibility: flex,
    results: () => {
      const sales = markets.vppSales();
      const vpps = vpp.metrics().map((m, k) => ({ ...m, ...(sales[k] ?? { soldKwh: 0, revenueMinor: 0 }) }));
      const f = flex?.metrics();
      if (f === undefined) return { metrics: { ...markets.metrics(), vpps }, series: markets.series };
      const { series, ...flexibility } = f;
      return { metrics: { ...markets.metrics(), vpps, flexibility }, series: { ...markets.series, ...series } };
    },
    stages: {
      // The VPP schedules first; flexibility activations then act on what is left (ADR 0009).
      plan: {
        run: (ctx) => {
          if (!local) return;
          vpp.plan(ctx, prices);
          flex?.plan(ctx);
        },
      },
      clear,
      settle: {
        run: (ctx) => {
          markets.settle(ctx);
          vpp.settle(ctx);
          flex?.settle(ctx);
        },
      },
    },
  };
}

