import { describe, expect, it } from 'vitest';
import { decodeCommon, encodeCommon } from './common-model.js';
import { COMMON } from './sunspec-models.js';

describe('model 1 common', () => {
  const identity = { manufacturer: 'Acme Solar', model: 'AS-10K', serialNumber: 'SN123', version: '2.1' };

  it('round-trips manufacturer, model, serial and version', () => {
    const block = encodeCommon(identity, 7);
    expect(block).toHaveLength(2 + COMMON.length);
    expect(block[COMMON.DA]).toBe(7);
    expect(decodeCommon(block)).toEqual(identity);
  });

  it('error: an empty serial number is not implemented', () => {
    expect(() => decodeCommon(encodeCommon({ ...identity, serialNumber: '' }, 1))).toThrow(/SN is empty/);
  });
});
