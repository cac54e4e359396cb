/**
 * `gridmesh cascade CASE.m (--trip FROM-TO[,FROM-TO…] | --load-scale X) [--margin PCT] [--close-ties]
 *   [--trip-above PCT] [--mode baseline|autonomous|both] [--critical BUSES] [--essential BUSES]
 *   [--microgrid BUSES:KW]… [--max-rounds N] [--json]`
 *
 * An overload cascade on a MATPOWER case: the rounds (branches tripped, buses lost, load shed) and
 * the cascade's size, for each mode side by side.
 */
import type { Command } from 'commander';
import { loadMatpowerFile } from '../../adapters/matpower-file.js';
import { UsageError } from '../../core/errors.js';
import type { PowerNetwork } from '../../core/grid/network.js';
import { rateFromBaseCase, withAllBranchesClosed } from '../../core/grid/cascade/rate-from-base-case.js';
import { runCascade } from '../../core/grid/cascade/run-cascade.js';
import type { BranchRef, CascadeMode, CascadeResult, CascadeRound, CascadeTrigger, MicrogridSpec, PriorityClass } from '../../core/grid/cascade/cascade-types.js';

export interface CascadeCommandOptions {
  trip?: string;
  loadScale?: string;
  margin?: string;
  closeTies?: boolean;
  tripAbove?: string;
  mode?: string;
  critical?: string;
  essential?: string;
  microgrid?: string[];
  maxRounds?: string;
  json?: boolean;
}

const MODES = ['baseline', 'autonomous', 'both'] as const;

