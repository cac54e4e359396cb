/**
 * The flexibility market (issue 4, "Flexibility and virtual power plants") as two slot stages:
 *
 *   plan    (after sense, before clearing) posts this slot's requests, collects offers from the
 *           devices in each request's area, awards them in merit order and activates the winners'
 *           devices (the EV really pauses; the balancer then clears what is left);
 *   settle  (after metering) verifies each activated site's delivery against its baseline, pays the
 *           owner and penalises shortfalls, ends the activations and adds the slot to the metered
 *           history the baselines are computed from.
 *
 * Requests of one slot are served in a fixed order: DSO congestion first (grid safety), then the
 * scenario's scheduled requests in file order, then the TSO peak, whose estimate of the system
 * import includes what the earlier requests already took off. A site is activated for at most one
 * request per slot (its metered response then belongs to that request alone).
 */
import type { EvCharger } from '../../assets/capabilities.js';
import { assert } from '../../assert.js';
import { ScenarioError } from '../../errors.js';
import { CONNECTED } from '../../grid/islands.js';
import { FLEX_RESOURCES, type FlexRequestSpec, type MarketSpec, type Scenario } from '../../sim/scenario-schema.js';
import type { SiteModel } from '../../sim/site-model.js';
import type { SimModel, SlotContext } from '../../sim/slot-context.js';
import { kwToWh, whToKw } from '../../units.js';
import { EXCLUDED, METERED, MeteredHistory } from './baseline.js';
import { Activations } from './flex-activation.js';
import { awardMeritOrder } from './flex-award.js';
import { kwhOf, type FlexibilityMetrics, type FlexRequestRecord } from './flex-metrics.js';
import { collectOffers, RESOURCE_INDEX, type OfferSources } from './flex-offers.js';
import { RequestRecords, type RecordAcc } from './flex-records.js';
import {
  CongestionWatch, dsoCongestionRequest, plannedSystemImportWh, RequestSchedule, scheduledSlotRequest, scheduleRequests, tsoPeakRequest,
  type SlotRequest,
} from './flex-request.js';
import { settleSiteSlot } from './flex-settlement.js';

/** Requests served in one slot at most; more is a typed error. */
export const FLEX_REQUESTS_PER_SLOT_MAX = 1000;

type FlexSpec = MarketSpec['flexibility'];
const RESOURCES = FLEX_RESOURCES.length;

interface ServedRequest {
  readonly request: SlotRequest;
  readonly record: RecordAcc;
}

export class FlexibilityMarket {
  private readonly spec: FlexSpec;
  private readonly schedule: RequestSchedule;
  private readonly congestion: CongestionWatch | undefined;
  private readonly history: MeteredHistory;
  private readonly historySites: Int32Array;
  private readonly records: RequestRecords;
  /** The scenario's scheduled requests, then those added while running (`addRequest`). */
  private readonly runtimeSpecs: FlexRequestSpec[];
  private readonly activations = new Activations();
  private offerSources: OfferSources;
  // This slot's awards, per site position.
  private readonly taken: Int32Array;
  private readonly awardWh: Float64Array;
  /** Σ awarded Wh × price, for the site's award price. */
  private readonly awardValue: Float64Array;
  private readonly resourceWh: Float64Array;
  private readonly activated: number[] = [];
  private served: ServedRequest[] = [];
  private readonly totals = { requestedWh: 0, awardedWh: 0, deliveredWh: 0, unverifiedWh: 0, paidMinor: 0, penaltiesMinor: 0, evPauses: 0 };
  private readonly resourceTotals = FLEX_RESOURCES.map((resource) => ({ resource, activations: 0, awardedWh: 0, deliveredWh: 0, paidMinor: 0 }));
  /** Per VPP, then one for the independent sites. */
  private readonly aggregatorTotals: { aggregator: string | null; awardedWh: number; deliveredWh: number; paidMinor: number; penaltiesMinor: number }[];
  private readonly evsPaused = new Set<EvCharger>();
  /** Sites (internal index) whose EV charging an award paused in the current slot. */
  private readonly slotEvPauseSites = new Set<number>();
  private plannedPeakWh = 0;
  private meteredPeakWh = 0;
  private readonly feederAreas: number[];
  private readonly lastAreaNetWh: Float64Array;
  private readonly series = { flexRequestedKw: [] as number[], flexAwardedKw: [] as number[], flexDeliveredKw: [] as number[] };
  private lastPlanned = -1;
  private lastSettled = -1;

