/**
 * The node's `NodeView` (node-view.ts): what the API and the dashboard read and the writes they
 * pass on. Live figures come from the slot summaries the runtime pushes; trades, orders and
 * statements are read back from the ledger (the signed records themselves), so they are bounded
 * per slot and survive restarts. Writes are applied to the twin through `Interventions`.
 */
import type { Hex } from 'viem';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { FIELDS_OFFSET, KEY_OFFSET } from '../../core/identity/signed-layout.js';
import { decodeOrderUnchecked } from '../../core/identity/signed-order.js';
import { OrderGate } from '../../core/identity/order-gate.js';
import { decodeTradeLeaf } from '../../core/trust/trade-leaf.js';
import type { TrustSetup } from '../../core/trust/trust-setup.js';
import type { PreparedRun } from '../../core/sim/simulate.js';
import type { SimulationLedger } from '../../adapters/trust/simulation-ledger.js';
import { buildProof } from '../../adapters/trust/ledger-proof.js';
import { GridmeshError } from '../../core/errors.js';
import type { RejectReason } from '../../core/identity/gate-rejections.js';
import type { OrderIngest } from '../../adapters/mqtt/inbound-handler.js';
import type { ParticipantOrderBook } from './participant-order-book.js';
import { BoundedLog } from './bounded-log.js';
import type { Interventions } from './node-interventions.js';
import { areaViews } from './slot-summary.js';
import {
  NodeRequestError,
  type AlertView, type AreaView, type DeviceView, type FlexibilityRequest, type FlexibilityView, type NodeInfo, type NodeView, type OrderOutcome,
  type OrderView, type OutageAccepted, type OutageRequest, type ProofJson, type Role, type SlotSummary, type StatementView, type TradeView,
} from './node-view.js';

export const HISTORY_SLOTS_MAX = 2000;
export const ALERTS_MAX = 1000;
/** Orders received from participants (API and MQTT) kept for listing. */
export const API_ORDERS_MAX = 1000;
export const OUTAGE_SLOTS_MAX = 96 * 7;

export interface NodeViewModelOptions {
  readonly info: () => NodeInfo;
  readonly run: PreparedRun;
  readonly setup: TrustSetup;
  readonly ledger: SimulationLedger;
  /** The folder of ledger.sqlite (proofs are built from the file, as `gridmesh ledger prove` does). */
  readonly dataDir: string;
  readonly interventions: Interventions;
  /** The next slot the twin runs (interventions start there at the earliest). */
  readonly nextSlot: () => number;
  readonly protocolOf: (site: number) => DeviceView['protocol'];
  readonly lastReadingSlot: (meterDid: string) => number | null;
  /** Where real participants' accepted orders wait for clearing (undefined: the twin places every order). */
  readonly participants: ParticipantOrderBook | undefined;
  /** Devices beyond the sites' meters and participants (e.g. OCPP chargers). */
  readonly otherDevices: () => readonly DeviceView[];
  readonly operators: readonly { readonly did: string; readonly role: 'dso' | 'tso' }[];
}

export class NodeViewModel implements NodeView {
  private readonly slotLog = new BoundedLog<SlotSummary>(HISTORY_SLOTS_MAX);
  private readonly alertLog = new BoundedLog<AlertView>(ALERTS_MAX);
  private readonly apiOrders = new BoundedLog<OrderView>(API_ORDERS_MAX);
  private readonly listeners = new Set<(s: SlotSummary) => void>();
  private readonly roles = new Map<string, Role>();
  private readonly siteOfOwner = new Map<string, number>();
  private readonly siteOfAccount = new Map<string, number>();
  private readonly unitByArea = new Map<string, Hex>();
  private readonly orderGate: OrderGate;