export function registerCascadeCommand(program: Command): void {
  program
    .command('cascade')
    .description('overload cascade on a MATPOWER case after a branch outage or a load increase, baseline and autonomous side by side')
    .argument('<case>', 'MATPOWER case file (.m)')
    .option('--trip <branches>', 'trigger: outage of these branches, by case bus numbers (e.g. 6-7 or 6-7,9-15)')
    .option('--load-scale <x>', 'trigger: multiply every load by X (e.g. 1.3)')
    .option('--margin <pct>', 'rate every branch at its base-case loading plus PCT % (for cases without ratings)')
    .option('--close-ties', 'first close every out-of-service branch (the case\'s tie switches): the meshed grid')
    .option('--trip-above <pct>', 'a branch loaded above this % of its rating trips', '100')
    .option('--mode <mode>', 'baseline (protection only), autonomous (controllers shed and island) or both', 'both')
    .option('--critical <buses>', 'buses with critical load, shed last (e.g. 7,18,25)')
    .option('--essential <buses>', 'buses with essential load, shed after normal load')
    .option('--microgrid <buses:kw>', 'a microgrid that can island: its buses (grid-forming unit first) and capacity, e.g. 18,17,16:250 (repeatable)', collect, [])
    .option('--max-rounds <n>', 'bound on overload rounds', '50')
    .option('--json', 'print the rounds and summaries as JSON')
    .action(async (file: string, opts: CascadeCommandOptions) => {
      process.stdout.write(await cascadeCommand(file, opts));
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function cascadeCommand(file: string, opts: CascadeCommandOptions): Promise<string> {
  const trigger = parseTrigger(opts);
  const modes = parseModes(opts.mode ?? 'both');
  const margin = opts.margin === undefined ? undefined : parseNumber('--margin', opts.margin);
  const options = {
    tripAbovePct: parseNumber('--trip-above', opts.tripAbove ?? '100'),
    maxRounds: parseNumber('--max-rounds', opts.maxRounds ?? '50'),
    priorities: { ...priorityMap(opts.essential, 'essential', '--essential'), ...priorityMap(opts.critical, 'critical', '--critical') },
    islandable: (opts.microgrid ?? []).map(parseMicrogrid),
  };
  const network = prepareNetwork(await loadMatpowerFile(file), opts.closeTies === true, margin);
  const runs = modes.map((mode) => runCascade(network, trigger, { mode, ...options }));
  const setup = describeSetup(network.name, opts.closeTies === true, margin);
  if (opts.json === true) return JSON.stringify({ case: network.name, setup, runs }, null, 2) + '\n';
  return [`${setup}: ${runs[0]?.trigger}, trip above ${options.tripAbovePct} %`, '', ...runs.flatMap(roundLines), summaryTable(runs)].join('\n') + '\n';
}

function prepareNetwork(network: PowerNetwork, closeTies: boolean, margin: number | undefined): PowerNetwork {
  const meshed = closeTies ? withAllBranchesClosed(network) : network;
  return margin === undefined ? meshed : rateFromBaseCase(meshed, margin);
}

function describeSetup(name: string, closeTies: boolean, margin: number | undefined): string {
  const parts = [closeTies ? 'ties closed' : '', margin === undefined ? 'case ratings' : `rated at base case + ${margin} %`].filter((p) => p !== '');
  return `${name} (${parts.join(', ')})`;
}

function parseTrigger(opts: CascadeCommandOptions): CascadeTrigger {
  if ((opts.trip === undefined) === (opts.loadScale === undefined)) {
    throw new UsageError('give exactly one trigger: --trip FROM-TO or --load-scale X');
  }
  if (opts.loadScale !== undefined) return { loadScale: parseNumber('--load-scale', opts.loadScale) };
  const branches = (opts.trip ?? '').split(',').map(parseBranch);
  return branches.length === 1 ? { branch: branches[0] as BranchRef } : { branches };
}

function parseBranch(text: string): BranchRef {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new UsageError(`--trip takes branches as FROM-TO bus numbers (e.g. 6-7), got "${text}"`);
  return { from: Number(m[1]), to: Number(m[2]) };
}

function parseModes(mode: string): CascadeMode[] {
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  return mode === 'both' ? ['baseline', 'autonomous'] : [mode as CascadeMode];
}

function parseNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${name} must be a non-negative number, got "${text}"`);
  return value;
}

function parseBuses(name: string, text: string): number[] {
  return text.split(',').map((part) => {
    const id = Number(part);
    if (part.trim() === '' || !Number.isInteger(id) || id <= 0) throw new UsageError(`${name} takes bus numbers separated by commas, got "${text}"`);
    return id;
  });
}

function priorityMap(text: string | undefined, cls: PriorityClass, name: string): Record<number, PriorityClass> {
  return text === undefined ? {} : Object.fromEntries(parseBuses(name, text).map((id) => [id, cls]));
}

function parseMicrogrid(text: string, index: number): MicrogridSpec {
  const [buses, kw, ...rest] = text.split(':');
  if (buses === undefined || kw === undefined || rest.length > 0) throw new UsageError(`--microgrid takes BUSES:KW (e.g. 18,17,16:250), got "${text}"`);
  return { name: `microgrid ${index + 1}`, buses: parseBuses('--microgrid', buses), capacityKw: parseNumber('--microgrid capacity', kw) };
}

const kw = (x: number): string => x.toFixed(1);

function roundLines(run: CascadeResult): string[] {
  return [run.mode, ...run.rounds.flatMap(roundText), ''];
}

function roundText(r: CascadeRound): string[] {
  const head = `  round ${r.round}`.padEnd(11);
  const parts: string[] = [];
  const branches = r.tripped.map((t) => (t.loadingPct === null ? `${t.from}-${t.to}` : `${t.from}-${t.to} (${t.loadingPct.toFixed(1)} %)`));
  if (branches.length > 0) parts.push(`${r.round === 0 ? 'trigger' : 'tripped'} ${branches.length}: ${branches.join(', ')}`);
  if (r.deEnergisedBuses.length > 0) parts.push(`lost ${r.deEnergisedBuses.length} buses (${busList(r.deEnergisedBuses)}), ${kw(r.lostLoadKw)} kW`);
  if (r.islandedBuses.length > 0) parts.push(`islanded ${r.islandedBuses.length} buses (${busList(r.islandedBuses)})`);
  if (r.shedLoadKw > 0) parts.push(`shed ${kw(r.shedLoadKw)} kW`);
  if (parts.length === 0) parts.push(r.round === 0 ? 'trigger applied' : 'no change');
  return [head + parts.join('; '), ...r.notes.map((n) => `${' '.repeat(11)}${n}`)];
}

function busList(buses: readonly number[]): string {
  return buses.length <= 12 ? buses.join(', ') : `${buses.slice(0, 12).join(', ')}, …`;
}

type Row = [label: string, value: (r: CascadeResult) => string];

const ROWS: Row[] = [
  ['lines tripped', (r) => String(r.summary.linesTripped)],
  ['customers lost (buses)', (r) => String(r.summary.customersLost)],
  ['customers shed (buses)', (r) => String(r.summary.customersShed)],
  ['load lost (kW)', (r) => kw(r.summary.loadLostKw)],
  ['load shed (kW)', (r) => kw(r.summary.loadShedKw)],
  ['load islanded (kW)', (r) => kw(r.summary.loadIslandedKw)],
  ['load served (kW)', (r) => `${kw(r.summary.servedKw)} / ${kw(r.summary.demandKw)}`],
  ['critical served (kW)', (r) => `${kw(r.summary.criticalServedKw)} / ${kw(r.summary.criticalDemandKw)}`],
  ['rounds', (r) => String(r.summary.rounds)],
];

function summaryTable(runs: readonly CascadeResult[]): string {
  const header = ['', ...runs.map((r) => r.mode)];
  const body = ROWS.map(([label, value]) => [label, ...runs.map(value)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