  /** `vppOfSite`: VPP index per internal site position (-1: none); VPP k is `scenario.market.vpps[k]`. */
  constructor(private readonly model: SimModel, scenario: Scenario, private readonly vppOfSite: Int32Array) {
    const { sites, tree, clock, grid } = model;
    const vpps = scenario.market.vpps;
    assert(vppOfSite.length === sites.length, 'vppOfSite needs one entry per site', { sites: sites.length, vppOfSite: vppOfSite.length });
    assert(vppOfSite.every((v) => v >= -1 && v < vpps.length), 'vppOfSite: a VPP index or -1');
    this.spec = scenario.market.flexibility;
    this.schedule = new RequestSchedule(scheduleRequests(this.spec.requests, tree, clock.slotMinutes));
    this.congestion = this.spec.dsoCongestion === undefined ? undefined : new CongestionWatch(grid);
    this.runtimeSpecs = [...this.spec.requests];
    this.records = new RequestRecords(tree, this.runtimeSpecs);
    const flexible = sites.flatMap((s, i) => (hasFlexibleDevices(s) ? [i] : []));
    this.historySites = Int32Array.from(flexible);
    const rowOfSite = new Int32Array(sites.length).fill(-1);
    flexible.forEach((i, row) => { rowOfSite[i] = row; });
    this.history = new MeteredHistory(rowOfSite, flexible.length, clock.slotsPerDay(), this.spec.baselineDays);
    this.taken = new Int32Array(sites.length).fill(-1);
    this.awardWh = new Float64Array(sites.length);
    this.awardValue = new Float64Array(sites.length);
    this.resourceWh = new Float64Array(sites.length * RESOURCES);
    this.aggregatorTotals = [...vpps.map((v): string | null => v.id), null].map((aggregator) => ({ aggregator, awardedWh: 0, deliveredWh: 0, paidMinor: 0, penaltiesMinor: 0 }));
    this.feederAreas = grid.stats.flatMap((s, a) => (s === undefined ? [] : [a]));
    this.lastAreaNetWh = new Float64Array(tree.count);
    this.offerSources = {
      sites, buffers: model.buffers, siteRegion: new Uint8Array(0), vppOfSite, vppCount: vpps.length,
      prices: this.spec.offerPriceMinorPerKwh, taken: this.taken,
      siteActivations: new Int32Array(sites.length),
    };
  }

  /** After sense, before clearing: post requests for this slot, collect offers, award, activate devices. */
  plan(ctx: SlotContext): void {
    const { slot } = ctx;
    assert(this.lastPlanned === this.lastSettled && (this.lastSettled === -1 || slot === this.lastSettled + 1),
      'flexibility market: plan and settle must alternate, slots in order', { slot, lastPlanned: this.lastPlanned, lastSettled: this.lastSettled });
    this.lastPlanned = slot;
    this.slotEvPauseSites.clear();
    this.records.closeIdle(slot);
    this.offerSources = { ...this.offerSources, siteRegion: ctx.regionSites.siteRegion };
    const tsoPeak = this.spec.tsoPeak;
    const connected = ctx.regionSites.connected;
    let plannedWh = tsoPeak === undefined ? 0 : plannedSystemImportWh(this.model.buffers, connected);
    this.plannedPeakWh = Math.max(this.plannedPeakWh, plannedWh);

    const requests = [...this.congestionRequests(ctx), ...this.schedule.openAt(slot).map(scheduledSlotRequest)];
    this.checkRequestCount(requests.length, slot);
    for (const request of requests) this.serve(ctx, request);
    if (tsoPeak !== undefined) {
      if (this.activated.length > 0) plannedWh = plannedSystemImportWh(this.model.buffers, connected);
      const request = tsoPeakRequest(tsoPeak, whToKw(plannedWh, ctx.env.slotHours), ctx.env.hourOfDay, 0);
      if (request !== undefined) {
        this.checkRequestCount(requests.length + 1, slot);
        this.serve(ctx, request);
      }
    }
    let requestedWh = 0;
    let awardedWh = 0;
    for (const s of this.served) {
      requestedWh += kwToWh(s.request.powerKw, ctx.env.slotHours);
    }
    for (const i of this.activated) awardedWh += this.awardWh[i] as number;
    this.series.flexRequestedKw[slot] = whToKw(requestedWh, ctx.env.slotHours);
    this.series.flexAwardedKw[slot] = whToKw(awardedWh, ctx.env.slotHours);
  }

