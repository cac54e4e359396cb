/**
 * Models 101/102/103 (integer inverter): AC power W (int16, W_SF) and lifetime energy WH (acc32,
 * WH_SF). Power is positive when the inverter feeds the AC side (production).
 */
import { ModbusError } from '../modbus-errors.js';
import { INVERTER } from './sunspec-models.js';
import { applyScale, decodeAcc32, decodeInt16, decodeSunssf, encodeAcc32, encodeScaled, encodeSunssf } from './sunspec-points.js';

export interface InverterReading {
  /** AC power, W; positive = production. */
  readonly acPowerW: number;
  /** Lifetime AC energy, Wh; undefined when the device does not implement WH. */
  readonly lifetimeEnergyWh: number | undefined;
}

export function decodeInverter(block: readonly number[]): InverterReading {
  const raw = decodeInt16(block, INVERTER.W);
  const sf = decodeSunssf(block, INVERTER.W_SF);
  if (raw === undefined || sf === undefined) {
    throw new ModbusError('not-implemented', `SunSpec inverter point ${raw === undefined ? 'W' : 'W_SF'} is not implemented`);
  }
  const whRaw = decodeAcc32(block, INVERTER.WH);
  const whSf = decodeSunssf(block, INVERTER.WH_SF);
  return {
    acPowerW: applyScale(raw, sf),
    lifetimeEnergyWh: whRaw === undefined || whSf === undefined ? undefined : applyScale(whRaw, whSf),
  };
}

export interface InverterImage {
  readonly modelId: number;
  readonly acPowerW: number;
  readonly powerSf: number;
  readonly lifetimeEnergyWh: number;
  /** St, enum16 operating state (4 = MPPT). */
  readonly state: number;
}

/** Offsets of the int16 and sunssf points of models 101-103, whose "not implemented" value is 0x8000. */
const INT16_OR_SF_OFFSETS: readonly number[] = [6, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 26, 28, 30, 31, 32, 33, 34, 35, 36, 37];

/** Points not set here read "not implemented": 0x8000 for int16/sunssf, 0xFFFF for the rest. */
export function encodeInverter(image: InverterImage): number[] {
  const block = new Array<number>(2 + INVERTER.length).fill(0xffff);
  block[0] = image.modelId;
  block[1] = INVERTER.length;
  for (const offset of INT16_OR_SF_OFFSETS) block[offset] = 0x8000;
  block[INVERTER.W] = encodeScaled(image.acPowerW, image.powerSf, 'int16', 'W');
  block[INVERTER.W_SF] = encodeSunssf(image.powerSf);
  const [hi, lo] = encodeAcc32(image.lifetimeEnergyWh);
  block[INVERTER.WH] = hi;
  block[INVERTER.WH + 1] = lo;
  block[INVERTER.WH_SF] = encodeSunssf(0);
  block[INVERTER.St] = image.state;
  return block;
}
