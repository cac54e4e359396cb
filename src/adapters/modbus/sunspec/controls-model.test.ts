import { describe, expect, it } from 'vitest';
import { decodeControls, encodeControls, encodeOutputLimit } from './controls-model.js';
import { CONTROLS, WMAX_LIM_ENA } from './sunspec-models.js';

describe('model 123 immediate controls', () => {
  it('decodes the limit and its scale factor', () => {
    expect(decodeControls(encodeControls({ limitPct: 55.5, enabled: true }, -1))).toEqual({ limitPct: 55.5, enabled: true, limitSf: -1 });
  });

  it('writes WMaxLimPct, then enables it', () => {
    expect(encodeOutputLimit(30, -1)).toEqual([
      { offset: CONTROLS.WMaxLimPct, values: [300] },
      { offset: CONTROLS.WMaxLim_Ena, values: [WMAX_LIM_ENA.enabled] },
    ]);
  });

  it('disables the limit at 100 %', () => {
    expect(encodeOutputLimit(100, 0)[1]).toEqual({ offset: CONTROLS.WMaxLim_Ena, values: [WMAX_LIM_ENA.disabled] });
  });

  it('error: limits outside 0..100 % are out of range', () => {
    expect(() => encodeOutputLimit(101, 0)).toThrow(/0..100 %/);
    expect(() => encodeOutputLimit(Number.NaN, 0)).toThrow(/0..100 %/);
  });

  it('error: a device without WMaxLimPct is reported', () => {
    const block = encodeControls({ limitPct: 100, enabled: false }, 0);
    block[CONTROLS.WMaxLimPct_SF] = 0x8000;
    expect(() => decodeControls(block)).toThrow(/does not implement/);
  });
});
