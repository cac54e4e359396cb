/**
 * The flexibility market in the report: what the DSO and TSO asked for, what owners were awarded,
 * delivered (verified against their baselines) and paid, by request, by kind of device and by
 * aggregator, and the system peak the TSO shaved. Money is shown in major units (minor units / 100).
 */
import type { FlexibilityMetrics, FlexRequestRecord } from '../../core/market/flexibility/flex-metrics.js';
import type { RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';
import { formatScenarioTime, type ScenarioTime } from './scenario-time.js';

const money = (minor: number): string => formatNumber(minor / 100, 2);
const kwh = (value: number): string => formatNumber(value, 1);

const RESOURCE_LABELS: Record<string, string> = {
  'ev-pause': 'EV charging paused', 'heater-shift': 'Heating shifted', 'washing-shift': 'Washing machines shifted',
  'battery-discharge': 'Battery discharge', 'pv-curtail': 'PV curtailed',
};

const BUYER_LABELS: Record<FlexRequestRecord['buyer'], string> = { tso: 'TSO', dso: 'DSO' };

/** The section for one run (`flex` undefined: the run had no flexibility market). */
/** The flexibility figures of `metrics.market.flexibility` (its series are in the run's time series). */
type FlexFigures = Omit<FlexibilityMetrics, 'series'>;

export function flexibilitySection(flex: FlexFigures | undefined, run: Pick<RunResult, 'series' | 'slotMinutes' | 'slots'>, time: ScenarioTime): string {
  const body = flex === undefined || flex.requests === 0
    ? '<p class="note">No flexibility request in this run.</p>'
    : `${summary(flex)}
<div class="table-scroll">${requestsTable(flex, run, time)}</div>${omitted(flex)}
<div class="table-scroll">${resourcesTable(flex)}</div>
<div class="table-scroll">${aggregatorsTable(flex)}</div>`;
  return `<section class="flexibility">
<h3>Flexibility</h3>
${body}
</section>`;
}

function summary(f: FlexFigures): string {
  const peak = f.peak === null ? '' : peakSentence(f.peak);
  return `<p class="flex-summary">${formatInteger(f.requests)} request${f.requests === 1 ? '' : 's'}:
<strong>${kwh(f.requestedKwh)} kWh</strong> requested, ${kwh(f.awardedKwh)} kWh awarded, <strong>${kwh(f.deliveredKwh)} kWh</strong> delivered (verified against the baselines)${f.unverifiedKwh > 0 ? `, ${kwh(f.unverifiedKwh)} kWh unverified (no baseline yet)` : ''}.
Owners were paid <strong>${money(f.paidMinor)}</strong> and penalised ${money(f.penaltiesMinor)} for shortfalls.
EV charging was paused in ${formatInteger(f.evPauses)} EV-slots (${formatInteger(f.evsPaused)} cars).${peak}
Energies kWh; money in major units.</p>`;
}

function peakSentence(p: NonNullable<FlexibilityMetrics['peak']>): string {
  const cutKw = p.plannedPeakKw - p.meteredPeakKw;
  const cutPct = p.plannedPeakKw > 0 ? (100 * cutKw) / p.plannedPeakKw : 0;
  return `
System peak import: <strong>${formatNumber(p.meteredPeakKw, 1)} kW</strong> metered, against ${formatNumber(p.plannedPeakKw, 1)} kW planned before flexibility
(the TSO's threshold: ${formatNumber(p.thresholdKw, 1)} kW), a reduction of <strong>${formatNumber(cutKw, 1)} kW (${formatNumber(cutPct, 1)} %)</strong>.`;
}

function requestsTable(f: FlexFigures, run: Pick<RunResult, 'series' | 'slotMinutes' | 'slots'>, time: ScenarioTime): string {
  const slotMs = run.slotMinutes * 60_000;
  const at = (slot: number): string => formatScenarioTime((run.series.timeMs[0] ?? 0) + slot * slotMs, time);
  const columns = [
    { label: 'Request' }, { label: 'Buyer' }, { label: 'Area' }, { label: 'Direction' },
    { label: `From (${escapeHtml(time.label)})` }, { label: `To (${escapeHtml(time.label)})` },
    { label: 'Max kW', numeric: true }, { label: 'Requested', numeric: true }, { label: 'Awarded', numeric: true },
    { label: 'Delivered', numeric: true }, { label: 'Unverified', numeric: true }, { label: 'Sites', numeric: true },
    { label: 'Paid', numeric: true }, { label: 'Penalties', numeric: true }, { label: 'Slots covered', numeric: true },
  ];
  const rows = f.records.map((r) => ({
    cells: [
      escapeHtml(r.id), BUYER_LABELS[r.buyer], escapeHtml(r.area), r.direction, at(r.startSlot), r.endSlot >= run.slots ? 'end of run' : at(r.endSlot),
      formatNumber(r.requestedKw, 1), kwh(r.requestedKwh), kwh(r.awardedKwh), kwh(r.deliveredKwh), kwh(r.unverifiedKwh), formatInteger(r.sites),
      money(r.paidMinor), money(r.penaltiesMinor), `${formatInteger(r.coveredSlots)} / ${formatInteger(r.slots)}${uncovered(r)}`,
    ],
  }));
  return htmlTable(columns, rows, 'flex-requests');
}

/** Why slots were not covered, when it was not for want of enough offers. */
function uncovered(r: FlexRequestRecord): string {
  const why = [
    r.noOfferSlots > 0 ? `${formatInteger(r.noOfferSlots)} without offers` : '',
    r.aboveCapSlots > 0 ? `${formatInteger(r.aboveCapSlots)} above the price cap` : '',
  ].filter((s) => s !== '');
  return why.length === 0 ? '' : ` (${why.join(', ')})`;
}

function omitted(f: FlexFigures): string {
  if (f.recordsOmitted === 0) return '';
  return `\n<p class="note">The first ${formatInteger(f.records.length)} requests are listed; ${formatInteger(f.recordsOmitted)} more are in the totals above.</p>`;
}

function resourcesTable(f: FlexFigures): string {
  const columns = [
    { label: 'Flexibility' }, { label: 'Activations', numeric: true }, { label: 'Awarded, kWh', numeric: true },
    { label: 'Delivered, kWh', numeric: true }, { label: 'Paid', numeric: true },
  ];
  const rows = f.byResource.filter((r) => r.activations > 0).map((r) => ({
    cells: [escapeHtml(RESOURCE_LABELS[r.resource] ?? r.resource), formatInteger(r.activations), kwh(r.awardedKwh), kwh(r.deliveredKwh), money(r.paidMinor)],
  }));
  return htmlTable(columns, rows, 'flex-resources');
}

function aggregatorsTable(f: FlexFigures): string {
  const columns = [
    { label: 'Aggregator' }, { label: 'Awarded, kWh', numeric: true }, { label: 'Delivered, kWh', numeric: true },
    { label: 'Paid', numeric: true }, { label: 'Penalties', numeric: true },
  ];
  const rows = f.byAggregator.filter((a) => a.awardedKwh > 0).map((a) => ({
    cells: [a.aggregator === null ? 'Sites on their own' : `VPP ${escapeHtml(a.aggregator)}`, kwh(a.awardedKwh), kwh(a.deliveredKwh), money(a.paidMinor), money(a.penaltiesMinor)],
  }));
  return htmlTable(columns, rows, 'flex-aggregators');
}
