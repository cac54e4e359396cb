/** Test builder for asset contexts: `aContext({ id: 'pv1' })`. */
import { Rng } from '../rng.js';
import type { AssetContext } from './asset-context.js';

export class AssetContextBuilder {
  static build(overrides: Partial<AssetContext> = {}): AssetContext {
    return aContext(overrides);
  }
}

export function aContext(overrides: Partial<AssetContext> = {}): AssetContext {
  return { id: 'asset-1', rng: new Rng(42), sitePriority: 'normal', slotMinutes: 15, ...overrides };
}
