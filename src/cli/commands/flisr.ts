/**
 * `gridmesh flisr CASE.m --fault FROM-TO [--vmin 0.9] [--vmax 1.1] [--max-loading 100]
 *  [--sectionalisers LIST] [--ties LIST] [--no-partial] [--json]`
 *
 * Simulates fault location, isolation and service restoration on a MATPOWER feeder and prints the
 * switching steps and a summary (or the whole result as JSON). Default switch plan: a tie on every
 * out-of-service branch, a sectionaliser on every in-service one.
 */
import type { Command } from 'commander';
import { loadMatpowerFile } from '../../adapters/matpower-file.js';
import { UsageError } from '../../core/errors.js';
import type { BranchLabel } from '../../core/grid/flisr/branch-ref.js';
import type { BusGroup } from '../../core/grid/flisr/bus-groups.js';
import type { FlisrResult, FlisrStep, FlisrSummary } from '../../core/grid/flisr/flisr-result.js';
import { DEFAULT_FLISR_LIMITS, type FlisrLimits } from '../../core/grid/flisr/limits.js';
import { runFlisr } from '../../core/grid/flisr/run-flisr.js';
import { buildSwitchPlan } from '../../core/grid/flisr/switch-plan.js';

export interface FlisrFlags {
  fault?: string;
  vmin?: string;
  vmax?: string;
  maxLoading?: string;
  sectionalisers?: string;
  ties?: string;
  /** commander's `--no-partial` sets this to false. */
  partial?: boolean;
  json?: boolean;
}

export function registerFlisrCommand(program: Command): void {
  program
    .command('flisr')
    .description('self-healing on a MATPOWER feeder: locate and isolate a line fault, restore healthy sections through tie switches')
    .argument('<case>', 'MATPOWER case file (.m)')
    .requiredOption('--fault <from-to>', 'faulted branch by case bus numbers, e.g. 6-7')
    .option('--vmin <pu>', 'lowest voltage accepted after restoration', String(DEFAULT_FLISR_LIMITS.vminPu))
    .option('--vmax <pu>', 'highest voltage accepted after restoration', String(DEFAULT_FLISR_LIMITS.vmaxPu))
    .option('--max-loading <pct>', 'highest branch loading accepted, % of rateA (unrated branches: unlimited)', String(DEFAULT_FLISR_LIMITS.maxLoadingPct))
    .option('--sectionalisers <list>', 'comma-separated branches (from-to) with a sectionalising switch (default: every in-service branch)')
    .option('--ties <list>', 'comma-separated branches (from-to) with a normally open tie switch (default: every out-of-service branch)')
    .option('--no-partial', 'do not shed the far end of a section that no tie can carry whole')
    .option('--json', 'print the steps and summary as JSON')
    .action(async (file: string, flags: FlisrFlags) => {
      process.stdout.write(await flisrCommand(file, flags));
    });
}

/** The command's output for `file` and the flags as commander passes them (strings). */
export async function flisrCommand(file: string, flags: FlisrFlags): Promise<string> {
  if (flags.fault === undefined || flags.fault.trim() === '') throw new UsageError('--fault FROM-TO is required (e.g. --fault 6-7)');
  const limits = limitsFrom(flags);
  const network = await loadMatpowerFile(file);
  const plan = buildSwitchPlan(network, { sectionalisers: listFrom(flags.sectionalisers), ties: listFrom(flags.ties) });
  const result = runFlisr(network, plan, { branch: flags.fault.trim() }, limits, { partialRestoration: flags.partial !== false });
  if (flags.json === true) return JSON.stringify({ steps: result.steps, summary: result.summary }, null, 2) + '\n';
  return formatFlisr(result);
}

function limitsFrom(flags: FlisrFlags): FlisrLimits {
  return {
    vminPu: numberFlag('--vmin', flags.vmin, DEFAULT_FLISR_LIMITS.vminPu),
    vmaxPu: numberFlag('--vmax', flags.vmax, DEFAULT_FLISR_LIMITS.vmaxPu),
    maxLoadingPct: numberFlag('--max-loading', flags.maxLoading, DEFAULT_FLISR_LIMITS.maxLoadingPct),
  };
}

function numberFlag(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return value;
}

