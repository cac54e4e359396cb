/**
 * Decoding and encoding of SunSpec point types (SunSpec Information Model, "Data types"): 16-bit
 * registers, big-endian, 32-bit values high word first. Each type reserves one raw value for "not
 * implemented"; decoders return `undefined` for it and callers decide whether that is an error.
 * Scaled points carry an integer scale factor (`sunssf`, -10..10): value = raw × 10^sf.
 */
import { ModbusError } from '../modbus-errors.js';

/** The raw values SunSpec reserves for "not implemented", per point type. */
export const NOT_IMPLEMENTED = {
  uint16: 0xffff,
  int16: 0x8000,
  sunssf: 0x8000,
  enum16: 0xffff,
  bitfield16: 0xffff,
  /** An accumulator that is not implemented reads 0 (the spec reserves 0, not 0xFFFFFFFF). */
  acc32: 0,
} as const;

export const SCALE_FACTOR_MIN = -10;
export const SCALE_FACTOR_MAX = 10;

/** Largest and smallest raw values that are not the "not implemented" marker. */
const UINT16_MAX_VALID = 0xfffe;
const INT16_MIN_VALID = -0x7fff;
const INT16_MAX_VALID = 0x7fff;

function register(registers: readonly number[], offset: number): number {
  const raw = registers[offset];
  if (raw === undefined || !Number.isInteger(raw) || raw < 0 || raw > 0xffff) {
    throw new ModbusError('bad-image', `register at offset ${offset} is missing or not a 16-bit value`);
  }
  return raw;
}

export function decodeUint16(registers: readonly number[], offset: number): number | undefined {
  const raw = register(registers, offset);
  return raw === NOT_IMPLEMENTED.uint16 ? undefined : raw;
}

export function decodeInt16(registers: readonly number[], offset: number): number | undefined {
  const raw = register(registers, offset);
  if (raw === NOT_IMPLEMENTED.int16) return undefined;
  return raw >= 0x8000 ? raw - 0x10000 : raw;
}

/** enum16 and bitfield16 share the uint16 layout and marker. */
export const decodeEnum16 = decodeUint16;
export const decodeBitfield16 = decodeUint16;

export function decodeAcc32(registers: readonly number[], offset: number): number | undefined {
  const value = register(registers, offset) * 0x10000 + register(registers, offset + 1);
  return value === NOT_IMPLEMENTED.acc32 ? undefined : value;
}

/** A scale factor; values outside -10..10 are treated as a malformed image. */
export function decodeSunssf(registers: readonly number[], offset: number): number | undefined {
  const sf = decodeInt16(registers, offset);
  if (sf === undefined) return undefined;
  if (sf < SCALE_FACTOR_MIN || sf > SCALE_FACTOR_MAX) {
    throw new ModbusError('bad-image', `scale factor ${sf} at offset ${offset} is outside ${SCALE_FACTOR_MIN}..${SCALE_FACTOR_MAX}`);
  }
  return sf;
}

/** A string point of `sizeRegisters` registers (2 ASCII chars each, NUL padded); all zero = not implemented. */
export function decodeString(registers: readonly number[], offset: number, sizeRegisters: number): string | undefined {
  let text = '';
  for (let i = 0; i < sizeRegisters; i++) {
    const raw = register(registers, offset + i);
    text += String.fromCharCode(raw >> 8, raw & 0xff);
  }
  const end = text.indexOf('\0');
  const trimmed = (end === -1 ? text : text.slice(0, end)).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** raw × 10^sf, computed so that e.g. 1234 × 10^-1 is exactly 123.4. */
export function applyScale(raw: number, sf: number): number {
  return sf >= 0 ? raw * 10 ** sf : raw / 10 ** -sf;
}

export type ScaledType = 'uint16' | 'int16';

/** The raw register value for `value` under scale factor `sf`; out-of-range values are a typed error. */
export function encodeScaled(value: number, sf: number, type: ScaledType, point: string): number {
  if (!Number.isFinite(value)) throw new ModbusError('out-of-range', `${point} must be a finite number, got ${value}`);
  const raw = Math.round(sf >= 0 ? value / 10 ** sf : value * 10 ** -sf);
  const [min, max] = type === 'uint16' ? [0, UINT16_MAX_VALID] : [INT16_MIN_VALID, INT16_MAX_VALID];
  if (raw < min || raw > max) {
    throw new ModbusError('out-of-range', `${point} ${value} does not fit a ${type} with scale factor ${sf}`, {
      details: [`raw ${raw} outside ${min}..${max}`],
    });
  }
  return raw < 0 ? raw + 0x10000 : raw;
}

/** The smallest scale factor >= `sfMin` under which `maxAbs` fits the type (for building images). */
export function scaleFactorFor(maxAbs: number, type: ScaledType, sfMin = 0): number {
  const limit = type === 'uint16' ? UINT16_MAX_VALID : INT16_MAX_VALID;
  for (let sf = sfMin; sf <= SCALE_FACTOR_MAX; sf++) {
    if (Math.abs(maxAbs) / 10 ** sf <= limit) return sf;
  }
  throw new ModbusError('out-of-range', `${maxAbs} does not fit a ${type} under any scale factor`);
}

export function encodeSunssf(sf: number): number {
  if (!Number.isInteger(sf) || sf < SCALE_FACTOR_MIN || sf > SCALE_FACTOR_MAX) {
    throw new ModbusError('out-of-range', `scale factor ${sf} is outside ${SCALE_FACTOR_MIN}..${SCALE_FACTOR_MAX}`);
  }
  return sf < 0 ? sf + 0x10000 : sf;
}

export function encodeAcc32(value: number): [number, number] {
  const wrapped = Math.floor(value) % 0x1_0000_0000;
  return [Math.floor(wrapped / 0x10000), wrapped % 0x10000];
}

/** ASCII text into `sizeRegisters` registers, NUL padded; longer text is a typed error. */
export function encodeString(text: string, sizeRegisters: number, point: string): number[] {
  if (text.length > sizeRegisters * 2 || !/^[\x20-\x7e]*$/.test(text)) {
    throw new ModbusError('out-of-range', `${point} must be printable ASCII of at most ${sizeRegisters * 2} characters`);
  }
  const out: number[] = [];
  for (let i = 0; i < sizeRegisters; i++) {
    out.push(((text.charCodeAt(2 * i) || 0) << 8) | (text.charCodeAt(2 * i + 1) || 0));
  }
  return out;
}
