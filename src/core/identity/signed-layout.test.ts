import { describe, expect, it } from 'vitest';
import { SignedMessageError } from './identity-errors.js';
import { deriveKeyPair } from './key-pair.js';
import { assertLayout, layoutProblem, signedLayout, signRecord, verifyRecord } from './signed-layout.js';

const layout = signedLayout('thing', 0x71, 4);
const pair = deriveKeyPair(1, 'signer');

describe('signed record layout', () => {
  it('sizes a record as format byte + key + fields + 64-byte signature', () => {
    expect(layout).toEqual({ kind: 'thing', formatByte: 0x71, messageBytes: 37, recordBytes: 101 });
  });

  it('appends a signature that verifies over the message bytes only', () => {
    const message = new Uint8Array(37);
    message[0] = 0x71;
    const record = signRecord(pair.privateKey, message, layout);
    expect(record).toHaveLength(101);
    expect(verifyRecord(record, pair.publicKey, layout)).toBe(true);
    record[36] = 1;
    expect(verifyRecord(record, pair.publicKey, layout)).toBe(false);
  });

  it('error: names a wrong length before a wrong format byte', () => {
    expect(layoutProblem(new Uint8Array(100), layout)).toBe('a signed thing is 101 bytes (got 100)');
    expect(layoutProblem(new Uint8Array(101), layout)).toBe('a signed thing starts with format byte 0x71 (got 0x00)');
    expect(() => assertLayout(new Uint8Array(3), layout)).toThrow(SignedMessageError);
  });
});
