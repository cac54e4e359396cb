/**
 * The trust layer of a simulated run (ADR 0010, docs/trust.md), as the last part of the settle
 * stage, after the markets and flexibility have settled the slot:
 *
 *   1. every supplied site's meter signs its reading (import, export, peak power) and its owner signs
 *      the site's orders of the slot; rogue meters (scenario event `rogue-device`) forge, replay or
 *      over-report;
 *   2. the node's gates verify each record (signature, credential, revocation, slot, plausibility):
 *      rejected records are counted by reason and not settled;
 *   3. per settlement unit, every validator re-executes settlement from the accepted records and the
 *      trade leaves (unit-settlement.ts) and signs the statement hash; a hash with ⌈2n/3⌉ signatures
 *      is final, and validators that computed another hash are reported;
 *   4. the slot's records and statements go to the outbox (the ledger store and the chain, provided
 *      by the adapters), marked online or not: an offline unit's statements wait in the queue.
 *
 * Import beyond a meter's authorised energy is capped by the site's controller (see `plan`) and the
 * readings that go beyond it are flagged.
 */
import type { Hex } from 'viem';
import { OrderGate } from '../identity/order-gate.js';
import { ReadingGate } from '../identity/reading-gate.js';
import { signReading } from '../identity/signed-reading.js';
import { signOrder } from '../identity/signed-order.js';
import { deriveKeyPair } from '../identity/key-pair.js';
import type { GateCounts, Rejection } from '../identity/gate-rejections.js';
import { statementHash, idOf, type FlexPayout, type Statement } from '../ledger/statement.js';
import { signStatementSync } from '../ledger/statement-signing.js';
import { tallyQuorum, type Dissenter } from '../ledger/quorum.js';
import type { Scenario } from '../sim/scenario-schema.js';
import type { SimModel, SlotContext } from '../sim/slot-context.js';
import { DARK } from '../grid/islands.js';
import { withholdDeferrable, withholdHeating, type SiteModel } from '../sim/site-model.js';
import { NORMAL } from '../sim/slot-buffers.js';
import { OFFER_EXPORT, BID_DEFERRABLE } from '../market/slot-orders.js';
import type { MarketRun } from '../market/market-run.js';
import { encodeTradeLeaf } from './trade-leaf.js';
import { executeUnitSettlement, type UnitSlotInputs } from './unit-settlement.js';
import { unitOnline } from './settlement-units.js';
import { controllerId, type SiteIdentity, type TrustSetup, type UnitValidators } from './trust-setup.js';
import { RogueMeters } from './rogue-meters.js';
import type { TrustMetrics } from './trust-metrics.js';
import { orderKindOf, type ParticipantOrders } from '../market/participant-orders.js';

/** Where the trust layer's records go (implemented by the adapters: ledger store and chain). */
export interface TrustOutbox {
  slot(record: TrustSlotRecord): void;
}

export interface UnitSlotRecord {
  readonly unit: number;
  readonly areaId: string;
  readonly microgrid: Hex;
  readonly online: boolean;
  /** Accepted signed readings and orders (leaf order) with the DID that signed each. */
  readonly readings: readonly { readonly device: string; readonly bytes: Uint8Array }[];
  readonly orders: readonly { readonly device: string; readonly bytes: Uint8Array }[];
  readonly trades: readonly Uint8Array[];
  /** The final statement and its signatures (sorted by signer), or null without a quorum. */
  readonly statement: Statement | null;
  readonly hash: Hex | null;
  readonly signatures: readonly Hex[];
  readonly dissenters: readonly Dissenter[];
}

export interface TrustSlotRecord {
  readonly slot: number;
  readonly units: readonly UnitSlotRecord[];
  /** Readings rejected this slot: the device they name and why. */
  readonly rejections: readonly { readonly device: string; readonly reason: string }[];
  /** Meters served by real devices (`readingSource`) that sent no reading for the slot (their DIDs). */
  readonly missing: readonly string[];
}

/**
 * Readings real devices sent (the runtime, e.g. over MQTT): for the sites it serves, the node uses
 * the device's own signed record and never signs on the meter's behalf; a meter that sent nothing for
 * the slot is missing (counted, nothing settled for it).
 */
