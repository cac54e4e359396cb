/**
 * What a virtual power plant did over a run: its output and import as one plant (the members'
 * metered exchange, per slot), and what its scheduling moved. Energies are kWh (from integer Wh
 * totals, exact to the Wh), powers kW, prices minor units per kWh.
 */
import type { HeatingShift } from '../../assets/capabilities.js';
import { whToKw, whToKwh, type Wh } from '../../units.js';

export interface VppMetrics {
  id: string;
  /** Member sites. */
  sites: number;
  /** Members' metered export (slot by slot, site by site: netWh > 0), kWh. */
  outputKwh: number;
  /** Highest mean export of the members together in one slot, kW. */
  peakOutputKw: number;
  /** Members' metered import (netWh < 0), kWh. */
  importKwh: number;
  peakImportKw: number;
  /** Washing cycles the scheduler moved to a later start, and the hours they were moved by in total. */
  washingCyclesShifted: number;
  washingShiftHours: number;
  /** Energy the members' washing machines drew, kWh. */
  washingKwh: number;
  /** Its mean clearing price at the VPP's level (over the slots with a price; null when none). */
  washingPriceMinorPerKwh: number | null;
  /** Jobs of the members' machines that missed their deadline (or were dropped), over the run. */
  washingMissedDeadlines: number;
  /** Energy the members' heaters drew, kWh, and its mean clearing price at the VPP's level. */
  heatingKwh: number;
  heatingPriceMinorPerKwh: number | null;
  /**
   * Heating energy drawn in slots whose setpoint the scheduler had shifted, kWh: pre-heating (stored
   * as heat while cheap) plus coasting (the least that keeps the band while dear).
   */
  heatingShiftedKwh: number;
  heatingPreheatKwh: number;
  heatingCoastKwh: number;
}

/** Running totals of one VPP, in Wh and minor-unit·Wh (converted once, in `toMetrics`). */
export class VppTally {
  outputWh: Wh = 0;
  importWh: Wh = 0;
  peakOutputWh: Wh = 0;
  peakImportWh: Wh = 0;
  washingCyclesShifted = 0;
  washingShiftSlots = 0;
  washingWh: Wh = 0;
  private washingPricedWh: Wh = 0;
  private washingCost = 0;
  heatingWh: Wh = 0;
  private heatingPricedWh: Wh = 0;
  private heatingCost = 0;
  preheatWh: Wh = 0;
  coastWh: Wh = 0;

  /** The members' exchange of one slot, summed per direction. */
  addExchange(exportWh: Wh, importWh: Wh): void {
    this.outputWh += exportWh;
    this.importWh += importWh;
    this.peakOutputWh = Math.max(this.peakOutputWh, exportWh);
    this.peakImportWh = Math.max(this.peakImportWh, importWh);
  }

  /** Washing energy of one slot at the slot's price (undefined: not known). */
  addWashing(energyWh: Wh, priceMinorPerKwh: number | undefined): void {
    this.washingWh += energyWh;
    if (priceMinorPerKwh === undefined) return;
    this.washingPricedWh += energyWh;
    this.washingCost += energyWh * priceMinorPerKwh;
  }

  addHeating(energyWh: Wh, shift: HeatingShift, priceMinorPerKwh: number | undefined): void {
    this.heatingWh += energyWh;
    if (shift === 'preheat') this.preheatWh += energyWh;
    else if (shift === 'coast') this.coastWh += energyWh;
    if (priceMinorPerKwh === undefined) return;
    this.heatingPricedWh += energyWh;
    this.heatingCost += energyWh * priceMinorPerKwh;
  }

  toMetrics(id: string, sites: number, slotHours: number, washingMissedDeadlines: number): VppMetrics {
    return {
      id, sites,
      outputKwh: whToKwh(this.outputWh),
      peakOutputKw: round3(whToKw(this.peakOutputWh, slotHours)),
      importKwh: whToKwh(this.importWh),
      peakImportKw: round3(whToKw(this.peakImportWh, slotHours)),
      washingCyclesShifted: this.washingCyclesShifted,
      washingShiftHours: round3(this.washingShiftSlots * slotHours),
      washingKwh: whToKwh(this.washingWh),
      washingPriceMinorPerKwh: meanPrice(this.washingCost, this.washingPricedWh),
      washingMissedDeadlines,
      heatingKwh: whToKwh(this.heatingWh),
      heatingPriceMinorPerKwh: meanPrice(this.heatingCost, this.heatingPricedWh),
      heatingShiftedKwh: whToKwh(this.preheatWh + this.coastWh),
      heatingPreheatKwh: whToKwh(this.preheatWh),
      heatingCoastKwh: whToKwh(this.coastWh),
    };
  }
}

function meanPrice(cost: number, energyWh: Wh): number | null {
  return energyWh > 0 ? round3(cost / energyWh) : null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