  /** After metering: verify delivery against the baseline, pay and penalise, update the metered history. */
  /**
   * This slot's verified activations, for the trust layer's statements (the chain pays
   * floor(deliveredWh × price / 1000) − penalty, the award's average price rounded to whole minor/kWh).
   */
  readonly slotPayouts: { site: number; buyer: 'tso' | 'dso'; deliveredWh: number; priceMinorPerKwh: number; penaltyMinor: number }[] = [];

  settle(ctx: SlotContext): void {
    const { slot, model } = ctx;
    assert(slot === this.lastPlanned && (this.lastSettled === -1 || slot === this.lastSettled + 1), 'flexibility market: settle must follow plan of the same slot', { slot, lastPlanned: this.lastPlanned });
    this.lastSettled = slot;
    this.slotPayouts.length = 0;
    const b = model.buffers;
    let deliveredWh = 0;
    for (const i of this.activated) deliveredWh += this.settleSite(i, slot);
    this.activations.endSlot(b);
    this.recordHistory(ctx);
    this.series.flexDeliveredKw[slot] = whToKw(deliveredWh, ctx.env.slotHours);
    for (const i of this.activated) {
      this.taken[i] = -1;
      this.awardWh[i] = 0;
      this.awardValue[i] = 0;
      this.resourceWh.fill(0, i * RESOURCES, (i + 1) * RESOURCES);
    }
    this.activated.length = 0;
    this.served = [];
  }

  /**
   * A request decided while running (an operator's, through a node's API): open from `startSlot`
   * (which must not have run yet) to `endSlot` (exclusive), cleared like a scheduled request.
   */
  addRequest(spec: FlexRequestSpec, startSlot: number, endSlot: number): void {
    const area = this.model.tree.indexOf.get(spec.area);
    if (area === undefined) throw new RangeError(`flexibility request ${spec.id}: unknown area ${JSON.stringify(spec.area)}`);
    if (!Number.isInteger(startSlot) || !Number.isInteger(endSlot) || endSlot <= startSlot || startSlot < 0) {
      throw new RangeError(`flexibility request ${spec.id}: slots must be integers 0 <= start < end, got ${startSlot}..${endSlot}`);
    }
    const index = this.runtimeSpecs.length;
    this.runtimeSpecs.push(spec);
    this.schedule.add({ index, spec, area, startSlot, endSlot });
  }

  /** Sites (internal index) whose EV charging a flexibility award paused in the last planned slot (a node's chargers follow it). */
  evPausedSites(): ReadonlySet<number> {
    return this.slotEvPauseSites;
  }

  /** Every request's record so far (open ones included), at most FLEX_RECORDS_MAX. */
  requestRecords(): FlexRequestRecord[] {
    return this.records.records().records;
  }

  metrics(): FlexibilityMetrics {
    const t = this.totals;
    const { records, omitted } = this.records.records();
    const tsoPeak = this.spec.tsoPeak;
    const slotHours = this.model.clock.slotHours;
    return {
      requests: this.records.count, requestedKwh: kwhOf(t.requestedWh), awardedKwh: kwhOf(t.awardedWh), deliveredKwh: kwhOf(t.deliveredWh),
      unverifiedKwh: kwhOf(t.unverifiedWh), paidMinor: t.paidMinor, penaltiesMinor: t.penaltiesMinor, evPauses: t.evPauses, evsPaused: this.evsPaused.size,
      records, recordsOmitted: omitted,
      byResource: this.resourceTotals.map((r) => ({
        resource: r.resource, activations: r.activations, awardedKwh: kwhOf(r.awardedWh), deliveredKwh: kwhOf(r.deliveredWh), paidMinor: Math.round(r.paidMinor),
      })),
      byAggregator: this.aggregatorTotals.map((a) => ({
        aggregator: a.aggregator, awardedKwh: kwhOf(a.awardedWh), deliveredKwh: kwhOf(a.deliveredWh), paidMinor: a.paidMinor, penaltiesMinor: a.penaltiesMinor,
      })),
      peak: tsoPeak === undefined ? null : {
        thresholdKw: tsoPeak.thresholdKw, plannedPeakKw: round3(whToKw(this.plannedPeakWh, slotHours)), meteredPeakKw: round3(whToKw(this.meteredPeakWh, slotHours)),
      },
      series: { flexRequestedKw: dense(this.series.flexRequestedKw), flexAwardedKw: dense(this.series.flexAwardedKw), flexDeliveredKw: dense(this.series.flexDeliveredKw) },
    };
  }