export interface ExternalReadings {
  serves(site: number): boolean;
  /** The record the site's meter sent for `slot`, removed from the source; undefined when none came. */
  take(site: number, slot: number): Uint8Array | undefined;
  /**
   * True when the source already verified the signatures of `slot`'s records with the devices'
   * registered keys (the node's inbox does, on arrival): the gate then runs every other check
   * without verifying again.
   */
  signaturesVerified?(slot: number): boolean;
}

export interface TrustRunOptions {
  readonly setup: TrustSetup;
  /** The chain and Settlement contract validators sign for. */
  readonly domain: { readonly chainId: bigint; readonly settlement: Hex };
  readonly outbox?: TrustOutbox;
  /** Real devices' readings (the runtime); without it every meter is simulated. */
  readonly readingSource?: ExternalReadings;
  /**
   * Skip verifying the signatures this run has just made itself for its simulated meters and owners
   * (a node: they cannot be wrong, and verifying costs ~0.1 ms each). Every other check still runs;
   * rogue meters' records and real devices' records are verified as always. Off in simulations,
   * which exercise the gates in full.
   */
  readonly trustOwnSignatures?: boolean;
}

export class TrustRun {
  readonly readings: ReadingGate;
  readonly orders: OrderGate;
  private readonly rogue: RogueMeters;
  /** Each owner's order sequence number (the order gate rejects a sequence number it has seen). */
  private readonly orderSeq: Uint32Array;
  private cappedSiteSlots = 0;
  private missingReadings = 0;
  private statementsFinal = 0;
  private statementsNoQuorum = 0;
  private statementsOffline = 0;
  private dissentCount = 0;
  private readonly dissent: { slot: number; unit: string; validator: string; fields: readonly string[] }[] = [];
  private readonly flexBuyer: Record<'tso' | 'dso', Hex> = { tso: idOf('flexibility:tso'), dso: idOf('flexibility:dso') };

  constructor(private readonly model: SimModel, private readonly scenario: Scenario, private readonly market: MarketRun, private readonly options: TrustRunOptions) {
    const { setup } = options;
    const registryOptions = {
      trustedGatekeepers: [...setup.gatekeepers.values()].map((k) => k.did),
      slotToSeconds: (slot: number) => Math.floor(model.clock.slotStartMs(slot) / 1000),
      maxDevices: setup.sites.length + 16,
      rejectionLogSize: Math.max(1, scenario.trust.maxRejectionsListed),
    };
    this.readings = new ReadingGate({ ...registryOptions, maxLateSlots: scenario.trust.maxLateSlots, plausibilityTolerance: scenario.trust.plausibilityTolerance });
    this.orders = new OrderGate(registryOptions);
    for (const s of setup.sites) {
      this.readings.admitVerified(s.meterCredential);
      this.orders.admitVerified(s.ownerCredential);
    }
    this.orderSeq = new Uint32Array(setup.sites.length);
    this.rogue = new RogueMeters(scenario, model, (name) => deriveKeyPair(setup.seed, name));
  }

  /**
   * Plan stage: a meter beyond its authorised import is capped by its site's controller, which
   * withholds the site's deferrable devices (EV charging, washing) and then its normal-priority
   * heating for the slot, until the expected import fits what is still authorised. Base load is not
   * switched (no remote breaker is modelled): what remains is metered and flagged.
   */
  plan(ctx: SlotContext): void {
    const b = this.model.buffers;
    this.options.setup.sites.forEach((s, i) => {
      const cap = this.readings.importCapWh(s.meter.did, ctx.slot);
      if (cap === null) return;
      const site = this.model.sites[i] as SiteModel;
      let excess = (b.demandWh[0][i] as number) + (b.demandWh[1][i] as number) + (b.demandWh[2][i] as number) + (b.deferrableWh[i] as number)
        - (b.pvWh[i] as number) - (b.windWh[i] as number) - Math.max(0, cap);
      if (excess <= 0) return;
      let withheld = false;
      for (let k = 0; k < site.deferrables.length && excess > 0; k++) {
        const request = site.deferrableRequestWh[k] as number;
        if (request <= 0) continue;
        withholdDeferrable(site, b, i, k);
        excess -= request;
        withheld = true;
      }
      for (let k = 0; k < site.heating.length && excess > 0; k++) {
        const request = site.heatingRequestWh[k] as number;
        if (request <= 0 || site.heatingClass[k] !== NORMAL) continue;
        withholdHeating(site, b, i, k);
        excess -= request;
        withheld = true;
      }
      if (withheld) this.cappedSiteSlots++;
    });
  }

