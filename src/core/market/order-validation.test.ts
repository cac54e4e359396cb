import { describe, expect, it } from 'vitest';
import { GridmeshError } from '../errors.js';
import { clearOrders } from './clear-orders.js';
import { MAX_ORDERS, OrderBookError, type Order } from './order.js';
import { validateOrders } from './order-validation.js';

/** A valid order; override any field. */
function anOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'o-1', side: 'bid', energyWh: 1000, priceMinorPerKwh: 25, ...overrides };
}

/** The single rejection reason of a one-order book. */
function reasonFor(order: unknown, ctx = {}): string {
  const { accepted, rejected } = validateOrders([order], ctx);
  expect(accepted).toEqual([]);
  expect(rejected).toHaveLength(1);
  return (rejected[0] as { reason: string }).reason;
}

describe('validateOrders', () => {
  it('accepts valid orders in submission order, with every optional field', () => {
    const full = anOrder({
      id: 'b-7', participant: 'household-12', site: 'site-3', slot: 40, area: 'nb-01', expiresAtSlot: 44,
      preferences: { source: 'green', partners: ['pv-farm-2'], community: 'riverside-coop' },
    });
    const { accepted, rejected } = validateOrders([full, anOrder({ id: 'o-9', side: 'offer', priceMinorPerKwh: -4 })]);
    expect(rejected).toEqual([]);
    expect(accepted.map((o) => o.id)).toEqual(['b-7', 'o-9']);
    expect(accepted[0]).toEqual(full);
  });

  it('rejects a bad energy with the path and what was expected', () => {
    expect(reasonFor(anOrder({ energyWh: -5 }))).toBe('orders[0].energyWh: expected a positive integer number of Wh (got -5)');
    expect(reasonFor(anOrder({ energyWh: 0 }))).toBe('orders[0].energyWh: expected a positive integer number of Wh (got 0)');
    expect(reasonFor(anOrder({ energyWh: 12.5 }))).toBe('orders[0].energyWh: expected a positive integer number of Wh (got 12.5)');
    expect(reasonFor(anOrder({ energyWh: '100' }))).toBe('orders[0].energyWh: expected a positive integer number of Wh (got "100")');
    expect(reasonFor(anOrder({ energyWh: undefined }))).toBe('orders[0].energyWh: expected a positive integer number of Wh (missing)');
    expect(reasonFor(anOrder({ energyWh: 2e9 }))).toBe('orders[0].energyWh: expected at most 1000000000 Wh (got 2000000000)');
  });

  it('rejects a NaN or non-integer price', () => {
    expect(reasonFor(anOrder({ priceMinorPerKwh: NaN }))).toBe('orders[0].priceMinorPerKwh: expected an integer number of minor currency units per kWh (got NaN)');
    expect(reasonFor(anOrder({ priceMinorPerKwh: 2.5 }))).toBe('orders[0].priceMinorPerKwh: expected an integer number of minor currency units per kWh (got 2.5)');
    expect(reasonFor(anOrder({ priceMinorPerKwh: Infinity }))).toMatch(/^orders\[0\]\.priceMinorPerKwh: expected an integer/);
    expect(reasonFor(anOrder({ priceMinorPerKwh: -2_000_000 }))).toBe('orders[0].priceMinorPerKwh: expected a price from -1000000 to 1000000 minor units per kWh (got -2000000)');
  });

  it('rejects a bad side, a non-object and unknown keys', () => {
    expect(reasonFor(anOrder({ side: 'buy' }))).toBe('orders[0].side: expected "bid" or "offer" (got "buy")');
    expect(reasonFor(42)).toBe('orders[0]: expected an order object (got 42)');
    expect(reasonFor(null)).toBe('orders[0]: expected an order object (got null)');
    expect(reasonFor(anOrder({ prize: 3 }))).toBe('orders[0].prize: no such key (check the spelling)');
    expect(reasonFor(anOrder({ preferences: { source: 'nuclear' } }))).toBe('orders[0].preferences.source: expected "any" or "green" (got "nuclear")');
  });

  it('joins several problems of one order', () => {
    expect(reasonFor(anOrder({ side: 'sell', energyWh: -1 })))
      .toBe('orders[0].side: expected "bid" or "offer" (got "sell"); orders[0].energyWh: expected a positive integer number of Wh (got -1)');
  });

  it('rejects the second and later orders with a duplicate id, keeping the first', () => {
    const { accepted, rejected } = validateOrders([anOrder({ id: 'a' }), anOrder({ id: 'b' }), anOrder({ id: 'a', side: 'offer' }), anOrder({ id: 'a' })]);
    expect(accepted.map((o) => o.id)).toEqual(['a', 'b']);
    expect(rejected).toEqual([
      { index: 2, id: 'a', reason: 'orders[2].id: duplicate id "a" (first at orders[0])' },
      { index: 3, id: 'a', reason: 'orders[3].id: duplicate id "a" (first at orders[0])' },
    ]);
  });

  it('gives a null id when the order has no usable one', () => {
    expect(validateOrders([anOrder({ id: 7 })]).rejected[0]).toEqual({ index: 0, id: null, reason: 'orders[0].id: expected a non-empty string of at most 128 characters (got 7)' });
  });

  it('rejects orders for a closed slot and expired orders', () => {
    const ctx = { openSlot: 10 };
    expect(reasonFor(anOrder({ slot: 9 }), ctx)).toBe('orders[0].slot: slot 9 is closed (the open slot is 10)');
    expect(reasonFor(anOrder({ slot: 12, expiresAtSlot: 8 }), ctx)).toBe('orders[0].expiresAtSlot: the order expired at slot 8 (the open slot is 10)');
    const { accepted } = validateOrders([anOrder({ slot: 10, expiresAtSlot: 10 }), anOrder({ id: 'o-2' })], ctx);
    expect(accepted).toHaveLength(2);
  });

  it('rejects an unknown area when the known areas are given', () => {
    const ctx = { knownAreas: new Set(['nb-01', 'nb-02']) };
    expect(reasonFor(anOrder({ area: 'nb-09' }), ctx)).toBe('orders[0].area: unknown area "nb-09" (expected one of nb-01, nb-02)');
    expect(validateOrders([anOrder({ area: 'nb-02' }), anOrder({ id: 'x' })], ctx).accepted).toHaveLength(2);
    expect(validateOrders([anOrder({ area: 'anywhere' })]).accepted).toHaveLength(1);
  });

  it('error: input that is not a list, or too many orders, is an OrderBookError', () => {
    expect(() => validateOrders({ orders: [] })).toThrow(new OrderBookError('an order book must be a JSON array of orders (got an object)'));
    expect(() => validateOrders([anOrder(), anOrder({ id: 'b' })], { maxOrders: 1 })).toThrow(/too many orders: at most 1 in one book \(got 2\)/);
    expect(() => validateOrders('x')).toThrow(GridmeshError);
    expect(MAX_ORDERS).toBe(2_000_000);
  });

  it('rejects bad orders and the rest of the book still clears', () => {
    const book = [
      anOrder({ id: 'b1', energyWh: 3000, priceMinorPerKwh: 32 }),
      anOrder({ id: 'b2', energyWh: -5, priceMinorPerKwh: 40 }),
      anOrder({ id: 'o1', side: 'offer', energyWh: 2000, priceMinorPerKwh: 10 }),
      anOrder({ id: 'o2', side: 'offer', energyWh: 2000, priceMinorPerKwh: NaN }),
      anOrder({ id: 'o3', side: 'offer', energyWh: 2000, priceMinorPerKwh: 20, slot: 3 }),
      anOrder({ id: 'o1', side: 'offer', energyWh: 9000, priceMinorPerKwh: 1 }),
    ];
    const { accepted, rejected } = validateOrders(book, { openSlot: 3 });
    expect(rejected.map((r) => r.id)).toEqual(['b2', 'o2', 'o1']);
    expect(clearOrders(accepted, 'pay-as-clear')).toEqual({
      mechanism: 'pay-as-clear',
      clearingPriceMinorPerKwh: 26, // floor((32 + 20) / 2)
      volumeWh: 3000,
      trades: [
        { bidId: 'b1', offerId: 'o1', energyWh: 2000, priceMinorPerKwh: 26 },
        { bidId: 'b1', offerId: 'o3', energyWh: 1000, priceMinorPerKwh: 26 },
      ],
    });
  });
});

describe('clearOrders', () => {
  const orders: Order[] = [
    { id: 'o-a', side: 'offer', energyWh: 500, priceMinorPerKwh: 12 },
    { id: 'b-a', side: 'bid', energyWh: 400, priceMinorPerKwh: 20 },
    { id: 'b-b', side: 'bid', energyWh: 400, priceMinorPerKwh: 20 },
  ];

  it('maps trades back to ids, ties in list order', () => {
    expect(clearOrders(orders, 'pay-as-bid')).toEqual({
      mechanism: 'pay-as-bid',
      clearingPriceMinorPerKwh: null,
      volumeWh: 500,
      trades: [
        { bidId: 'b-a', offerId: 'o-a', energyWh: 400, priceMinorPerKwh: 20 },
        { bidId: 'b-b', offerId: 'o-a', energyWh: 100, priceMinorPerKwh: 20 },
      ],
    });
  });

  it('clears an empty list to nothing', () => {
    expect(clearOrders([], 'pay-as-clear')).toEqual({ mechanism: 'pay-as-clear', clearingPriceMinorPerKwh: null, volumeWh: 0, trades: [] });
  });
});
