/**
 * Figures of the EMS sites over a run: energy cost in the markets (what they paid minus what they
 * received), the highest import of any one slot summed over them, and how much of their own
 * generation they used on site (generation exported in the same slot is not; battery energy exported
 * beyond the slot's generation does not count against it). Integer Wh and minor units until the end.
 */
import { whToKw } from '../../units.js';
import type { SlotBuffers } from '../../sim/slot-buffers.js';

export interface EmsFigures {
  costMinor: number;
  peakImportKw: number;
  selfConsumptionPct: number;
  importKwh: number;
  exportKwh: number;
}

export class EmsTally {
  private costMinor = 0;
  private peakImportWh = 0;
  private generationWh = 0;
  private importWh = 0;
  private exportWh = 0;
  private generationExportWh = 0;

  constructor(private readonly sites: Int32Array, private readonly slotMinutes: number) {}

  /** After metering: `netWh` (positive = export) and the markets' payments of the slot. */
  record(b: SlotBuffers, paidMinor: Float64Array, receivedMinor: Float64Array): void {
    let slotImport = 0;
    for (const i of this.sites) {
      const net = b.netWh[i] as number;
      const generation = (b.pvWh[i] as number) + (b.windWh[i] as number) + (b.chpWh[i] as number) - (b.curtailedWh[i] as number);
      if (net < 0) slotImport -= net;
      else {
        this.exportWh += net;
        // Export beyond the slot's own generation came out of the battery: it does not lower self-consumption.
        this.generationExportWh += Math.min(net, generation);
      }
      this.generationWh += generation;
      this.costMinor += (paidMinor[i] as number) - (receivedMinor[i] as number);
    }
    this.importWh += slotImport;
    if (slotImport > this.peakImportWh) this.peakImportWh = slotImport;
  }

  figures(): EmsFigures {
    const selfUsed = Math.max(0, this.generationWh - this.generationExportWh);
    return {
      costMinor: Math.round(this.costMinor),
      peakImportKw: round3(whToKw(this.peakImportWh, this.slotMinutes / 60)),
      selfConsumptionPct: this.generationWh > 0 ? round3((100 * selfUsed) / this.generationWh) : 0,
      importKwh: round3(this.importWh / 1000),
      exportKwh: round3(this.exportWh / 1000),
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
