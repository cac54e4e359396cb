/**
 * Flexibility offers for one request in one slot, built from the devices of the connected sites in
 * the request's area subtree (what each device asked for this slot, after `sense`):
 *
 *   up    ev-pause       a plugged-in EV's charging request (pause it for the slot)
 *         washing-shift  a washing machine whose job is ready but has not started (hold it a slot)
 *         heater-shift   a heat pump's or heater's request (shift it out of the slot)
 *   down  pv-curtail     the PV a site plans to export (limit the inverter)
 *
 * `battery-discharge` is not offered: the balancer's self-consumption rule decides battery discharge
 * from the site's own deficit and never exports storage, so a raised discharge setpoint would not
 * survive clearing (see docs/flexibility.md).
 *
 * A unit's energy is what it takes off the site's planned import (up) or export (down), found with
 * the self-consumption rule the balancer applies next: a paused EV whose charging the home battery
 * would have covered saves battery energy, not grid import, and is offered only for the rest.
 *
 * Devices of the critical priority class never offer. A site in a VPP offers through its VPP: one
 * pooled offer per VPP and resource whose units are the members' devices; other sites offer on their
 * own, one offer per site and resource. Prices are the owners' asks per resource.
 */
import type { EvCharger } from '../../assets/capabilities.js';
import type { WashingMachine } from '../../assets/washing-machine.js';
import { selfConsume } from '../../control/self-consumption.js';
import { CONNECTED } from '../../grid/islands.js';
import { FLEX_RESOURCES, type FlexResource, type MarketSpec } from '../../sim/scenario-schema.js';
import type { SiteModel } from '../../sim/site-model.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import type { FlexDirection } from './flex-metrics.js';

export const RESOURCE_INDEX: Readonly<Record<FlexResource, number>> = Object.fromEntries(FLEX_RESOURCES.map((r, k) => [r, k])) as Record<FlexResource, number>;

/** One device's part of an offer. `device` indexes the site's deferrables or heating (-1: the site's PV). */
export interface OfferUnit {
  readonly site: number;
  readonly resource: FlexResource;
  readonly device: number;
  readonly energyWh: number;
}

export interface FlexOffer {
  /** VPP index, or -1 for a site offering on its own. */
  readonly aggregator: number;
  /**
   * First tie-break among equal prices: slots its site was activated in so far (a VPP: its
   * least-used member, the one it dispatches first), fewest first.
   */
  activations: number;
  /** Then: VPPs in scenario order, then independent sites in site order. */
  readonly rank: number;
  readonly resource: FlexResource;
  readonly priceMinorPerKwh: number;
  energyWh: number;
  /** Independent: device order; VPP: members activated fewest times first, then site order, then device order. */
  readonly units: OfferUnit[];
}

export type FlexPrices = MarketSpec['flexibility']['offerPriceMinorPerKwh'];

export interface OfferSources {
  readonly sites: readonly SiteModel[];
  readonly buffers: SlotBuffers;
  readonly siteRegion: Uint8Array;
  /** VPP index per site position, -1 for none. */
  readonly vppOfSite: Int32Array;
  readonly vppCount: number;
  readonly prices: FlexPrices;
  /** Sites already awarded this slot (to another request): they do not offer again. */
  readonly taken: Int32Array;
  /** Slots each site has been activated in so far. */
  readonly siteActivations: Int32Array;
}

