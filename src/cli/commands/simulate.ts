/**
 * `gridmesh simulate [scenario] [--mode autonomous|baseline|both] [--days N] [--seed N] [--out DIR]`
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadScenarioFile } from '../../adapters/scenario-file.js';
import { writeRunOutputs } from '../../adapters/results-files.js';
import { loadFeederNetworks } from '../../adapters/feeder-networks.js';
import { UsageError } from '../../core/errors.js';
import type { RunResult, SimulationMode } from '../../core/sim/results-types.js';
import { simulate } from '../../core/sim/simulate.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import type { ControlRunOptions } from '../../core/control/agents/control-run.js';
import { loadHighsSolver, SIMULATION_BUDGET } from '../../adapters/solver/highs-lp-solver.js';
import { simulateWithTrust } from '../../adapters/trust/simulate-with-trust.js';
import { LEDGER_FILE } from '../../adapters/trust/simulation-ledger.js';
import { packageVersion } from '../package-version.js';
import { createProgress } from '../progress.js';
import { summaryTable } from '../summary-table.js';
import { parseChainRpcUrl } from '../chain-rpc-option.js';

export const DEFAULT_SCENARIO = 'examples/riverside.yaml';
const MODES = ['autonomous', 'baseline', 'both'] as const;

export interface SimulateCommandOptions {
  mode?: string;
  days?: string;
  seed?: string;
  out?: string;
  progress?: boolean;
  /** false with `--no-trust`. */
  trust?: boolean;
  chainRpc?: string;
  /** false with `--no-ems`. */
  ems?: boolean;
}

export interface SimulateOutcome {
  runs: RunResult[];
  files: string[];
  summary: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('simulate a scenario (default: the Riverside example) and write results.json, timeseries.csv and report.html')
    .argument('[scenario]', 'scenario file (YAML or JSON)', DEFAULT_SCENARIO)
    .option('--mode <mode>', 'autonomous (gridmesh), baseline (today\'s grid) or both', 'both')
    .option('--days <n>', 'simulate this many days instead of the scenario\'s (may be fractional)')
    .option('--seed <n>', 'random seed instead of the scenario\'s (integer 0..4294967295)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .option('--no-trust', 'no trust layer (signed readings, statements, chain): physics and markets only')
    .option('--no-ems', 'no site EMS (model-predictive control) even if the scenario enables it: devices run naively')
    .option('--chain-rpc <url>', 'settle on this EVM JSON-RPC endpoint instead of the embedded chain (key: $GRIDMESH_CHAIN_KEY, else the node\'s first account)')
    .action(async (scenario: string, opts: SimulateCommandOptions) => {
      const outcome = await runSimulateCommand(scenario, opts);
      process.stdout.write(`${outcome.summary}\n\nwrote ${outcome.files.join(', ')}\n`);
    });
}

export async function runSimulateCommand(scenarioPath: string, opts: SimulateCommandOptions): Promise<SimulateOutcome> {
  const modes = parseMode(opts.mode ?? 'both');
  const days = opts.days === undefined ? undefined : parseNumber('--days', opts.days, false);
  const seed = opts.seed === undefined ? undefined : parseNumber('--seed', opts.seed, true);
  const path = resolveScenarioPath(scenarioPath);
  const scenario = await loadScenarioFile(path);
  const feederNetworks = await loadFeederNetworks(scenario, path);
  const runs: RunResult[] = [];
  const out = opts.out ?? 'out';
  const chainRpc = opts.chainRpc === undefined ? undefined : parseChainRpcUrl(opts.chainRpc);
  const control = await controlOptions(scenario, opts.ems !== false);
  for (const mode of modes) {
    const progress = createProgress(mode.padEnd(10), opts.progress !== false && process.stderr.isTTY === true);
    const options = { mode, ...(days === undefined ? {} : { days }), ...(seed === undefined ? {} : { seed }), feederNetworks, control, onProgress: (d: number, t: number) => progress.update(d, t) };
    try {
      const trusted = mode === 'autonomous' && opts.trust !== false && scenario.trust.enabled;
      runs.push(trusted ? await simulateWithTrust(scenario, options, { outDir: out, ...(chainRpc === undefined ? {} : { chainRpc }) }) : simulate(scenario, options));
    } finally {
      progress.stop();
    }
  }
  const files = await writeRunOutputs(out, runs, `gridmesh ${packageVersion()}`);
  if (runs.some((r) => r.metrics.trust !== undefined)) files.push(join(out, LEDGER_FILE));
  return { runs, files, summary: `${scenario.name}: ${runs[0]?.sites} sites, ${runs[0]?.slots} slots of ${scenario.slotMinutes} min, seed ${runs[0]?.seed}\n\n${summaryTable(runs)}` };
}

/**
 * The site EMS plans with HiGHS (loaded only when the scenario enables the EMS), on a work budget so
 * the run is reproducible (highs-lp-solver.ts); `--no-ems` turns it off.
 */
async function controlOptions(scenario: Scenario, ems: boolean): Promise<ControlRunOptions> {
  if (!ems) return { ems: 'off' };
  if (!scenario.control.ems.enabled) return {};
  return { solver: await loadHighsSolver({ budget: SIMULATION_BUDGET }) };
}


function parseMode(mode: string): SimulationMode[] {
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  return mode === 'both' ? ['autonomous', 'baseline'] : [mode as SimulationMode];
}

function parseNumber(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= 0;
  if (!ok) throw new UsageError(`${name} must be a ${integer ? 'non-negative integer' : 'positive number'}, got "${text}"`);
  return value;
}

/** The default scenario is looked up in the working folder first, then in the installed package. */
export function resolveScenarioPath(path: string): string {
  if (path !== DEFAULT_SCENARIO || existsSync(path)) return resolve(path);
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return join(packageRoot, DEFAULT_SCENARIO);
}
