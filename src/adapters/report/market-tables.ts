/**
 * The markets in the report: volume and average price per market (levels, communities, islands),
 * who paid and received what, the DSO's feed-in, imbalance and VPPs. Money is shown in major units
 * (minor units / 100).
 */
import type { MarketMetrics } from '../../core/market/market-metrics.js';
import type { RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';

const MARKET_LABELS: Record<string, string> = {
  street: 'Street', neighbourhood: 'Neighbourhood', city: 'City', dso: 'DSO', tso: 'TSO (wholesale)',
  community: 'Energy communities', island: 'Islanded microgrids',
};

const money = (minor: number): string => formatNumber(minor / 100, 2);
const price = (p: number | null): string => (p === null ? '–' : formatNumber(p, 2));

export function marketSummary(run: RunResult): string {
  const m = run.metrics.market;
  if (m === undefined) return '<p class="note">No market figures in this run.</p>';
  return `<p class="market-summary">Traded <strong>${formatNumber(m.tradedKwh, 1)} kWh</strong>;
<strong>${formatNumber(m.localTradePct, 1)} %</strong> of it cleared below the TSO (streets to DSO, communities, islands).
Prices are minor currency units per kWh before grid fees; money in major units.</p>
<div class="table-scroll">${bucketsTable(m)}</div>
<div class="table-scroll">${participantsTable(m)}</div>
${communitiesTable(m)}
${vppsTable(m)}`;
}

function bucketsTable(m: MarketMetrics): string {
  const columns = [
    { label: 'Market' }, { label: 'Volume, kWh', numeric: true }, { label: 'Average price', numeric: true },
    { label: 'Trades', numeric: true }, { label: 'Grid fees', numeric: true },
  ];
  const rows = m.buckets.map((b) => ({
    cells: [escapeHtml(MARKET_LABELS[b.market] ?? b.market), formatNumber(b.volumeKwh, 1), price(b.averagePriceMinorPerKwh), formatInteger(b.trades), money(b.feesMinor)],
  }));
  return htmlTable(columns, rows, 'market-levels');
}

function participantsTable(m: MarketMetrics): string {
  const columns = [{ label: 'Who' }, { label: 'Energy, kWh', numeric: true }, { label: 'Money', numeric: true }, { label: 'Note' }];
  const rows = [
    { cells: ['Sites buying', formatNumber(m.sites.boughtKwh, 1), money(m.sites.paidMinor), 'paid, grid fees included'] },
    { cells: ['Sites selling', formatNumber(m.sites.soldKwh, 1), money(m.sites.receivedMinor), 'received'] },
    { cells: ['Central plants', formatNumber(m.plants.soldKwh, 1), money(m.plants.revenueMinor), 'received'] },
    { cells: ['Market maker (interconnector)', `${formatNumber(m.marketMaker.soldKwh, 1)} sold / ${formatNumber(m.marketMaker.boughtKwh, 1)} bought`, money(m.marketMaker.netMinor), 'net received'] },
    { cells: ['DSO feed-in', formatNumber(m.feedIn.kwh, 1), `${money(m.feedIn.paidMinor)} paid / ${money(m.feedIn.resoldMinor)} back`, 'bought at the feed-in price, resold at the TSO'] },
    { cells: ['Imbalance, short', formatNumber(m.imbalance.shortKwh, 1), money(m.imbalance.chargedMinor), 'metered below traded: charged'] },
    { cells: ['Imbalance, long', formatNumber(m.imbalance.longKwh, 1), money(m.imbalance.paidMinor), 'metered above traded: paid'] },
  ];
  return htmlTable(columns, rows, 'market-participants');
}

function communitiesTable(m: MarketMetrics): string {
  if (m.communities.length === 0) return '';
  const columns = [{ label: 'Energy community' }, { label: 'Volume, kWh', numeric: true }, { label: 'Average price', numeric: true }];
  const rows = m.communities.map((c) => ({ cells: [escapeHtml(c.id), formatNumber(c.volumeKwh, 1), price(c.averagePriceMinorPerKwh)] }));
  return `<div class="table-scroll">${htmlTable(columns, rows, 'communities')}</div>`;
}

function vppsTable(m: MarketMetrics): string {
  if (m.vpps.length === 0) return '';
  const columns = [
    { label: 'Virtual power plant' }, { label: 'Sites', numeric: true }, { label: 'Output, kWh', numeric: true }, { label: 'Peak output, kW', numeric: true },
    { label: 'Sold pooled, kWh', numeric: true }, { label: 'Revenue', numeric: true }, { label: 'Washing cycles moved', numeric: true },
    { label: 'Washing price', numeric: true }, { label: 'Heating shifted, kWh', numeric: true }, { label: 'Heating price', numeric: true },
  ];
  const rows = m.vpps.map((v) => ({
    cells: [
      escapeHtml(v.id), formatInteger(v.sites), formatNumber(v.outputKwh, 1), formatNumber(v.peakOutputKw, 1), formatNumber(v.soldKwh, 1), money(v.revenueMinor),
      formatInteger(v.washingCyclesShifted), price(v.washingPriceMinorPerKwh), formatNumber(v.heatingShiftedKwh, 1), price(v.heatingPriceMinorPerKwh),
    ],
  }));
  return `<div class="table-scroll">${htmlTable(columns, rows, 'vpps')}</div>`;
}
