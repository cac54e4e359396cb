import { describe, expect, it } from 'vitest';
import { ModbusError } from '../modbus-errors.js';
import {
  applyScale, decodeAcc32, decodeInt16, decodeString, decodeSunssf, decodeUint16, encodeAcc32, encodeScaled, encodeString, encodeSunssf, scaleFactorFor,
} from './sunspec-points.js';

describe('SunSpec point codecs', () => {
  it('decodes int16 two-complement and uint16', () => {
    expect(decodeInt16([0xfffe], 0)).toBe(-2);
    expect(decodeInt16([0x7fff], 0)).toBe(32767);
    expect(decodeUint16([0xfffe], 0)).toBe(65534);
  });

  it('returns undefined for the not-implemented markers', () => {
    expect(decodeUint16([0xffff], 0)).toBeUndefined();
    expect(decodeInt16([0x8000], 0)).toBeUndefined();
    expect(decodeSunssf([0x8000], 0)).toBeUndefined();
    expect(decodeAcc32([0, 0], 0)).toBeUndefined();
    expect(decodeString([0, 0, 0], 0, 3)).toBeUndefined();
  });

  it('decodes acc32 high word first', () => {
    expect(decodeAcc32([0x0001, 0x0002], 0)).toBe(65538);
    expect(encodeAcc32(65538)).toEqual([1, 2]);
  });

  it('applies scale factors exactly', () => {
    expect(applyScale(1234, -1)).toBe(123.4);
    expect(applyScale(-15, 2)).toBe(-1500);
    expect(applyScale(7, 0)).toBe(7);
  });

  it('encodes scaled values and round-trips negative ones', () => {
    expect(encodeScaled(123.4, -1, 'uint16', 'x')).toBe(1234);
    const raw = encodeScaled(-25, -2, 'int16', 'x');
    expect(decodeInt16([raw], 0)).toBe(-2500);
    expect(decodeSunssf([encodeSunssf(-3)], 0)).toBe(-3);
  });

  it('error: a value that does not fit the point is out of range', () => {
    expect(() => encodeScaled(70_000, 0, 'uint16', 'W')).toThrow(ModbusError);
    expect(() => encodeScaled(-1, 0, 'uint16', 'W')).toThrow(/does not fit/);
    expect(() => encodeScaled(40_000, 0, 'int16', 'W')).toThrow(/does not fit/);
    expect(() => encodeScaled(Number.POSITIVE_INFINITY, 0, 'int16', 'W')).toThrow(/finite/);
  });

  it('error: a scale factor outside -10..10 is a malformed image', () => {
    expect(() => decodeSunssf([11], 0)).toThrow(/outside -10..10/);
  });

  it('chooses the smallest scale factor that fits', () => {
    expect(scaleFactorFor(5000, 'int16')).toBe(0);
    expect(scaleFactorFor(100_000, 'int16')).toBe(1);
    expect(scaleFactorFor(100_000, 'uint16')).toBe(1);
  });

  it('round-trips strings, NUL padded', () => {
    const registers = encodeString('Acme', 4, 'Mn');
    expect(registers).toEqual([0x4163, 0x6d65, 0, 0]);
    expect(decodeString(registers, 0, 4)).toBe('Acme');
    expect(() => encodeString('too long', 2, 'Mn')).toThrow(/at most 4/);
  });
});