  /** Settle stage (after the markets): sign, verify, settle per unit, co-sign, hand to the outbox. */
  settle(ctx: SlotContext): void {
    const { slot } = ctx;
    const units = this.options.setup.units.map((u): UnitInputs => ({
      microgrid: u.microgrid, marketAccount: u.marketAccount, slot, readings: [], orders: [], trades: [], payouts: [],
    }));
    const rejections: { device: string; reason: string }[] = [];
    const missing: string[] = [];
    this.meterReadings(ctx, units, rejections, missing);
    this.signedOrders(ctx, units);
    this.tradeLeaves(ctx, units);
    this.payouts(units);
    const records = units.map((inputs, k) => this.coSign(ctx, k, inputs));
    this.options.outbox?.slot({ slot, units: records, rejections, missing });
  }

  private meterReadings(ctx: SlotContext, units: UnitInputs[], rejections: { device: string; reason: string }[], missing: string[]): void {
    const { slot } = ctx;
    const b = this.model.buffers;
    const { sites, unitOfSite } = this.options.setup;
    const source = this.options.readingSource;
    const slotSeconds = this.model.clock.slotMinutes * 60;
    for (let i = 0; i < sites.length; i++) {
      const external = source?.serves(i) === true;
      if (ctx.regionSites.siteRegion[i] === DARK) {
        if (external) source?.take(i, slot); // an unpowered meter sends nothing: drop anything that came
        continue;
      }
      const s = sites[i] as SiteIdentity;
      let bytes: Uint8Array;
      let verified: boolean;
      if (external) {
        const sent = source?.take(i, slot);
        if (sent === undefined) {
          this.missingReadings++;
          missing.push(s.meter.did);
          continue;
        }
        bytes = sent;
        verified = source?.signaturesVerified?.(slot) === true;
      } else {
        const net = Math.round(b.netWh[i] as number);
        const reading = { deviceKey: s.meter.publicKeyRaw, slot, importWh: Math.max(0, -net), exportWh: Math.max(0, net), peakPowerW: Math.ceil((Math.abs(net) * 3600) / slotSeconds) };
        const sign = (r: typeof reading): Uint8Array => signReading(s.meter.privateKey, r);
        const rogue = this.rogue.reading(i, slot, reading, sign);
        bytes = rogue ?? sign(reading);
        verified = rogue === null && this.options.trustOwnSignatures === true;
        this.rogue.sent(i, bytes);
      }
      const outcome = verified ? this.readings.ingestVerified(bytes, slot, true) : this.readings.ingestReading(bytes, slot);
      if (!outcome.accepted) {
        rejections.push({ device: s.meter.did, reason: outcome.reason });
        continue;
      }
      units[unitOfSite[i] as number]?.readings.push({ leaf: outcome.leaf, device: s.meter.did, account: s.account, importWh: outcome.reading.importWh, exportWh: outcome.reading.exportWh });
    }
  }

