import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { aDevice, aReading, anOrder } from '../../core/identity/identity.fixture.js';
import { signReading } from '../../core/identity/signed-reading.js';
import { IngestWorkerError } from './ingest-errors.js';
import { ParallelOrderVerifier, ParallelReadingVerifier, type ParallelSignatureVerifier } from './parallel-signature-verifier.js';
import { VERIFIER_WORKER_SOURCE } from './verifier-worker-source.js';

const devices = [aDevice('a'), aDevice('b'), aDevice('c')];
const open: ParallelSignatureVerifier[] = [];
const track = <T extends ParallelSignatureVerifier>(verifier: T): T => {
  open.push(verifier);
  return verifier;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

function forged(slot: number): Uint8Array {
  return signReading(aDevice('forger').privateKey, { deviceKey: devices[0]!.publicKeyRaw, slot, importWh: 1, exportWh: 0, peakPowerW: 10 });
}

describe('parallel signature verifier', () => {
  it('verifies a batch of readings on worker threads, one result per reading in input order', async () => {
    const verifier = track(new ParallelReadingVerifier({ threads: 2, maxBatchRecords: 7 }));
    const records = Array.from({ length: 50 }, (_, i) => (i % 5 === 3 ? forged(i) : aReading(devices[i % 3]!, { slot: i })));
    const results = await verifier.verify(records);
    expect([...results]).toEqual(records.map((_, i) => (i % 5 === 3 ? 0 : 1)));
  });

  it('marks records of the wrong length or format invalid', async () => {
    const verifier = track(new ParallelReadingVerifier({ threads: 1 }));
    const good = aReading(devices[0]!);
    const otherFormat = good.slice();
    otherFormat[0] = 0x12;
    const results = await verifier.verify([good.subarray(0, 100), good, otherFormat, anOrder(devices[1]!)]);
    expect([...results]).toEqual([0, 1, 0, 0]);
    expect([...(await verifier.verify([]))]).toEqual([]);
  });

  it('verifies records packed back to back, and leaves the caller\'s buffer usable', async () => {
    const verifier = track(new ParallelReadingVerifier({ threads: 2, maxBatchRecords: 2 }));
    const records = [aReading(devices[0]!), forged(3), aReading(devices[1]!), aReading(devices[2]!), aReading(devices[0]!, { slot: 11 })];
    const packed = new Uint8Array(records.length * 113);
    records.forEach((r, i) => packed.set(r, i * 113));
    expect([...(await verifier.verifyPacked(packed))]).toEqual([1, 0, 1, 1, 1]);
    expect(packed.subarray(0, 113)).toEqual(records[0]);
  });

  it('verifies orders with the order layout', async () => {
    const verifier = track(new ParallelOrderVerifier({ threads: 1 }));
    const order = anOrder(devices[0]!);
    const tampered = order.slice();
    tampered[45]! ^= 1;
    expect([...(await verifier.verify([order, tampered, aReading(devices[0]!)]))]).toEqual([1, 0, 0]);
  });

  it('error: a malformed packed batch fails with a typed error, and the verifier keeps working', async () => {
    const verifier = track(new ParallelReadingVerifier({ threads: 1 }));
    const error = await verifier.verifyPacked(new Uint8Array(113 + 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestWorkerError);
    expect(error).toMatchObject({ reason: 'bad-batch' });
    expect((error as Error).message).toMatch(/not a whole number of 113-byte records/);
    expect([...(await verifier.verify([aReading(devices[0]!)]))]).toEqual([1]);
  });

  it('error: a crashing worker fails its pending batches and is replaced', async () => {
    const handler = "parentPort.on('message', (job) => {";
    expect(VERIFIER_WORKER_SOURCE).toContain(handler);
    const crashOnMarker = VERIFIER_WORKER_SOURCE.replace(handler, `${handler} if (new Uint8Array(job.buffer)[1] === 0xff) throw new Error('boom');`);
    const verifier = track(new ParallelReadingVerifier({ threads: 1, workerSource: crashOnMarker }));
    const poison = aReading(devices[0]!).slice();
    poison[1] = 0xff;
    const error = await verifier.verify([poison]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IngestWorkerError', reason: 'worker-failed' });
    expect((error as Error).message).toMatch(/boom/);
    expect([...(await verifier.verify([aReading(devices[1]!)]))]).toEqual([1]);
  });

  it('close() fails pending and later calls with a typed error, and can be called twice', async () => {
    const verifier = new ParallelReadingVerifier({ threads: 2 });
    const pending = verifier.verify(Array.from({ length: 200 }, (_, i) => aReading(devices[0]!, { slot: i })));
    const failed = expect(pending).rejects.toMatchObject({ reason: 'closed' });
    await verifier.close();
    await failed;
    await expect(verifier.verify([aReading(devices[0]!)])).rejects.toMatchObject({ reason: 'closed' });
    await verifier.close();
  });

  it('error: rejects bad options and calls beyond the per-call bound', async () => {
    expect(() => new ParallelReadingVerifier({ threads: 0 })).toThrow(IngestWorkerError);
    expect(() => new ParallelReadingVerifier({ maxBatchRecords: 1.5 })).toThrow(/maxBatchRecords/);
    const verifier = track(new ParallelReadingVerifier({ threads: 1, maxRecordsPerCall: 2 }));
    await expect(verifier.verify([aReading(devices[0]!), aReading(devices[0]!), aReading(devices[0]!)])).rejects.toMatchObject({ reason: 'too-many-records' });
  });

  it('runs its workers under an ES-module parent and lets the process exit without close()', () => {
    const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
    const script = `
      import { ParallelReadingVerifier } from ${JSON.stringify(here('./parallel-signature-verifier.ts'))};
      import { aDevice, aReading } from ${JSON.stringify(here('../../core/identity/identity.fixture.ts'))};
      const verifier = new ParallelReadingVerifier({ threads: 2 });
      console.log([...await verifier.verify([aReading(aDevice())])].join(','));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('1');
    expect(child.status).toBe(0);
  });
});
