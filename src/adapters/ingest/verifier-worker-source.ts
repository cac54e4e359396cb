/**
 * The code of a signature-verification worker, as a plain JS string run with
 * `new Worker(source, { eval: true })`. Plain JS in a string works the same under vitest/tsx (from
 * TypeScript sources) and from the compiled dist, with no worker file to locate or compile.
 * It loads built-ins with `process.getBuiltinModule` (Node >= 20.16), not `require`: an eval
 * worker inherits the parent's execArgv, and under `--input-type=module` it runs as ES module code,
 * where `require` does not exist.
 *
 * Protocol: the main thread posts { id, buffer } where buffer (an ArrayBuffer, transferred) holds
 * whole records of workerData.recordBytes bytes; the worker replies { id, results } where results
 * (an ArrayBuffer, transferred) holds one byte per record, 1 = signature valid, 0 = not (or not
 * the expected format byte), or { id, error } for a batch that is not a whole number of records.
 * Public KeyObjects are cached per worker (bounded, oldest evicted first).
 */
export const VERIFIER_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { createPublicKey, verify } = process.getBuiltinModule('node:crypto');
const { Buffer } = process.getBuiltinModule('node:buffer');
const { recordBytes, messageBytes, formatByte, keyOffset, keyCacheSize } = workerData;
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();

function keyAt(records, offset) {
  const start = offset + keyOffset;
  const id = records.toString('latin1', start, start + 32);
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, records.subarray(start, start + 32)]), format: 'der', type: 'spki' });
    if (keys.size >= keyCacheSize) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}

function verifyAt(records, offset) {
  if (records[offset] !== formatByte) return 0;
  try {
    const message = records.subarray(offset, offset + messageBytes);
    const signature = records.subarray(offset + messageBytes, offset + recordBytes);
    return verify(null, message, keyAt(records, offset), signature) ? 1 : 0;
  } catch {
    return 0;
  }
}

parentPort.on('message', (job) => {
  const records = Buffer.from(job.buffer);
  if (records.length % recordBytes !== 0) {
    parentPort.postMessage({ id: job.id, error: 'a batch of ' + records.length + ' bytes is not a whole number of ' + recordBytes + '-byte records' });
    return;
  }
  const results = new Uint8Array(records.length / recordBytes);
  for (let i = 0; i < results.length; i++) results[i] = verifyAt(records, i * recordBytes);
  parentPort.postMessage({ id: job.id, results: results.buffer }, [results.buffer]);
});
`;
