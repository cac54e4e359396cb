/**
 * A simulated run with the trust layer (ADR 0010): identities and credentials first (async: jose),
 * then the chain and the ledger store, then the slot engine, submitting each slot's statements
 * between slots so that islanded units' backlogs are reconciled in simulated time.
 */
import { mkdir } from 'node:fs/promises';
import type { Hex } from 'viem';
import { withComparisons } from '../../core/control/agents/comparison-runs.js';
import { prepareRun, simulate, slotsOfRun, type SimulateOptions } from '../../core/sim/simulate.js';
import type { RunResult } from '../../core/sim/results-types.js';
import type { Scenario } from '../../core/sim/scenario-schema.js';
import { prepareTrust } from '../../core/trust/trust-setup.js';
import { SimulationLedger } from './simulation-ledger.js';

export interface TrustRunIo {
  /** Where `ledger.sqlite` goes (the run's output folder). */
  readonly outDir: string;
  readonly chainRpc?: string;
}

export async function simulateWithTrust(scenario: Scenario, options: Omit<SimulateOptions, 'trust'>, io: TrustRunIo): Promise<RunResult> {
  const seed = options.seed ?? scenario.seed;
  const slots = slotsOfRun(scenario, options.days ?? scenario.days);
  const setup = await prepareTrust(scenario, seed, slots);
  await mkdir(io.outDir, { recursive: true });
  const key = process.env['GRIDMESH_CHAIN_KEY'];
  const ledger = await SimulationLedger.open({
    outDir: io.outDir, scenario, seed, slots, setup,
    ...(io.chainRpc === undefined ? {} : { chainRpc: io.chainRpc }),
    ...(key === undefined || key === '' ? {} : { chainKey: key as Hex }),
  });
  try {
    ledger.nameAccounts(setup);
    const run = prepareRun(scenario, { ...options, mode: 'autonomous', trust: { setup, domain: ledger.domain, outbox: ledger.outbox } });
    const every = Math.max(1, options.progressEverySlots ?? 96);
    for (let slot = 0; slot < run.slots; slot++) {
      run.engine.step(slot);
      await ledger.pump(slot);
      if (options.onProgress !== undefined && ((slot + 1) % every === 0 || slot + 1 === run.slots)) options.onProgress(slot + 1, run.slots);
    }
    const result = withComparisons(run.finish(), scenario, options, simulate);
    const chain = await ledger.finish();
    const trust = result.metrics.trust;
    return trust === undefined ? result : { ...result, metrics: { ...result.metrics, trust: { ...trust, chain } } };
  } finally {
    await ledger.close();
  }
}
