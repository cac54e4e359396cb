/**
 * The markets of one run (issue 4, ADR 0009): every slot, each site's plan becomes orders, energy
 * communities match first, then the open market clears bottom-up through the hierarchy (streets,
 * neighbourhoods, city, DSO, then the TSO's wholesale market with central plants and the market
 * maker); each island clears its own book. After metering, what a site metered beyond or short of
 * what it traded is settled at the imbalance price of its level.
 *
 * The markets clear ahead of delivery (gate closure before the slot) on each site's plan; the
 * physical balance in real time stays with the system operators' balancing rule (the balancer and
 * the island controllers), and deviations from the trades are imbalance.
 *
 * Baseline mode is today's retail market: every site trades with the TSO market only (no local
 * levels, no communities, no VPP pooling); the DSO's feed-in price still applies.
 */
import { selfConsume } from '../control/self-consumption.js';
import { CONNECTED, DARK } from '../grid/islands.js';
import type { AreaLevel, Scenario } from '../sim/scenario-schema.js';
import type { SimModel, SlotContext } from '../sim/slot-context.js';
import { kwToWh } from '../units.js';
import { BookClearer, type TradeSink } from './book-clearing.js';
import { addToCommunityBook, matchCommunities, type CommunityBook } from './community-matching.js';
import { HierarchicalClearing } from './hierarchical-clearing.js';
import { BUCKET_COMMUNITY, BUCKET_ISLAND, BUCKETS, bucketOfLevel, MarketAccounts, moneyMinor } from './market-accounts.js';
import { areaDepths, cumulativeFees, LEVELS_BOTTOM_UP, lowestCommonAncestor, raiseToLevel } from './market-levels.js';
import type { MarketMetrics, MarketSeries } from './market-metrics.js';
import { ImbalanceSettlement } from './imbalance-settlement.js';
import { storageTranches } from './island-scarcity.js';
import type { PriceSignal } from './price-signal.js';
import { orderKindOf, type ParticipantOrders } from './participant-orders.js';
import {
  BID_CRITICAL, BID_DEFERRABLE, BID_ESSENTIAL, BID_EXPORT, BID_NORMAL, OFFER_EXPORT, OFFER_IMPORT, OFFER_PLANT, OFFER_VPP, SlotOrders,
} from './slot-orders.js';

/** Buyer × seller pairs examined by community matching per slot, over all communities. */
export const MAX_COMMUNITY_PAIRS_PER_SLOT = 2_000_000;

export class LocalMarkets {
  private readonly spec: Scenario['market'];
  /** This slot's order store (read by the trust layer, which signs each site's orders). */
  readonly orders: SlotOrders;
  private readonly clearer: BookClearer;
  private readonly hierarchy: HierarchicalClearing;
  /** Who bought and sold what this slot and over the run (read by tests and the settle stage). */
  readonly accounts: MarketAccounts;
  private readonly imbalance: ImbalanceSettlement;
  private readonly fees: Record<AreaLevel, number>;
  private readonly depth: Int32Array;
  private readonly capWh: Float64Array;
  private readonly netUpWh: Float64Array;
  private readonly communityOfSite: Int32Array;
  private readonly communityBooks: CommunityBook[];
  private readonly communityVolumeWh: Float64Array;
  private readonly communityValueWhPrice: Float64Array;
  private readonly vppEntryArea: Int32Array;
  private readonly vppMembers: number[][];
  private readonly vppSoldWh: Float64Array;
  private readonly vppRevenueMinor: Float64Array;
  private readonly vppSlotSoldWh: Float64Array;
  private readonly vppSlotRevenueMinor: Float64Array;
  private readonly vppOfferedWh: Float64Array;
  /** Export each site pooled into its VPP this slot. */
  private readonly pooledWh: Float64Array;
  private readonly local: boolean;
  /** This slot's island scarcity price (the highest over islands), NaN when none offered storage. */
  private scarcityMinorPerKwh = NaN;
  readonly series: MarketSeries = { priceTsoMinorPerKwh: [], priceLocalMinorPerKwh: [], priceIslandMinorPerKwh: [], islandScarcityMinorPerKwh: [], tradedKw: [], localTradedKw: [], imbalanceKw: [] };

