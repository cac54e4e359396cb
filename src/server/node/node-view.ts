/**
 * What a running node shows and accepts: the contract between the node runtime (src/server/node/),
 * the HTTP/WebSocket API (src/server/http/) and the dashboard (src/web/). Every value is plain JSON.
 *
 * Units and signs: power in kW (mean over the slot), energy in Wh, money in minor units of the
 * scenario's currency per kWh. `netImportKw` is what the area draws from its parent (0 while it exports).
 * Slots are numbered from the twin's start (slot 0); `twinIso` is the slot's start in twin time.
 */

export type AreaStatus = 'connected' | 'islanded' | 'dark';

export interface NodeInfo {
  readonly nodeId: string;
  /** The microgrid (settlement unit) area this node controls, or the root for a DSO node. */
  readonly area: string;
  readonly scenario: string;
  readonly slotMinutes: number;
  /** Wall-clock speed-up: 1 = real time, 60 = one 15-minute slot every 15 s. */
  readonly speed: number;
  /** Wall-clock milliseconds per slot at this speed. */
  readonly slotWallMs: number;
  /** The last slot settled (-1 before the first). */
  readonly lastSlot: number;
  readonly totalSlots: number;
  readonly state: 'starting' | 'running' | 'finished' | 'stopping';
  /** True when the dashboard's demo-outage button may be used without an operator signature. */
  readonly demoOutageOpen: boolean;
  readonly mqtt: { readonly url: string; readonly embedded: boolean };
  readonly chain: { readonly kind: 'embedded' | 'rpc'; readonly chainId: number };
}

export interface AreaView {
  readonly id: string;
  readonly level: string;
  readonly parent: string | null;
  readonly status: AreaStatus;
  readonly sites: number;
  readonly netImportKw: number;
}

export interface SlotSummary {
  readonly slot: number;
  readonly twinIso: string;
  /** Wall-clock time the slot was settled (ms since the epoch). */
  readonly settledAtMs: number;
  readonly demandKw: number;
  readonly pvKw: number;
  readonly windKw: number;
  /** What the sites drew from the grid and fed into it, kW (both >= 0). */
  readonly importKw: number;
  readonly exportKw: number;
  readonly unservedKw: number;
  /** The TSO price of the slot and, while islanded, the island's scarcity price (null otherwise). */
  readonly priceMinorPerKwh: number;
  readonly islandPriceMinorPerKwh: number | null;
  /** Mean state of charge of the microgrid's batteries, % (null without batteries). */
  readonly batterySocPct: number | null;
  /** EV chargers paused this slot (flexibility, shedding or an authorised-import cap). */
  readonly evPaused: number;
  readonly areas: readonly AreaView[];
  /** Ids of areas islanded this slot. */
  readonly islands: readonly string[];
  readonly readings: { readonly accepted: number; readonly rejected: number; readonly missing: number; readonly external: number };
  readonly statements: { readonly final: number; readonly queued: number; readonly committed: number };
  /** Milliseconds from the slot's close (readings due) to trades and setpoints out. */
  readonly latencyMs: number;
}

export type DeviceProtocol = 'mqtt' | 'ocpp' | 'modbus' | 'twin';

export interface DeviceView {
  readonly did: string;
  readonly kind: 'meter' | 'participant' | 'charger' | 'inverter' | 'battery';
  readonly site: string;
  readonly area: string;
  readonly protocol: DeviceProtocol;
  /** For real devices: seen on its protocol within the last two slots. Twin devices: true. */
  readonly connected: boolean;
  readonly credential: {
    readonly id: string;
    readonly issuer: string;
    readonly ratedPowerW: number;
    readonly authorisedImportWh: number | null;
    readonly expiresAtIso: string;
    readonly revoked: boolean;
  } | null;
  readonly lastReadingSlot: number | null;
  /** Chargers: the power the charger last reported, W (null before its first MeterValues). */
  readonly powerW?: number | null;
  /** Chargers: paused by the node (a 0 limit installed). */
  readonly paused?: boolean;
}

export interface TradeView {
  readonly slot: number;
  readonly site: string;
  readonly boughtWh: number;
  readonly soldWh: number;
  readonly paidMinor: number;
  readonly receivedMinor: number;
}

