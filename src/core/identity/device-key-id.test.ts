import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyIdAt, keyIdOf } from './device-key-id.js';

describe('device key ids', () => {
  it('is the same for a key inside a record and the key on its own', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const record = new Uint8Array(113);
    record.set(key, 1);
    expect(keyIdAt(record.subarray(0), 1)).toBe(keyIdOf(key));
    expect(keyIdAt(record.subarray(1), 0)).toBe(keyIdOf(key));
  });

  it('differs for keys that differ in any byte', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(31), fc.integer({ min: 1, max: 255 }), (key, at, delta) => {
      const other = key.slice();
      other[at] = (other[at]! + delta) & 0xff;
      expect(keyIdOf(other)).not.toBe(keyIdOf(key));
      expect(keyIdOf(key)).toHaveLength(32);
    }));
  });
});
