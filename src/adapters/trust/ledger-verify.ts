/**
 * `gridmesh ledger verify`: re-checks a run's ledger (`ledger.sqlite`) from its signed inputs alone,
 * without trusting anything the run computed (docs/ledger.md, "Checking a ledger").
 *
 *   1. Identities: the trust setup is re-derived from the stored scenario and seed (simulation keys
 *      are deterministic), which gives every admitted meter and owner key, its site and its unit,
 *      and every unit's validators.
 *   2. Per stored statement: every reading and order leaf is a well-formed record signed by an
 *      admitted device of that unit; trade leaves decode and name sites of the unit; the Merkle
 *      roots of the stored leaves are the statement's roots; settlement re-executed from the leaves
 *      (and the statement's payouts) gives the stored hash; the body hashes to the stored hash; the
 *      signatures recover to distinct validators of the unit, at least the quorum ⌈2n/3⌉.
 *   3. Every unit has a statement for every slot of the run.
 *   4. The chain: the embedded chain's journal is replayed into a fresh in-memory chain (nothing is
 *      written back) and its blocks compared with the stored ones; on an `rpc` ledger the node is
 *      asked instead. Every committed statement is on chain with its hash, and every account's
 *      balance is the sum of its deltas and payouts over the committed statements.
 *
 * The store is opened read-only: verifying never changes the file. Every problem is reported with
 * its location (`unit n1 slot 17 reading 3`); verification goes on after a problem.
 *
 * This file is the entry point; the work is in ledger-reader.ts (the read-only file),
 * ledger-identities.ts (step 1), verify-statements.ts, verify-leaves.ts and verify-signatures.ts
 * (steps 2 and 3), verify-chain.ts (step 4) and verify-problems.ts (the report).
 */
import { TrustError, UsageError } from '../../core/errors.js';
import { prepareTrust } from '../../core/trust/trust-setup.js';
import { LedgerFile, type LedgerMeta } from './ledger-reader.js';
import { ledgerIdentities } from './ledger-identities.js';
import { emptyCounts, MAX_PROBLEMS_KEPT, Problems, type VerifyOptions, type VerifyReport } from './verify-problems.js';
import { checkStatements } from './verify-statements.js';
import { checkOrphanLeaves } from './verify-leaves.js';
import { checkChain } from './verify-chain.js';

export {
  LEAF_KINDS, LedgerFile, MAX_IN_MEMORY_LEDGER_BYTES, resolveLedgerPath,
  type BlockRow, type ChainMeta, type LeafKind, type LeafRow, type LedgerMeta, type StatementRow,
} from './ledger-reader.js';
export { ledgerIdentities, type LedgerIdentities } from './ledger-identities.js';
export { MAX_PROBLEMS_KEPT, type LedgerProblem, type VerifyCounts, type VerifyOptions, type VerifyProgress, type VerifyReport } from './verify-problems.js';

/** Verifies the ledger at `where` (a run folder or the file). Never writes to it. */
export async function verifyLedger(where: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const file = LedgerFile.open(where);
  const problems = new Problems(options.maxProblemsKept ?? MAX_PROBLEMS_KEPT);
  const checked = emptyCounts();
  const report = (chain: VerifyReport['chain']): VerifyReport => ({
    ok: problems.count === 0, ledger: file.path, chain, checked, problems: problems.list, moreProblems: problems.more,
  });
  try {
    let meta: LedgerMeta;
    try {
      meta = file.ledgerMeta();
    } catch (e) {
      if (!(e instanceof TrustError)) throw e;
      for (const d of e.details) problems.add('meta', d);
      return report(null);
    }
    if (options.chainRpc !== undefined && meta.chain.kind === 'embedded') {
      throw new UsageError('--chain-rpc is for ledgers settled on a JSON-RPC node; this run used the embedded chain, which verify replays from the ledger\'s journal');
    }
    const chainInfo = {
      kind: meta.chain.kind, chainId: meta.chain.chainId.toString(), settlement: meta.chain.addresses.settlement,
      ...(meta.chain.kind === 'rpc' ? { rpcUrl: options.chainRpc ?? meta.chain.rpcUrl ?? '' } : {}),
    };
    options.onProgress?.({ stage: 'identities', sites: meta.scenario.sites.length });
    const ids = ledgerIdentities(await prepareTrust(meta.scenario, meta.seed, meta.slots));
    checked.units = ids.units.length;
    checked.slots = meta.expectedSlots;
    const expected = await checkStatements(file, meta, ids, problems, checked, options);
    checkOrphanLeaves(file, meta, ids, problems);
    await checkChain(file, meta, ids, expected, problems, checked, options);
    return report(chainInfo);
  } finally {
    file.close();
  }
}
