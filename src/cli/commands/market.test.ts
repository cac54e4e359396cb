import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { OrderBookError } from '../../core/market/order.js';
import { marketClearCommand, registerMarketCommands } from './market.js';
import { usageFailure } from './usage-failure.fixture.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/orders.json', import.meta.url));
const REJECTED_EXAMPLE = 'warning: rejected order "b-negative-energy": orders[5].energyWh: expected a positive integer number of Wh (got -1500)\n';

function orderFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gridmesh-market-')), 'orders.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gridmesh market clear', () => {
  it('--json prints the contract: price, volume, trades and rejected orders', async () => {
    const out = await marketClearCommand(EXAMPLE, { json: true });
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['mechanism', 'clearingPriceMinorPerKwh', 'volumeWh', 'trades', 'rejected']);
    expect(json).toEqual({
      mechanism: 'pay-as-clear',
      clearingPriceMinorPerKwh: 23, // floor((25 + 22) / 2): b-heat-pump-4 and o-hospital-chp are marginal
      volumeWh: 10_000,
      trades: [
        { bidId: 'b-household-12', offerId: 'o-rooftop-pv-7', energyWh: 3000, priceMinorPerKwh: 23 },
        { bidId: 'b-ev-depot', offerId: 'o-rooftop-pv-7', energyWh: 1000, priceMinorPerKwh: 23 },
        { bidId: 'b-ev-depot', offerId: 'o-school-battery', energyWh: 3000, priceMinorPerKwh: 23 },
        { bidId: 'b-ev-depot', offerId: 'o-hospital-chp', energyWh: 1000, priceMinorPerKwh: 23 },
        { bidId: 'b-heat-pump-4', offerId: 'o-hospital-chp', energyWh: 2000, priceMinorPerKwh: 23 },
      ],
      rejected: [{ index: 5, id: 'b-negative-energy', reason: 'orders[5].energyWh: expected a positive integer number of Wh (got -1500)' }],
    });
    expect(out.stdout).toBe(JSON.stringify(json, null, 2) + '\n');
    expect(out.stderr).toBe(REJECTED_EXAMPLE);
  });

  it('prints a readable summary with the first trades', async () => {
    const out = await marketClearCommand(EXAMPLE, {});
    expect(out.stdout.split('\n')).toEqual([
      `${EXAMPLE}: 10 orders, 9 accepted (5 bids, 4 offers), 1 rejected`,
      'mechanism   pay-as-clear',
      'price       23 minor units/kWh (uniform)',
      'volume      10.000 kWh',
      'trades      5',
      '',
      'bid             offer             energy (kWh)  price (minor/kWh)',
      'b-household-12  o-rooftop-pv-7           3.000                 23',
      'b-ev-depot      o-rooftop-pv-7           1.000                 23',
      'b-ev-depot      o-school-battery         3.000                 23',
      'b-ev-depot      o-hospital-chp           1.000                 23',
      'b-heat-pump-4   o-hospital-chp           2.000                 23',
      '',
      'rejected    1 order (reasons on stderr)',
      '',
    ]);
    expect(out.stderr).toBe(REJECTED_EXAMPLE);
  });

  it('pay-as-bid: each trade at its bid price, no clearing price', async () => {
    const json = JSON.parse((await marketClearCommand(EXAMPLE, { mechanism: 'pay-as-bid', json: true })).stdout) as {
      clearingPriceMinorPerKwh: number | null; volumeWh: number; trades: { priceMinorPerKwh: number }[];
    };
    expect(json.clearingPriceMinorPerKwh).toBeNull();
    expect(json.volumeWh).toBe(10_000);
    expect(json.trades.map((t) => t.priceMinorPerKwh)).toEqual([32, 28, 28, 28, 25]);
    expect((await marketClearCommand(EXAMPLE, { mechanism: 'pay-as-bid' })).stdout).toContain("price       each trade at its bid's price");
  });

  it('rejects bad orders with warnings while the rest of the book clears', async () => {
    const file = orderFile([
      { id: 'b1', side: 'bid', energyWh: 2000, priceMinorPerKwh: 30, area: 'nb-01', slot: 5 },
      { id: 'b2', side: 'bid', energyWh: 2000, priceMinorPerKwh: 40, area: 'nb-07', slot: 5 },
      { id: 'b3', side: 'bid', energyWh: 2000, priceMinorPerKwh: 50, slot: 4 },
      { id: 'b4', side: 'bid', energyWh: 2000, priceMinorPerKwh: 50, expiresAtSlot: 4 },
      { side: 'offer', energyWh: 1000, priceMinorPerKwh: 1 },
      { id: 'o1', side: 'offer', energyWh: 1500, priceMinorPerKwh: 10.5 },
      { id: 'o2', side: 'offer', energyWh: 1500, priceMinorPerKwh: 10, area: 'nb-02' },
    ]);
    const out = await marketClearCommand(file, { slot: '5', areas: 'nb-01, nb-02', json: true });
    const json = JSON.parse(out.stdout) as { volumeWh: number; trades: unknown[]; rejected: { index: number; id: string | null }[] };
    expect(json.volumeWh).toBe(1500);
    expect(json.trades).toEqual([{ bidId: 'b1', offerId: 'o2', energyWh: 1500, priceMinorPerKwh: 20 }]);
    expect(json.rejected.map((r) => [r.index, r.id])).toEqual([[1, 'b2'], [2, 'b3'], [3, 'b4'], [4, null], [5, 'o1']]);
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      'warning: rejected order "b2": orders[1].area: unknown area "nb-07" (expected one of nb-01, nb-02)',
      'warning: rejected order "b3": orders[2].slot: slot 4 is closed (the open slot is 5)',
      'warning: rejected order "b4": orders[3].expiresAtSlot: the order expired at slot 4 (the open slot is 5)',
      'warning: rejected orders[4] (no usable id): orders[4].id: expected a non-empty string of at most 128 characters (missing)',
      'warning: rejected order "o1": orders[5].priceMinorPerKwh: expected an integer number of minor currency units per kWh (got 10.5)',
    ]);
  });

  it('runs through commander, writing warnings to stderr and the result to stdout', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('gridmesh').exitOverride();
    registerMarketCommands(program);
    await program.parseAsync(['node', 'gridmesh', 'market', 'clear', EXAMPLE, '--mechanism', 'pay-as-bid', '--json']);
    expect((JSON.parse(String(stdout.mock.calls[0]?.[0])) as { mechanism: string }).mechanism).toBe('pay-as-bid');
    expect(String(stderr.mock.calls[0]?.[0])).toBe(REJECTED_EXAMPLE);
  });

  it('error: a malformed file is a typed error that exits with code 2', async () => {
    const notJson = await usageFailure(marketClearCommand(orderFile('[{"id": "b1",}]'), {}));
    expect(notJson).toBeInstanceOf(OrderBookError);
    expect(notJson.message).toMatch(/orders\.json is not valid JSON: syntax error at line 1, column 14$/);
    const notList = await usageFailure(marketClearCommand(orderFile({ orders: [] }), {}));
    expect(notList.message).toMatch(/orders\.json: an order book must be a JSON array of orders \(got an object\)$/);
    const missing = await usageFailure(marketClearCommand('/nonexistent/orders.json', {}));
    expect(missing.message).toBe('cannot read order book file /nonexistent/orders.json: no such file');
  });

  it('error: bad option values are UsageErrors', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ mechanism: 'vickrey' }, '--mechanism must be one of pay-as-clear, pay-as-bid, got "vickrey"'],
      [{ slot: 'soon' }, '--slot must be a non-negative integer (the open slot), got "soon"'],
      [{ areas: ' , ' }, '--areas must list at least one area id, e.g. --areas nb-01,nb-02 (got " , ")'],
    ];
    for (const [flags, message] of cases) {
      const error = await usageFailure(marketClearCommand(EXAMPLE, flags));
      expect(error).toEqual(new UsageError(message));
    }
  });
});