function listFrom(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The human-readable report: the steps as a table, then the summary. */
export function formatFlisr(result: FlisrResult): string {
  const s = result.summary;
  const l = s.limits;
  return [
    `${s.case}: fault on ${name(s.faultedBranch)}, feeder breaker ${name(s.breaker)}`
      + ` (limits: ${l.vminPu}–${l.vmaxPu} pu, loading ≤ ${l.maxLoadingPct} %)`,
    '',
    stepTable(result.steps),
    '',
    ...summaryLines(s),
  ].join('\n') + '\n';
}

const name = (b: BranchLabel): string => `${b.from}–${b.to}`;
const kw = (x: number): string => `${x.toFixed(1)} kW`;

function stepTable(steps: readonly FlisrStep[]): string {
  const header = ['step', 't (s)', 'action', 'switch', 'kind', 'buses', 'load (kW)', 'note'];
  const rows = steps.map((st) => [
    String(st.step), st.timeS.toFixed(1), st.action, st.branch === null ? '-' : name(st.branch), st.switchKind ?? '-',
    st.buses.length === 0 ? '-' : busRanges(st.buses), st.loadKw.toFixed(1), st.note,
  ]);
  const right = new Set([0, 1, 6]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string =>
    row.map((cell, c) => (right.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function summaryLines(s: FlisrSummary): string[] {
  const f = s.final;
  const loading = f.maxLoading === null ? 'no rated branch' : `${f.maxLoading.pct.toFixed(1)} % on ${name(f.maxLoading.branch)}`;
  const viaTies = s.restoredViaTies.map((r) =>
    `${kw(r.loadKw)} via tie ${name(r.tie)} (buses ${busRanges(r.buses)}, t = ${r.timeS} s`
    + `${r.shedSwitches.length > 0 ? `, far end shed at ${r.shedSwitches.map(name).join(', ')}` : ''})`);
  return [
    `interrupted   ${kw(s.totals.interruptedKw)} at ${s.interrupted.customers} load points by the trip`,
    `isolated      ${groupText(s.isolated)} between ${s.isolated.switches.map(name).join(', ')}`,
    s.restoredUpstream.buses.length === 0
      ? `restored      nothing upstream (the breaker ${name(s.breaker)} isolates the fault)`
      : `restored      ${kw(s.restoredUpstream.loadKw)} upstream by reclosing ${name(s.breaker)}`,
    ...viaTies.map((t) => `              ${t}`),
    `to island     ${groupsText(s.toIsland)}`,
    `unserved      ${groupsText(s.unserved)}`,
    `final         Vmin ${f.vmin.pu.toFixed(5)} pu at bus ${f.vmin.bus}, Vmax ${f.vmax.pu.toFixed(5)} pu at bus ${f.vmax.bus}, `
      + `max loading ${loading}, losses ${kw(f.lossesKw)}, ${f.radial ? 'radial' : 'MESHED'}`,
    ...(f.violation === null ? [] : [`              outside limits: ${f.violation}`]),
    s.tieEvaluations.length === 0 ? 'ties tried    none' : 'ties tried',
    ...s.tieEvaluations.map((e) => `  ${name(e.tie)} ${e.mode} (buses ${busRanges(e.buses)}): ${e.acceptable ? 'ok' : 'rejected'}, ${e.reason}`
      + `${e.vminPu === null ? '' : ` (Vmin ${e.vminPu.toFixed(4)} pu)`}`),
    `restoration   done at t = ${s.restorationTimeS} s, ${s.powerFlows} power flows`,
  ];
}

function groupText(g: BusGroup): string {
  return g.buses.length === 0 ? 'none' : `buses ${busRanges(g.buses)} (${kw(g.loadKw)})`;
}

function groupsText(groups: readonly BusGroup[]): string {
  return groups.length === 0 ? 'none' : groups.map(groupText).join('; ');
}

/** Sorted bus numbers as ranges: 2, 3, 4, 6 → "2–4, 6". */
export function busRanges(buses: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < buses.length;) {
    let j = i;
    while (j + 1 < buses.length && (buses[j + 1] as number) === (buses[j] as number) + 1) j++;
    parts.push(j === i ? String(buses[i]) : `${buses[i]}–${buses[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
