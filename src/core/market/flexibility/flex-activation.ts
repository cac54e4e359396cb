/**
 * Activation: the commands an award sends to the devices, and their end when the slot is over.
 * Awards last one slot (a request's window is re-awarded every slot from fresh offers, since which
 * cars are plugged in and which machines are ready changes from slot to slot).
 *
 *   ev-pause       `pause()` the charger (it asks for nothing while paused) and withhold this slot's
 *                  request from the site's demand; `resume()` when the slot's awards end.
 *   washing-shift  `holdUntil(next slot's start)` and withhold the request: the job starts a slot later.
 *   heater-shift   withhold the heating request (its thermostat asks again next slot).
 *   pv-curtail     limit the inverter: the PV available to the balancer drops by the awarded energy;
 *                  once the slot is metered the limited energy is booked as curtailment (available
 *                  PV back up, curtailment up by the same amount, so the metered exchange is unchanged).
 */
import type { EvCharger } from '../../assets/capabilities.js';
import { assert } from '../../assert.js';
import { withholdDeferrable, withholdHeating, type SiteModel } from '../../sim/site-model.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';
import { evOf, washingMachineOf, type OfferUnit } from './flex-offers.js';

export class Activations {
  private readonly pausedEvs: EvCharger[] = [];
  private readonly limitedSites: number[] = [];
  private readonly limitedWh: number[] = [];

  /** EVs paused this slot (until `endSlot`). */
  get paused(): readonly EvCharger[] {
    return this.pausedEvs;
  }

  activate(site: SiteModel, b: SlotBuffers, unit: OfferUnit, nextSlotStartMs: number): void {
    const i = unit.site;
    switch (unit.resource) {
      case 'ev-pause': {
        const ev = evOf(site, unit.device);
        ev.pause();
        this.pausedEvs.push(ev);
        withholdDeferrable(site, b, i, unit.device);
        break;
      }
      case 'washing-shift':
        washingMachineOf(site, unit.device).holdUntil(nextSlotStartMs);
        withholdDeferrable(site, b, i, unit.device);
        break;
      case 'heater-shift':
        withholdHeating(site, b, i, unit.device);
        break;
      case 'pv-curtail':
        assert(unit.energyWh <= (b.pvWh[i] as number), `site ${site.id}: PV limit beyond the PV available`, { unit: unit.energyWh, pv: b.pvWh[i] });
        b.pvWh[i] = (b.pvWh[i] as number) - unit.energyWh;
        this.limitedSites.push(i);
        this.limitedWh.push(unit.energyWh);
        break;
      case 'battery-discharge':
        assert(false, 'battery-discharge is not offered (see flex-offers.ts)');
    }
  }

  /** After metering: resumes the paused EVs and books PV limits as curtailment. */
  endSlot(b: SlotBuffers): void {
    for (const ev of this.pausedEvs) ev.resume();
    this.pausedEvs.length = 0;
    for (let k = 0; k < this.limitedSites.length; k++) {
      const i = this.limitedSites[k] as number;
      const wh = this.limitedWh[k] as number;
      b.pvWh[i] = (b.pvWh[i] as number) + wh;
      b.curtailedWh[i] = (b.curtailedWh[i] as number) + wh;
    }
    this.limitedSites.length = 0;
    this.limitedWh.length = 0;
  }
}
