/**
 * How long a controller expects its island to last: the spine's rule (ADR 0005), seen from one
 * controller. The duration the operator announced reaches a controller only while every
 * communication link from it up to the DSO is intact (a `comm-cut` on an area cuts that area's link
 * to its parent); a fault island hears the repair crew's estimate the same way.
 */
import type { SlotContext } from '../../sim/slot-context.js';

/** Slots left of the outage as known to the controller at `controllerArea`; 0 = nothing known. */
export function announcedSlotsLeft(ctx: SlotContext, key: number, controllerArea: number): number {
  const { model, regionSites, slot } = ctx;
  const { tree, states } = model;
  const heard = (from: number): boolean => {
    for (let a = from; a !== -1; a = tree.parent[a] as number) if (states.commCut[a] === 1) return false;
    return true;
  };
  const fault = regionSites.faultIslands.get(key);
  if (fault !== undefined) return heard(fault.area) ? Math.max(1, fault.endSlot - slot) : 0;
  const cut = regionSites.regions.islandCut[key] as number;
  if (cut < 0 || (states.announcedOutageSlots[cut] as number) <= 0 || !heard(controllerArea)) return 0;
  const left = (states.announcedOutageSlots[cut] as number) - (slot - (states.outageStartSlot[cut] as number));
  return Math.max(0, left);
}
