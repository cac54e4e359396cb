/**
 * What the site EMS reads from a site's devices to plan them, and the device-level view of one plan:
 * which EV, heater and washing machine of the plan input is which device of the site.
 */
import type { EvCharger } from '../../assets/capabilities.js';
import { isHeatPump, type HeatPump } from '../../assets/heat-pump.js';
import { isWashingMachine, type WashingMachine } from '../../assets/washing-machine.js';
import type { SiteModel } from '../../sim/site-model.js';

export interface PlannedEv {
  readonly device: EvCharger;
  /** Its index among the site's deferrable devices. */
  readonly k: number;
}

export interface PlannedWasher {
  readonly device: WashingMachine;
  readonly k: number;
}

export interface SiteDevices {
  readonly evs: readonly PlannedEv[];
  readonly heaters: readonly HeatPump[];
  readonly washers: readonly PlannedWasher[];
}

export function siteDevices(site: SiteModel): SiteDevices {
  const evs: PlannedEv[] = [];
  const washers: PlannedWasher[] = [];
  site.deferrables.forEach((d, k) => {
    const ev = site.evs.find((e) => e === d);
    if (ev !== undefined) evs.push({ device: ev, k });
    else if (isWashingMachine(d)) washers.push({ device: d, k });
  });
  return { evs, heaters: site.heating.filter(isHeatPump), washers };
}
