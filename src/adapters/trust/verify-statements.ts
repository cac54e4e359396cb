/**
 * The pass over every stored statement: its body, hash, balance and payouts, its leaves and their
 * Merkle roots, settlement re-executed from the leaves, its signatures; then that every unit has a
 * statement for every slot. Returns the balances the committed statements add up to.
 */
import { availableParallelism } from 'node:os';
import type { Hex } from 'viem';
import { executeUnitSettlement } from '../../core/trust/unit-settlement.js';
import { merkleRoot } from '../../core/ledger/merkle-tree.js';
import { payoutMinor, statementHash, type Statement } from '../../core/ledger/statement.js';
import { statementFromJson } from '../../core/ledger/statement-json.js';
import { diffStatements } from '../../core/ledger/statement-diff.js';
import { LEAF_KINDS, type LedgerFile, type LedgerMeta, type StatementRow } from './ledger-reader.js';
import type { LedgerIdentities, UnitInfo } from './ledger-identities.js';
import { describe, HASH_RE, MAX_PROBLEMS_KEPT, Problems, unitWhere, type VerifyCounts, type VerifyOptions } from './verify-problems.js';
import { checkSignatures, recordVerifier, type RecordVerifier } from './verify-signatures.js';
import { checkLeaves, type SlotLeaves } from './verify-leaves.js';

/** Statements whose leaf signatures go to the worker threads together. */
const GROUP = 64;

/** Pass over every statement; returns the balances the committed statements add up to. */
export async function checkStatements(file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, problems: Problems, checked: VerifyCounts, options: VerifyOptions): Promise<Map<string, bigint>> {
  const seen = ids.units.map(() => new Uint8Array(meta.slots));
  const balances = new Map<string, bigint>();
  const total = file.statementCount();
  const verifier = recordVerifier(options.threads ?? Math.floor(availableParallelism() / 2), ids);
  let done = 0;
  const run = async (group: StatementRow[]): Promise<void> => {
    for (const { row, statement } of await checkGroup(file, group, meta, ids, verifier, problems, checked)) {
      checked.statements++;
      const u = ids.unitByMicrogrid.get(row.microgrid.toLowerCase());
      if (u !== undefined && row.slot >= 0 && row.slot < meta.slots) (seen[u.index] as Uint8Array)[row.slot] = 1;
      if (statement !== null && (row.status === 'committed' || row.status === 'duplicate')) addBalances(balances, statement);
      done++;
      if (done % 100 === 0 || done === total) options.onProgress?.({ stage: 'statements', done, total });
    }
  };
  try {
    let group: StatementRow[] = [];
    for (const row of file.statements()) {
      group.push(row);
      if (group.length < GROUP) continue;
      await run(group);
      group = [];
    }
    if (group.length > 0) await run(group);
  } finally {
    await verifier.close();
  }
  for (const u of ids.units) {
    const s = seen[u.index] as Uint8Array;
    for (let slot = 0; slot < meta.expectedSlots; slot++) if (s[slot] === 0) problems.add(`unit ${u.areaId} slot ${slot}`, 'no statement');
  }
  return balances;
}

/**
 * Checks a group of statements: the leaf signatures go to the workers first; while they verify,
 * the main thread recovers the validators' signatures; then everything else, statement by statement
 * (the problems of a statement come out in the same order either way).
 */
async function checkGroup(
  file: LedgerFile, group: readonly StatementRow[], meta: LedgerMeta, ids: LedgerIdentities, verifier: RecordVerifier, problems: Problems, checked: VerifyCounts,
): Promise<{ row: StatementRow; statement: Statement | null }[]> {
  const loaded = group.map((row) => {
    const unit = ids.unitByMicrogrid.get(row.microgrid.toLowerCase());
    const leaves: SlotLeaves | null = unit === undefined ? null : {
      readings: file.leaves('readings', row.microgrid, row.slot),
      orders: file.leaves('orders', row.microgrid, row.slot),
      trades: file.leaves('trades', row.microgrid, row.slot),
    };
    return { row, unit, leaves };
  });
  const validity = Promise.all([
    verifier.verify('readings', loaded.flatMap((l) => l.leaves?.readings.map((r) => r.bytes) ?? [])),
    verifier.verify('orders', loaded.flatMap((l) => l.leaves?.orders.map((r) => r.bytes) ?? [])),
  ]);
  const signatureProblems = loaded.map(({ row, unit }) => {
    const own = new Problems(MAX_PROBLEMS_KEPT);
    if (unit !== undefined && HASH_RE.test(row.hash)) checkSignatures(row, unit, meta.chain, unitWhere(ids, row.microgrid, row.slot), own, checked);
    return own;
  });
  const [readingsValid, ordersValid] = await validity;
  let r = 0;
  let o = 0;
  return loaded.map(({ row, unit, leaves }, i) => {
    const nr = leaves?.readings.length ?? 0;
    const no = leaves?.orders.length ?? 0;
    const valid = { readings: readingsValid.subarray(r, r + nr), orders: ordersValid.subarray(o, o + no) };
    r += nr;
    o += no;
    const statement = checkStatement(row, unit, leaves, valid, meta, ids, problems, checked);
    for (const p of (signatureProblems[i] as Problems).list) problems.add(p.where, p.what);
    return { row, statement };
  });
}

function addBalances(balances: Map<string, bigint>, s: Statement): void {
  const add = (account: Hex, v: bigint): void => {
    const k = account.toLowerCase();
    balances.set(k, (balances.get(k) ?? 0n) + v);
  };
  s.accounts.forEach((a, i) => add(a, s.deltasMinor[i] ?? 0n));
  for (const p of s.payouts) {
    const amount = payoutMinor(p);
    add(p.account, amount);
    add(p.buyer, -amount);
  }
}

