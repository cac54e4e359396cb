/**
 * The control stages of one autonomous run (issue 6), composed for the slot engine like the markets
 * and the trust layer: the forecasting agents observe and forecast in the forecast stage; the site EMS plans before the markets' plan stage (VPP, flexibility) and tallies after
 * their settlement.
 */
import type { WeatherModel } from '../../assets/weather.js';
import type { MarketRun } from '../../market/market-run.js';
import type { Rng } from '../../rng.js';
import type { EngineStages } from '../../sim/engine.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import type { SimModel } from '../../sim/slot-context.js';
import type { ControlMetrics, ControlSeries } from '../control-metrics.js';
import type { LpSolver } from '../ems/site-plan.js';
import { weatherForecastFeatures } from '../forecast/weather-forecast.js';
import { selectEmsSites } from '../site-ems/ems-sites.js';
import { SiteEms } from '../site-ems/site-ems.js';
import { ForecastAgents } from './forecast-agents.js';

export interface ControlRunOptions {
  /** The LP/MILP solver for the site EMS (e.g. HiGHS); without one every plan is the heuristic. */
  readonly solver?: LpSolver;
  /**
   * `plan` (the default when the scenario enables the EMS): the EMS sites plan by MPC. `measure`: the
   * same sites run naively and are only measured (the comparison run without EMS). `off`: no EMS.
   */
  readonly ems?: 'plan' | 'measure' | 'off';
}

export interface ControlRun {
  readonly ems: SiteEms | undefined;
  /** Wraps the market's (and trust layer's) stages with the control stages. */
  stages(inner: EngineStages): EngineStages;
  results(): { metrics: ControlMetrics; series: ControlSeries };
}

export function createControlRun(model: SimModel, scenario: Scenario, market: MarketRun, weather: WeatherModel, slots: number, rng: Rng, options: ControlRunOptions = {}): ControlRun {
  const exogenous = weatherForecastFeatures(weather, slots, rng.fork('weather-forecast'));
  const emsMode = options.ems ?? (scenario.control.ems.enabled ? 'plan' : 'off');
  const agents = new ForecastAgents(exogenous, slots, model.clock.slotMinutes, {
    ...scenario.control.forecast, horizonHours: scenario.control.ems.horizonHours, fallbackPrice: scenario.market.bidPriceMinorPerKwh.normal,
  });
  const ems = emsMode === 'off' ? undefined : new SiteEms(model, scenario, selectEmsSites(scenario, model.sites, market.vppOfSite), {
    planning: emsMode === 'plan',
    forecasts: (_name, target) => agents.siteForecast(target),
    price: agents.price,
    outdoorForecastC: exogenous.temperatureC,
    ...(options.solver === undefined ? {} : { solver: options.solver }),
  });
  const accounts = market.markets.accounts;
  return {
    ems,
    stages: (inner) => ({
      ...inner,
      forecast: { run: (ctx) => { inner.forecast?.run(ctx); agents.forecast(ctx, market.prices); } },
      plan: { run: (ctx) => { ems?.plan(ctx); inner.plan?.run(ctx); } },
      settle: {
        run: (ctx) => {
          inner.settle?.run(ctx);
          ems?.settle(accounts.paidMinor, accounts.receivedMinor);
        },
      },
    }),
    results: () => ({ metrics: { forecast: agents.accuracy(), ...(ems === undefined ? {} : { ems: ems.metrics() }) }, series: agents.series() }),
  };
}
