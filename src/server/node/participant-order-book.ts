/**
 * Real participants' signed orders waiting for their slot (the node's `ParticipantOrders`, see
 * src/core/market/participant-orders.ts). Orders arrive through the API or MQTT after the node's order
 * gate accepted them; clearing and the trust layer take them in their slot.
 *
 * Rules a participant sees:
 * - at most one order per side and priority class and slot: a later one (higher sequence number)
 *   replaces it;
 * - a participant's orders go in slot order: one for a slot before its latest is refused
 *   (`stale-slot`), because the settlement gate checks sequence numbers slot by slot;
 * - an order for a slot that is already being settled is refused (`stale-slot`).
 *
 * Bounded: `ORDERS_PER_SITE_SLOT_MAX` per site and slot, and slots up to the order gate's window
 * ahead. Slots are dropped once settled.
 *
 * After a restart, the orders of the replayed slots come back from the ledger's order leaves.
 */
import type { Hex } from 'viem';
import type { RejectReason } from '../../core/identity/gate-rejections.js';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { decodeOrderUnchecked } from '../../core/identity/signed-order.js';
import { FIELDS_OFFSET, KEY_OFFSET } from '../../core/identity/signed-layout.js';
import type { ParticipantOrders } from '../../core/market/participant-orders.js';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import type { LedgerStore } from '../../adapters/ledger/ledger-store.js';

/** Four bid classes and one offer. */
export const ORDERS_PER_SITE_SLOT_MAX = 5;

export class ParticipantOrderBook implements ParticipantOrders {
  /** `${slot}:${site}` → orders keyed by side and class. */
  private readonly bySlotSite = new Map<string, Map<string, { seq: number; bytes: Uint8Array }>>();
  private readonly latestSlot = new Map<number, number>();
  private lastSettled = -1;
  private readonly siteOfOwner: ReadonlyMap<string, number>;
  private storedSlot = -1;
  private readonly stored = new Map<number, Uint8Array[]>();
  private readonly units: readonly Hex[];

  constructor(private readonly sites: ReadonlySet<number>, setup: TrustSetup, private readonly store: LedgerStore, private readonly replayThrough: number) {
    this.siteOfOwner = new Map(setup.sites.map((s, i) => [s.owner.did, i]));
    this.units = setup.units.map((u) => u.microgrid);
    this.lastSettled = replayThrough;
  }

  represents(site: number): boolean {
    return this.sites.has(site);
  }

  /** The site of a participant's DID when it is one of the real participants, else undefined. */
  siteOf(did: string): number | undefined {
    const site = this.siteOfOwner.get(did);
    return site !== undefined && this.sites.has(site) ? site : undefined;
  }

  /** Keeps an order the node's order gate accepted; returns why not when it cannot take it. */
  add(site: number, bytes: Uint8Array): RejectReason | null {
    const order = decodeOrderUnchecked(bytes);
    if (order.slot <= this.lastSettled || order.slot < (this.latestSlot.get(site) ?? -1)) return 'stale-slot';
    const key = `${order.slot}:${site}`;
    const orders = this.bySlotSite.get(key) ?? new Map<string, { seq: number; bytes: Uint8Array }>();
    const kind = `${order.side}:${order.side === 'offer' ? 4 : order.priorityClass}`;
    if (!orders.has(kind) && orders.size >= ORDERS_PER_SITE_SLOT_MAX) return 'implausible';
    orders.set(kind, { seq: order.orderSeq, bytes: Uint8Array.from(bytes) });
    this.bySlotSite.set(key, orders);
    this.latestSlot.set(site, order.slot);
    return null;
  }

  ordersFor(site: number, slot: number): readonly Uint8Array[] {
    if (slot <= this.replayThrough) return this.storedFor(site, slot);
    const orders = this.bySlotSite.get(`${slot}:${site}`);
    if (orders === undefined) return [];
    return [...orders.values()].sort((a, b) => a.seq - b.seq).map((o) => o.bytes);
  }

  /** Live orders were verified by the node's order gate on arrival; replayed ones are verified again. */
  signaturesVerified(slot: number): boolean {
    return slot > this.replayThrough;
  }

  /** Drops the orders of `slot` and before (called once the slot is settled). */
  settled(slot: number): void {
    this.lastSettled = Math.max(this.lastSettled, slot);
    for (const key of this.bySlotSite.keys()) if (Number(key.slice(0, key.indexOf(':'))) <= slot) this.bySlotSite.delete(key);
  }

  private storedFor(site: number, slot: number): readonly Uint8Array[] {
    if (slot !== this.storedSlot) {
      this.storedSlot = slot;
      this.stored.clear();
      for (const microgrid of this.units) {
        for (const bytes of this.store.leaves('orders', microgrid, BigInt(slot))) {
          const owner = this.siteOf(didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET)));
          if (owner === undefined) continue;
          const list = this.stored.get(owner) ?? [];
          list.push(bytes);
          this.stored.set(owner, list);
        }
      }
    }
    return this.stored.get(site) ?? [];
  }
}
