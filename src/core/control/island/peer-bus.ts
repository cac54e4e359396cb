/**
 * The in-simulation network between the microgrid controllers of one island: a controller's message
 * reaches a peer only if every communication link on the path between them in the area tree is up.
 * A `comm-cut` on an area cuts that area's link to its parent, so it separates the controllers at or
 * below the area from everyone above (the DSO included) but leaves the links between controllers
 * inside the island alone unless the cut lies between them. No message is relayed: a controller that
 * cannot reach a peer directly does not hear it (on a tree, reachability is transitive anyway).
 *
 * The bus is bounded (CONVENTIONS 6): at most `maxPeers` controllers take part in a round (so an
 * inbox holds at most maxPeers − 1 messages) and a message carries at most `maxMessageValues`
 * forecast values; more is a `PeerBusLimitError`. In the runtime (issue 7) the same messages go over
 * the network between gridmesh nodes.
 */
import { GridmeshError } from '../../errors.js';
import type { AreaTree } from '../../grid/area-tree.js';
import { areaDepths } from '../../market/market-levels.js';

/** Controllers that may coordinate in one island. */
export const MAX_PEERS_PER_ISLAND = 1024;
/** Forecast values per message: two series of up to 7 days of 1-minute slots. */
export const MAX_MESSAGE_VALUES = 2 * 7 * 24 * 60;

export class PeerBusLimitError extends GridmeshError {
  override readonly name = 'PeerBusLimitError';
}

export interface PeerBusLimits {
  readonly maxPeers: number;
  readonly maxMessageValues: number;
}

export class PeerBus<M extends { readonly controller: number }> {
  private readonly depth: Int32Array;
  private peers: readonly number[] = [];
  private readonly inboxes = new Map<number, M[]>();
  /** Messages delivered since the bus was made. */
  delivered = 0;

  constructor(
    private readonly tree: AreaTree,
    /** Communication cut per area (its link to its parent), read live. */
    private readonly commCut: Uint8Array,
    private readonly sizeOf: (message: M) => number,
    private readonly limits: PeerBusLimits = { maxPeers: MAX_PEERS_PER_ISLAND, maxMessageValues: MAX_MESSAGE_VALUES },
  ) {
    this.depth = areaDepths(tree);
  }

  /** Whether the controllers at areas `a` and `b` can talk: every link on the path between them is up. */
  linked(a: number, b: number): boolean {
    const { tree, depth, commCut } = this;
    let x = a;
    let y = b;
    while (x !== y) {
      if ((depth[x] as number) >= (depth[y] as number)) {
        if (commCut[x] === 1) return false;
        x = tree.parent[x] as number;
      } else {
        if (commCut[y] === 1) return false;
        y = tree.parent[y] as number;
      }
    }
    return true;
  }

  /** Starts a round among the controllers of one island; earlier messages are dropped. */
  open(peers: readonly number[]): void {
    if (peers.length > this.limits.maxPeers) {
      throw new PeerBusLimitError(`an island has ${peers.length} microgrid controllers, more than the ${this.limits.maxPeers} that may coordinate`, {
        details: ['split the island into fewer microgrid areas or raise MAX_PEERS_PER_ISLAND'],
      });
    }
    this.peers = peers;
    this.inboxes.clear();
    for (const p of peers) this.inboxes.set(p, []);
  }

  /** Sends `message` to every other controller of the round it is linked to; returns the deliveries. */
  send(message: M): number {
    const size = this.sizeOf(message);
    if (size > this.limits.maxMessageValues) {
      throw new PeerBusLimitError(`a controller message of ${size} values exceeds the bus limit of ${this.limits.maxMessageValues}`);
    }
    let count = 0;
    for (const p of this.peers) {
      if (p === message.controller || !this.linked(message.controller, p)) continue;
      this.inboxes.get(p)?.push(message);
      count++;
    }
    this.delivered += count;
    return count;
  }

  /** The messages `controller` received in this round, in arrival order. */
  inbox(controller: number): readonly M[] {
    return this.inboxes.get(controller) ?? [];
  }
}
