/** Model 1 (common): who made the device. Decoding for the client, encoding for the simulator. */
import { ModbusError } from '../modbus-errors.js';
import { COMMON, MODEL_ID } from './sunspec-models.js';
import { decodeString, encodeString } from './sunspec-points.js';

export interface DeviceIdentity {
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  /** Firmware version (Vr), empty when not implemented. */
  readonly version: string;
}

/** `block` starts at the model ID register. Mn, Md and SN are mandatory. */
export function decodeCommon(block: readonly number[]): DeviceIdentity {
  const mandatory = (name: 'Mn' | 'Md' | 'SN'): string => {
    const value = decodeString(block, COMMON[name].offset, COMMON[name].size);
    if (value === undefined) throw new ModbusError('not-implemented', `SunSpec model 1 point ${name} is empty`);
    return value;
  };
  return {
    manufacturer: mandatory('Mn'),
    model: mandatory('Md'),
    serialNumber: mandatory('SN'),
    version: decodeString(block, COMMON.Vr.offset, COMMON.Vr.size) ?? '',
  };
}

export function encodeCommon(identity: DeviceIdentity, unitId: number): number[] {
  const block = new Array<number>(2 + COMMON.length).fill(0);
  block[0] = MODEL_ID.common;
  block[1] = COMMON.length;
  block.splice(COMMON.Mn.offset, COMMON.Mn.size, ...encodeString(identity.manufacturer, COMMON.Mn.size, 'Mn'));
  block.splice(COMMON.Md.offset, COMMON.Md.size, ...encodeString(identity.model, COMMON.Md.size, 'Md'));
  block.splice(COMMON.Vr.offset, COMMON.Vr.size, ...encodeString(identity.version, COMMON.Vr.size, 'Vr'));
  block.splice(COMMON.SN.offset, COMMON.SN.size, ...encodeString(identity.serialNumber, COMMON.SN.size, 'SN'));
  block[COMMON.DA] = unitId;
  return block;
}