export interface OrderView {
  readonly slot: number;
  readonly site: string;
  readonly side: 'bid' | 'offer';
  readonly energyWh: number;
  readonly priceMinorPerKwh: number;
  /**
   * Settled slots (from the ledger): 'twin' for orders the node signed for its simulated sites,
   * 'participant' for real participants' own signed orders. Coming slots: 'api' or 'mqtt', how the
   * participant's order arrived.
   */
  readonly source: 'twin' | 'participant' | 'api' | 'mqtt';
}

export interface FlexibilityView {
  readonly id: string;
  readonly buyer: 'dso' | 'tso';
  readonly area: string;
  readonly fromSlot: number;
  /** Exclusive: the request covers fromSlot .. toSlot - 1. */
  readonly toSlot: number;
  readonly requestedKw: number;
  readonly status: 'requested' | 'active' | 'delivered' | 'failed';
  readonly deliveredWh: number;
  readonly paidMinor: number;
}

export interface StatementView {
  readonly microgrid: string;
  readonly slot: number;
  readonly hash: string;
  readonly status: 'queued' | 'submitting' | 'committed' | 'duplicate' | 'conflict' | 'failed';
  readonly signatures: number;
  readonly readings: number;
  readonly orders: number;
  readonly trades: number;
}

export type AlertKind = 'rejected-reading' | 'missing-reading' | 'violation' | 'islanded' | 'reconnected' | 'ev-paused' | 'dissent' | 'device';

export interface AlertView {
  readonly slot: number;
  readonly kind: AlertKind;
  readonly message: string;
  readonly device?: string;
  readonly area?: string;
}

/** The proof of one leaf, the same JSON as `gridmesh ledger prove` (format gridmesh-ledger-proof/1). */
export type ProofJson = Record<string, unknown>;

export type Role = 'tso' | 'dso' | 'participant' | 'device';

export interface OutageRequest {
  readonly area: string;
  /** Slots from the next slot on (1..96 * 7). */
  readonly durationSlots: number;
}

export interface OutageAccepted {
  readonly area: string;
  readonly fromSlot: number;
  /** Exclusive: the outage covers fromSlot .. toSlot - 1. */
  readonly toSlot: number;
}

export interface FlexibilityRequest {
  readonly area: string;
  readonly fromSlot: number;
  /** Inclusive: the last slot asked for (the view's `toSlot` is exclusive). */
  readonly toSlot: number;
  readonly requestedKw: number;
  readonly priceMinorPerKwh: number;
}

/** Outcome of a signed order posted by a participant (the order gate's verdict). */
export type OrderOutcome = { readonly accepted: true; readonly slot: number } | { readonly accepted: false; readonly reason: string };

/** A failed write the API maps to a status: 'not-found' 404, 'invalid' 400, 'conflict' 409, 'unavailable' 503. */
export class NodeRequestError extends Error {
  constructor(readonly code: 'not-found' | 'invalid' | 'conflict' | 'unavailable', message: string) {
    super(message);
    this.name = 'NodeRequestError';
  }
}

export interface NodeView {
  info(): NodeInfo;
  areas(): readonly AreaView[];
  /** The newest slot summaries, oldest first (at most `limit`, at most the node's history size). */
  history(limit: number): readonly SlotSummary[];
  devices(): readonly DeviceView[];
  /** Trades and orders of one settled slot (default: the last). NodeRequestError 'not-found' beyond history. */
  trades(slot?: number): readonly TradeView[];
  orders(slot?: number): readonly OrderView[];
  flexibility(): readonly FlexibilityView[];
  statements(options: { readonly limit: number; readonly microgrid?: string }): readonly StatementView[];
  /** The proof of leaf `index` of `kind` in the microgrid's statement of `slot`. */
  proof(request: { readonly microgrid: string; readonly slot: number; readonly kind: 'readings' | 'orders' | 'trades'; readonly index: number }): ProofJson;
  alerts(limit: number): readonly AlertView[];
  /** The role of a DID on this node, or null when it has none (operators from the config, others from credentials). */
  roleOf(did: string): Role | null;
  /** Calls `listener` after every settled slot; returns the unsubscribe function. */
  onSlot(listener: (summary: SlotSummary) => void): () => void;
  /** Writes (the API has checked the caller's role): */
  triggerOutage(request: OutageRequest, by: string): OutageAccepted;
  requestFlexibility(request: FlexibilityRequest, by: string): FlexibilityView;
  /** A participant's signed order (115-byte binary record, see signed-order.ts), for a coming slot. */
  submitOrder(signedOrder: Uint8Array, by: string): OrderOutcome;
}
