/**
 * `gridmesh powerflow CASE.m [--method auto|sweep|newton] [--json]`
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { loadMatpowerFile } from '../../adapters/matpower-file.js';
import { UsageError } from '../../core/errors.js';
import { METHOD_CHOICES, runPowerFlow, type MethodChoice, type PowerFlowReport } from '../../core/grid/powerflow/run-power-flow.js';

export function registerPowerflowCommand(program: Command): void {
  program
    .command('powerflow')
    .description('AC power flow of a MATPOWER case file (version 2): losses, voltage extremes, iterations')
    .argument('<case>', 'MATPOWER case file (.m)')
    .option('--method <method>', 'auto (sweep when radial with one source, else Newton-Raphson), sweep or newton', 'auto')
    .option('--json', 'print the full result as JSON (buses and branches included)')
    .action(async (file: string, opts: { method: string; json?: boolean }) => {
      process.stdout.write(await powerflowCommand(file, opts));
    });
}

export async function powerflowCommand(file: string, opts: { method: string; json?: boolean }): Promise<string> {
  if (!(METHOD_CHOICES as readonly string[]).includes(opts.method)) {
    throw new UsageError(`--method must be one of ${METHOD_CHOICES.join(', ')}, got "${opts.method}"`);
  }
  const network = await loadMatpowerFile(file);
  const t0 = performance.now();
  const { report } = runPowerFlow(network, opts.method as MethodChoice);
  const timeMs = performance.now() - t0;
  if (opts.json === true) return JSON.stringify({ ...report, timeMs }, null, 2) + '\n';
  return summary(report, timeMs, network.buses.length, network.branches.length);
}

function summary(r: PowerFlowReport, timeMs: number, buses: number, branches: number): string {
  const lines = [
    `${r.case}: ${buses} buses, ${branches} branches`,
    `method      ${r.method} (${r.iterations} iterations, max mismatch ${r.maxMismatchPu.toExponential(2)} pu)`,
    `losses      ${r.lossesKw.toFixed(3)} kW, ${r.lossesKvar.toFixed(3)} kvar`,
    `Vmin        ${r.vmin.pu.toFixed(5)} pu at bus ${r.vmin.bus}`,
    `Vmax        ${r.vmax.pu.toFixed(5)} pu at bus ${r.vmax.bus}`,
    `time        ${timeMs.toFixed(2)} ms`,
  ];
  if (r.deEnergisedBuses.length > 0) lines.push(`de-energised ${r.deEnergisedBuses.length} buses without a source: ${r.deEnergisedBuses.slice(0, 20).join(', ')}${r.deEnergisedBuses.length > 20 ? ', …' : ''}`);
  return lines.join('\n') + '\n';
}
