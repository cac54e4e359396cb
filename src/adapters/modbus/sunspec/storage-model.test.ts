import { describe, expect, it } from 'vitest';
import { decodeStorage, encodeChargeSetpoint, encodeStorage, RATE_SF } from './storage-model.js';
import { CHARGE_STATUS, STORAGE, STOR_CTL_MOD } from './sunspec-models.js';

/** A model 124 block with `writes` applied, as a device would hold it. */
function withWrites(block: number[], writes: ReturnType<typeof encodeChargeSetpoint>): number[] {
  const out = [...block];
  for (const w of writes) out.splice(w.offset, w.values.length, ...w.values);
  return out;
}

const aStorageBlock = (): number[] => encodeStorage({ socPct: 42.5, maxChargeW: 4000, maxChargeSf: 0, chargeStatus: CHARGE_STATUS.holding });

describe('model 124 basic storage', () => {
  it('decodes SoC, WChaMax and a held setpoint of 0 W', () => {
    expect(decodeStorage(aStorageBlock())).toEqual({ socPct: 42.5, maxChargeW: 4000, rateSf: RATE_SF, chargePowerW: 0, chargeStatus: CHARGE_STATUS.holding });
  });

  it('charges with InWRte and the CHARGE bit (positive = charge)', () => {
    const writes = encodeChargeSetpoint(1000, 4000, RATE_SF);
    const block = withWrites(aStorageBlock(), writes);
    expect(block[STORAGE.StorCtl_Mod]).toBe(STOR_CTL_MOD.charge);
    expect(block[STORAGE.InWRte]).toBe(2500);
    expect(decodeStorage(block).chargePowerW).toBe(1000);
  });

  it('discharges with OutWRte and the DISCHARGE bit', () => {
    const block = withWrites(aStorageBlock(), encodeChargeSetpoint(-4000, 4000, RATE_SF));
    expect(block[STORAGE.StorCtl_Mod]).toBe(STOR_CTL_MOD.discharge);
    expect(block[STORAGE.OutWRte]).toBe(10000);
    expect(decodeStorage(block).chargePowerW).toBe(-4000);
  });

  it('writes the rates before the mode', () => {
    expect(encodeChargeSetpoint(0, 4000, RATE_SF).map((w) => w.offset)).toEqual([STORAGE.OutWRte, STORAGE.StorCtl_Mod]);
  });

  it('error: a setpoint beyond WChaMax is out of range', () => {
    expect(() => encodeChargeSetpoint(4001, 4000, RATE_SF)).toThrow(/±4000 W/);
  });

  it('error: an unimplemented ChaState is reported, not read as 0', () => {
    const block = aStorageBlock();
    block[STORAGE.ChaState] = 0xffff;
    expect(() => decodeStorage(block)).toThrow(/ChaState is not implemented/);
  });
});
