import { afterAll, describe, expect, it } from 'vitest';
import { aDevice, aReading, aReadingGate, anOrder, anOrderGate } from '../../core/identity/identity.fixture.js';
import { signReading } from '../../core/identity/signed-reading.js';
import { ingestInParallel } from './parallel-ingest.js';
import { ParallelOrderVerifier, ParallelReadingVerifier } from './parallel-signature-verifier.js';

const readings = new ParallelReadingVerifier({ threads: 2, maxBatchRecords: 16 });
const orders = new ParallelOrderVerifier({ threads: 1 });
afterAll(async () => {
  await readings.close();
  await orders.close();
});

const meters = Array.from({ length: 40 }, (_, i) => aDevice(`house-${i}/meter`));
const outcomeOf = (o: { accepted: boolean; reason?: string }) => (o.accepted ? 'accepted' : o.reason);

describe('parallel ingest', () => {
  it('accepts a slot of readings verified on workers, with the same outcomes as the serial gate', async () => {
    const records = meters.map((m) => aReading(m, { slot: 10 }));
    const forged = signReading(aDevice('forger').privateKey, { deviceKey: meters[0]!.publicKeyRaw, slot: 10, importWh: 1, exportWh: 0, peakPowerW: 10 });
    const batch = [forged, ...records, records[3]!, aReading(aDevice('stranger')), new Uint8Array(7)];
    const parallel = await ingestInParallel(await aReadingGate(meters), readings, batch, 10);
    const serialGate = await aReadingGate(meters);
    const serial = batch.map((bytes) => serialGate.ingestReading(bytes, 10));
    expect(parallel.map(outcomeOf)).toEqual(serial.map(outcomeOf));
    expect(parallel.map(outcomeOf)).toEqual(['bad-signature', ...meters.map(() => 'accepted'), 'replay', 'unknown-device', 'malformed']);
  });

  it('ingests orders the same way', async () => {
    const participants = meters.slice(0, 3);
    const gate = await anOrderGate(participants);
    const batch = participants.map((p) => anOrder(p, { orderSeq: 1 }));
    const outcomes = await ingestInParallel(gate, orders, [...batch, batch[0]!], 10);
    expect(outcomes.map(outcomeOf)).toEqual(['accepted', 'accepted', 'accepted', 'replay']);
  });
});
