import { describe, expect, it } from 'vitest';
import { BookClearer } from './book-clearing.js';
import { BID_EXPORT, BID_NORMAL, OFFER_EXPORT, SlotOrders } from './slot-orders.js';

describe('book clearing', () => {
  it('takes the grid fee off every bid so price plus fee stays within the bid', () => {
    const o = new SlotOrders(8);
    const bid = o.add(0, BID_NORMAL, 0, 1000, 50);
    const offer = o.add(1, OFFER_EXPORT, 0, 1000, 30);
    const trades: [number, number, number, number][] = [];
    const volume = new BookClearer(o).clear([bid, offer], 'pay-as-clear', 10, (k) => o.priceMinorPerKwh[k] as number, (b, f, e, p) => trades.push([b, f, e, p]));
    expect(volume).toBe(1000);
    const [, , e, p] = trades[0] ?? [];
    expect(e).toBe(1000);
    expect((p ?? Infinity) + 10).toBeLessThanOrEqual(50);
    expect(p).toBeGreaterThanOrEqual(30);
    expect(o.remainingWh[bid]).toBe(0);
    expect(o.remainingWh[offer]).toBe(0);
  });

  it('does not trade when the fee eats the margin', () => {
    const o = new SlotOrders(8);
    const bid = o.add(0, BID_NORMAL, 0, 1000, 35);
    const offer = o.add(1, OFFER_EXPORT, 0, 1000, 30);
    expect(new BookClearer(o).clear([bid, offer], 'pay-as-clear', 10, (k) => o.priceMinorPerKwh[k] as number, () => undefined)).toBe(0);
  });

  it('exempts the market maker buying exports from grid fees', () => {
    const o = new SlotOrders(8);
    const bid = o.add(-1, BID_EXPORT, 0, 1000, 3);
    const offer = o.add(1, OFFER_EXPORT, 0, 400, 0);
    expect(new BookClearer(o).clear([bid, offer], 'pay-as-clear', 12, () => 0, () => undefined)).toBe(400);
    expect(o.remainingWh[bid]).toBe(600);
  });

  it('skips orders without remaining energy and rejects non-integer orders', () => {
    const o = new SlotOrders(2);
    expect(o.add(0, BID_NORMAL, 0, 0, 10)).toBe(-1);
    expect(() => o.add(0, BID_NORMAL, 0, 1.5, 10)).toThrow(/integer/);
    o.add(0, BID_NORMAL, 0, 1, 10);
    o.add(0, BID_NORMAL, 0, 1, 10);
    expect(() => o.add(0, BID_NORMAL, 0, 1, 10)).toThrow(/order store/);
  });
});
