/**
 * Child process of the crash test (statement-crash.test.ts): opens the ledger, enqueues the same
 * statements as every run (idempotent), and submits them to a FileChainSink. With `--kill-at n`
 * it SIGKILLs itself at the n-th submission of this run, at `--kill-phase`:
 *   before-apply   before the chain applies the statement
 *   after-apply    after the chain committed it, before the receipt comes back
 *   after-receipt  after the receipt, before the batch's outcomes are recorded
 * Prints `progress <done>` after each statement and `report <json>` at the end.
 * Run: node --import tsx crash-worker.fixture.ts <store> <chain> <microgrids> <slots> <maxBatch> [kill-at] [kill-phase]
 */
import type { Hex } from 'viem';
import { aStatement } from '../../core/ledger/statement.fixture.js';
import { idOf } from '../../core/ledger/statement.js';
import { FileChainSink } from './file-chain-sink.fixture.js';
import { LedgerStore } from './ledger-store.js';
import { StatementSubmitter } from './statement-submitter.js';

export type KillPhase = 'before-apply' | 'after-apply' | 'after-receipt';

const [storePath, chainPath, microgridsArg, slotsArg, maxBatchArg, killAtArg, killPhaseArg] = process.argv.slice(2);
if (storePath === undefined || chainPath === undefined) throw new Error('usage: crash-worker <store> <chain> <microgrids> <slots> <maxBatch> [kill-at] [kill-phase]');
const killAt = Number(killAtArg ?? 0);
const phase = (killPhaseArg ?? 'before-apply') as KillPhase;
const die = (p: KillPhase) => (n: number) => {
  if (phase === p && n === killAt) process.kill(process.pid, 'SIGKILL');
};

const sig: Hex = `0x${'ab'.repeat(64)}1c`;
const store = LedgerStore.open(storePath);
const sink = new FileChainSink(chainPath, { beforeApply: die('before-apply'), afterApply: die('after-apply') });
for (let slot = 0; slot < Number(slotsArg); slot++) {
  for (let m = 0; m < Number(microgridsArg); m++) {
    store.queue.enqueue(aStatement({ microgrid: idOf(`area:mg-${m}`), slot: BigInt(slot) }), [sig], BigInt(slot));
  }
}
const submitter = new StatementSubmitter(store.queue);
const report = await submitter.submitPending(sink, {
  currentSlot: 1_000n, maxBatch: Number(maxBatchArg),
  onProgress: (p) => {
    process.stdout.write(`progress ${p.done}\n`);
    die('after-receipt')(p.done);
  },
});
process.stdout.write(`report ${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
store.close();
sink.close();
