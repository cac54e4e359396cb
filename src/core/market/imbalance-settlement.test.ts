import { describe, expect, it } from 'vitest';
import { buildAreaTree } from '../grid/area-tree.js';
import { aScenario } from '../sim/scenario.fixture.js';
import { ImbalanceSettlement } from './imbalance-settlement.js';

describe('imbalance settlement', () => {
  const scenario = aScenario();
  const tree = buildAreaTree(scenario);
  const street = tree.indexOf.get('n1-s1') as number;
  const city = tree.indexOf.get('city') as number;

  it('charges a shortfall at the short price and pays a surplus at the long price of the site\'s level', () => {
    const s = new ImbalanceSettlement(tree, scenario.market.imbalanceMinorPerKwh);
    expect(s.settle(street, -2000)).toBe(2000); // 2 kWh short at 80
    expect(s.settle(street, 500)).toBe(500); // 0.5 kWh long at 2
    expect(s.settle(city, -1000)).toBe(1000); // 1 kWh short at 80 (city)
    expect(s.settle(city, 0)).toBe(0);
    const m = s.metrics();
    expect(m.byLevel.street).toEqual({ shortKwh: 2, longKwh: 0.5, chargedMinor: 160, paidMinor: 1 });
    expect(m.byLevel.city).toEqual({ shortKwh: 1, longKwh: 0, chargedMinor: 80, paidMinor: 0 });
    expect(m).toMatchObject({ shortKwh: 3, longKwh: 0.5, chargedMinor: 240, paidMinor: 1 });
  });
});
