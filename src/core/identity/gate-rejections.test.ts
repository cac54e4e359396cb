import { describe, expect, it } from 'vitest';
import { GateRejections, REJECT_REASONS } from './gate-rejections.js';
import { aDevice } from './identity.fixture.js';

describe('gate rejections', () => {
  it('counts every reason, acceptances and over-authorised acceptances', () => {
    const log = new GateRejections(10);
    log.accepted(false);
    log.accepted(true);
    for (const reason of REJECT_REASONS) log.reject(reason, null, null);
    const counts = log.snapshot();
    expect(counts.accepted).toBe(2);
    expect(counts.overAuthorised).toBe(1);
    expect(Object.values(counts.rejected)).toEqual(REJECT_REASONS.map(() => 1));
  });

  it('keeps only the last N rejections, oldest first', () => {
    const log = new GateRejections(3);
    for (let slot = 0; slot < 5; slot++) log.reject('replay', 'did:key:z6Mkx', slot);
    expect(log.entries().map((e) => e.slot)).toEqual([2, 3, 4]);
    expect(log.snapshot().rejected.replay).toBe(5);
  });

  it('names a device given by its raw key by its DID, copying the key', () => {
    const log = new GateRejections();
    const device = aDevice();
    const key = device.publicKeyRaw.slice();
    log.reject('unknown-device', key, 7);
    key.fill(0);
    expect(log.entries()).toEqual([{ device: device.did, slot: 7, reason: 'unknown-device' }]);
  });

  it('can keep no log at all, and returns copies of the counters', () => {
    const log = new GateRejections(0);
    log.reject('malformed', null, null);
    expect(log.entries()).toEqual([]);
    const snapshot = log.snapshot();
    snapshot.rejected.malformed = 99;
    expect(log.snapshot().rejected.malformed).toBe(1);
  });

  it('error: rejects a log size outside 0..1,000,000', () => {
    expect(() => new GateRejections(-1)).toThrow(/rejectionLogSize/);
    expect(() => new GateRejections(2_000_000)).toThrow(/rejectionLogSize/);
  });
});