  constructor(
    private readonly model: SimModel,
    scenario: Scenario,
    private readonly vppOfSite: Int32Array,
    private readonly prices: PriceSignal,
    private readonly participants?: ParticipantOrders,
  ) {
    const { tree, sites } = model;
    this.spec = scenario.market;
    this.local = model.mode === 'autonomous';
    // Two storage offers per island at most (island-scarcity.ts): one island per area or event at most.
    this.orders = new SlotOrders(sites.length * 5 + model.plants.length * 2 + this.spec.marketMaker.importSteps.length + this.spec.vpps.length + 2 * (tree.count + scenario.events.length) + 8);
    this.clearer = new BookClearer(this.orders);
    this.hierarchy = new HierarchicalClearing(this.orders, this.clearer, tree.count);
    this.accounts = new MarketAccounts(sites.length);
    this.imbalance = new ImbalanceSettlement(tree, this.spec.imbalanceMinorPerKwh);
    this.fees = cumulativeFees(this.spec.gridFeeMinorPerKwh);
    this.depth = areaDepths(tree);
    this.capWh = new Float64Array(tree.count);
    this.netUpWh = new Float64Array(tree.count);

    const position = new Map(sites.map((s, i) => [s.id, i]));
    this.communityOfSite = new Int32Array(sites.length).fill(-1);
    this.spec.communities.forEach((c, k) => c.members.forEach((id) => {
      const i = position.get(id);
      if (i !== undefined) this.communityOfSite[i] = k;
    }));
    this.communityBooks = this.spec.communities.map((c) => ({ priceMinorPerKwh: c.priceMinorPerKwh, bids: [], offers: [] }));
    this.communityVolumeWh = new Float64Array(this.spec.communities.length);
    this.communityValueWhPrice = new Float64Array(this.spec.communities.length);

    const v = this.spec.vpps.length;
    this.vppMembers = Array.from({ length: v }, () => []);
    vppOfSite.forEach((k, i) => { if (k >= 0) this.vppMembers[k]?.push(i); });
    this.vppEntryArea = Int32Array.from(this.spec.vpps, (vpp, k) => {
      const members = this.vppMembers[k] ?? [];
      let area = members.length > 0 ? (tree.siteArea[members[0] as number] as number) : 0;
      for (const i of members) area = lowestCommonAncestor(tree, this.depth, area, tree.siteArea[i] as number);
      return raiseToLevel(tree, area, vpp.level);
    });
    this.vppSoldWh = new Float64Array(v);
    this.vppRevenueMinor = new Float64Array(v);
    this.vppSlotSoldWh = new Float64Array(v);
    this.vppSlotRevenueMinor = new Float64Array(v);
    this.vppOfferedWh = new Float64Array(v);
    this.pooledWh = new Float64Array(sites.length);
  }

  /** The clearing stage: orders from every supplied site's plan, then communities, hierarchy, islands. */
  clear(ctx: SlotContext): void {
    const { model } = this;
    const { tree } = model;
    this.accounts.startSlot();
    this.vppSlotSoldWh.fill(0);
    this.vppSlotRevenueMinor.fill(0);
    this.prices.startSlot(ctx.slot);
    this.buildOrders(ctx);

    const areaRegion = ctx.regionSites.regions.areaRegion;
    for (let a = 0; a < tree.count; a++) this.capWh[a] = kwToWh(tree.upstreamCapacityKw[a] as number, ctx.env.slotHours);
    this.netUpWh.fill(0);
    if (this.local && this.communityBooks.length > 0) {
      matchCommunities(this.orders, this.communityBooks, {
        tree, depth: this.depth, feeOfLevel: this.fees, capWh: this.capWh, netUpWh: this.netUpWh, maxPairs: MAX_COMMUNITY_PAIRS_PER_SLOT,
      }, (bid, offer, e, p, fee) => {
        this.settleTrade(BUCKET_COMMUNITY, fee, bid, offer, e, p);
        const c = this.orders.community[bid] as number;
        this.communityVolumeWh[c] = (this.communityVolumeWh[c] as number) + e;
        this.communityValueWhPrice[c] = (this.communityValueWhPrice[c] as number) + e * p;
      });
    }
    this.hierarchy.clear({
      tree, connected: (a) => areaRegion[a] === CONNECTED, capWh: this.capWh, netUpWh: this.netUpWh,
      mechanismOf: this.spec.mechanism, feeOfLevel: this.fees, feedInMinorPerKwh: this.spec.feedInMinorPerKwh,
    }, (a) => this.sinkFor(bucketOfLevel(tree.levels[a] as AreaLevel), this.fees[tree.levels[a] as AreaLevel]));
    this.clearIslands(ctx);
    this.splitVppSales();
    this.recordSlot(ctx);
  }