  /** Each site's orders of the slot (its bids and its export offer), signed by its owner. */
  private signedOrders(ctx: SlotContext, units: UnitInputs[]): void {
    const o = this.market.markets.orders;
    const { sites, unitOfSite } = this.options.setup;
    const offered = this.model.scratchList;
    offered.fill(0);
    const participants = this.market.participants;
    for (let k = 0; k < o.count; k++) {
      const kind = o.kind[k] as number;
      if (kind > OFFER_EXPORT) continue; // VPP pools, plants and the market maker are not sites
      const i = o.owner[k] as number;
      if (participants?.represents(i) === true) continue; // its own signed orders, below
      const s = sites[i] as SiteIdentity;
      const side = kind === OFFER_EXPORT ? 'offer' : 'bid';
      if (kind === OFFER_EXPORT) offered[i] = 1;
      const bytes = signOrder(s.owner.privateKey, {
        participantKey: s.owner.publicKeyRaw, slot: ctx.slot, orderSeq: this.nextSeq(i), side,
        priorityClass: kind <= BID_DEFERRABLE ? kind : 4, energyWh: o.energyWh[k] as number, priceMinorPerKwh: o.priceMinorPerKwh[k] as number,
      });
      const outcome = this.ingestOwnOrder(bytes, ctx.slot);
      if (!outcome.accepted) continue;
      units[unitOfSite[i] as number]?.orders.push({ leaf: outcome.leaf, device: s.owner.did, account: s.account, side, energyWh: o.energyWh[k] as number });
    }
    if (participants !== undefined) this.participantOrders(ctx, units, participants);
    // A VPP member's pooled export is an offer through its aggregator: its share sold is its offer.
    const a = this.market.markets.accounts;
    for (let i = 0; i < sites.length; i++) {
      const energyWh = a.soldWh[i] as number;
      if (offered[i] === 1 || !(energyWh > 0) || participants?.represents(i) === true) continue;
      const s = sites[i] as SiteIdentity;
      const bytes = signOrder(s.owner.privateKey, { participantKey: s.owner.publicKeyRaw, slot: ctx.slot, orderSeq: this.nextSeq(i), side: 'offer', priorityClass: 4, energyWh, priceMinorPerKwh: 0 });
      const outcome = this.ingestOwnOrder(bytes, ctx.slot);
      if (outcome.accepted) units[unitOfSite[i] as number]?.orders.push({ leaf: outcome.leaf, device: s.owner.did, account: s.account, side: 'offer', energyWh });
    }
  }

  /** Real participants' own signed orders of the slot (the ones clearing used), checked by the order gate. */
  private participantOrders(ctx: SlotContext, units: UnitInputs[], participants: ParticipantOrders): void {
    const { sites, unitOfSite } = this.options.setup;
    const verified = participants.signaturesVerified?.(ctx.slot) === true;
    for (let i = 0; i < sites.length; i++) {
      if (!participants.represents(i)) continue;
      const s = sites[i] as SiteIdentity;
      for (const bytes of participants.ordersFor(i, ctx.slot)) {
        const outcome = verified ? this.orders.ingestVerified(bytes, ctx.slot, true) : this.orders.ingestOrder(bytes, ctx.slot);
        if (!outcome.accepted) continue;
        const o = orderKindOf(bytes);
        units[unitOfSite[i] as number]?.orders.push({ leaf: outcome.leaf, device: s.owner.did, account: s.account, side: o.side, energyWh: o.energyWh });
      }
    }
  }

  /** An order this run signed for a simulated owner (see `trustOwnSignatures`). */
  private ingestOwnOrder(bytes: Uint8Array, slot: number): ReturnType<OrderGate['ingestOrder']> {
    return this.options.trustOwnSignatures === true ? this.orders.ingestVerified(bytes, slot, true) : this.orders.ingestOrder(bytes, slot);
  }

  private nextSeq(site: number): number {
    this.orderSeq[site] = (this.orderSeq[site] as number) + 1;
    return this.orderSeq[site] as number;
  }

  /** One trade leaf per supplied site: what it bought, sold, paid and received, and its imbalance prices. */
  private tradeLeaves(ctx: SlotContext, units: UnitInputs[]): void {
    const a = this.market.markets.accounts;
    const { sites, unitOfSite } = this.options.setup;
    const prices = this.scenario.market.imbalanceMinorPerKwh;
    const { tree } = this.model;
    for (let i = 0; i < sites.length; i++) {
      if (ctx.regionSites.siteRegion[i] === DARK) continue;
      const level = tree.levels[tree.siteArea[i] as number] as keyof typeof prices;
      units[unitOfSite[i] as number]?.trades.push(encodeTradeLeaf({
        account: (sites[i] as SiteIdentity).account, slot: ctx.slot,
        boughtWh: a.boughtWh[i] as number, soldWh: a.soldWh[i] as number, paidMinor: a.paidMinor[i] as number, receivedMinor: a.receivedMinor[i] as number,
        shortMinorPerKwh: prices[level].short, longMinorPerKwh: prices[level].long,
      }));
    }
  }

