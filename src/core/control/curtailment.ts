/**
 * Curtailment of surplus generation: exports are reduced pro-rata to what each site exports.
 * Renewables are curtailed first in practice; a CHP's must-run share that cannot be exported is
 * also recorded as curtailed (its heat is still produced; its electricity is dumped).
 */
import { allocateProRata } from '../sim/pro-rata.js';
import type { SlotBuffers } from '../sim/slot-buffers.js';

export function curtailExports(b: SlotBuffers, sites: Int32Array, count: number, amountWh: number, scratch: Float64Array): number {
  if (amountWh <= 0) return 0;
  const cut = b.curtailedWh;
  for (let k = 0; k < count; k++) scratch[sites[k] as number] = 0;
  // allocateProRata consumes `exportWh` as room and writes each site's cut into `scratch`.
  const done = allocateProRata(amountWh, sites, count, b.exportWh, scratch);
  for (let k = 0; k < count; k++) {
    const i = sites[k] as number;
    cut[i] = (cut[i] as number) + (scratch[i] as number);
  }
  return done;
}
