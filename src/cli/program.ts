/**
 * The `gridmesh` command. Expected failures (bad scenario, option or case file; a power flow that
 * cannot be solved) print a clear message and exit with code 2; broken invariants and unexpected
 * errors exit with code 1.
 */
import { Command, CommanderError } from 'commander';
import { GridmeshError } from '../core/errors.js';
import { InvariantError } from '../core/assert.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerPowerflowCommand } from './commands/powerflow.js';
import { registerFlisrCommand } from './commands/flisr.js';
import { registerCascadeCommand } from './commands/cascade.js';
import { registerMarketCommands } from './commands/market.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerForecastCommands } from './commands/forecast.js';
import { registerDevicesCommands } from './commands/devices.js';
import { registerServeCommand } from './commands/serve.js';
import { packageVersion } from './package-version.js';

export function buildProgram(): Command {
  const program = new Command('gridmesh')
    .description('gridmesh: autonomous, resilient electricity grids built as a network of microgrids')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  registerSimulateCommand(program);
  registerScenarioCommands(program);
  registerPowerflowCommand(program);
  registerFlisrCommand(program);
  registerCascadeCommand(program);
  registerMarketCommands(program);
  registerLedgerCommands(program);
  registerForecastCommands(program);
  registerDevicesCommands(program);
  registerServeCommand(program);
  return program;
}

export function exitCodeFor(error: unknown): number {
  // Bad input of any kind (scenario, option, case file, a power flow that cannot be solved).
  if (error instanceof GridmeshError) return 2;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return 1;
}

export function describeError(error: unknown): string {
  if (error instanceof GridmeshError) {
    return [`error: ${error.message}`, ...error.details.map((d) => `  - ${d}`)].join('\n');
  }
  if (error instanceof InvariantError) {
    return `invariant violated (a bug in gridmesh, please report it): ${error.message}\n${JSON.stringify(error.details ?? {}, null, 2)}`;
  }
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
