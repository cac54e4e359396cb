/**
 * Load shedding when supply cannot meet demand: lowest priority first (normal, then essential,
 * critical last).
 *
 * - `RollingShedder.shed` switches off whole sites (a household is served or not), rotating through
 *   the sites in blocks of ROTATION_BLOCK_HOURS so the same customers are not always the ones dark
 *   (rolling blackouts). It may shed a little more than asked; the caller uses the surplus.
 * - `shedProRata` trims every importing site in a group by the same share; used where a link
 *   limit binds in the grid-connected network, which is rare and short.
 */
import { allocateProRata } from '../sim/pro-rata.js';
import type { SlotBuffers } from '../sim/slot-buffers.js';

export const ROTATION_BLOCK_HOURS = 2;

export class RollingShedder {
  /** Per region and class: where the current block starts and how far into the list it has shed. */
  private readonly cursors = new Map<string, { cursor: number; block: number; furthest: number }>();

  constructor(private readonly blockSlots: number) {}

  /**
   * Sheds at least `amountWh` of class `cls` imports among `sites` (whole sites, rotating) unless the
   * class imports are smaller. Returns the energy shed.
   */
  shed(b: SlotBuffers, region: string, sites: Int32Array, count: number, cls: number, amountWh: number, slot: number): number {
    if (amountWh <= 0 || count === 0) return 0;
    const block = Math.floor(slot / this.blockSlots);
    const key = `${region}/${cls}`;
    let state = this.cursors.get(key);
    if (state === undefined) {
      state = { cursor: 0, block, furthest: -1 };
      this.cursors.set(key, state);
    }
    if (state.block !== block) {
      // The next block starts after every site shed in the previous one.
      if (state.furthest >= 0) state.cursor = (state.cursor + state.furthest + 1) % count;
      state.block = block;
      state.furthest = -1;
    }
    const imports = b.importWh[cls] as Float64Array;
    const unserved = b.unservedWh[cls] as Float64Array;
    let shed = 0;
    const start = state.cursor % count;
    for (let k = 0; k < count && shed < amountWh; k++) {
      const pos = (start + k) % count;
      const i = sites[pos] as number;
      const need = imports[i] as number;
      if (need <= 0) continue;
      unserved[i] = (unserved[i] as number) + need;
      imports[i] = 0;
      shed += need;
      state.furthest = Math.max(state.furthest, k);
    }
    return shed;
  }
}

/**
 * Sheds `amountWh` among `sites`, normal class first, pro-rata to each site's import of that class.
 * `scratch` is a caller-owned array of site size. Returns the energy shed.
 */
export function shedProRata(b: SlotBuffers, sites: Int32Array, count: number, amountWh: number, scratch: Float64Array): number {
  let left = amountWh;
  for (let cls = 2; cls >= 0 && left > 0; cls--) {
    const imports = b.importWh[cls] as Float64Array;
    const unserved = b.unservedWh[cls] as Float64Array;
    for (let k = 0; k < count; k++) scratch[sites[k] as number] = 0;
    left -= allocateProRata(left, sites, count, imports, scratch);
    for (let k = 0; k < count; k++) {
      const i = sites[k] as number;
      unserved[i] = (unserved[i] as number) + (scratch[i] as number);
    }
  }
  return amountWh - left;
}
