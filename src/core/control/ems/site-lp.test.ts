import { describe, expect, it } from 'vitest';
import { planBounds } from './plan-bounds.js';
import { buildSiteLp } from './site-lp.js';
import { aBattery, aHeater, anEv, aSitePlanInput, aWasher, flat } from './site-plan-input.fixture.js';
import type { SitePlanInput } from './site-plan-input.js';

const lpOf = (input: SitePlanInput): string => buildSiteLp(input, planBounds(input)).toLpText();

describe('site LP', () => {
  it('balances each slot: import − export − curtailment − devices = base − generation', () => {
    const text = lpOf(aSitePlanInput({
      horizon: 2, generationWh: Float64Array.of(0, 50), battery: aBattery(), evs: [anEv({ departureOffset: 0 })],
      heaters: [aHeater(2)], washers: [aWasher({ latestStartOffset: 1, cycleWh: [300, 100] })],
    }));
    expect(text).toContain(' bal_0: imp_0 - xpt_0 - chg_0 + dis_0 - ev0_0 - ht0_0 - 300 ws0_0 = 200\n');
    expect(text).toContain(' bal_1: imp_1 - xpt_1 - cur_1 - chg_1 + dis_1 - ht0_1 - 100 ws0_0 - 300 ws0_1 = 150\n');
  });

  it('keeps 1 Wh per rounded device clear of the import limit, but never below the base load\'s shortfall', () => {
    const text = lpOf(aSitePlanInput({ horizon: 2, importLimitWh: 1000, baseLoadWh: Float64Array.of(200, 1000), battery: aBattery(), heaters: [aHeater(2)] }));
    expect(text).toContain(' 0 <= imp_0 <= 998\n');
    expect(text).toContain(' 0 <= imp_1 <= 1000\n');
  });

  it('keeps the battery 1 Wh inside its band, and follows its state with the efficiencies', () => {
    const text = lpOf(aSitePlanInput({ horizon: 2, battery: aBattery({ chargeEfficiency: 0.5, dischargeEfficiency: 0.8 }) }));
    expect(text).toContain(' 1001 <= soc_0 <= 8999\n');
    expect(text).toContain(' soc_bal_0: soc_0 - 0.5 chg_0 + 1.25 dis_0 = 5000\n');
    expect(text).toContain(' soc_bal_1: soc_1 - 0.5 chg_1 + 1.25 dis_1 - soc_0 = 0\n');
  });

  it('holds the heater\'s 1R1C model and soft comfort band', () => {
    const h = aHeater(1, { decay: 0.5, outdoorC: flat(1, 0), cop: flat(1, 2), heatLossKwPerK: 0.2, ratedWh: 1000 });
    const text = lpOf(aSitePlanInput({ horizon: 1, slotHours: 1, heaters: [h] }));
    // gain = (1 − 0.5)·2 / (0.2·1·1000) = 0.005 K per Wh; 0.5·21 from the start.
    expect(text).toContain(' th0_0: tin0_0 - 0.005 ht0_0 = 10.5\n');
    expect(text).toContain(' tmin0_0: tin0_0 + tlo0_0 >= 20\n');
    expect(text).toContain(' tmax0_0: tin0_0 - thi0_0 <= 22\n');
  });

  it('prices the peak and import beyond the allowance only when asked', () => {
    expect(lpOf(aSitePlanInput({ horizon: 1 }))).not.toMatch(/peak_imp|over_imp/);
    const text = lpOf(aSitePlanInput({ horizon: 2, peakMinorPerKwh: 50, importAllowanceWh: 300 }));
    expect(text).toContain(' pk_1: peak_imp - imp_1 >= 0\n');
    expect(text).toContain(' allowance: - over_imp + imp_0 + imp_1 <= 300\n');
  });
});
