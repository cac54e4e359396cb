/**
 * Child process of the real-EVM crash test (chain-crash.test.ts): opens the ledger store, enqueues
 * the statements of the job file one by one (idempotent: the same ones every run), attaches to the
 * already deployed contracts of a JSON-RPC node (`connectChain({ rpcUrl, addresses })`) and calls
 * `submitPending`, which first recovers the rows a killed predecessor left 'submitting'.
 *
 * With `<phase> <n>` it SIGKILLs itself:
 *   while-enqueuing  after the n-th statement is enqueued (before the others)
 * or at the n-th submission of this run:
 *   before-send    the statement is claimed ('submitting' on disk) but not sent
 *   after-apply    the chain mined and applied it, before the receipt reaches the submitter
 *   after-receipt  the submitter has the receipt, before the batch's outcomes are recorded
 *
 * Stdout (a pipe: synchronous on Linux, so a line is in the pipe before the next step runs):
 *   ready                              store opened, statements enqueued, chain attached
 *   send <n> <microgrid> <slot>        about to send the n-th statement of this run
 *   sent <n> <microgrid> <slot> <outcome>   its receipt came back
 *   progress <done>                    the submitter counted it
 *   report <json>                      submitPending's report; the run is over
 *
 * Run: node --import tsx chain-crash-worker.fixture.ts <job.json> <store.sqlite> <maxBatch> [phase n]
 */
import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import { statementFromJson, type StatementJson } from '../../core/ledger/statement-json.js';
import { connectChain } from '../chain/rpc-chain.js';
import type { ContractAddresses } from '../chain/chain-types.js';
import { LedgerStore } from './ledger-store.js';
import type { StatementSink } from './statement-sink.js';
import { StatementSubmitter } from './statement-submitter.js';

export type SelfKillPhase = 'while-enqueuing' | 'before-send' | 'after-apply' | 'after-receipt';

/** What the test writes for the worker. */
export interface ChainCrashJob {
  readonly rpcUrl: string;
  readonly addresses: ContractAddresses;
  readonly statements: readonly { readonly statement: StatementJson; readonly signatures: readonly Hex[] }[];
}

const [jobPath, storePath, maxBatchArg, phaseArg, atArg] = process.argv.slice(2);
if (jobPath === undefined || storePath === undefined || maxBatchArg === undefined) {
  throw new Error('usage: chain-crash-worker <job.json> <store.sqlite> <maxBatch> [while-enqueuing|before-send|after-apply|after-receipt n]');
}
const phase = phaseArg as SelfKillPhase | undefined;
const killAt = Number(atArg ?? 0);
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const dieAt = (p: SelfKillPhase, n: number): void => {
  if (phase === p && n === killAt) process.kill(process.pid, 'SIGKILL');
};

const job = JSON.parse(readFileSync(jobPath, 'utf8')) as ChainCrashJob;
const store = LedgerStore.open(storePath);
// One by one (one transaction each), so that a kill can also land in the middle of enqueuing.
for (const [i, item] of job.statements.entries()) {
  const statement = statementFromJson(item.statement);
  store.queue.enqueue(statement, item.signatures, statement.slot);
  dieAt('while-enqueuing', i + 1);
}
const chain = await connectChain({ rpcUrl: job.rpcUrl, addresses: job.addresses });
say('ready');

let submissions = 0;
const sink: StatementSink = {
  async submitStatement(s, signatures) {
    const n = ++submissions;
    say(`send ${n} ${s.microgrid} ${s.slot}`);
    dieAt('before-send', n);
    const receipt = await chain.submitStatement(s, signatures);
    dieAt('after-apply', n);
    say(`sent ${n} ${s.microgrid} ${s.slot} ${receipt.outcome}`);
    return receipt;
  },
  statementHashOf: (microgrid, slot) => chain.statementHashOf(microgrid, slot),
};

const submitter = new StatementSubmitter(store.queue);
const report = await submitter.submitPending(sink, {
  currentSlot: 1_000n,
  maxBatch: Number(maxBatchArg),
  onProgress: (p) => {
    say(`progress ${p.done}`);
    dieAt('after-receipt', p.done);
  },
});
say(`report ${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
store.close();
await chain.close();
