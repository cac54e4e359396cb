import { describe, expect, it } from 'vitest';
import { decodeInverter, encodeInverter } from './inverter-model.js';
import { INVERTER, MODEL_ID } from './sunspec-models.js';

const anInverterBlock = (acPowerW: number, powerSf: number): number[] =>
  encodeInverter({ modelId: MODEL_ID.inverterThreePhase, acPowerW, powerSf, lifetimeEnergyWh: 123_456, state: 4 });

describe('models 101-103 inverter', () => {
  it('decodes W with W_SF and the lifetime energy', () => {
    expect(decodeInverter(anInverterBlock(42_000, 1))).toEqual({ acPowerW: 42_000, lifetimeEnergyWh: 123_456 });
  });

  it('leaves the points it does not serve not implemented', () => {
    const block = anInverterBlock(0, 0);
    expect(block).toHaveLength(52);
    expect(block[INVERTER.W - 2]).toBe(0xffff); // PhVphA, uint16
    expect(block[INVERTER.W + 6]).toBe(0x8000); // VAr, int16
  });

  it('reports an unimplemented lifetime energy as undefined', () => {
    const block = anInverterBlock(100, 0);
    block[INVERTER.WH] = 0;
    block[INVERTER.WH + 1] = 0;
    expect(decodeInverter(block).lifetimeEnergyWh).toBeUndefined();
  });

  it('error: an unimplemented W is an error, not 0 W', () => {
    const block = anInverterBlock(100, 0);
    block[INVERTER.W] = 0x8000;
    expect(() => decodeInverter(block)).toThrow(/W is not implemented/);
  });
});
