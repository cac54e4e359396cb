/**
 * A deterministic in-memory NodeView for API, CLI and dashboard tests. It holds a fixed scenario
 * (five areas, three devices, `slots` settled slots), pushes slots to listeners with `emitSlot`,
 * records every write in `writes`, and can be told to fail: `view.throwOn.areas = new Error('x')`.
 */
import type {
  AlertView, AreaView, DeviceView, FlexibilityRequest, FlexibilityView, NodeInfo, NodeView, OrderOutcome, OrderView, OutageAccepted,
  OutageRequest, ProofJson, Role, SlotSummary, StatementView, TradeView,
} from '../node/node-view.js';
import { NodeRequestError } from '../node/node-view.js';

export const FAKE_SLOT_MINUTES = 15;
/** Twin time of slot 0 and wall time of the first settlement: fixed, so runs are identical. */
export const FAKE_TWIN_START_MS = Date.UTC(2025, 5, 21, 0, 0, 0);
export const FAKE_WALL_START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

export const FAKE_AREAS: readonly AreaView[] = [
  { id: 'tso', level: 'tso', parent: null, status: 'connected', sites: 0, netImportKw: 0 },
  { id: 'dso', level: 'dso', parent: 'tso', status: 'connected', sites: 0, netImportKw: 42.5 },
  { id: 'riverside', level: 'neighbourhood', parent: 'dso', status: 'connected', sites: 40, netImportKw: 30 },
  { id: 'riverside-street-1', level: 'street', parent: 'riverside', status: 'connected', sites: 20, netImportKw: 18 },
  { id: 'riverside-street-2', level: 'street', parent: 'riverside', status: 'islanded', sites: 20, netImportKw: 0 },
];

