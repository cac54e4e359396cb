import { describe, expect, it } from 'vitest';
import { IslandStorageSignal, storageTranches } from './island-scarcity.js';

const ASK = 10;
const CRITICAL = 70;

describe('island storage at scarcity prices', () => {
  it('offers storage above the reserve near the ask when little is reserved, and the reserve at the critical bid', () => {
    expect(storageTranches({ usableWh: 100_000, reserveWh: 0 }, 50_000, ASK, CRITICAL)).toEqual([{ energyWh: 50_000, priceMinorPerKwh: ASK }]);
    expect(storageTranches({ usableWh: 100_000, reserveWh: 90_000 }, 50_000, ASK, CRITICAL)).toEqual([
      { energyWh: 10_000, priceMinorPerKwh: 64 }, { energyWh: 40_000, priceMinorPerKwh: CRITICAL },
    ]);
  });

  it('raises the price as the reserve takes up more of the store', () => {
    const price = (reserveWh: number): number => storageTranches({ usableWh: 100_000, reserveWh }, 200_000, ASK, CRITICAL)[0]?.priceMinorPerKwh ?? NaN;
    const prices = [0, 25_000, 50_000, 75_000, 99_000].map(price);
    expect(prices).toEqual([10, 25, 40, 55, 69]);
  });

  it('offers only the reserve, to critical bids, when all that is stored is reserved', () => {
    expect(storageTranches({ usableWh: 30_000, reserveWh: 30_000 }, 50_000, ASK, CRITICAL)).toEqual([{ energyWh: 30_000, priceMinorPerKwh: CRITICAL }]);
  });

  it('offers nothing from an empty store or without battery power', () => {
    expect(storageTranches({ usableWh: 0, reserveWh: 0 }, 50_000, ASK, CRITICAL)).toEqual([]);
    expect(storageTranches({ usableWh: 10_000, reserveWh: 0 }, 0, ASK, CRITICAL)).toEqual([]);
  });

  it('keeps what the controllers left for the next slot, the reserve never above the store', () => {
    const signal = new IslandStorageSignal();
    signal.record(3, 1_000, 5_000);
    expect(signal.get(3)).toEqual({ usableWh: 1_000, reserveWh: 1_000 });
    expect(signal.get(4)).toBeUndefined();
  });
});
