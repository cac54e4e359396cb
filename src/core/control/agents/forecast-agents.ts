/**
 * The run's forecasting agents (issue 6): they watch the city's load, PV, wind (as sensed, before
 * any shedding) and the TSO market's clearing price slot by slot, train online (ridge regression, ADR 0012) and
 * - issue a day-ahead forecast of every target at the start of each day, kept as the report's
 *   "forecast vs actual" columns and scored against seasonal naive (`metrics.control.forecast`);
 * - give the site EMS its price forecast, and a forecasting agent per site and series.
 *
 * Scoring covers the days whose forecast came from the learned model (not its seasonal-naive
 * fallback in the first days of a run); `evaluatedSlots` says how many there were.
 */
import type { ControlSeries, ForecastAccuracy, ForecastTarget } from '../control-metrics.js';
import type { ControlSpec } from '../../sim/scenario-schema.js';
import type { SlotContext } from '../../sim/slot-context.js';
import type { PriceSignal } from '../../market/price-signal.js';
import type { ExogenousSeries } from '../forecast/forecaster.js';
import { ErrorAccumulator, skillScore } from '../forecast/forecast-metrics.js';
import { OnlineForecast } from '../forecast/online-forecast.js';
import { RidgeForecaster } from '../forecast/ridge-forecaster.js';
import { seasonalNaive } from '../forecast/seasonal-naive-forecaster.js';
import type { SeriesForecast } from '../site-ems/series-forecast.js';
import { TrailingBestForecast } from './trailing-best-forecast.js';

export const FORECAST_TARGETS: readonly ForecastTarget[] = ['load', 'pv', 'wind', 'price'];
const UNITS: Record<ForecastTarget, string> = { load: 'kW', pv: 'kW', wind: 'kW', price: 'minor/kWh' };

interface Agent {
  readonly online: OnlineForecast;
  readonly observed: Float64Array;
  readonly dayAhead: Float64Array;
  readonly naive: Float64Array;
  /** 1 where the day-ahead forecast came from the learned model. */
  readonly learned: Uint8Array;
  model: string;
}

export class ForecastAgents {
  private readonly agents: Record<ForecastTarget, Agent>;
  private readonly slotsPerDay: number;
  private readonly slotHours: number;
  private lastPrice: number;
  private readonly day: Float64Array;

  /**
   * `fallbackPrice`: the price recorded for slots before the TSO market first cleared (a run's first
   * slots only; later slots without a trade carry the last clearing price).
   */
  constructor(private readonly exogenous: ExogenousSeries, private readonly slots: number, slotMinutes: number, private readonly spec: ControlSpec['forecast'] & { horizonHours: number; fallbackPrice: number }) {
    this.slotsPerDay = Math.round((24 * 60) / slotMinutes);
    this.slotHours = slotMinutes / 60;
    this.day = new Float64Array(this.slotsPerDay);
    this.lastPrice = spec.fallbackPrice;
    const agent = (target: ForecastTarget): Agent => ({
      online: this.online(target),
      observed: new Float64Array(slots), dayAhead: new Float64Array(slots), naive: new Float64Array(slots), learned: new Uint8Array(slots),
      model: 'none',
    });
    this.agents = { load: agent('load'), pv: agent('pv'), wind: agent('wind'), price: agent('price') };
  }

  /**
   * A forecasting agent for one series of one site (the site EMS's load and generation): the learned
   * model or seasonal naive, whichever forecast the recent days better (trailing-best-forecast.ts).
   */
  siteForecast(target: ForecastTarget): SeriesForecast {
    return new TrailingBestForecast(this.online(target), this.slotsPerDay, this.slots);
  }

  /** The price forecast the site EMS plans with (observed by `observe`). */
  get price(): SeriesForecast {
    return { observe: () => undefined, forecast: (now, out) => this.agents.price.online.forecast(now, out) };
  }

  /**
   * The forecast stage, after sense: records what the agents can see now (this slot's sensed demand
   * and generation, the last slot's clearing price), then at the start of each day issues the
   * day-ahead forecast of every target.
   */
  forecast(ctx: SlotContext, prices: PriceSignal): void {
    this.observe(ctx, prices);
    if (ctx.slot % this.slotsPerDay !== 0) return;
    const n = Math.min(this.slotsPerDay, this.slots - ctx.slot);
    const out = this.day.subarray(0, n);
    for (const target of FORECAST_TARGETS) {
      const a = this.agents[target];
      a.online.forecast(ctx.slot, out);
      a.model = a.online.model;
      a.dayAhead.set(out, ctx.slot);
      a.learned.fill(a.model.startsWith('ridge') ? 1 : 0, ctx.slot, ctx.slot + n);
      seasonalNaive(a.observed, ctx.slot, this.slotsPerDay, out);
      a.naive.set(out, ctx.slot);
    }
  }

  private observe(ctx: SlotContext, prices: PriceSignal): void {
    const b = ctx.model.buffers;
    const load = sum(b.demandWh[0]) + sum(b.demandWh[1]) + sum(b.demandWh[2]) + sum(b.deferrableWh);
    const kw = 1 / (this.slotHours * 1000);
    this.record('load', ctx.slot, load * kw);
    this.record('pv', ctx.slot, sum(b.pvWh) * kw);
    this.record('wind', ctx.slot, sum(b.windWh) * kw);
    if (ctx.slot === 0) return;
    const price = prices.priceAt('tso', ctx.slot - 1, ctx.slot);
    if (price !== undefined) this.lastPrice = price;
    this.record('price', ctx.slot - 1, this.lastPrice);
  }

  /** Accuracy of the day-ahead forecasts over the run (targets that were forecast at least once by the learned model). */
  accuracy(): Partial<Record<ForecastTarget, ForecastAccuracy>> {
    const out: Partial<Record<ForecastTarget, ForecastAccuracy>> = {};
    for (const target of FORECAST_TARGETS) {
      const a = this.agents[target];
      const model = new ErrorAccumulator();
      const naive = new ErrorAccumulator();
      for (let t = this.slotsPerDay; t < this.slots; t++) {
        if (a.learned[t] !== 1) continue;
        model.add(a.dayAhead[t] as number, a.observed[t] as number);
        naive.add(a.naive[t] as number, a.observed[t] as number);
      }
      if (model.pairs === 0) continue;
      out[target] = {
        model: 'ridge', mae: round(model.mae), rmse: round(model.rmse), skill: roundOrNull(skillScore(model.mae, naive.mae)),
        unit: UNITS[target], seasonalNaiveMae: round(naive.mae), evaluatedSlots: model.pairs,
      };
    }
    return out;
  }

  /** The day-ahead forecasts of demand and PV per slot (seasonal naive where the learned model had not fitted yet). */
  series(): ControlSeries {
    const col = (a: Agent): number[] => Array.from(a.dayAhead, round);
    return { forecastDemandKw: col(this.agents.load), forecastPvKw: col(this.agents.pv) };
  }

  private record(target: ForecastTarget, slot: number, value: number): void {
    const a = this.agents[target];
    a.observed[slot] = value;
    a.online.observe(slot, value);
  }

  private online(target: ForecastTarget): OnlineForecast {
    const forecaster = new RidgeForecaster({ target, trainingDays: this.spec.trainingDays, horizonHours: Math.max(24, this.spec.horizonHours) });
    return new OnlineForecast(forecaster, this.exogenous, this.slotsPerDay, this.slots, { refitEverySlots: Math.max(1, Math.round(this.spec.refitEveryHours / this.slotHours)) });
  }
}

/** One tight loop per array: this runs every slot over every site. */
function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round(x);
}