  private payouts(units: UnitInputs[]): void {
    const { sites, unitOfSite } = this.options.setup;
    for (const p of this.market.flexibility?.slotPayouts ?? []) {
      const s = sites[p.site] as SiteIdentity;
      units[unitOfSite[p.site] as number]?.payouts.push({
        device: idOf(s.meter.did), account: s.account, buyer: this.flexBuyer[p.buyer],
        verifiedWh: BigInt(p.deliveredWh), priceMinorPerKwh: BigInt(Math.max(0, p.priceMinorPerKwh)), penaltyMinor: BigInt(p.penaltyMinor),
      });
    }
  }

  /** Every validator of the unit re-executes and signs; a hash with a quorum is final. */
  private coSign(ctx: SlotContext, k: number, inputs: UnitInputs): UnitSlotRecord {
    const u = this.options.setup.units[k] as UnitValidators;
    const { chainId, settlement } = this.options.domain;
    const dishonest = this.scenario.trust.dishonestValidator;
    const votes = new Map<string, { statement: Statement; signature: Hex }>();
    const liar = dishonest !== undefined && dishonest.microgrid === u.unit.areaId ? controllerId(u.unit.areaId, dishonest.index) : undefined;
    for (const v of u.validators) {
      let statement = executeUnitSettlement(inputs);
      if (v.id === liar) statement = skew(statement);
      votes.set(v.id, { statement, signature: signStatementSync(v.privateKey, chainId, settlement, statementHash(statement)) });
    }
    const q = tallyQuorum({ validators: u.validators, votes });
    const online = unitOnline(this.model.tree, this.model.states, u.unit.area);
    if (!online) this.statementsOffline++;
    const base = { unit: k, areaId: u.unit.areaId, microgrid: u.microgrid, online, readings: inputs.readings.map((r) => ({ device: r.device, bytes: r.leaf })), orders: inputs.orders.map((o) => ({ device: o.device, bytes: o.leaf })), trades: inputs.trades };
    if (!q.final) {
      this.statementsNoQuorum++;
      return { ...base, statement: null, hash: null, signatures: [], dissenters: [] };
    }
    this.statementsFinal++;
    for (const d of q.dissenters) {
      this.dissentCount++;
      if (this.dissent.length < MAX_DISSENT_LISTED) this.dissent.push({ slot: ctx.slot, unit: u.unit.areaId, validator: d.validator, fields: d.fields });
    }
    return { ...base, statement: q.statement, hash: q.hash, signatures: q.signatures, dissenters: q.dissenters };
  }

  metrics(): TrustMetrics {
    const readings: GateCounts = this.readings.counts();
    const orders: GateCounts = this.orders.counts();
    const rejections: Rejection[] = this.readings.rejections();
    return {
      devices: this.options.setup.sites.length * 2,
      gatekeepers: this.options.setup.gatekeepers.size,
      units: this.options.setup.units.map((u) => ({ area: u.unit.areaId, sites: u.unit.sites.length, validators: u.validators.length })),
      readings, orders,
      rejectedReadings: rejections.map((r) => ({ slot: r.slot, device: r.device, reason: r.reason })),
      cappedSiteSlots: this.cappedSiteSlots,
      ...(this.options.readingSource === undefined ? {} : { missingReadings: this.missingReadings }),
      statements: { final: this.statementsFinal, noQuorum: this.statementsNoQuorum, producedOffline: this.statementsOffline },
      dissent: { count: this.dissentCount, listed: this.dissent },
    };
  }
}

const MAX_DISSENT_LISTED = 20;

type UnitInputs = UnitSlotInputs & {
  readings: UnitSlotInputs['readings'][number][];
  orders: UnitSlotInputs['orders'][number][];
  trades: Uint8Array[];
  payouts: FlexPayout[];
};

/** The dishonest validator's statement: one minor unit moved from the market account to the first site. */
function skew(s: Statement): Statement {
  if (s.accounts.length < 2) return { ...s, tradesRoot: s.readingsRoot };
  const deltas = [...s.deltasMinor];
  deltas[0] = (deltas[0] as bigint) + 1n;
  deltas[deltas.length - 1] = (deltas[deltas.length - 1] as bigint) - 1n;
  return { ...s, deltasMinor: deltas };
}
