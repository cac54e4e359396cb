/**
 * The clearing stage of a slot, for the grid-connected part of the network. The local-first rule
 * implements it now; the markets of issue 4 replace it behind the same interface.
 */
import type { SlotContext } from '../sim/slot-context.js';

export interface Balancer {
  /** Decides every connected site's exchange and the TSO root's plants and interconnector. */
  clear(ctx: SlotContext): void;
}