const FAKE_DEVICES: readonly DeviceView[] = [
  {
    did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', kind: 'meter', site: 'home-1', area: 'riverside-street-1', protocol: 'mqtt', connected: true,
    credential: { id: 'urn:gridmesh:cred:1', issuer: 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG', ratedPowerW: 11_000, authorisedImportWh: null, expiresAtIso: '2027-01-01T00:00:00.000Z', revoked: false },
    lastReadingSlot: 2,
  },
  { did: 'did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf', kind: 'charger', site: 'home-2', area: 'riverside-street-2', protocol: 'ocpp', connected: false, credential: null, lastReadingSlot: null },
  { did: 'did:key:z6MkvSzdna1obpv35vWBUP9Qhq1dYpN4ESiZcTGHZdvDUWnC', kind: 'battery', site: 'home-3', area: 'riverside-street-1', protocol: 'twin', connected: true, credential: null, lastReadingSlot: 2 },
];

/** A slot summary with plausible values that depend only on `slot`. */
export function aSlotSummary(slot: number, overrides: Partial<SlotSummary> = {}): SlotSummary {
  return {
    slot,
    twinIso: new Date(FAKE_TWIN_START_MS + slot * FAKE_SLOT_MINUTES * 60_000).toISOString(),
    settledAtMs: FAKE_WALL_START_MS + slot * 15_000,
    demandKw: 100 + slot,
    pvKw: 20 + (slot % 4),
    windKw: 5,
    importKw: 75 + slot,
    exportKw: 0,
    unservedKw: 0,
    priceMinorPerKwh: 28 + (slot % 3),
    islandPriceMinorPerKwh: null,
    batterySocPct: 55,
    evPaused: slot % 2,
    areas: FAKE_AREAS,
    islands: ['riverside-street-2'],
    readings: { accepted: 40, rejected: 0, missing: 0, external: 0 },
    statements: { final: 1, queued: 0, committed: slot },
    latencyMs: 12,
    ...overrides,
  };
}

export type FakeWrite =
  | { readonly kind: 'outage'; readonly request: OutageRequest; readonly by: string }
  | { readonly kind: 'flexibility'; readonly request: FlexibilityRequest; readonly by: string }
  | { readonly kind: 'order'; readonly signedOrder: Uint8Array; readonly by: string };

export interface FakeNodeViewOptions {
  /** Settled slots in the history (0..slots-1). Default 3. */
  readonly slots?: number;
  readonly demoOutageOpen?: boolean;
  /** DID -> role on this node. */
  readonly roles?: Readonly<Record<string, Role>>;
}

export class FakeNodeView implements NodeView {
  readonly writes: FakeWrite[] = [];
  /** Makes the named method throw (to test error mapping). */
  readonly throwOn: Partial<Record<keyof NodeView, Error>> = {};
  /** The verdict submitOrder returns. */
  orderOutcome: OrderOutcome | null = null;
  demoOutageOpen: boolean;
  private readonly summaries: SlotSummary[];
  private readonly roles: Map<string, Role>;
  private readonly listeners = new Set<(summary: SlotSummary) => void>();

  constructor(options: FakeNodeViewOptions = {}) {
    this.summaries = Array.from({ length: options.slots ?? 3 }, (_, slot) => aSlotSummary(slot));
    this.demoOutageOpen = options.demoOutageOpen ?? false;
    this.roles = new Map(Object.entries(options.roles ?? {}));
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  setRole(did: string, role: Role): void {
    this.roles.set(did, role);
  }

  /** Settles `summary`: appends it to the history and calls every listener. */
  emitSlot(summary: SlotSummary): void {
    this.summaries.push(summary);
    for (const listener of [...this.listeners]) listener(summary);
  }

  info(): NodeInfo {
    this.failIfAsked('info');
    const lastSlot = this.summaries.at(-1)?.slot ?? -1;
    return {
      nodeId: 'node-riverside', area: 'riverside', scenario: 'riverside', slotMinutes: FAKE_SLOT_MINUTES, speed: 60, slotWallMs: 15_000,
      lastSlot, totalSlots: 96, state: 'running', demoOutageOpen: this.demoOutageOpen,
      mqtt: { url: 'mqtt://127.0.0.1:1883', embedded: true }, chain: { kind: 'embedded', chainId: 31337 },
    };
  }

  areas(): readonly AreaView[] {
    this.failIfAsked('areas');
    return FAKE_AREAS;
  }

  history(limit: number): readonly SlotSummary[] {
    this.failIfAsked('history');
    return this.summaries.slice(Math.max(0, this.summaries.length - limit));
  }

  devices(): readonly DeviceView[] {
    this.failIfAsked('devices');
    return FAKE_DEVICES;
  }

  trades(slot?: number): readonly TradeView[] {
    this.failIfAsked('trades');
    const s = this.settledSlot(slot);
    return [
      { slot: s, site: 'home-1', boughtWh: 1_200, soldWh: 0, paidMinor: 34, receivedMinor: 0 },
      { slot: s, site: 'home-3', boughtWh: 0, soldWh: 800, paidMinor: 0, receivedMinor: 22 },
    ];
  }

  orders(slot?: number): readonly OrderView[] {
    this.failIfAsked('orders');
    const s = this.settledSlot(slot);
    return [{ slot: s, site: 'home-1', side: 'bid', energyWh: 1_200, priceMinorPerKwh: 30, source: 'twin' }];
  }

  flexibility(): readonly FlexibilityView[] {
    this.failIfAsked('flexibility');
    return [{ id: 'flex-0', buyer: 'dso', area: 'riverside-street-1', fromSlot: 1, toSlot: 2, requestedKw: 15, status: 'delivered', deliveredWh: 7_500, paidMinor: 300 }];
  }

  statements(options: { readonly limit: number; readonly microgrid?: string }): readonly StatementView[] {
    this.failIfAsked('statements');
    const all = this.summaries.map((s): StatementView => ({
      microgrid: 'riverside', slot: s.slot, hash: `0x${s.slot.toString(16).padStart(64, '0')}`, status: 'committed', signatures: 3, readings: 40, orders: 12, trades: 10,
    }));
    return all.filter((s) => options.microgrid === undefined || s.microgrid === options.microgrid).slice(-options.limit);
  }

  proof(request: { readonly microgrid: string; readonly slot: number; readonly kind: 'readings' | 'orders' | 'trades'; readonly index: number }): ProofJson {
    this.failIfAsked('proof');
    if (request.microgrid !== 'riverside') throw new NodeRequestError('not-found', `no microgrid ${request.microgrid}`);
    this.settledSlot(request.slot);
    return { format: 'gridmesh-ledger-proof/1', microgrid: request.microgrid, slot: request.slot, kind: request.kind, index: request.index, path: [] };
  }

  alerts(limit: number): readonly AlertView[] {
    this.failIfAsked('alerts');
    const all: AlertView[] = [
      { slot: 1, kind: 'islanded', message: 'riverside-street-2 islanded', area: 'riverside-street-2' },
      { slot: 2, kind: 'rejected-reading', message: 'bad signature', device: FAKE_DEVICES[0]!.did },
    ];
    return all.slice(-limit);
  }

  roleOf(did: string): Role | null {
    this.failIfAsked('roleOf');
    return this.roles.get(did) ?? null;
  }

  onSlot(listener: (summary: SlotSummary) => void): () => void {
    this.failIfAsked('onSlot');
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  triggerOutage(request: OutageRequest, by: string): OutageAccepted {
    this.failIfAsked('triggerOutage');
    this.knownArea(request.area);
    this.writes.push({ kind: 'outage', request, by });
    const next = (this.summaries.at(-1)?.slot ?? -1) + 1;
    // toSlot is exclusive, as in the node runtime (node-view-model.ts).
    return { area: request.area, fromSlot: next, toSlot: next + request.durationSlots };
  }

  requestFlexibility(request: FlexibilityRequest, by: string): FlexibilityView {
    this.failIfAsked('requestFlexibility');
    this.knownArea(request.area);
    this.writes.push({ kind: 'flexibility', request, by });
    const buyer = this.roles.get(by) === 'tso' ? 'tso' : 'dso';
    // The request's toSlot is inclusive, the view's exclusive, as in the node runtime.
    return {
      id: `flex-${this.writes.length}`, buyer, area: request.area, fromSlot: request.fromSlot, toSlot: request.toSlot + 1, requestedKw: request.requestedKw,
      status: 'requested', deliveredWh: 0, paidMinor: 0,
    };
  }

  submitOrder(signedOrder: Uint8Array, by: string): OrderOutcome {
    this.failIfAsked('submitOrder');
    this.writes.push({ kind: 'order', signedOrder: new Uint8Array(signedOrder), by });
    return this.orderOutcome ?? { accepted: true, slot: (this.summaries.at(-1)?.slot ?? -1) + 2 };
  }

  private settledSlot(slot: number | undefined): number {
    const last = this.summaries.at(-1)?.slot;
    if (last === undefined) throw new NodeRequestError('not-found', 'no slot settled yet');
    if (slot === undefined) return last;
    if (!this.summaries.some((s) => s.slot === slot)) throw new NodeRequestError('not-found', `slot ${slot} is not in the history`);
    return slot;
  }

  private knownArea(area: string): void {
    if (!FAKE_AREAS.some((a) => a.id === area)) throw new NodeRequestError('not-found', `no area ${area}`);
  }

  private failIfAsked(method: keyof NodeView): void {
    const error = this.throwOn[method];
    if (error !== undefined) throw error;
  }
}
