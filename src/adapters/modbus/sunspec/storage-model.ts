/**
 * Model 124 (basic storage controls): state of charge and charge/discharge setpoints.
 *
 * A setpoint in W is written as rates in % of WChaMax: charging sets StorCtl_Mod bit 0 (CHARGE) and
 * InWRte; discharging sets bit 1 (DISCHARGE) and OutWRte; zero sets both bits with both rates 0
 * (hold). Sign of `chargePowerW` here: positive = charge (energy into the battery), negative =
 * discharge.
 */
import { ModbusError } from '../modbus-errors.js';
import type { BlockWrite } from './controls-model.js';
import { MODEL_ID, STORAGE, STOR_CTL_MOD } from './sunspec-models.js';
import { applyScale, decodeBitfield16, decodeEnum16, decodeInt16, decodeSunssf, decodeUint16, encodeScaled, encodeSunssf } from './sunspec-points.js';

export interface StorageReading {
  /** ChaState: available energy in % of capacity. */
  readonly socPct: number;
  /** WChaMax: the setpoint for the maximum charge (and, by default, discharge) rate, W. */
  readonly maxChargeW: number;
  /** Scale factor of InWRte/OutWRte, needed to encode setpoints. */
  readonly rateSf: number;
  /** The setpoint the device holds now, W (positive = charge), from StorCtl_Mod and the rates. */
  readonly chargePowerW: number;
  /** ChaSt (1 off … 7 testing), undefined when not implemented. */
  readonly chargeStatus: number | undefined;
}

function required<T>(value: T | undefined, point: string): T {
  if (value === undefined) throw new ModbusError('not-implemented', `SunSpec model 124 point ${point} is not implemented`);
  return value;
}

export function decodeStorage(block: readonly number[]): StorageReading {
  const socPct = applyScale(required(decodeUint16(block, STORAGE.ChaState), 'ChaState'), required(decodeSunssf(block, STORAGE.ChaState_SF), 'ChaState_SF'));
  const maxChargeW = applyScale(required(decodeUint16(block, STORAGE.WChaMax), 'WChaMax'), required(decodeSunssf(block, STORAGE.WChaMax_SF), 'WChaMax_SF'));
  const rateSf = required(decodeSunssf(block, STORAGE.InOutWRte_SF), 'InOutWRte_SF');
  const mode = decodeBitfield16(block, STORAGE.StorCtl_Mod) ?? 0;
  const inPct = (mode & STOR_CTL_MOD.charge) !== 0 ? applyScale(decodeInt16(block, STORAGE.InWRte) ?? 0, rateSf) : 0;
  const outPct = (mode & STOR_CTL_MOD.discharge) !== 0 ? applyScale(decodeInt16(block, STORAGE.OutWRte) ?? 0, rateSf) : 0;
  return {
    socPct,
    maxChargeW,
    rateSf,
    chargePowerW: ((inPct - outPct) / 100) * maxChargeW,
    chargeStatus: decodeEnum16(block, STORAGE.ChaSt),
  };
}

/** The writes for a setpoint: both rates in one write, then the mode, so the mode never enables a stale rate. */
export function encodeChargeSetpoint(chargePowerW: number, maxChargeW: number, rateSf: number): BlockWrite[] {
  if (!Number.isFinite(chargePowerW) || Math.abs(chargePowerW) > maxChargeW) {
    throw new ModbusError('out-of-range', `battery setpoint must be within ±${maxChargeW} W (WChaMax), got ${chargePowerW}`);
  }
  const ratePct = maxChargeW === 0 ? 0 : (Math.abs(chargePowerW) / maxChargeW) * 100;
  const inPct = chargePowerW > 0 ? ratePct : 0;
  const outPct = chargePowerW < 0 ? ratePct : 0;
  const mode = chargePowerW > 0 ? STOR_CTL_MOD.charge : chargePowerW < 0 ? STOR_CTL_MOD.discharge : STOR_CTL_MOD.charge | STOR_CTL_MOD.discharge;
  return [
    { offset: STORAGE.OutWRte, values: [encodeScaled(outPct, rateSf, 'int16', 'OutWRte'), encodeScaled(inPct, rateSf, 'int16', 'InWRte')] },
    { offset: STORAGE.StorCtl_Mod, values: [mode] },
  ];
}

export interface StorageImage {
  readonly socPct: number;
  readonly maxChargeW: number;
  readonly maxChargeSf: number;
  readonly chargeStatus: number;
}

/** Fixed scale factors of the simulator's image: SoC in 0.1 %, rates in 0.01 %. */
export const SOC_SF = -1;
export const RATE_SF = -2;

/** A model 124 block holding 0 W (both bits, both rates 0); other points read "not implemented". */
export function encodeStorage(image: StorageImage): number[] {
  const block = new Array<number>(2 + STORAGE.length).fill(0xffff);
  block[0] = MODEL_ID.basicStorage;
  block[1] = STORAGE.length;
  block[STORAGE.WChaMax] = encodeScaled(image.maxChargeW, image.maxChargeSf, 'uint16', 'WChaMax');
  block[STORAGE.StorCtl_Mod] = STOR_CTL_MOD.charge | STOR_CTL_MOD.discharge;
  block[STORAGE.ChaState] = encodeScaled(image.socPct, SOC_SF, 'uint16', 'ChaState');
  block[STORAGE.ChaSt] = image.chargeStatus;
  block[STORAGE.OutWRte] = 0;
  block[STORAGE.InWRte] = 0;
  block[STORAGE.InOutWRte_WinTms] = 0;
  block[STORAGE.InOutWRte_RvrtTms] = 0;
  block[STORAGE.InOutWRte_RmpTms] = 0;
  for (const offset of [18, 19, 20, 21, 22, 23, 24, 25]) block[offset] = 0x8000; // the *_SF points
  block[STORAGE.WChaMax_SF] = encodeSunssf(image.maxChargeSf);
  block[STORAGE.ChaState_SF] = encodeSunssf(SOC_SF);
  block[STORAGE.InOutWRte_SF] = encodeSunssf(RATE_SF);
  return block;
}
