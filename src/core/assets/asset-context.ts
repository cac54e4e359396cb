/**
 * What an asset factory gets besides its spec: its id (unique in the scenario), its own random
 * stream (forked from the run seed and the id, so streams do not shift when assets are added),
 * the site's default priority class, and the slot length.
 */
import type { Rng } from '../rng.js';
import type { PriorityClass } from '../sim/scenario-schema.js';

export interface AssetContext {
  readonly id: string;
  readonly rng: Rng;
  readonly sitePriority: PriorityClass;
  readonly slotMinutes: number;
}
