/**
 * Turns the current slot of a site's plan into device setpoints, between sense and clearing, so the
 * markets build the site's bids and offers from the plan:
 * - battery: the planned charge or discharge (`batteryPlanWh`, followed by the self-consumption rule);
 * - EVs: charging limited to the planned energy (never more than the car asks);
 * - washing machines: a start planned later holds the job until then and withdraws this slot's request;
 * - heaters: the planned energy of the next slot picks the thermostat shift (pre-heat, coast or
 *   normal), because this slot's heat request is already in the balance.
 */
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import { limitDeferrable, withholdDeferrable, type SiteModel } from '../../sim/site-model.js';
import type { SitePlan } from '../ems/site-plan.js';
import type { SiteDevices } from './site-devices.js';

/** Planned heat above this share of rated power asks for pre-heating; below COAST_SHARE, coasting. */
export const PREHEAT_SHARE = 0.6;
export const COAST_SHARE = 0.05;

export interface ActivePlan {
  readonly plan: SitePlan;
  /** The slot the plan's offset 0 is. */
  readonly startSlot: number;
  readonly evs: readonly number[];
  readonly washers: readonly number[];
}

export function applyPlan(site: SiteModel, devices: SiteDevices, b: SlotBuffers, i: number, active: ActivePlan, slot: number, slotMs: number, nowMs: number): void {
  const { plan } = active;
  const off = slot - active.startSlot;
  if (off < 0 || off >= plan.importWh.length) return;
  const battery = Math.round((plan.chargeWh[off] ?? 0) - (plan.dischargeWh[off] ?? 0));
  if (site.batteries.length > 0) b.batteryPlanWh[i] = battery;
  active.evs.forEach((e, p) => {
    const ev = devices.evs[e];
    if (ev !== undefined && ev.device.pluggedIn) limitDeferrable(site, b, i, ev.k, Math.max(0, Math.floor(plan.evWh[p]?.[off] ?? 0)));
  });
  active.washers.forEach((w, p) => {
    const washer = devices.washers[w];
    const start = plan.washerStartOffset[p] ?? 0;
    if (washer === undefined || washer.device.running) return;
    const startSlot = start < 0 ? active.startSlot + plan.importWh.length : active.startSlot + start;
    if (startSlot <= slot) return;
    washer.device.holdUntil(nowMs + (startSlot - slot) * slotMs);
    if ((site.deferrableRequestWh[washer.k] ?? 0) > 0) withholdDeferrable(site, b, i, washer.k);
  });
  devices.heaters.forEach((h, p) => {
    const next = plan.heaterWh[p]?.[off + 1];
    if (next === undefined) return h.shiftSetpoint('normal');
    const rated = h.thermal.ratedKw * (slotMs / 3_600_000) * 1000;
    h.shiftSetpoint(next >= PREHEAT_SHARE * rated ? 'preheat' : next <= COAST_SHARE * rated ? 'coast' : 'normal');
  });
}