/** The offers of sites [siteStart, siteEnd) for a request in `direction`, in no particular order. */
export function collectOffers(src: OfferSources, siteStart: number, siteEnd: number, direction: FlexDirection): FlexOffer[] {
  const offers: FlexOffer[] = [];
  const pooled = new Map<number, FlexOffer>();
  for (let i = siteStart; i < siteEnd; i++) {
    if (src.siteRegion[i] !== CONNECTED || (src.taken[i] as number) !== -1) continue;
    const vpp = src.vppOfSite[i] as number;
    let own: FlexOffer | undefined;
    for (const unit of siteUnits(src, i, direction)) {
      let offer: FlexOffer | undefined;
      if (vpp >= 0) {
        const key = vpp * FLEX_RESOURCES.length + RESOURCE_INDEX[unit.resource];
        offer = pooled.get(key);
        if (offer === undefined) {
          offer = newOffer(src, vpp, vpp, unit.resource);
          pooled.set(key, offer);
          offers.push(offer);
        }
      } else {
        // siteUnits groups a site's units by resource, so a new resource starts a new offer.
        if (own?.resource !== unit.resource) {
          own = newOffer(src, -1, src.vppCount + i, unit.resource);
          offers.push(own);
        }
        offer = own;
      }
      offer.units.push(unit);
      offer.energyWh += unit.energyWh;
    }
  }
  // A VPP dispatches its least-used members first (stable: site order among equals).
  for (const offer of pooled.values()) {
    offer.units.sort((x, y) => (src.siteActivations[x.site] as number) - (src.siteActivations[y.site] as number));
    offer.activations = src.siteActivations[(offer.units[0] as OfferUnit).site] as number;
  }
  return offers;
}

function newOffer(src: OfferSources, aggregator: number, rank: number, resource: FlexResource): FlexOffer {
  const activations = aggregator >= 0 ? 0 : (src.siteActivations[rank - src.vppCount] as number);
  return { aggregator, activations, rank, resource, priceMinorPerKwh: src.prices[resource], energyWh: 0, units: [] };
}

/** What one site's devices can offer this slot, grouped by resource. */
export function siteUnits(src: OfferSources, i: number, direction: FlexDirection): OfferUnit[] {
  const site = src.sites[i] as SiteModel;
  const units: OfferUnit[] = [];
  if (direction === 'down') {
    if (site.generators.length === 0 || site.assetsDestroyed) return units;
    const b = src.buffers;
    selfConsume(b, i, false); // idempotent: the balancer runs it again after the plan stage
    const wh = Math.min(b.exportWh[i] as number, b.pvWh[i] as number);
    if (wh > 0) units.push({ site: i, resource: 'pv-curtail', device: -1, energyWh: wh });
    return units;
  }
  if (site.deferrables.length === 0 && site.heating.length === 0) return units;
  // Load the site's own PV or battery would have covered is no flexibility for the grid: a site
  // offers at most its planned import, and each unit what it takes off that import.
  selfConsume(src.buffers, i, false);
  let room = src.buffers.totalImportWh(i);
  const add = (resource: FlexResource, device: number, requestWh: number): void => {
    const wh = Math.min(requestWh, room);
    if (wh <= 0) return;
    units.push({ site: i, resource, device, energyWh: wh });
    room -= wh;
  };
  const deferrables = site.deferrables;
  for (let k = 0; k < deferrables.length; k++) {
    const d = deferrables[k] as (typeof deferrables)[number];
    if (d.kind === 'ev' && d.priority !== 'critical') add('ev-pause', k, site.deferrableRequestWh[k] as number);
  }
  for (let k = 0; k < deferrables.length; k++) {
    const d = deferrables[k] as (typeof deferrables)[number];
    if (d.kind === 'washing-machine' && d.priority !== 'critical' && !(d as WashingMachine).running) add('washing-shift', k, site.deferrableRequestWh[k] as number);
  }
  for (let k = 0; k < site.heating.length; k++) {
    if ((site.heating[k] as (typeof site.heating)[number]).priority !== 'critical') add('heater-shift', k, site.heatingRequestWh[k] as number);
  }
  return units;
}

/** The EV behind a site's deferrable device (the caller checked the kind). */
export function evOf(site: SiteModel, device: number): EvCharger {
  return site.deferrables[device] as EvCharger;
}

/** The washing machine behind a site's deferrable device (the caller checked the kind). */
export function washingMachineOf(site: SiteModel, device: number): WashingMachine {
  return site.deferrables[device] as WashingMachine;
}