  /** The settle stage: imbalance of every supplied site (metered minus traded). */
  settle(ctx: SlotContext): void {
    const b = this.model.buffers;
    const siteRegion = ctx.regionSites.siteRegion;
    let imbalanceWh = 0;
    for (let i = 0; i < b.size; i++) {
      if (siteRegion[i] === DARK) continue;
      imbalanceWh += this.imbalance.settle(this.model.tree.siteArea[i] as number, (b.netWh[i] as number) - ((this.accounts.soldWh[i] as number) - (this.accounts.boughtWh[i] as number)));
    }
    this.series.imbalanceKw.push(imbalanceWh / 1000 / ctx.env.slotHours);
  }

  metrics(): MarketMetrics {
    const a = this.accounts;
    const kwh = (wh: number): number => Math.round(wh) / 1000;
    const avg = (whPrice: number, wh: number): number | null => (wh > 0 ? Math.round((whPrice / wh) * 100) / 100 : null);
    let traded = 0;
    let local = 0;
    BUCKETS.forEach((bucket, k) => {
      traded += a.volumeWh[k] as number;
      if (bucket !== 'tso') local += a.volumeWh[k] as number;
    });
    return {
      tradedKwh: kwh(traded),
      localTradePct: traded > 0 ? Math.round((local / traded) * 10000) / 100 : 0,
      buckets: BUCKETS.map((bucket, k) => ({
        market: bucket, volumeKwh: kwh(a.volumeWh[k] as number), averagePriceMinorPerKwh: avg(a.valueWhPrice[k] as number, a.volumeWh[k] as number),
        trades: a.trades[k] as number, feesMinor: a.feesMinor[k] as number,
      })),
      communities: this.spec.communities.map((c, k) => ({
        id: c.id, volumeKwh: kwh(this.communityVolumeWh[k] as number), averagePriceMinorPerKwh: avg(this.communityValueWhPrice[k] as number, this.communityVolumeWh[k] as number),
      })),
      sites: { boughtKwh: kwh(a.sitesBoughtWh), soldKwh: kwh(a.sitesSoldWh), paidMinor: a.sitesPaidMinor, receivedMinor: a.sitesReceivedMinor },
      plants: { soldKwh: kwh(a.plantsSoldWh), revenueMinor: a.plantsRevenueMinor },
      marketMaker: { soldKwh: kwh(a.marketMakerSoldWh), boughtKwh: kwh(a.marketMakerBoughtWh), netMinor: a.marketMakerNetMinor },
      feedIn: { kwh: kwh(a.feedInWh), paidMinor: a.feedInPaidMinor, resoldMinor: a.feedInResoldMinor },
      imbalance: this.imbalance.metrics(),
      vpps: [],
    };
  }

  /** Pooled generation each VPP sold (by VPP index). */
  vppSales(): { soldKwh: number; revenueMinor: number }[] {
    return this.spec.vpps.map((_, k) => ({ soldKwh: Math.round(this.vppSoldWh[k] as number) / 1000, revenueMinor: this.vppRevenueMinor[k] as number }));
  }

  /** Each supplied site's plan (self-consumption first) becomes its bids and offer; the TSO adds plants and the market maker. */
  private buildOrders(ctx: SlotContext): void {
    const { model, spec, orders } = this;
    const { tree, buffers: b } = model;
    const siteRegion = ctx.regionSites.siteRegion;
    const bid = spec.bidPriceMinorPerKwh;
    const ask = Math.max(spec.offerPriceMinorPerKwh, spec.feedInMinorPerKwh);
    orders.reset();
    this.pooledWh.fill(0);
    this.vppOfferedWh.fill(0);
    for (const book of this.communityBooks) {
      book.bids.length = 0;
      book.offers.length = 0;
    }
    for (let i = 0; i < b.size; i++) {
      if (siteRegion[i] === DARK) continue;
      selfConsume(b, i, false);
      const connected = siteRegion[i] === CONNECTED;
      const entry = this.local || !connected ? (tree.siteArea[i] as number) : 0;
      const community = this.local && connected ? (this.communityOfSite[i] as number) : -1;
      const deferrable = b.deferrableImportWh[i] as number;
      const first = orders.count;
      if (this.participants?.represents(i) === true) {
        // A real participant speaks for its site: its own orders, nothing from the plan.
        for (const bytes of this.participants.ordersFor(i, ctx.slot)) {
          const o = orderKindOf(bytes);
          orders.add(i, o.kind, entry, o.energyWh, o.priceMinorPerKwh, community);
        }
        if (community >= 0) for (let k = first; k < orders.count; k++) addToCommunityBook(orders, this.communityBooks, k);
        continue;
      }
      orders.add(i, BID_CRITICAL, entry, b.importWh[0][i] as number, bid.critical, community);
      orders.add(i, BID_ESSENTIAL, entry, b.importWh[1][i] as number, bid.essential, community);
      orders.add(i, BID_NORMAL, entry, (b.importWh[2][i] as number) - deferrable, bid.normal, community);
      orders.add(i, BID_DEFERRABLE, entry, deferrable, bid.deferrable, community);
      const vpp = this.local && connected ? (this.vppOfSite[i] as number) : -1;
      if (vpp < 0) orders.add(i, OFFER_EXPORT, entry, b.exportWh[i] as number, ask, community);
      else {
        this.pooledWh[i] = b.exportWh[i] as number;
        this.vppOfferedWh[vpp] = (this.vppOfferedWh[vpp] as number) + (b.exportWh[i] as number);
      }
      if (community >= 0) for (let k = first; k < orders.count; k++) addToCommunityBook(orders, this.communityBooks, k);
    }
    this.addPooledVppOffers();
    this.addTsoOrders(ctx);
  }

