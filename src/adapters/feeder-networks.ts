/**
 * Loads the MATPOWER case files that a scenario's feeders name (`feeder.matpower`, relative to the
 * scenario file), by area id, for `simulate(scenario, { feederNetworks })`.
 */
import { dirname, resolve } from 'node:path';
import type { PowerNetwork } from '../core/grid/network.js';
import type { Scenario } from '../core/sim/scenario-schema.js';
import { loadMatpowerFile } from './matpower-file.js';

export async function loadFeederNetworks(scenario: Scenario, scenarioPath: string): Promise<Map<string, PowerNetwork>> {
  const networks = new Map<string, PowerNetwork>();
  for (const area of scenario.areas) {
    const file = area.feeder?.matpower;
    if (file === undefined) continue;
    networks.set(area.id, await loadMatpowerFile(resolve(dirname(scenarioPath), file)));
  }
  return networks;
}
