/**
 * The simple rule's figures for a scenario (issue 6): the same scenario run again in autonomous mode
 * with `autonomy.rationing: simple`, without the trust layer (it changes neither energy nor islands)
 * and without the EMS's own comparison run, so an autonomous run with the forecast rule can report
 * survival and energy not served next to the spine's rule (`metrics.rationing.simpleRule`).
 * Pure and deterministic like `simulate`.
 */
import type { PowerNetwork } from '../../grid/network.js';
import type { RationingFigures, RunResult } from '../../sim/results-types.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import { simulate, type SimulateOptions } from '../../sim/simulate.js';
import { IslandController } from '../island-controller.js';
import type { ControlRunOptions } from '../agents/control-run.js';
import { rationingFigures } from './rationing-figures.js';

export interface ComparisonOptions {
  seed?: number;
  days?: number;
  feederNetworks?: ReadonlyMap<string, PowerNetwork>;
  /** The main run's control options (its EMS solver), so both runs plan their sites alike. */
  control?: ControlRunOptions;
}

/** How a run is made; `simulate` unless a caller that is itself inside `simulate` passes it in. */
export type SimulateRun = (scenario: Scenario, options: SimulateOptions) => RunResult;

export function simpleRuleFigures(scenario: Scenario, options: ComparisonOptions = {}, run: SimulateRun = simulate): RationingFigures {
  const simple: Scenario = {
    ...scenario,
    autonomy: { ...scenario.autonomy, rationing: 'simple' },
    control: { ...scenario.control, ems: { ...scenario.control.ems, compareWithoutEms: false } },
  };
  const result = run(simple, {
    mode: 'autonomous',
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.days === undefined ? {} : { days: options.days }),
    ...(options.feederNetworks === undefined ? {} : { feederNetworks: options.feederNetworks }),
    ...(options.control === undefined ? {} : { control: options.control }),
    stages: { islands: new IslandController({ rationing: 'simple' }) },
  });
  return rationingFigures(result.metrics.islands);
}
