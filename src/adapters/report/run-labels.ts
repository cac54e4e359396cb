import type { SimulationMode } from '../../core/sim/results-types.js';

/** What each mode means, in the words the report uses for its columns and sections. */
export const MODE_LABELS: Record<SimulationMode, string> = {
  autonomous: 'Autonomous (gridmesh)',
  baseline: "Baseline (today's grid)",
};

export const MODE_DESCRIPTIONS: Record<SimulationMode, string> = {
  autonomous: 'Microgrids island during outages and keep balancing locally.',
  baseline: 'Everything downstream of an outage is dark until it is repaired.',
};
