/**
 * A site (one grid connection) with its devices, seen through the capability interfaces, and the
 * two per-slot steps the engine runs on it: `senseSite` (read what the devices want or offer) and
 * `dispatchSite` (apply the balancer's decisions to the devices and meter the result).
 */
import type { Battery, DispatchableGenerator, EvCharger, FlexibleLoad, Load, VariableGenerator } from '../assets/capabilities.js';
import type { SlotEnvironment } from '../assets/environment.js';
import { assert } from '../assert.js';
import { PRIORITY_INDEX, type SlotBuffers } from './slot-buffers.js';
import type { SiteSpec } from './scenario-schema.js';

export interface SiteModel {
  readonly id: string;
  readonly kind: SiteSpec['kind'];
  readonly loads: readonly Load[];
  readonly loadClass: readonly number[];
  readonly generators: readonly VariableGenerator[];
  readonly chps: readonly DispatchableGenerator[];
  readonly batteries: readonly Battery[];
  /** Flexible loads that are not deferrable (heat pumps, heaters) and their priority class. */
  readonly heating: readonly FlexibleLoad[];
  readonly heatingClass: readonly number[];
  /** Deferrable loads (EV charging, washing machines). */
  readonly deferrables: readonly FlexibleLoad[];
  readonly evs: readonly EvCharger[];
  /** Requests of this slot, kept between sense and dispatch. */
  readonly heatingRequestWh: number[];
  readonly deferrableRequestWh: number[];
  /** Generation and storage destroyed by a disaster. */
  assetsDestroyed: boolean;
  /** Has a grid-forming source (battery or CHP) that is not destroyed. */
  readonly gridForming: boolean;
}

export function classOf(priority: keyof typeof PRIORITY_INDEX): number {
  return PRIORITY_INDEX[priority];
}

export function senseSite(site: SiteModel, env: SlotEnvironment, b: SlotBuffers, i: number): void {
  let pv = 0;
  let wind = 0;
  let chpMin = 0;
  let chpMax = 0;
  let charge = 0;
  let discharge = 0;
  let usable = 0;
  if (!site.assetsDestroyed) {
    for (const g of site.generators) {
      const wh = g.availableWh(env);
      if (g.kind === 'pv') pv += wh;
      else wind += wh;
    }
    for (const c of site.chps) {
      chpMin += c.mustRunWh(env);
      chpMax += c.maxWh(env);
    }
    for (const bat of site.batteries) {
      charge += bat.maxChargeWh(env.slotHours);
      discharge += bat.maxDischargeWh(env.slotHours);
      usable += bat.usableWh;
    }
  }
  b.pvWh[i] = pv;
  b.windWh[i] = wind;
  b.chpMinWh[i] = chpMin;
  b.chpMaxWh[i] = chpMax;
  b.batteryMaxChargeWh[i] = charge;
  b.batteryMaxDischargeWh[i] = discharge;
  b.batteryUsableWh[i] = usable;

  const d = b.demandWh;
  d[0][i] = 0;
  d[1][i] = 0;
  d[2][i] = 0;
  const loads = site.loads;
  for (let k = 0; k < loads.length; k++) {
    const cls = site.loadClass[k] as number;
    (d[cls] as Float64Array)[i] = ((d[cls] as Float64Array)[i] as number) + (loads[k] as Load).demandWh(env);
  }
  for (let k = 0; k < site.heating.length; k++) {
    const wh = (site.heating[k] as FlexibleLoad).requestWh(env);
    site.heatingRequestWh[k] = wh;
    const cls = site.heatingClass[k] as number;
    (d[cls] as Float64Array)[i] = ((d[cls] as Float64Array)[i] as number) + wh;
  }
  let deferrable = 0;
  for (let k = 0; k < site.deferrables.length; k++) {
    const wh = (site.deferrables[k] as FlexibleLoad).requestWh(env);
    site.deferrableRequestWh[k] = wh;
    deferrable += wh;
  }
  b.deferrableWh[i] = deferrable;
}

/**
 * For planners (EMS, flexibility): withholds deferrable device `k` of a site for this slot (e.g. an
 * EV whose charging is paused). Its request leaves the site's demand; the device gets nothing.
 */
export function withholdDeferrable(site: SiteModel, b: SlotBuffers, i: number, k: number): void {
  const request = site.deferrableRequestWh[k];
  assert(request !== undefined, `site ${site.id} has no deferrable device ${k}`);
  b.deferrableWh[i] = (b.deferrableWh[i] as number) - request;
  site.deferrableRequestWh[k] = 0;
}

