/**
 * Signature checks: the Ed25519 signatures of reading and order leaves (on worker threads, or
 * inline), and a statement's validator signatures against the unit's validators and quorum.
 */
import type { Hex } from 'viem';
import { isSignatureHex, recoverSignerSync } from '../../core/ledger/statement-signing.js';
import { verifySignedReading } from '../../core/identity/signed-reading.js';
import { verifySignedOrder } from '../../core/identity/signed-order.js';
import { ParallelOrderVerifier, ParallelReadingVerifier } from '../ingest/parallel-signature-verifier.js';
import type { ChainMeta, StatementRow } from './ledger-reader.js';
import type { LedgerIdentities, UnitInfo } from './ledger-identities.js';
import { describe, type Problems, type VerifyCounts } from './verify-problems.js';

/** Whether each signed record's Ed25519 signature verifies with the key it carries (1) or not (0). */
export interface RecordVerifier {
  verify(kind: 'readings' | 'orders', records: readonly Uint8Array[]): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * On worker threads (the main thread meanwhile recovers the validators' signatures), or inline:
 * inline, a record whose key is no admitted device's counts as unsigned (that problem is reported
 * anyway, and its signature does not matter).
 */
export function recordVerifier(threads: number, ids: LedgerIdentities): RecordVerifier {
  if (threads < 1) {
    const inline = (kind: 'readings' | 'orders', b: Uint8Array): boolean => {
      const key = ids.keys.get(Buffer.from(b.subarray(1, 33)).toString('hex'));
      return key !== undefined && (kind === 'readings' ? verifySignedReading(b, key) : verifySignedOrder(b, key));
    };
    return { verify: async (kind, records) => Uint8Array.from(records, (b) => (inline(kind, b) ? 1 : 0)), close: async () => undefined };
  }
  const pools = { readings: new ParallelReadingVerifier({ threads }), orders: new ParallelOrderVerifier({ threads }) };
  return {
    verify: async (kind, records) => (records.length === 0 ? new Uint8Array(0) : pools[kind].verify(records)),
    close: async () => {
      await Promise.all([pools.readings.close(), pools.orders.close()]);
    },
  };
}

export function checkSignatures(row: StatementRow, unit: UnitInfo, chain: ChainMeta, where: string, problems: Problems, checked: VerifyCounts): void {
  let list: unknown;
  try {
    list = JSON.parse(row.signatures);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    problems.add(where, 'the stored signatures are not a JSON list');
    return;
  }
  const signers = new Set<string>();
  let previous = '';
  list.forEach((sig: unknown, i) => {
    checked.signatures++;
    const at = `${where} signature ${i}`;
    if (!isSignatureHex(sig)) {
      problems.add(at, 'not 65 bytes of 0x-prefixed hex');
      return;
    }
    let signer: string;
    try {
      signer = recoverSignerSync(chain.chainId, chain.addresses.settlement, row.hash as Hex, sig).toLowerCase();
    } catch (e) {
      problems.add(at, `does not recover to an address: ${describe(e)}`);
      return;
    }
    const id = unit.validators.get(signer);
    if (id === undefined) {
      problems.add(at, `recovers to ${signer}, which is not a validator of unit ${unit.areaId} (for chain ${chain.chainId}, Settlement ${chain.addresses.settlement} and the stored hash)`);
      return;
    }
    if (signers.has(signer)) {
      problems.add(at, `a second signature of validator ${id}`);
      return;
    }
    if (signer < previous) problems.add(at, `signer ${id} comes after a higher address: signers must be ascending (the contract refuses it)`);
    previous = signer;
    signers.add(signer);
  });
  if (signers.size < unit.quorum) {
    problems.add(where, `${signers.size} valid signatures of validators of unit ${unit.areaId}; the quorum is ${unit.quorum} of ${unit.validators.size}`);
  }
}