  private addPooledVppOffers(): void {
    this.spec.vpps.forEach((vpp, k) => {
      this.orders.add(k, OFFER_VPP, this.vppEntryArea[k] as number, this.vppOfferedWh[k] as number, vpp.offerPriceMinorPerKwh);
    });
  }

  private addTsoOrders(ctx: SlotContext): void {
    const { model, orders, spec } = this;
    const h = ctx.env.slotHours;
    model.plants.forEach((p, k) => {
      const min = Math.floor(p.minWh(h));
      orders.add(k, OFFER_PLANT, 0, min, 0); // must run: a price taker
      orders.add(k, OFFER_PLANT, 0, Math.floor(p.maxWh(h)) - min, p.marginalCostMinorPerKwh);
    });
    if (!ctx.regionSites.regions.interconnectorUp) return;
    const capWh = Math.floor(kwToWh(model.tree.upstreamCapacityKw[0] as number, h));
    for (const step of spec.marketMaker.importSteps) orders.add(-1, OFFER_IMPORT, 0, Math.floor((capWh * step.shareOfCapacityPct) / 100), step.priceMinorPerKwh);
    orders.add(-1, BID_EXPORT, 0, capWh, spec.marketMaker.exportPriceMinorPerKwh);
  }

  /** Each island (microgrid or beyond a line fault) clears one book of its own sites. */
  /**
   * The island's storage, offered by its grid-forming site (the one with the most battery power) at
   * scarcity prices (island-scarcity.ts), from the state its controllers left at the end of the last
   * slot, within that site's own battery power.
   */
  private offerIslandStorage(key: number, sites: Int32Array, area: number, book: number[]): void {
    const state = this.model.islandStorage.get(key);
    if (state === undefined) return;
    const b = this.model.buffers;
    let owner = -1;
    for (const i of sites) {
      const wh = b.batteryMaxDischargeWh[i] as number;
      if (this.model.sites[i]?.gridForming === true && wh > 0 && (owner < 0 || wh > (b.batteryMaxDischargeWh[owner] as number))) owner = i;
    }
    if (owner < 0) return;
    const ask = Math.max(this.spec.offerPriceMinorPerKwh, this.spec.feedInMinorPerKwh);
    // Within the grid-forming site's own battery power: it signs the offers, within its credential.
    const tranches = storageTranches(state, b.batteryMaxDischargeWh[owner] as number, ask, this.spec.bidPriceMinorPerKwh.critical);
    const price = tranches[0]?.priceMinorPerKwh;
    if (price !== undefined && !(price <= this.scarcityMinorPerKwh)) this.scarcityMinorPerKwh = price;
    for (const t of tranches) {
      const k = this.orders.add(owner, OFFER_EXPORT, area, t.energyWh, t.priceMinorPerKwh, -1);
      if (k >= 0) book.push(k);
    }
  }

  private clearIslands(ctx: SlotContext): void {
    const { tree } = this.model;
    const { islands, faultIslands } = ctx.regionSites;
    this.scarcityMinorPerKwh = NaN;
    if (islands.size === 0) return;
    const bySite = new Map<number, number[]>();
    for (let k = 0; k < this.orders.count; k++) {
      const owner = this.orders.owner[k] as number;
      const kind = this.orders.kind[k] as number;
      if (kind > OFFER_EXPORT || ctx.regionSites.siteRegion[owner] === CONNECTED) continue;
      const list = bySite.get(owner) ?? [];
      list.push(k);
      bySite.set(owner, list);
    }
    for (const [key, sites] of islands) {
      const area = key < tree.count ? key : (faultIslands.get(key)?.area ?? 0);
      const level = tree.levels[area] as AreaLevel;
      const book: number[] = [];
      sites.forEach((i) => { for (const k of bySite.get(i) ?? []) book.push(k); });
      this.offerIslandStorage(key, sites, area, book);
      this.clearer.clear(book, this.spec.mechanism[level], this.fees[level], (k) => this.orders.priceMinorPerKwh[k] as number, this.sinkFor(BUCKET_ISLAND, this.fees[level]));
    }
  }

