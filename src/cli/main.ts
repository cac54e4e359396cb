#!/usr/bin/env node
/** Entry point of the `gridmesh` bin. */
import { CommanderError } from 'commander';
import { buildProgram, describeError, exitCodeFor } from './program.js';

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = exitCodeFor(error);
      return; // commander already printed its message
    }
    process.stderr.write(describeError(error) + '\n');
    process.exitCode = exitCodeFor(error);
  }
}

await main();