  private checkRequestCount(count: number, slot: number): void {
    if (count <= FLEX_REQUESTS_PER_SLOT_MAX) return;
    throw new ScenarioError('too many flexibility requests in one slot', {
      details: [`market.flexibility: ${count} requests open in slot ${slot}, at most ${FLEX_REQUESTS_PER_SLOT_MAX}`],
    });
  }

  /** DSO requests for the feeders whose power flow found an overload in the slot before. */
  private congestionRequests(ctx: SlotContext): SlotRequest[] {
    const cap = this.spec.dsoCongestion?.priceCapMinorPerKwh;
    if (this.congestion === undefined || cap === undefined) return [];
    const areaRegion = ctx.regionSites.regions.areaRegion;
    const requests: SlotRequest[] = [];
    for (const o of this.congestion.overloads()) {
      if (areaRegion[o.area] !== CONNECTED) continue;
      const request = dsoCongestionRequest(o.area, whToKw(this.lastAreaNetWh[o.area] as number, ctx.env.slotHours), o.loadingPct, cap);
      if (request !== undefined) requests.push(request);
    }
    return requests;
  }

  /** Offers, merit-order award and activation of one request. */
  private serve(ctx: SlotContext, request: SlotRequest): void {
    const { slot, model, env } = ctx;
    const { tree, sites, buffers: b, clock } = model;
    const record = this.records.recordFor(request, slot);
    const index = this.served.length;
    this.served.push({ request, record });
    const requestedWh = kwToWh(request.powerKw, env.slotHours);
    const offers = collectOffers(this.offerSources, tree.siteStart[request.area] as number, tree.siteEnd[request.area] as number, request.direction);
    const award = awardMeritOrder(offers, requestedWh, request.priceCapMinorPerKwh);
    const nextSlotStartMs = clock.slotStartMs(slot + 1);
    for (const { unit, offer } of award.units) {
      const i = unit.site;
      if (this.taken[i] === -1) {
        this.taken[i] = index;
        this.activated.push(i);
        record.sites?.add(i);
        const { siteActivations } = this.offerSources;
        siteActivations[i] = (siteActivations[i] as number) + 1;
      }
      const r = RESOURCE_INDEX[unit.resource];
      this.awardWh[i] = (this.awardWh[i] as number) + unit.energyWh;
      this.awardValue[i] = (this.awardValue[i] as number) + unit.energyWh * offer.priceMinorPerKwh;
      this.resourceWh[i * RESOURCES + r] = (this.resourceWh[i * RESOURCES + r] as number) + unit.energyWh;
      const site = sites[i] as SiteModel;
      this.activations.activate(site, b, unit, nextSlotStartMs);
      const totals = this.resourceTotals[r] as (typeof this.resourceTotals)[number];
      totals.activations++;
      totals.awardedWh += unit.energyWh;
      if (unit.resource === 'ev-pause') {
        this.totals.evPauses++;
        this.evsPaused.add(site.deferrables[unit.device] as EvCharger);
        this.slotEvPauseSites.add(i);
      }
    }
    record.slots++;
    record.requestedKw = Math.max(record.requestedKw, request.powerKw);
    record.requestedWh += requestedWh;
    record.awardedWh += award.awardedWh;
    if (award.outcome === 'covered') record.coveredSlots++;
    else if (award.outcome === 'no-offers') record.noOfferSlots++;
    else if (award.outcome === 'above-cap') record.aboveCapSlots++;
    this.totals.requestedWh += requestedWh;
    this.totals.awardedWh += award.awardedWh;
  }

