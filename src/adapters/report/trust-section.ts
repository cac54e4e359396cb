/**
 * The trust layer in the report (ADR 0010): signed readings and orders accepted and rejected by
 * reason (the rogue devices of the scenario show here), statements final, queued while islanded and
 * committed on chain, validator dissent, chain transactions and gas, island backlogs and how long
 * they took to reconcile, the largest balances and the flexibility payouts on chain.
 */
import type { RunResult } from '../../core/sim/results-types.js';
import type { ChainMetrics, TrustMetrics } from '../../core/trust/trust-metrics.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';

const money = (minor: number): string => formatNumber(minor / 100, 2);

const REASON_LABELS: Record<string, string> = {
  'malformed': 'malformed', 'unknown-device': 'unknown device', 'future-slot': 'slot in the future', 'stale-slot': 'slot too old',
  'revoked': 'credential revoked', 'credential-expired': 'credential expired', 'not-yet-valid': 'credential not yet valid',
  'replay': 'replayed', 'bad-signature': 'bad signature (forged key)', 'implausible': 'implausible (beyond the rating)',
};

export function trustSection(run: Pick<RunResult, 'metrics' | 'slotMinutes'>): string {
  const t = run.metrics.trust;
  if (t === undefined) return '';
  return `<section class="trust">
<h3>Trust and settlement</h3>
${summary(t)}
<div class="table-scroll">${rejectionsTable(t)}</div>
${t.chain === undefined ? '' : chainSection(t.chain, run.slotMinutes)}
${dissent(t)}
</section>`;
}

function summary(t: TrustMetrics): string {
  const rejected = (c: TrustMetrics['readings']): number => Object.values(c.rejected).reduce((a, b) => a + b, 0);
  return `<p class="trust-summary">${formatInteger(t.devices)} identities (every site's meter and owner) admitted by ${formatInteger(t.gatekeepers)} gatekeeper${t.gatekeepers === 1 ? '' : 's'};
${formatInteger(t.units.length)} settlement units with ${formatInteger(t.units[0]?.validators ?? 0)} validators each.
Signed readings: <strong>${formatInteger(t.readings.accepted)} accepted</strong>, <strong>${formatInteger(rejected(t.readings))} rejected</strong> (not settled).
Signed orders: ${formatInteger(t.orders.accepted)} accepted, ${formatInteger(rejected(t.orders))} rejected.
${t.readings.overAuthorised > 0 || t.cappedSiteSlots > 0 ? `${formatInteger(t.readings.overAuthorised)} readings beyond the meter's authorised import (flagged); the controllers capped ${formatInteger(t.cappedSiteSlots)} site-slots.` : ''}
Statements: <strong>${formatInteger(t.statements.final)} final</strong> (quorum of validator signatures), ${formatInteger(t.statements.noQuorum)} without quorum, ${formatInteger(t.statements.producedOffline)} co-signed while the unit had no path to the chain.</p>`;
}

function rejectionsTable(t: TrustMetrics): string {
  const reasons = Object.entries(t.readings.rejected).filter(([, n]) => n > 0);
  if (reasons.length === 0) return '<p class="note">No reading was rejected.</p>';
  const rows = reasons.map(([reason, n]) => {
    const devices = new Set(t.rejectedReadings.filter((r) => r.reason === reason).map((r) => r.device ?? '?'));
    return { cells: [escapeHtml(REASON_LABELS[reason] ?? reason), formatInteger(n), escapeHtml([...devices].slice(0, 3).map(shortDid).join(', '))] };
  });
  return htmlTable([{ label: 'Readings rejected because' }, { label: 'readings', numeric: true }, { label: 'devices (listed)' }], rows, 'rejections');
}

function chainSection(c: ChainMetrics, slotMinutes: number): string {
  const reconcile = c.reconciliations.length === 0 ? '' : htmlTable(
    [{ label: 'Unit reconnected' }, { label: 'backlog (statements)', numeric: true }, { label: 'reconnected at slot', numeric: true }, { label: 'committed by slot', numeric: true }, { label: 'wall time (ms)', numeric: true }],
    c.reconciliations.map((r) => ({ cells: [escapeHtml(r.unit), formatInteger(r.statements), formatInteger(r.reconnectedSlot), formatInteger(r.committedSlot), formatInteger(r.wallMs)] })),
    'reconciliations',
  );
  const balances = htmlTable(
    [{ label: 'Account' }, { label: 'balance on chain', numeric: true }],
    c.balances.top.map((b) => ({ cells: [escapeHtml(b.account), money(b.balanceMinor)] })),
    'balances',
  );
  return `<p class="chain-summary">Chain: ${c.kind === 'embedded' ? 'the embedded EVM' : 'an external EVM (JSON-RPC)'} (chain id ${c.chainId}), Settlement contract <code>${escapeHtml(c.settlement)}</code>.
<strong>${formatInteger(c.committed)} statements committed</strong>, ${formatInteger(c.duplicates)} duplicates (no-ops), ${formatInteger(c.conflicts)} conflicts, ${formatInteger(c.queued)} still queued at the end;
${formatInteger(c.transactions)} transactions, ${formatInteger(c.gasUsed)} gas${c.submitErrors > 0 ? `, <strong>${formatInteger(c.submitErrors)} failed submissions</strong> (retried or marked failed; see \`gridmesh ledger verify\`)` : ''}. Largest backlog: ${formatInteger(c.backlogMax)} statements${c.reconciliations.length === 0 ? '' : `; islands reconciled within ${formatInteger(c.reconciliationSlotsMax)} slots (${formatNumber((c.reconciliationSlotsMax * slotMinutes) / 60, 2)} h) of reconnection`}.
Flexibility paid on chain: ${money(c.flexibilityPayoutsMinor)}. Balances of ${formatInteger(c.balances.accounts)} accounts (major units; market accounts stand for everyone outside their unit).</p>
${reconcile === '' ? '' : `<div class="table-scroll">${reconcile}</div>`}
<div class="table-scroll">${balances}</div>`;
}

function dissent(t: TrustMetrics): string {
  if (t.dissent.count === 0) return '<p class="note">Every validator computed the same statements.</p>';
  const rows = t.dissent.listed.slice(0, 10).map((d) => ({ cells: [escapeHtml(d.validator), escapeHtml(d.unit), formatInteger(d.slot), escapeHtml(d.fields.join(', '))] }));
  return `<p class="dissent"><strong>${formatInteger(t.dissent.count)} dissenting votes</strong>: validators that computed another statement than the quorum (reported, not counted).</p>
<div class="table-scroll">${htmlTable([{ label: 'Validator' }, { label: 'unit' }, { label: 'slot', numeric: true }, { label: 'fields that differ' }], rows, 'dissent')}</div>`;
}

function shortDid(did: string): string {
  return did.length > 24 ? `${did.slice(0, 16)}…${did.slice(-6)}` : did;
}
