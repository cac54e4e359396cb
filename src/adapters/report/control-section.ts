/**
 * Forecasting agents and site EMS in the report (issue 6): day-ahead forecast vs actual (chart and
 * accuracy against seasonal naive), and what model-predictive control did for the EMS sites
 * compared with the same sites running their devices naively.
 */
import type { EmsMetrics, ForecastAccuracy, ForecastTarget } from '../../core/control/control-metrics.js';
import type { RunResult } from '../../core/sim/results-types.js';
import { chartFigure } from './report-charts.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';

const TARGET_LABELS: Record<ForecastTarget, string> = { load: 'Load', pv: 'PV', wind: 'Wind', price: 'Price (TSO)' };
const money = (minor: number): string => formatNumber(minor / 100, 2);

export function controlSection(run: Pick<RunResult, 'metrics' | 'mode' | 'series'>): string {
  const control = run.metrics.control;
  if (control === undefined) return '';
  const chart = run.series.forecastDemandKw === undefined ? '' : chartFigure({
    kind: 'forecast', mode: run.mode, title: 'Forecast vs actual.',
    caption: 'City demand and PV, kW, with the forecasting agents\' day-ahead forecast (issued at the start of each day; seasonal naive until the learned model has enough history).',
  });
  return `<section class="control">
<h3>Forecasts and site energy management</h3>
${chart}
${forecastTable(control.forecast ?? {})}
${control.ems === undefined ? '' : emsSection(control.ems)}
</section>`;
}

function forecastTable(forecast: Partial<Record<ForecastTarget, ForecastAccuracy>>): string {
  const rows = (Object.keys(TARGET_LABELS) as ForecastTarget[]).flatMap((t) => {
    const a = forecast[t];
    if (a === undefined) return [];
    return [{ cells: [TARGET_LABELS[t], escapeHtml(a.model), formatNumber(a.mae, 2), formatNumber(a.rmse, 2), formatNumber(a.seasonalNaiveMae, 2), a.skill === null ? '–' : formatNumber(a.skill, 3), escapeHtml(a.unit), formatInteger(a.evaluatedSlots)] }];
  });
  if (rows.length === 0) return '<p class="note">The learned forecasters had not enough history to forecast a whole day in this run (they need two days); nothing to score.</p>';
  return `<div class="table-scroll">${htmlTable([
    { label: 'Day-ahead forecast' }, { label: 'model' }, { label: 'MAE', numeric: true }, { label: 'RMSE', numeric: true },
    { label: 'MAE seasonal naive', numeric: true }, { label: 'skill', numeric: true }, { label: 'unit' }, { label: 'slots scored', numeric: true },
  ], rows, 'forecast-accuracy')}</div>
<p class="note">Skill = 1 − MAE / MAE of seasonal naive (same slot yesterday); above 0 beats it. The learned model trains online on this run's own history only, so in the first week or two it can do worse than seasonal naive; <code>gridmesh forecast evaluate</code> scores it over 28 days after a week of warm-up (docs/forecasting.md).</p>`;
}

function emsSection(e: EmsMetrics): string {
  const plans = `<p>${formatInteger(e.sites)} sites planned their battery, EV charging, heating and washing by model-predictive control:
${formatInteger(e.plans)} plans, ${formatInteger(e.solved)} solved to optimality, ${formatInteger(e.fallbacks)} heuristic fallbacks${fallbacks(e)}.</p>`;
  const w = e.withoutEms;
  if (w === undefined) return plans;
  const row = (label: string, a: string, b: string): { cells: string[] } => ({ cells: [label, a, b] });
  return `${plans}
<div class="table-scroll">${htmlTable([{ label: 'EMS sites' }, { label: 'with EMS (MPC)', numeric: true }, { label: 'without EMS (naive)', numeric: true }], [
    row('energy cost in the markets', money(e.costMinor), money(w.costMinor)),
    row('peak import, kW', formatNumber(e.peakImportKw, 1), formatNumber(w.peakImportKw, 1)),
    row('self-consumption of own generation, %', formatNumber(e.selfConsumptionPct, 1), formatNumber(w.selfConsumptionPct, 1)),
    row('import, kWh', formatNumber(e.importKwh, 1), formatNumber(w.importKwh, 1)),
    row('export, kWh', formatNumber(e.exportKwh, 1), formatNumber(w.exportKwh, 1)),
    row('heating outside the comfort band, K·h', formatNumber(e.comfortViolationKh, 1), formatNumber(w.comfortViolationKh, 1)),
    row('EV energy missing at departure, kWh', formatNumber(e.evUnmetKwh, 1), formatNumber(w.evUnmetKwh, 1)),
    row('washing jobs past their deadline', formatInteger(e.washingMissedDeadlines), formatInteger(w.washingMissedDeadlines)),
  ], 'ems-comparison')}</div>`;
}

function fallbacks(e: EmsMetrics): string {
  const reasons = Object.entries(e.fallbackReasons);
  return reasons.length === 0 ? '' : ` (${reasons.map(([r, n]) => `${escapeHtml(r)}: ${formatInteger(n)}`).join(', ')})`;
}
