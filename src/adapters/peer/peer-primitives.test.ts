import { describe, expect, it } from 'vitest';
import { canonicalJson, isJsonValue } from './canonical-json.js';
import { DedupeWindow } from './dedupe-window.js';
import { signEnvelope, verifyEnvelope } from './envelope-signing.js';
import { resolvePeerLimits } from './peer-limits.js';
import { nodeKey } from './peer-test-kit.fixture.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import { ValidatorSet } from './validator-set.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined fields and round-trips through JSON.parse', () => {
    const value = { b: [3, { z: 1, a: -0 }], a: 'é"\n', c: undefined, d: null, e: true, f: 1.5e-7 };
    const text = canonicalJson(value);
    expect(text).toBe('{"a":"é\\"\\n","b":[3,{"a":0,"z":1}],"d":null,"e":true,"f":1.5e-7}');
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(canonicalJson(JSON.parse('{ "z" : 1 , "a" : [ ] }'))).toBe('{"a":[],"z":1}');
  });

  it('refuses what is not plain, finite, shallow JSON', () => {
    expect(isJsonValue(Number.NaN)).toBe(false);
    expect(isJsonValue({ when: new Date(0) })).toBe(false);
    expect(isJsonValue([1n])).toBe(false);
    expect(isJsonValue(undefined)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(isJsonValue(deep)).toBe(false);
    expect(isJsonValue(JSON.parse('{"__proto__":{"x":1}}'))).toBe(true);
  });
});

describe('envelope signatures', () => {
  it('verify for the signer only, and not after any change', () => {
    const alice = nodeKey('alice');
    const envelope = signEnvelope({ v: 1, from: alice.did, topic: 't', seq: 1, sentAtMs: 2, body: { a: [1, 2] } }, alice.privateKey);
    expect(verifyEnvelope(envelope, alice.publicKey)).toBe(true);
    expect(verifyEnvelope(JSON.parse(JSON.stringify(envelope)), alice.publicKey)).toBe(true);
    expect(verifyEnvelope({ ...envelope, seq: 2 }, alice.publicKey)).toBe(false);
    expect(verifyEnvelope({ ...envelope, body: { a: [1, 3] } }, alice.publicKey)).toBe(false);
    expect(verifyEnvelope(envelope, nodeKey('bob').publicKey)).toBe(false);
    expect(verifyEnvelope({ ...envelope, sig: 'x' }, alice.publicKey)).toBe(false);
  });
});

describe('DedupeWindow', () => {
  it('accepts each seq once, at or above the floor and within the window', () => {
    const w = new DedupeWindow(4, 10);
    expect([10, 12, 11, 12, 9].map((s) => w.check(s))).toEqual(['new', 'new', 'new', 'duplicate', 'stale']);
    expect(w.check(20)).toBe('new');
    expect(w.check(16)).toBe('stale');
    expect(w.check(17)).toBe('new');
    w.restart(100);
    expect([20, 100, 100].map((s) => w.check(s))).toEqual(['stale', 'new', 'duplicate']);
  });
});

describe('reconnect backoff', () => {
  it('doubles from initialMs up to maxMs, with bounded jitter', () => {
    const policy = { initialMs: 100, maxMs: 1_000, jitter: 0 };
    expect([0, 1, 2, 3, 4, 50].map((a) => reconnectDelayMs(policy, a))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const jittered = { ...policy, jitter: 0.2 };
    expect(reconnectDelayMs(jittered, 0, () => 0)).toBe(80);
    expect(reconnectDelayMs(jittered, 0, () => 0.999_999)).toBe(120);
  });

  it('limits are checked', () => {
    expect(() => resolvePeerLimits({ maxMessageBytes: 100 })).toThrow(/at least 4096/);
    expect(() => resolvePeerLimits({ reconnect: { initialMs: 10, maxMs: 5 } })).toThrow(/maxMs/);
    expect(() => resolvePeerLimits({ reconnect: { jitter: 1 } })).toThrow(/jitter/);
    expect(resolvePeerLimits().maxMessageBytes).toBe(65_536);
  });
});

describe('ValidatorSet', () => {
  it('orders addresses ascending and encodes bitmaps by that order', () => {
    const set = new ValidatorSet(['0x00000000000000000000000000000000000000ff', '0x0000000000000000000000000000000000000001']);
    expect(set.addresses).toEqual(['0x0000000000000000000000000000000000000001', '0x00000000000000000000000000000000000000ff']);
    expect(set.threshold).toBe(2);
    const bitmap = set.bitmap(['0x00000000000000000000000000000000000000FF']);
    expect(bitmap).toBe('02');
    expect([ValidatorSet.has(bitmap, 0), ValidatorSet.has(bitmap, 1), ValidatorSet.has('zz', 1)]).toEqual([false, true, false]);
  });
});
