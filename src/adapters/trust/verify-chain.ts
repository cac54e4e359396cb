/**
 * The chain checks: an embedded chain's journal is replayed into a fresh in-memory chain (nothing is
 * written back), an rpc ledger's node is asked instead; then the contracts, validators and quorums,
 * stored blocks, committed statements and account balances are compared with the ledger.
 */
import type { Hex } from 'viem';
import { connectChain, openEmbeddedChain, ChainError, type SettlementChain } from '../chain/index.js';
import type { BlockRow, ChainMeta, LedgerFile, LedgerMeta } from './ledger-reader.js';
import type { LedgerIdentities } from './ledger-identities.js';
import { describe, HASH_RE, unitWhere, type Problems, type VerifyCounts, type VerifyOptions } from './verify-problems.js';

export async function checkChain(
  file: LedgerFile, meta: LedgerMeta, ids: LedgerIdentities, expected: Map<string, bigint>,
  problems: Problems, checked: VerifyCounts, options: VerifyOptions,
): Promise<void> {
  const stored = file.blocks();
  checked.blocks = stored.length;
  let chain: SettlementChain;
  if (meta.chain.kind === 'embedded') {
    const journal = file.journal();
    checked.journalTransactions = journal.length;
    options.onProgress?.({ stage: 'chain', what: `replaying ${journal.length} journalled transactions into a fresh embedded chain` });
    try {
      // The replay writes nothing back: the journal's append is a no-op.
      chain = await openEmbeddedChain({ journal: { load: () => journal, append: () => undefined }, initialDate: meta.scenario.start });
    } catch (e) {
      const message = describe(e);
      const tx = /transaction #(\d+)/.exec(message)?.[1];
      const cause = (e as { cause?: unknown }).cause;
      problems.add(tx === undefined ? 'chain journal' : `chain journal transaction ${tx}`,
        message.replace(/^the chain journal does not replay: (transaction #\d+ )?/, 'does not replay: it ') + (cause === undefined ? '' : ` (${describe(cause)})`));
      return;
    }
  } else {
    const rpcUrl = options.chainRpc ?? meta.chain.rpcUrl;
    if (rpcUrl === undefined) {
      problems.add('chain', 'an rpc ledger without its node\'s URL: give --chain-rpc URL');
      return;
    }
    options.onProgress?.({ stage: 'chain', what: `asking the node at ${rpcUrl}` });
    try {
      chain = await connectChain({ rpcUrl, addresses: meta.chain.addresses });
    } catch (e) {
      problems.add('chain', `cannot attach to the contracts at ${rpcUrl}: ${describe(e)}`);
      return;
    }
  }
  try {
    if (chain.chainId !== meta.chain.chainId) problems.add('chain', `the chain id is ${chain.chainId}, the ledger says ${meta.chain.chainId}`);
    for (const k of ['registry', 'credits', 'settlement'] as const) {
      if (chain.addresses[k].toLowerCase() !== meta.chain.addresses[k].toLowerCase()) {
        problems.add('chain', `the replayed ${k} contract is at ${chain.addresses[k]}, the ledger says ${meta.chain.addresses[k]}`);
      }
    }
    await compareValidators(chain, ids, problems);
    const blockTxs = await compareBlocks(chain, stored, meta.chain.kind, problems);
    options.onProgress?.({ stage: 'chain', what: 'comparing statements and balances' });
    await compareStatements(file, chain, ids, blockTxs, problems, checked, meta.chain.kind);
    await compareBalances(chain, ids, expected, problems, checked, meta.chain.kind);
  } catch (e) {
    if (!(e instanceof ChainError)) throw e;
    problems.add('chain', describe(e));
  } finally {
    await chain.close();
  }
}

/** Every unit's validator set and quorum on chain are the ones derived from the seed. */
async function compareValidators(chain: SettlementChain, ids: LedgerIdentities, problems: Problems): Promise<void> {
  for (const u of ids.units) {
    const onChain = (await chain.validatorsOf(u.microgrid)).map((a) => a.toLowerCase()).sort();
    const derived = [...u.validators.keys()].sort();
    if (onChain.join() !== derived.join()) {
      problems.add(`unit ${u.areaId}`, `the chain registers validators ${onChain.join(', ') || '(none)'}, the seed gives ${derived.join(', ')}`);
      continue;
    }
    const quorum = await chain.quorumOf(u.microgrid);
    if (quorum !== u.quorum) problems.add(`unit ${u.areaId}`, `the chain's quorum is ${quorum}, ⌈2n/3⌉ of ${derived.length} validators is ${u.quorum}`);
  }
}

/** Stored blocks against the replayed (embedded) or the node's (rpc) blocks; returns the tx hashes per block when they match. */
async function compareBlocks(chain: SettlementChain, stored: readonly BlockRow[], kind: ChainMeta['kind'], problems: Problems): Promise<Map<number, Set<string>> | null> {
  const last = stored[stored.length - 1];
  if (last === undefined) {
    problems.add('chain blocks', 'the ledger stores no blocks');
    return null;
  }
  const actual = kind === 'embedded' ? await chain.blocks() : await chain.blocks(BigInt(stored[0]?.number ?? 0), BigInt(last.number));
  const byNumber = new Map(actual.map((b) => [Number(b.number), b]));
  const txs = new Map<number, Set<string>>();
  let firstBad: { number: number; what: string } | null = null;
  let bad = 0;
  for (const b of stored) {
    const a = byNumber.get(b.number);
    let what: string | null = null;
    let storedTxs: string[] = [];
    try {
      storedTxs = (JSON.parse(b.txHashes) as unknown[]).map((h) => String(h).toLowerCase());
    } catch {
      what = 'its stored transaction list is not JSON';
    }
    if (a === undefined) what ??= `the ${kind === 'embedded' ? 'replayed chain' : 'node'} has no block ${b.number}`;
    else if (a.hash.toLowerCase() !== b.hash.toLowerCase()) what ??= `stored hash ${b.hash}, the ${kind === 'embedded' ? 'replay gives' : 'node has'} ${a.hash}`;
    else if (a.transactions.map((h) => h.toLowerCase()).join() !== storedTxs.join()) what ??= 'its stored transactions differ from the chain\'s';
    if (what !== null) {
      bad++;
      firstBad ??= { number: b.number, what };
    }
    txs.set(b.number, new Set(storedTxs));
  }
  if (firstBad !== null) {
    problems.add(`chain block ${firstBad.number}`, firstBad.what + (bad > 1 ? ` (and ${bad - 1} more stored blocks differ)` : ''));
  }
  if (kind === 'embedded' && actual.length !== stored.length) {
    problems.add('chain blocks', `the replayed chain has ${actual.length} blocks, the ledger stores ${stored.length}`);
  }
  return firstBad === null ? txs : null;
}

async function compareStatements(
  file: LedgerFile, chain: SettlementChain, ids: LedgerIdentities, blockTxs: Map<number, Set<string>> | null,
  problems: Problems, checked: VerifyCounts, kind: ChainMeta['kind'],
): Promise<void> {
  let onChainCount = 0;
  for (const row of file.statements()) {
    const where = unitWhere(ids, row.microgrid, row.slot);
    if (!HASH_RE.test(row.microgrid) || row.slot < 0) continue;
    const held = await chain.statementHashOf(row.microgrid as Hex, BigInt(row.slot));
    const heldText = held?.toLowerCase() ?? null;
    switch (row.status) {
      case 'committed':
      case 'duplicate':
        onChainCount++;
        if (heldText === null) problems.add(where, `recorded as ${row.status} but the chain holds no statement for it`);
        else if (heldText !== row.hash) problems.add(where, `the chain holds ${heldText}, the ledger's statement is ${row.hash}`);
        else checked.committed++;
        if (row.txHash !== null && row.blockNumber !== null && blockTxs !== null && blockTxs.get(row.blockNumber)?.has(row.txHash.toLowerCase()) !== true) {
          problems.add(where, `its transaction ${row.txHash} is not in block ${row.blockNumber}`);
        }
        break;
      case 'conflict':
        problems.add(where, `conflict: the chain holds ${heldText ?? 'nothing'} for this slot, the ledger's statement is ${row.hash}`);
        break;
      default:
        checked.open++;
        if (heldText === row.hash) problems.add(where, `on chain but still ${row.status} in the ledger`);
        else if (heldText !== null) problems.add(where, `${row.status} in the ledger, and the chain holds another statement for this slot: ${heldText}`);
    }
  }
  if (kind === 'embedded') {
    // The embedded chain belongs to this ledger alone: it holds exactly the settled statements.
    const count = await chain.committedCount();
    if (count !== BigInt(onChainCount)) problems.add('chain', `the Settlement contract counts ${count} committed statements, the ledger ${onChainCount}`);
  }
}

async function compareBalances(chain: SettlementChain, ids: LedgerIdentities, expected: Map<string, bigint>, problems: Problems, checked: VerifyCounts, kind: ChainMeta['kind']): Promise<void> {
  const accounts = new Set<string>([...ids.accountNames.keys(), ...expected.keys()]);
  let positive = 0n;
  for (const account of [...accounts].sort()) {
    const want = expected.get(account) ?? 0n;
    if (want > 0n) positive += want;
    const have = await chain.balanceOf(account as Hex);
    checked.accounts++;
    if (have !== want) {
      problems.add(`account ${ids.accountNames.get(account) ?? account}`, `the chain's balance is ${have}, the committed statements add up to ${want} (minor units)`);
    }
  }
  if (kind === 'embedded') {
    const total = await chain.totalPositive();
    if (total !== positive) problems.add('chain', `the credits contract's totalPositive is ${total}, the committed statements give ${positive}: money on accounts the ledger does not know`);
  }
}
