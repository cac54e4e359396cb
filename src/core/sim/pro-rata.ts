/**
 * Integer pro-rata allocation: splits a whole number of Wh over sites in proportion to their
 * remaining room, never giving a site more than its room. The remainder left by rounding down goes
 * 1 Wh at a time to sites in list order (at most 1 Wh extra per site), so the result is exact and
 * deterministic.
 */
import { assert } from '../assert.js';

/**
 * Adds each site's share of `total` to `out[i]` and removes it from `room[i]` (a scratch array the
 * caller owns). Returns the amount allocated: `total`, or the summed room if that is smaller.
 */
export function allocateProRata(total: number, sites: Int32Array, count: number, room: Float64Array, out: Float64Array): number {
  if (total <= 0 || count === 0) return 0;
  let sum = 0;
  for (let k = 0; k < count; k++) sum += Math.max(0, room[sites[k] as number] as number);
  if (sum <= 0) return 0;
  const target = Math.min(total, sum);
  const ratio = target / sum;
  let given = 0;
  for (let k = 0; k < count; k++) {
    const i = sites[k] as number;
    const r = room[i] as number;
    if (r <= 0) continue;
    const share = Math.min(r, Math.floor(r * ratio));
    out[i] = (out[i] as number) + share;
    room[i] = r - share;
    given += share;
  }
  for (let k = 0; k < count && given < target; k++) {
    const i = sites[k] as number;
    const r = room[i] as number;
    if (r <= 0) continue;
    // Each site with a fractional share has at least 1 Wh of room left, so one pass suffices.
    const extra = 1;
    out[i] = (out[i] as number) + extra;
    room[i] = r - extra;
    given += extra;
  }
  assert(given === target, 'pro-rata allocation did not add up', { total, target, given });
  return given;
}
