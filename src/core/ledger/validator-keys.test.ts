import { describe, expect, it } from 'vitest';
import { LedgerError } from './ledger-errors.js';
import { compareAddresses, simValidatorKey, validatorKey } from './validator-keys.js';

describe('validator keys', () => {
  it('derives the same simulation key from the same seed and name', () => {
    const a = simValidatorKey(42, 'riverside-v1');
    expect(simValidatorKey(42, 'riverside-v1')).toEqual(a);
    expect(a.id).toBe('riverside-v1');
    expect(a.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });

  it('derives different keys for another seed or another name', () => {
    const a = simValidatorKey(42, 'riverside-v1');
    expect(simValidatorKey(43, 'riverside-v1').address).not.toBe(a.address);
    expect(simValidatorKey(42, 'riverside-v2').address).not.toBe(a.address);
  });

  it('derives the address of a well-known key', () => {
    // Hardhat's first default account.
    const k = validatorKey('hh0', '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    expect(k.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  });

  it('orders addresses as numbers, whatever their checksum case', () => {
    expect(compareAddresses('0xAbc0000000000000000000000000000000000000', '0xabd0000000000000000000000000000000000000')).toBe(-1);
    expect(compareAddresses('0xABC0000000000000000000000000000000000000', '0xabc0000000000000000000000000000000000000')).toBe(0);
  });

  it('error: rejects a private key that is not 32 bytes or out of range', () => {
    expect(() => validatorKey('x', '0x1234')).toThrow(LedgerError);
    expect(() => validatorKey('x', `0x${'00'.repeat(32)}`)).toThrow(/outside the secp256k1 range/);
    expect(() => validatorKey('x', `0x${'ff'.repeat(32)}`)).toThrow(/outside/);
  });
});
