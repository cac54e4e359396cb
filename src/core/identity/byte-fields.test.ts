import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readInt32, readUint16, readUint32, writeInt32, writeUint16, writeUint32, writeUint8 } from './byte-fields.js';
import { SignedMessageError } from './identity-errors.js';

describe('big-endian byte fields', () => {
  it('writes uint32 most significant byte first and reads it back', () => {
    const bytes = new Uint8Array(4);
    writeUint32(bytes, 0, 0x01020304, 'slot');
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (value) => {
      writeUint32(bytes, 0, value, 'x');
      expect(readUint32(bytes, 0)).toBe(value);
    }));
  });

  it('round-trips int32 (two\'s complement) and uint16', () => {
    const bytes = new Uint8Array(4);
    writeInt32(bytes, 0, -2, 'price');
    expect([...bytes]).toEqual([0xff, 0xff, 0xff, 0xfe]);
    fc.assert(fc.property(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), (value) => {
      writeInt32(bytes, 0, value, 'x');
      expect(readInt32(bytes, 0)).toBe(value);
    }));
    writeUint16(bytes, 1, 0xabcd, 'length');
    expect(readUint16(bytes, 1)).toBe(0xabcd);
  });

  it('error: names the field of an out-of-range or fractional value', () => {
    const bytes = new Uint8Array(4);
    expect(() => writeUint32(bytes, 0, -1, 'importWh')).toThrow(SignedMessageError);
    expect(() => writeUint32(bytes, 0, 2 ** 32, 'importWh')).toThrow(/importWh: expected an integer from 0 to 4294967295/);
    expect(() => writeInt32(bytes, 0, 1.5, 'price')).toThrow(/price/);
    expect(() => writeUint8(bytes, 0, 5, 'priority', 4)).toThrow(/priority: expected an integer from 0 to 4 \(got 5\)/);
    expect(() => writeUint16(bytes, 0, Number.NaN, 'n')).toThrow(/got NaN/);
  });
});