  constructor(private readonly o: NodeViewModelOptions) {
    const { setup, run } = o;
    const { tree } = run.model;
    setup.sites.forEach((s, i) => {
      this.roles.set(s.meter.did, 'device');
      this.roles.set(s.owner.did, 'participant');
      this.siteOfOwner.set(s.owner.did, i);
      this.siteOfAccount.set(s.account.toLowerCase(), i);
    });
    for (const [area, key] of setup.gatekeepers) this.roles.set(key.did, tree.levels[area] === 'tso' ? 'tso' : 'dso');
    for (const op of o.operators) this.roles.set(op.did, op.role);
    for (const u of setup.units) this.unitByArea.set(u.unit.areaId, u.microgrid);
    this.orderGate = new OrderGate({
      trustedGatekeepers: [...setup.gatekeepers.values()].map((k) => k.did),
      slotToSeconds: (slot: number) => Math.floor(run.model.clock.slotStartMs(slot) / 1000),
      maxDevices: setup.sites.length + 16,
    });
    for (const s of setup.sites) this.orderGate.admitVerified(s.ownerCredential);
  }

  /** The runtime's entry: one settled slot. */
  published(summary: SlotSummary, alerts: readonly AlertView[]): void {
    this.slotLog.push(summary);
    for (const a of alerts) this.alertLog.push(a);
    for (const listener of this.listeners) {
      try {
        listener(summary);
      } catch {
        // A listener (a WebSocket client) must not stop the node; the API drops broken clients.
      }
    }
  }

  info(): NodeInfo {
    return this.o.info();
  }

  areas(): readonly AreaView[] {
    return this.slotLog.last()?.areas ?? areaViews(this.o.run, undefined);
  }


  history(limit: number): readonly SlotSummary[] {
    return this.slotLog.newest(limit);
  }

  devices(): readonly DeviceView[] {
    const { setup, run } = this.o;
    const out: DeviceView[] = [];
    setup.sites.forEach((s, i) => {
      const area = s.meterCredential.area;
      const protocol = this.o.protocolOf(i);
      const last = this.o.lastReadingSlot(s.meter.did);
      const next = this.o.nextSlot();
      for (const [kind, key, credential] of [['meter', s.meter, s.meterCredential], ['participant', s.owner, s.ownerCredential]] as const) {
        out.push({
          did: key.did, kind, site: s.siteId, area,
          protocol: kind === 'meter' ? protocol : 'twin',
          connected: kind === 'participant' || protocol === 'twin' || (last !== null && last >= next - 2),
          credential: {
            id: credential.credentialId, issuer: credential.issuer, ratedPowerW: credential.ratedPowerW, authorisedImportWh: credential.authorisedImportWh,
            expiresAtIso: new Date(credential.expiresAtSeconds * 1000).toISOString(),
            revoked: Number.isFinite(run.trust?.readings.registry.device(key.did)?.revokedFromSlot ?? Infinity),
          },
          lastReadingSlot: kind === 'meter' ? (protocol === 'twin' ? Math.max(-1, next - 1) : last) : null,
        });
      }
    });
    out.push(...this.o.otherDevices());
    return out;
  }

  trades(slot?: number): readonly TradeView[] {
    const at = this.settledSlot(slot);
    const out: TradeView[] = [];
    for (const u of this.o.setup.units) {
      for (const bytes of this.o.ledger.store.leaves('trades', u.microgrid, BigInt(at))) {
        const t = decodeTradeLeaf(bytes);
        const site = this.o.setup.sites[this.siteOfAccount.get(t.account.toLowerCase()) ?? -1];
        out.push({ slot: at, site: site?.siteId ?? t.account, boughtWh: t.boughtWh, soldWh: t.soldWh, paidMinor: t.paidMinor, receivedMinor: t.receivedMinor });
      }
    }
    return out;
  }

