import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base58btcDecode, base58btcEncode } from './base58btc.js';
import { DidError } from './identity-errors.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('base58btc', () => {
  it('encodes the Bitcoin test vectors', () => {
    expect(base58btcEncode(new TextEncoder().encode('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(base58btcEncode(hex('00000000000000000000'))).toBe('1111111111');
    expect(base58btcEncode(hex('00eb15231dfceb60925886b67d065299925915aeb172c06647'))).toBe('1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L');
    expect(base58btcEncode(new Uint8Array())).toBe('');
  });

  it('decodes what it encodes, keeping leading zero bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(base58btcDecode(base58btcEncode(bytes))).toEqual(bytes);
    }));
  });

  it('error: rejects characters outside the alphabet, naming the character', () => {
    expect(() => base58btcDecode('abc0')).toThrow(DidError);
    expect(() => base58btcDecode('abcO')).toThrow(/"O" at 3/);
  });

  it('error: rejects over-long input', () => {
    expect(() => base58btcDecode('z'.repeat(300))).toThrow(/at most 256 characters/);
    expect(() => base58btcEncode(new Uint8Array(300))).toThrow(/at most 256 bytes/);
  });
});
