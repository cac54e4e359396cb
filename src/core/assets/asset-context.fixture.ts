/** Test builder for asset contexts: `aContext({ id: 'pv1' })`. */
import { Rng } from '../rng.js';
import type { AssetContext } from './asset-context.js';

export function aContext(overrides: Partial<AssetContext> = {}): AssetContext {
  return { id: 'asset-1', rng: new Rng(42), sitePriority: 'normal', slotMinutes: 15, ...overrides };
}
