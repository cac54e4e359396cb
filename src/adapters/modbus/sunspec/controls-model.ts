/**
 * Model 123 (immediate inverter controls): the active-power limit used for PV curtailment.
 * WMaxLimPct (uint16, WMaxLimPct_SF) caps the output at a percentage of WMax (model 121, default
 * the rating WRtg of model 120) while WMaxLim_Ena is 1 (enabled).
 */
import { ModbusError } from '../modbus-errors.js';
import { CONTROLS, MODEL_ID, WMAX_LIM_ENA } from './sunspec-models.js';
import { applyScale, decodeEnum16, decodeSunssf, decodeUint16, encodeScaled, encodeSunssf } from './sunspec-points.js';

export interface OutputLimit {
  /** The cap in % of WMax; meaningful while `enabled`. */
  readonly limitPct: number;
  readonly enabled: boolean;
}

export interface ControlsReading extends OutputLimit {
  /** WMaxLimPct_SF, needed to encode a new limit. */
  readonly limitSf: number;
}

export const OUTPUT_LIMIT_PCT_MIN = 0;
export const OUTPUT_LIMIT_PCT_MAX = 100;

export function decodeControls(block: readonly number[]): ControlsReading {
  const raw = decodeUint16(block, CONTROLS.WMaxLimPct);
  const sf = decodeSunssf(block, CONTROLS.WMaxLimPct_SF);
  const ena = decodeEnum16(block, CONTROLS.WMaxLim_Ena);
  if (raw === undefined || sf === undefined || ena === undefined) {
    throw new ModbusError('not-implemented', 'SunSpec model 123 does not implement WMaxLimPct, WMaxLimPct_SF and WMaxLim_Ena');
  }
  return { limitPct: applyScale(raw, sf), enabled: ena === WMAX_LIM_ENA.enabled, limitSf: sf };
}

/** A write of consecutive registers, at an offset from the model's ID register. */
export interface BlockWrite {
  readonly offset: number;
  readonly values: readonly number[];
}

/**
 * The writes that cap the output at `limitPct` of WMax: the limit first, then the enable flag, so
 * the device never enables a stale limit. 100 % disables the limit (full output).
 */
export function encodeOutputLimit(limitPct: number, sf: number): BlockWrite[] {
  if (!(limitPct >= OUTPUT_LIMIT_PCT_MIN && limitPct <= OUTPUT_LIMIT_PCT_MAX)) {
    throw new ModbusError('out-of-range', `PV output limit must be ${OUTPUT_LIMIT_PCT_MIN}..${OUTPUT_LIMIT_PCT_MAX} %, got ${limitPct}`);
  }
  const enable = limitPct < OUTPUT_LIMIT_PCT_MAX ? WMAX_LIM_ENA.enabled : WMAX_LIM_ENA.disabled;
  return [
    { offset: CONTROLS.WMaxLimPct, values: [encodeScaled(limitPct, sf, 'uint16', 'WMaxLimPct')] },
    { offset: CONTROLS.WMaxLim_Ena, values: [enable] },
  ];
}

/** A model 123 block with the limit disabled at 100 %; other points read "not implemented". */
export function encodeControls(limit: OutputLimit, sf: number): number[] {
  const block = new Array<number>(2 + CONTROLS.length).fill(0xffff);
  block[0] = MODEL_ID.immediateControls;
  block[1] = CONTROLS.length;
  block[CONTROLS.WMaxLimPct] = encodeScaled(limit.limitPct, sf, 'uint16', 'WMaxLimPct');
  block[CONTROLS.WMaxLimPct_WinTms] = 0;
  block[CONTROLS.WMaxLimPct_RvrtTms] = 0;
  block[CONTROLS.WMaxLimPct_RmpTms] = 0;
  block[CONTROLS.WMaxLim_Ena] = limit.enabled ? WMAX_LIM_ENA.enabled : WMAX_LIM_ENA.disabled;
  block[CONTROLS.WMaxLimPct_SF] = encodeSunssf(sf);
  for (const offset of [15, 16, 17, 24, 25]) block[offset] = 0x8000; // int16 VAr points and the other SFs
  block[10] = 0x8000; // OutPFSet, int16
  return block;
}
