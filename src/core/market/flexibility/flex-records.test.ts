import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../../grid/area-tree.js';
import { aScenario } from '../../sim/scenario.fixture.js';
import { FLEX_RECORDS_MAX } from './flex-metrics.js';
import { RequestRecords } from './flex-records.js';
import type { SlotRequest } from './flex-request.js';

const tree = buildAreaTree(aScenario());
const tso: SlotRequest = { source: 'tso-peak', scheduledIndex: -1, buyer: 'tso', area: 0, direction: 'up', powerKw: 10, priceCapMinorPerKwh: 25 };
const dso = (area: string): SlotRequest => ({ ...tso, source: 'dso-congestion', buyer: 'dso', area: tree.indexOf.get(area) as number });

/** Serves `requests(slot)` for slots 0..n-1 and returns the records. */
function serve(n: number, requests: (slot: number) => SlotRequest[], records = new RequestRecords(tree, [])): RequestRecords {
  for (let slot = 0; slot < n; slot++) {
    records.closeIdle(slot);
    for (const r of requests(slot)) records.recordFor(r, slot).slots++;
  }
  return records;
}

describe('request records', () => {
  it('group consecutive TSO-peak slots into one record, a gap starts the next', () => {
    const records = serve(10, (slot) => ([2, 3, 4, 7, 8].includes(slot) ? [tso] : []));
    expect(records.records().records.map((r) => [r.id, r.startSlot, r.endSlot, r.slots])).toEqual([['tso-peak-1', 2, 5, 3], ['tso-peak-2', 7, 9, 2]]);
  });

  it('keep DSO requests on different feeders apart', () => {
    const records = serve(3, () => [dso('n1-s1'), dso('n2-s1')]);
    expect(records.records().records.map((r) => [r.id, r.area, r.slots])).toEqual([['dso-congestion-n1-s1-1', 'n1-s1', 3], ['dso-congestion-n2-s1-1', 'n2-s1', 3]]);
  });

  it('name a scheduled request by its id', () => {
    const spec = { id: 'winter-1', buyer: 'dso' as const, area: 'n1', startHour: 0, durationHours: 1, direction: 'up' as const, powerKw: 5, priceCapMinorPerKwh: 9 };
    const records = serve(4, () => [{ ...tso, source: 'scheduled', scheduledIndex: 0 }], new RequestRecords(tree, [spec]));
    expect(records.records().records.map((r) => [r.id, r.slots])).toEqual([['winter-1', 4]]);
  });

  it('keep the first FLEX_RECORDS_MAX records and count the rest', () => {
    const records = serve(2 * (FLEX_RECORDS_MAX + 5), (slot) => (slot % 2 === 0 ? [tso] : []));
    const { records: kept, omitted } = records.records();
    expect(kept).toHaveLength(FLEX_RECORDS_MAX);
    expect(omitted).toBe(5);
    expect(records.count).toBe(FLEX_RECORDS_MAX + 5);
  });
});
