/**
 * Request records: what each request asked for, got awarded, delivered and cost. A scheduled
 * request is one record over its window; TSO-peak and DSO-congestion requests are one-slot requests,
 * and consecutive slots of the same buyer on the same area are grouped into one record (one evening
 * peak = one record). Records are kept up to FLEX_RECORDS_MAX; later ones only count in the totals.
 */
import type { AreaTree } from '../../grid/area-tree.js';
import type { FlexRequestSpec } from '../../sim/scenario-schema.js';
import { FLEX_RECORDS_MAX, kwhOf, type FlexRequestRecord } from './flex-metrics.js';
import type { SlotRequest } from './flex-request.js';

/** A record being accumulated, energies in integer Wh. */
export interface RecordAcc {
  readonly id: string;
  readonly buyer: FlexRequestRecord['buyer'];
  readonly area: string;
  readonly direction: FlexRequestRecord['direction'];
  readonly startSlot: number;
  endSlot: number;
  requestedKw: number;
  requestedWh: number;
  awardedWh: number;
  deliveredWh: number;
  unverifiedWh: number;
  paidMinor: number;
  penaltiesMinor: number;
  /** Distinct sites while open; dropped (counted in `siteCount`) when the record closes. */
  sites: Set<number> | undefined;
  siteCount: number;
  slots: number;
  coveredSlots: number;
  noOfferSlots: number;
  aboveCapSlots: number;
}

export class RequestRecords {
  private readonly open = new Map<string, RecordAcc>();
  private readonly kept: RecordAcc[] = [];
  private created = 0;
  private tsoRuns = 0;
  private readonly dsoRuns = new Map<number, number>();

  constructor(private readonly tree: AreaTree, private readonly scheduled: readonly FlexRequestSpec[]) {}

  get count(): number {
    return this.created;
  }

  /** Closes the records that had no request in the slot before `slot`. */
  closeIdle(slot: number): void {
    for (const [key, acc] of this.open) {
      if (acc.endSlot >= slot) continue;
      close(acc);
      this.open.delete(key);
    }
  }

  /** The record a request of `slot` adds to (the open run of the same source, or a new record). */
  recordFor(req: SlotRequest, slot: number): RecordAcc {
    const key = req.source === 'scheduled' ? `s:${req.scheduledIndex}` : `${req.buyer}:${req.area}:${req.direction}`;
    const running = this.open.get(key);
    if (running !== undefined && running.endSlot === slot) {
      running.endSlot = slot + 1;
      return running;
    }
    if (running !== undefined) close(running);
    const acc = this.newRecord(req, slot);
    this.open.set(key, acc);
    return acc;
  }

  records(): { records: FlexRequestRecord[]; omitted: number } {
    return { records: this.kept.map(toRecord), omitted: this.created - this.kept.length };
  }

  private newRecord(req: SlotRequest, slot: number): RecordAcc {
    this.created++;
    const acc: RecordAcc = {
      id: this.idOf(req), buyer: req.buyer, area: this.tree.ids[req.area] as string, direction: req.direction,
      startSlot: slot, endSlot: slot + 1, requestedKw: 0, requestedWh: 0, awardedWh: 0, deliveredWh: 0, unverifiedWh: 0,
      paidMinor: 0, penaltiesMinor: 0, sites: new Set(), siteCount: 0, slots: 0, coveredSlots: 0, noOfferSlots: 0, aboveCapSlots: 0,
    };
    if (this.kept.length < FLEX_RECORDS_MAX) this.kept.push(acc);
    return acc;
  }

  private idOf(req: SlotRequest): string {
    if (req.source === 'scheduled') return this.scheduled[req.scheduledIndex]?.id ?? `request-${req.scheduledIndex}`;
    if (req.source === 'tso-peak') return `tso-peak-${++this.tsoRuns}`;
    const n = (this.dsoRuns.get(req.area) ?? 0) + 1;
    this.dsoRuns.set(req.area, n);
    return `dso-congestion-${this.tree.ids[req.area]}-${n}`;
  }
}

function close(acc: RecordAcc): void {
  acc.siteCount = acc.sites?.size ?? acc.siteCount;
  acc.sites = undefined;
}

function toRecord(acc: RecordAcc): FlexRequestRecord {
  return {
    id: acc.id, buyer: acc.buyer, area: acc.area, startSlot: acc.startSlot, endSlot: acc.endSlot, direction: acc.direction,
    requestedKw: Math.round(acc.requestedKw * 1000) / 1000, requestedKwh: kwhOf(acc.requestedWh), awardedKwh: kwhOf(acc.awardedWh),
    deliveredKwh: kwhOf(acc.deliveredWh), unverifiedKwh: kwhOf(acc.unverifiedWh), paidMinor: acc.paidMinor, penaltiesMinor: acc.penaltiesMinor,
    sites: acc.sites?.size ?? acc.siteCount, slots: acc.slots, coveredSlots: acc.coveredSlots, noOfferSlots: acc.noOfferSlots, aboveCapSlots: acc.aboveCapSlots,
  };
}