  /** Verifies and pays one activated site; returns its verified delivery, Wh. */
  private settleSite(i: number, slot: number): number {
    const served = this.served[this.taken[i] as number] as ServedRequest;
    const awardedWh = this.awardWh[i] as number;
    const baseline = this.history.baseline(i, slot);
    const s = settleSiteSlot({
      direction: served.request.direction, baselineImportWh: baseline?.importWh, meteredImportWh: -(this.model.buffers.netWh[i] as number),
      awardedWh, priceMinorPerKwh: (this.awardValue[i] as number) / awardedWh, penaltyMinorPerKwh: this.spec.penaltyMinorPerKwh,
    });
    if (s.verified) {
      this.slotPayouts.push({
        site: i, buyer: served.request.buyer, deliveredWh: Math.round(s.deliveredWh),
        priceMinorPerKwh: Math.round((this.awardValue[i] as number) / awardedWh), penaltyMinor: s.penaltyMinor,
      });
    }
    const rec = served.record;
    rec.deliveredWh += s.deliveredWh;
    rec.unverifiedWh += s.unverifiedWh;
    rec.paidMinor += s.paidMinor;
    rec.penaltiesMinor += s.penaltyMinor;
    const t = this.totals;
    t.deliveredWh += s.deliveredWh;
    t.unverifiedWh += s.unverifiedWh;
    t.paidMinor += s.paidMinor;
    t.penaltiesMinor += s.penaltyMinor;
    for (let r = 0; r < RESOURCES; r++) {
      const share = (this.resourceWh[i * RESOURCES + r] as number) / awardedWh;
      if (share === 0) continue;
      const totals = this.resourceTotals[r] as (typeof this.resourceTotals)[number];
      totals.deliveredWh += s.deliveredWh * share;
      totals.paidMinor += s.paidMinor * share;
    }
    const vpp = this.vppOfSite[i] as number;
    const agg = this.aggregatorTotals[vpp >= 0 ? vpp : this.aggregatorTotals.length - 1] as (typeof this.aggregatorTotals)[number];
    agg.awardedWh += awardedWh;
    agg.deliveredWh += s.deliveredWh;
    agg.paidMinor += s.paidMinor;
    agg.penaltiesMinor += s.penaltyMinor;
    return s.deliveredWh;
  }

  /** Adds the slot's metering to the history; also the flows the DSO and TSO watch. */
  private recordHistory(ctx: SlotContext): void {
    const { slot, model, regionSites } = ctx;
    const b = model.buffers;
    const siteRegion = regionSites.siteRegion;
    for (let k = 0; k < this.historySites.length; k++) {
      const i = this.historySites[k] as number;
      const excluded = this.taken[i] !== -1 || siteRegion[i] !== CONNECTED;
      this.history.record(i, slot, -(b.netWh[i] as number), excluded ? EXCLUDED : METERED);
    }
    this.history.endSlot(slot);
    if (this.spec.tsoPeak !== undefined) {
      let importWh = 0;
      const connected = regionSites.connected;
      for (let k = 0; k < connected.length; k++) importWh -= b.netWh[connected[k] as number] as number;
      this.meteredPeakWh = Math.max(this.meteredPeakWh, importWh);
    }
    if (this.congestion !== undefined) {
      const { tree } = model;
      for (const a of this.feederAreas) {
        let net = 0;
        for (let i = tree.siteStart[a] as number; i < (tree.siteEnd[a] as number); i++) if (siteRegion[i] === CONNECTED) net += b.netWh[i] as number;
        this.lastAreaNetWh[a] = net;
      }
    }
  }
}

function hasFlexibleDevices(site: SiteModel): boolean {
  return site.deferrables.length > 0 || site.heating.length > 0 || site.generators.some((g) => g.kind === 'pv');
}

/** A copy with 0 for the slots before the market started (holes when it was built mid-run). */
function dense(series: readonly number[]): number[] {
  return Array.from(series, (kw) => kw ?? 0);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