  private sinkFor(bucket: number, fee: number): TradeSink {
    return (bid, offer, e, p) => this.settleTrade(bucket, fee, bid, offer, e, p);
  }

  private settleTrade(bucket: number, fee: number, bid: number, offer: number, e: number, p: number): void {
    const { orders: o, accounts: a } = this;
    const t = a.trade(bucket, e, p, o.kind[bid] === BID_EXPORT ? 0 : fee);
    const buyer = o.owner[bid] as number;
    if (o.kind[bid] === BID_EXPORT) {
      a.marketMakerBoughtWh += e;
      a.marketMakerNetMinor -= t.money;
    } else {
      a.siteBuys(buyer, e, t.money + t.fee);
    }
    const seller = o.owner[offer] as number;
    const kind = o.kind[offer] as number;
    let sellerGets = t.money;
    if (o.viaDso[offer] === 1) {
      sellerGets = moneyMinor(e, this.spec.feedInMinorPerKwh);
      a.feedInWh += e;
      a.feedInPaidMinor += sellerGets;
      a.feedInResoldMinor += t.money;
    }
    if (kind === OFFER_EXPORT) a.siteSells(seller, e, sellerGets);
    else if (kind === OFFER_VPP) {
      this.vppSlotSoldWh[seller] = (this.vppSlotSoldWh[seller] as number) + e;
      this.vppSlotRevenueMinor[seller] = (this.vppSlotRevenueMinor[seller] as number) + sellerGets;
    } else if (kind === OFFER_PLANT) {
      a.plantsSoldWh += e;
      a.plantsRevenueMinor += t.money;
    } else {
      a.marketMakerSoldWh += e;
      a.marketMakerNetMinor += t.money;
    }
  }

  /**
   * What a VPP sold is split over its members in proportion to what each exported (integer Wh; the
   * rounding remainder goes 1 Wh at a time in member order), and the revenue likewise; the
   * aggregator keeps the rounding remainder of the money.
   */
  private splitVppSales(): void {
    this.vppMembers.forEach((members, v) => {
      const sold = this.vppSlotSoldWh[v] as number;
      if (!(sold > 0)) return;
      const revenue = this.vppSlotRevenueMinor[v] as number;
      this.vppSoldWh[v] = (this.vppSoldWh[v] as number) + sold;
      this.vppRevenueMinor[v] = (this.vppRevenueMinor[v] as number) + revenue;
      const offered = this.vppOfferedWh[v] as number;
      let left = sold;
      for (const i of members) {
        const pooled = this.pooledWh[i] as number;
        if (pooled <= 0) continue;
        const share = Math.min(pooled, Math.floor((pooled * sold) / offered));
        this.accounts.siteSells(i, share, Math.floor((revenue * share) / sold));
        left -= share;
      }
      for (const i of members) {
        if (left <= 0) break;
        if ((this.pooledWh[i] as number) - (this.accounts.soldWh[i] as number) >= 1) {
          this.accounts.siteSells(i, 1, 0);
          left -= 1;
        }
      }
    });
  }

  private recordSlot(ctx: SlotContext): void {
    const a = this.accounts;
    let traded = 0;
    let local = 0;
    let localValue = 0;
    BUCKETS.forEach((bucket, k) => {
      const v = a.slotVolumeWh[k] as number;
      traded += v;
      if (bucket !== 'tso' && bucket !== 'island') {
        local += v;
        localValue += a.slotValueMinor[k] as number;
      }
    });
    LEVELS_BOTTOM_UP.forEach((level, k) => {
      const p = a.slotPrice(k);
      if (!Number.isNaN(p)) this.prices.record(level, ctx.slot, p);
    });
    const kw = (wh: number): number => wh / 1000 / ctx.env.slotHours;
    this.series.priceTsoMinorPerKwh.push(a.slotPrice(bucketOfLevel('tso')));
    this.series.priceLocalMinorPerKwh.push(local > 0 ? localValue / local : NaN);
    this.series.priceIslandMinorPerKwh.push(a.slotPrice(BUCKET_ISLAND));
    this.series.islandScarcityMinorPerKwh.push(this.scarcityMinorPerKwh);
    this.series.tradedKw.push(kw(traded));
    this.series.localTradedKw.push(kw(local));
  }
}
