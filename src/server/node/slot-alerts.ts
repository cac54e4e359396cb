/**
 * What an operator should notice in a settled slot: rejected and missing readings, validators that
 * signed another statement, areas that islanded or reconnected. Bounded per slot.
 */
import type { TrustSlotRecord } from '../../core/trust/trust-run.js';
import type { AlertView } from './node-view.js';

/** Rejected or missing readings listed one by one per slot; beyond it, one summary alert. */
export const ALERTS_PER_KIND_MAX = 20;

export function slotAlerts(slot: number, record: TrustSlotRecord | undefined, islandsBefore: readonly string[], islandsNow: readonly string[]): AlertView[] {
  const alerts: AlertView[] = [];
  const before = new Set(islandsBefore);
  const now = new Set(islandsNow);
  for (const area of islandsNow) if (!before.has(area)) alerts.push({ slot, kind: 'islanded', area, message: `${area} is islanded: balancing and trading on its own` });
  for (const area of islandsBefore) if (!now.has(area)) alerts.push({ slot, kind: 'reconnected', area, message: `${area} is reconnected: its queued statements go to the chain` });
  if (record === undefined) return alerts;
  listed(alerts, record.rejections, (r) => ({ slot, kind: 'rejected-reading', device: r.device, message: `reading rejected: ${r.reason}` }), 'rejected-reading', slot, 'readings rejected');
  listed(alerts, record.missing, (did) => ({ slot, kind: 'missing-reading', device: did, message: 'no reading arrived for this slot: nothing settled for it' }), 'missing-reading', slot, 'readings missing');
  for (const u of record.units) {
    for (const d of u.dissenters) alerts.push({ slot, kind: 'dissent', area: u.areaId, message: `validator ${d.validator} signed another statement (${d.fields.join(', ')})` });
  }
  return alerts;
}

function listed<T>(alerts: AlertView[], items: readonly T[], alert: (item: T) => AlertView, kind: AlertView['kind'], slot: number, what: string): void {
  for (const item of items.slice(0, ALERTS_PER_KIND_MAX)) alerts.push(alert(item));
  if (items.length > ALERTS_PER_KIND_MAX) alerts.push({ slot, kind, message: `${items.length - ALERTS_PER_KIND_MAX} more ${what} in this slot` });
}