/**
 * For planners (site EMS): limits deferrable device `k` of a site to `energyWh` this slot (an EV
 * charging slower than its charger could). Does nothing when the request is already within the limit.
 */
export function limitDeferrable(site: SiteModel, b: SlotBuffers, i: number, k: number, energyWh: number): void {
  const request = site.deferrableRequestWh[k];
  assert(request !== undefined, `site ${site.id} has no deferrable device ${k}`);
  assert(Number.isSafeInteger(energyWh) && energyWh >= 0, `site ${site.id}: deferrable limit must be whole Wh`, { energyWh });
  if (energyWh >= request) return;
  b.deferrableWh[i] = (b.deferrableWh[i] as number) - (request - energyWh);
  site.deferrableRequestWh[k] = energyWh;
}

/**
 * For planners (flexibility): withholds heating device `k` of a site for this slot (a heater shifted
 * out of the slot). Its request leaves its priority class's demand; the device gets nothing and its
 * thermostat asks again next slot.
 */
export function withholdHeating(site: SiteModel, b: SlotBuffers, i: number, k: number): void {
  const request = site.heatingRequestWh[k];
  const cls = site.heatingClass[k];
  assert(request !== undefined && cls !== undefined, `site ${site.id} has no heating device ${k}`);
  const demand = b.demandWh[cls as 0 | 1 | 2];
  demand[i] = (demand[i] as number) - request;
  site.heatingRequestWh[k] = 0;
}

/** Applies the decisions to the devices and meters stored-energy changes and conversion losses. */
export function dispatchSite(site: SiteModel, env: SlotEnvironment, b: SlotBuffers, i: number): void {
  dispatchStorage(site, env, b, i);
  dispatchChp(site, env, b.chpWh[i] as number);
  for (let k = 0; k < site.heating.length; k++) {
    const cls = site.heatingClass[k] as number;
    const demand = (b.demandWh[cls] as Float64Array)[i] as number;
    const unserved = (b.unservedWh[cls] as Float64Array)[i] as number;
    const request = site.heatingRequestWh[k] as number;
    const delivered = demand > 0 ? Math.floor((request * (demand - unserved)) / demand) : 0;
    (site.heating[k] as FlexibleLoad).deliver(delivered, env);
  }
  let deferrable = b.deferrableServedWh[i] as number;
  for (let k = 0; k < site.deferrables.length; k++) {
    const give = Math.min(deferrable, site.deferrableRequestWh[k] as number);
    (site.deferrables[k] as FlexibleLoad).deliver(give, env);
    deferrable -= give;
  }
  assert(deferrable === 0, `site ${site.id}: deferrable energy served exceeds the requests`);
}

function dispatchStorage(site: SiteModel, env: SlotEnvironment, b: SlotBuffers, i: number): void {
  let charge = b.chargeWh[i] as number;
  let discharge = b.dischargeWh[i] as number;
  let loss = 0;
  let before = 0;
  let after = 0;
  for (const bat of site.batteries) {
    before += bat.storedWh;
    if (charge > 0) {
      const e = Math.min(charge, bat.maxChargeWh(env.slotHours));
      if (e > 0) loss += bat.charge(e, env.slotHours);
      charge -= e;
    } else if (discharge > 0) {
      const e = Math.min(discharge, bat.maxDischargeWh(env.slotHours));
      if (e > 0) loss += bat.discharge(e, env.slotHours);
      discharge -= e;
    }
    after += bat.storedWh;
  }
  assert(charge === 0 && discharge === 0, `site ${site.id}: storage setpoint beyond the batteries' limits`, { charge, discharge });
  b.lossWh[i] = loss;
  b.storedIncreaseWh[i] = Math.max(0, after - before);
  b.storedDecreaseWh[i] = Math.max(0, before - after);
}

function dispatchChp(site: SiteModel, env: SlotEnvironment, energyWh: number): void {
  if (site.chps.length === 0) return;
  let extra = energyWh;
  for (const c of site.chps) extra -= energyWh > 0 ? c.mustRunWh(env) : 0;
  for (const c of site.chps) {
    if (energyWh === 0 || site.assetsDestroyed) {
      c.dispatch(0, env);
      continue;
    }
    const min = c.mustRunWh(env);
    const add = Math.min(extra, c.maxWh(env) - min);
    c.dispatch(min + add, env);
    extra -= add;
  }
  assert(energyWh === 0 || extra === 0, `site ${site.id}: CHP setpoint beyond its limits`, { energyWh, extra });
}
