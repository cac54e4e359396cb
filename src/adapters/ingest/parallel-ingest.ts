/**
 * Ingests a slot's batch of signed records with the signatures verified on worker threads and
 * only the cheap checks on the main thread. Records that cannot be accepted whatever their
 * signature (malformed, or from a device without an admitted credential) are not sent to the
 * workers, so a flood of junk costs no verification. Outcomes are in input order, and the gate
 * sees the records in input order (replay checks depend on it).
 */
import type { DeviceRegistry } from '../../core/identity/device-registry.js';
import { KEY_OFFSET } from '../../core/identity/signed-layout.js';
import type { ParallelSignatureVerifier } from './parallel-signature-verifier.js';

/** What a ReadingGate and an OrderGate offer for pre-verified records. */
export interface PreVerifiedGate<TOutcome> {
  readonly registry: DeviceRegistry;
  ingestVerified(bytes: Uint8Array, currentSlot: number, signatureValid: boolean): TOutcome;
}

export async function ingestInParallel<TOutcome>(
  gate: PreVerifiedGate<TOutcome>, verifier: ParallelSignatureVerifier, records: readonly Uint8Array[], currentSlot: number,
): Promise<TOutcome[]> {
  const { recordBytes, formatByte } = verifier.layout;
  const candidates: number[] = [];
  records.forEach((bytes, i) => {
    if (bytes.length === recordBytes && bytes[0] === formatByte && gate.registry.deviceAt(bytes, KEY_OFFSET) !== undefined) candidates.push(i);
  });
  const verified = await verifier.verify(candidates.map((i) => records[i]!));
  const valid = new Uint8Array(records.length);
  candidates.forEach((recordIndex, k) => (valid[recordIndex] = verified[k]!));
  return records.map((bytes, i) => gate.ingestVerified(bytes, currentSlot, valid[i] === 1));
}