/** All checks of one statement row but its signatures; returns its parsed body (null when it does not parse). */
function checkStatement(
  row: StatementRow, unit: UnitInfo | undefined, stored: SlotLeaves | null, valid: Record<'readings' | 'orders', Uint8Array>,
  meta: LedgerMeta, ids: LedgerIdentities, problems: Problems, checked: VerifyCounts,
): Statement | null {
  const where = unitWhere(ids, row.microgrid, row.slot);
  if (unit === undefined) problems.add(where, 'a statement of a microgrid that is not a settlement unit of the scenario');
  if (row.slot < 0 || row.slot >= meta.slots) problems.add(where, `a statement for a slot outside the run (slots 0..${meta.slots - 1})`);
  const hashOk = HASH_RE.test(row.hash);
  if (!hashOk) problems.add(where, `the stored hash ${JSON.stringify(row.hash.slice(0, 80))} is not 32 bytes of lower-case hex`);

  let statement: Statement | null = null;
  try {
    statement = statementFromJson(JSON.parse(row.body));
  } catch (e) {
    problems.add(where, `the statement body is not a valid statement: ${describe(e)}`);
  }
  let bodyHash: Hex | null = null;
  if (statement !== null) {
    bodyHash = statementHash(statement);
    if (statement.microgrid.toLowerCase() !== row.microgrid.toLowerCase() || statement.slot !== BigInt(row.slot)) {
      problems.add(where, `the statement body is for microgrid ${statement.microgrid} slot ${statement.slot}`);
    }
    checkBalanced(statement, where, problems);
    if (unit !== undefined) checkPayouts(statement, unit, ids, where, problems);
  }
  if (unit === undefined || stored === null) return statement;

  const leaves = checkLeaves(stored, valid, row, unit, ids, where, problems, checked);
  if (statement !== null) {
    for (const kind of LEAF_KINDS) {
      const root = merkleRoot(leaves.leaves[kind]);
      const stated = statement[`${kind}Root`];
      if (root !== stated.toLowerCase()) problems.add(where, `${kind} root: the ${leaves.leaves[kind].length} stored leaves give ${root}, the statement says ${stated}`);
    }
  }

  // Re-execute settlement from the stored leaves (with the statement's payouts).
  let recomputed: Statement | null = null;
  if (statement !== null && leaves.decodable) {
    try {
      recomputed = executeUnitSettlement({ microgrid: unit.microgrid, marketAccount: unit.marketAccount, slot: row.slot, ...leaves.inputs, payouts: statement.payouts });
    } catch (e) {
      problems.add(where, `settlement cannot be re-executed from the stored leaves: ${describe(e)}`);
    }
  }
  const recomputedHash = recomputed === null ? null : statementHash(recomputed);
  if (recomputed !== null && recomputedHash !== row.hash && statement !== null) {
    const diff = diffStatements(recomputed, statement);
    problems.add(where, `re-executing settlement from the stored leaves gives hash ${recomputedHash}, not the stored ${row.hash}` +
      (bodyHash === row.hash ? ` (the statement differs from it in ${fieldList(diff)})` : ''));
  }
  if (bodyHash !== null && bodyHash !== row.hash) {
    const diff = recomputed !== null && recomputedHash === row.hash && statement !== null ? diffStatements(recomputed, statement) : null;
    problems.add(where, `the statement body hashes to ${bodyHash}, not to its stored hash ${row.hash}` +
      (diff === null ? '' : ` (the body differs from re-executed settlement in ${fieldList(diff)})`));
  }
  return statement;
}

function fieldList(diff: { fields: readonly string[]; moreFields: number }): string {
  const shown = diff.fields.slice(0, 8);
  const more = diff.fields.length - shown.length + diff.moreFields;
  return shown.join(', ') + (more > 0 ? ` and ${more} more fields` : '');
}

function checkBalanced(s: Statement, where: string, problems: Problems): void {
  if (s.accounts.length !== s.deltasMinor.length) {
    problems.add(where, `${s.accounts.length} accounts but ${s.deltasMinor.length} deltas`);
    return;
  }
  let sum = 0n;
  for (const d of s.deltasMinor) sum += d;
  if (sum !== 0n) problems.add(where, `the deltas sum to ${sum}, not 0 (the contract refuses it)`);
  for (let i = 1; i < s.accounts.length; i++) {
    if (BigInt(s.accounts[i - 1] as Hex) >= BigInt(s.accounts[i] as Hex)) {
      problems.add(where, `accounts are not strictly ascending at accounts[${i}] (the contract refuses it)`);
      break;
    }
  }
}

function checkPayouts(s: Statement, unit: UnitInfo, ids: LedgerIdentities, where: string, problems: Problems): void {
  s.payouts.forEach((p, i) => {
    const at = `${where} payout ${i}`;
    const site = ids.siteAccounts.get(p.account.toLowerCase());
    if (site === undefined) problems.add(at, `pays account ${p.account}, which is not a site of the scenario`);
    else {
      if (site.unit !== unit.index) problems.add(at, `pays site ${site.siteId}, which unit ${ids.units[site.unit]?.areaId ?? '?'} settles`);
      if (p.device.toLowerCase() !== site.meter.deviceId.toLowerCase()) problems.add(at, `names device ${p.device}, not the meter of site ${site.siteId}`);
    }
    if (!ids.flexBuyers.has(p.buyer.toLowerCase())) problems.add(at, `is paid by ${p.buyer}, which is not a flexibility buyer (flexibility:tso, flexibility:dso)`);
  });
}
