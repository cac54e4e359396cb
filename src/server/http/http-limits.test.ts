import { describe, expect, it } from 'vitest';
import { HTTP_LIMITS_DEFAULT, resolveHttpLimits } from './http-limits.js';

describe('resolveHttpLimits', () => {
  it('fills in the defaults', () => {
    expect(resolveHttpLimits()).toEqual({ bodyBytesMax: 16_384, wsClientsMax: 64, wsBufferedBytesMax: 1_048_576, historyMax: 2000 });
    expect(resolveHttpLimits({ historyMax: 10 })).toEqual({ ...HTTP_LIMITS_DEFAULT, historyMax: 10 });
  });

  it('error: a limit that is not a positive integer is a config error naming the key', () => {
    expect(() => resolveHttpLimits({ wsClientsMax: 0 })).toThrow(/limits.wsClientsMax/);
    expect(() => resolveHttpLimits({ bodyBytesMax: 1.5 })).toThrow(/limits.bodyBytesMax/);
  });
});