  orders(slot?: number): readonly OrderView[] {
    const at = this.settledSlot(slot, true);
    const out: OrderView[] = [];
    for (const u of this.o.setup.units) {
      for (const bytes of this.o.ledger.store.leaves('orders', u.microgrid, BigInt(at))) {
        const order = decodeOrderUnchecked(bytes);
        const index = this.siteOfOwner.get(didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET))) ?? -1;
        const site = this.o.setup.sites[index];
        const source = this.o.participants?.represents(index) === true ? 'participant' : 'twin';
        out.push({ slot: at, site: site?.siteId ?? '?', side: order.side, energyWh: order.energyWh, priceMinorPerKwh: order.priceMinorPerKwh, source });
      }
    }
    // Coming slots: the participants' orders received so far (settled ones are in the ledger above).
    if (at >= this.o.nextSlot()) for (const o of this.apiOrders.newest(API_ORDERS_MAX)) if (o.slot === at) out.push(o);
    return out;
  }

  flexibility(): readonly FlexibilityView[] {
    const market = this.o.run.market.flexibility;
    if (market === undefined) return [];
    const last = this.o.nextSlot() - 1;
    return market.requestRecords().map((r) => ({
      id: r.id, buyer: r.buyer, area: r.area, fromSlot: r.startSlot, toSlot: r.endSlot, requestedKw: r.requestedKw,
      status: r.endSlot <= last + 1 ? (r.deliveredKwh > 0 ? 'delivered' : 'failed') : 'active',
      deliveredWh: Math.round(r.deliveredKwh * 1000), paidMinor: r.paidMinor,
    }));
  }

  statements(options: { readonly limit: number; readonly microgrid?: string }): readonly StatementView[] {
    let microgrid: Hex | undefined;
    if (options.microgrid !== undefined) {
      microgrid = this.unitByArea.get(options.microgrid);
      if (microgrid === undefined) throw new NodeRequestError('not-found', `no microgrid ${JSON.stringify(options.microgrid)}; microgrids: ${[...this.unitByArea.keys()].join(', ')}`);
    }
    const names = new Map([...this.unitByArea].map(([area, m]) => [m.toLowerCase(), area]));
    const { store } = this.o.ledger;
    return store.queue.recent(options.limit, microgrid).map((q) => ({
      microgrid: names.get(q.microgrid.toLowerCase()) ?? q.microgrid, slot: Number(q.slot), hash: q.hash, status: q.status, signatures: q.signatures.length,
      readings: store.leaves('readings', q.microgrid, q.slot).length,
      orders: store.leaves('orders', q.microgrid, q.slot).length,
      trades: store.leaves('trades', q.microgrid, q.slot).length,
    }));
  }

  proof(request: { readonly microgrid: string; readonly slot: number; readonly kind: 'readings' | 'orders' | 'trades'; readonly index: number }): ProofJson {
    if (!this.unitByArea.has(request.microgrid)) throw new NodeRequestError('not-found', `no microgrid ${JSON.stringify(request.microgrid)}`);
    try {
      return buildProof(this.o.dataDir, { unit: request.microgrid, slot: request.slot, select: { by: 'index', kind: request.kind, index: request.index } }) as unknown as ProofJson;
    } catch (e) {
      if (e instanceof GridmeshError) throw new NodeRequestError('not-found', e.message);
      throw e;
    }
  }

  alerts(limit: number): readonly AlertView[] {
    return this.alertLog.newest(limit);
  }

  roleOf(did: string): Role | null {
    return this.roles.get(did) ?? null;
  }

  onSlot(listener: (summary: SlotSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  triggerOutage(request: OutageRequest, by: string): OutageAccepted {
    this.requireArea(request.area);
    if (!Number.isInteger(request.durationSlots) || request.durationSlots < 1 || request.durationSlots > OUTAGE_SLOTS_MAX) {
      throw new NodeRequestError('invalid', `durationSlots: expected an integer 1..${OUTAGE_SLOTS_MAX}`);
    }
    const fromSlot = this.o.nextSlot();
    const toSlot = Math.min(this.o.run.slots, fromSlot + request.durationSlots);
    if (fromSlot >= this.o.run.slots) throw new NodeRequestError('conflict', 'the node has run all its slots');
    this.o.interventions.add({ kind: 'outage', area: request.area, fromSlot, toSlot, by });
    this.alertLog.push({ slot: fromSlot, kind: 'islanded', area: request.area, message: `outage of ${request.area} ordered by ${shortDid(by)} for slots ${fromSlot}..${toSlot - 1}` });
    return { area: request.area, fromSlot, toSlot };
  }

  requestFlexibility(request: FlexibilityRequest, by: string): FlexibilityView {
    this.requireArea(request.area);
    const next = this.o.nextSlot();
    if (request.fromSlot < next) throw new NodeRequestError('invalid', `fromSlot: expected a slot that has not run yet (>= ${next})`);
    if (request.toSlot < request.fromSlot) throw new NodeRequestError('invalid', 'toSlot: expected >= fromSlot');
    if (this.o.run.market.flexibility === undefined) throw new NodeRequestError('unavailable', 'this node runs no flexibility market');
    const role = this.roleOf(by);
    const buyer = role === 'tso' ? 'tso' : 'dso';
    const id = `api-${buyer}-${this.o.interventions.all().length + 1}`;
    this.o.interventions.add({ kind: 'flexibility', id, buyer, area: request.area, fromSlot: request.fromSlot, toSlot: request.toSlot + 1, requestedKw: request.requestedKw, priceMinorPerKwh: request.priceMinorPerKwh, by });
    return { id, buyer, area: request.area, fromSlot: request.fromSlot, toSlot: request.toSlot + 1, requestedKw: request.requestedKw, status: 'requested', deliveredWh: 0, paidMinor: 0 };
  }

  /**
   * A real participant's signed order (API): checked by the node's order gate (signature,
   * credential, revocation, slot window, sequence), then kept for its slot's clearing and listed.
   */
  submitOrder(signedOrder: Uint8Array, by: string): OrderOutcome {
    void by; // the API checked that the request's DID signed the order
    return this.ingestOrder(signedOrder, this.o.nextSlot(), 'api');
  }

  /** The same order gate for orders that come over MQTT (the gateway's `OrderIngest`). */
  orderIngest(): OrderIngest {
    return {
      ingestOrder: (bytes, currentSlot) => this.ingestOrder(bytes, currentSlot, 'mqtt'),
      participant: (did) => {
        const site = this.siteOfOwner.get(did);
        return site === undefined ? undefined : { area: (this.o.setup.sites[site] as TrustSetup['sites'][number]).ownerCredential.area };
      },
    };
  }

  /**
   * Only the node's real participants (`devices.participants`) place orders; for any other site the
   * twin does, so an order naming it is refused as `unknown-device`.
   */
  private ingestOrder(bytes: Uint8Array, currentSlot: number, source: 'api' | 'mqtt'): { accepted: true; slot: number } | { accepted: false; reason: RejectReason } {
    const book = this.o.participants;
    const claimed = bytes.length > FIELDS_OFFSET ? book?.siteOf(didOfPublicKey(bytes.subarray(KEY_OFFSET, FIELDS_OFFSET))) : undefined;
    if (claimed === undefined) return { accepted: false, reason: 'unknown-device' };
    const outcome = this.orderGate.ingestOrder(bytes, currentSlot);
    if (!outcome.accepted) return { accepted: false, reason: outcome.reason };
    const refused = book?.add(claimed, bytes) ?? null;
    if (refused !== null) return { accepted: false, reason: refused };
    const order = decodeOrderUnchecked(bytes);
    const site = this.o.setup.sites[this.siteOfOwner.get(outcome.device.did) ?? -1];
    this.apiOrders.push({ slot: order.slot, site: site?.siteId ?? '?', side: order.side, energyWh: order.energyWh, priceMinorPerKwh: order.priceMinorPerKwh, source });
    return { accepted: true, slot: order.slot };
  }

  private settledSlot(slot: number | undefined, allowFuture = false): number {
    const last = this.o.nextSlot() - 1;
    const at = slot ?? last;
    if (!Number.isInteger(at) || at < 0 || (!allowFuture && at > last) || at >= this.o.run.slots) {
      throw new NodeRequestError('not-found', last < 0 ? 'no slot has been settled yet' : `slot: expected 0..${last} (settled slots), got ${at}`);
    }
    return at;
  }

  private requireArea(area: string): void {
    if (!this.o.run.model.tree.indexOf.has(area)) throw new NodeRequestError('not-found', `area: no area ${JSON.stringify(area)} in this node's grid`);
  }
}

function shortDid(did: string): string {
  return did.length > 24 ? `${did.slice(0, 16)}…${did.slice(-6)}` : did;
}
