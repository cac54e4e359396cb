/**
 * Crash safety of the statement queue against a REAL EVM: an external `hardhat node` (child process)
 * holds the deployed contracts; a worker process (chain-crash-worker.fixture.ts) enqueues quorum-signed
 * statements in its SQLite store and submits them over JSON-RPC, and is SIGKILLed at seeded moments
 * several times in a row (by itself at exact phases, by this process on a stdout line or after a
 * delay), then runs once more to completion. The chain must then hold every statement exactly once:
 * its hash per (microgrid, slot), every balance the sum of its deltas, committedCount = N, one
 * StatementCommitted event per statement in slot order per microgrid. In the store every statement
 * is 'committed', or 'duplicate' only when a kill caught it in flight. Kill points come from a seed
 * (in the test's name; set LEDGER_CHAIN_CRASH_SEED to replay).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, http, type Hex } from 'viem';
import { Rng } from '../../core/rng.js';
import { statementToJson } from '../../core/ledger/statement-json.js';
import { signStatementSync } from '../../core/ledger/statement-signing.js';
import { idOf, statementHash, type Statement } from '../../core/ledger/statement.js';
import { compareAddresses, simValidatorKey, type ValidatorKey } from '../../core/ledger/validator-keys.js';
import { CONTRACT_ARTIFACTS } from '../chain/contract-artifacts.js';
import { connectChain, type RpcChain } from '../chain/rpc-chain.js';
import type { ChainCrashJob, SelfKillPhase } from './chain-crash-worker.fixture.js';
import { LedgerStore } from './ledger-store.js';
import { startHardhatNode, type HardhatNode } from '../chain/hardhat-node.fixture.js';
import type { StatementStatus } from './statement-queue.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'chain-crash-worker.fixture.ts');
const repoRoot = join(here, '..', '..', '..');
const SEED = Number(process.env.LEDGER_CHAIN_CRASH_SEED ?? 20261125);
const MICROGRIDS = ['area:chain-crash-north', 'area:chain-crash-south'];
const SLOTS = 24;
const N = MICROGRIDS.length * SLOTS;

type KillPlan =
  | { readonly kind: 'self'; readonly phase: SelfKillPhase; readonly at: number }
  | { readonly kind: 'line'; readonly line: 'send' | 'progress'; readonly at: number }
  | { readonly kind: 'delay'; readonly from: 'spawn' | 'ready'; readonly ms: number };

interface WorkerRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly report: Record<string, unknown> | null;
  /** `microgrid:slot` of statements sent without their receipt coming back (in flight at the kill). */
  readonly inFlight: string[];
  readonly sends: number;
  readonly stderr: string;
}

const keyOf = (microgrid: Hex, slot: bigint | string): string => `${microgrid.toLowerCase()}:${slot}`;

// ---------------------------------------------------------------------------------------------
// Statements

interface Scenario {
  readonly validators: Map<Hex, ValidatorKey[]>;
  readonly statements: Statement[];
  readonly expectedBalances: Map<Hex, bigint>;
}

/** N statements over the microgrids, slot by slot, with seeded deltas (Σ = 0 each) over a few accounts. */
function buildScenario(rng: Rng): Scenario {
  const validators = new Map<Hex, ValidatorKey[]>();
  const statements: Statement[] = [];
  const expectedBalances = new Map<Hex, bigint>();
  const pools = new Map<Hex, Hex[]>();
  for (const name of MICROGRIDS) {
    const mg = idOf(name);
    const keys = Array.from({ length: 4 }, (_, i) => simValidatorKey(SEED, `${name}/validator-${i}`));
    validators.set(mg, keys.sort((a, b) => compareAddresses(a.address, b.address)));
    // Five sites of its own plus its market, and one account shared by both microgrids.
    pools.set(mg, [...Array.from({ length: 5 }, (_, i) => idOf(`site:${name}/house-${i}`)), idOf(`market:${name}`), idOf('site:chain-crash-shared')]);
  }
  for (let slot = 0n; slot < BigInt(SLOTS); slot++) {
    for (const name of MICROGRIDS) {
      const mg = idOf(name);
      const pool = [...(pools.get(mg) ?? [])];
      const picked: Hex[] = [];
      const count = rng.int(2, 4);
      while (picked.length < count) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as Hex);
      const accounts = picked.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      const deltas = accounts.slice(1).map(() => BigInt(rng.int(-5_000, 5_000)));
      deltas.unshift(-deltas.reduce((a, b) => a + b, 0n));
      accounts.forEach((a, i) => expectedBalances.set(a, (expectedBalances.get(a) ?? 0n) + (deltas[i] as bigint)));
      statements.push({
        microgrid: mg,
        slot,
        readingsRoot: idOf(`readings ${name} ${slot}`),
        ordersRoot: idOf(`orders ${name} ${slot}`),
        tradesRoot: idOf(`trades ${name} ${slot}`),
        accounts,
        deltasMinor: deltas,
        payouts: [],
      });
    }
  }
  return { validators, statements, expectedBalances };
}

/** Three of the microgrid's four validators (a seeded one left out), signatures by ascending signer. */
function quorumSignatures(rng: Rng, s: Statement, vs: readonly ValidatorKey[], chainId: bigint, settlement: Hex): Hex[] {
  const absent = rng.int(0, vs.length - 1);
  const hash = statementHash(s);
  return vs.filter((_, i) => i !== absent).map((v) => signStatementSync(v.privateKey, chainId, settlement, hash));
}

// ---------------------------------------------------------------------------------------------

describe(`statement queue crash safety on a real EVM (hardhat node, seed ${SEED})`, () => {
  let node: HardhatNode | undefined;
  let nodeDir: string | undefined;
  let rpcUrl = '';
  let chain: RpcChain | undefined;
  let scenario: Scenario;
  let jobPath = '';
  const workers = new Set<ChildProcess>();

  beforeAll(async () => {
    try {
      node = await startHardhatNode();
    } catch (e) {
      throw new Error(`chain crash test: the hardhat node (a dependency of gridmesh) could not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    rpcUrl = node.rpcUrl;
    nodeDir = mkdtempSync(join(tmpdir(), 'gridmesh-chain-crash-'));

    chain = await connectChain({ rpcUrl });
    const rng = new Rng(SEED).fork('statements');
    scenario = buildScenario(rng);
    for (const [mg, vs] of scenario.validators) await chain.registerMicrogrid(mg, vs.map((v) => v.address));
    const { chainId } = chain;
    const settlement = chain.addresses.settlement;
    const job: ChainCrashJob = {
      rpcUrl,
      addresses: chain.addresses,
      statements: scenario.statements.map((s) => ({
        statement: statementToJson(s),
        signatures: quorumSignatures(rng, s, scenario.validators.get(s.microgrid) ?? [], chainId, settlement),
      })),
    };
    jobPath = join(nodeDir, 'job.json');
    writeFileSync(jobPath, JSON.stringify(job));
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await chain?.close().catch(() => undefined);
    await node?.stop();
    if (nodeDir !== undefined) rmSync(nodeDir, { recursive: true, force: true });
  });

  /** Runs the worker once; the plan says who kills it when. */
  function runWorker(storePath: string, maxBatch: number, plan?: KillPlan): Promise<WorkerRun> {
    const args = ['--import', 'tsx', worker, jobPath, storePath, String(maxBatch)];
    if (plan?.kind === 'self') args.push(plan.phase, String(plan.at));
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      workers.add(child);
      const kill = (): void => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      let timer: NodeJS.Timeout | undefined;
      if (plan?.kind === 'delay' && plan.from === 'spawn') timer = setTimeout(kill, plan.ms);
      const sends = new Map<number, string>();
      const sent = new Set<number>();
      let progress = 0;
      let report: Record<string, unknown> | null = null;
      let stderr = '';
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [word, n, microgrid, slot] = line.split(' ');
          if (word === 'ready' && plan?.kind === 'delay' && plan.from === 'ready') timer = setTimeout(kill, plan.ms);
          if (word === 'send') sends.set(Number(n), keyOf(microgrid as Hex, slot ?? ''));
          if (word === 'sent') sent.add(Number(n));
          if (word === 'progress') progress++;
          if (word === 'report') report = JSON.parse(line.slice(7)) as Record<string, unknown>;
          if (plan?.kind === 'line' && (plan.line === 'send' ? sends.size : progress) === plan.at) kill();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        workers.delete(child);
        const inFlight = [...sends].filter(([n]) => !sent.has(n)).map(([, k]) => k);
        resolve({ code, signal, report, inFlight, sends: sends.size, stderr });
      });
    });
  }

  it(`applies each of ${N} statements exactly once across repeated SIGKILLs of the submitter`, async () => {
    const c = chain as RpcChain;
    const storeDir = mkdtempSync(join(nodeDir ?? tmpdir(), 'store-'));
    const storePath = join(storeDir, 'ledger.sqlite');
    const rng = new Rng(SEED).fork('kills');

    // Every kill kind once, in a seeded order, with seeded kill points and batch sizes.
    const kinds: ((k: number) => KillPlan)[] = [
      (k) => ({ kind: 'self', phase: 'before-send', at: k }),
      (k) => ({ kind: 'self', phase: 'after-apply', at: k }),
      (k) => ({ kind: 'self', phase: 'after-receipt', at: k }),
      (k) => ({ kind: 'line', line: 'send', at: k }),
      (k) => ({ kind: 'line', line: 'progress', at: k }),
      // Mid-submission (a worker sends one statement every 10-20 ms).
      () => ({ kind: 'delay', from: 'ready', ms: rng.int(0, 60) }),
      // Start-up: loading modules, opening the store, attaching to the chain (about 1 s).
      () => ({ kind: 'delay', from: 'spawn', ms: rng.int(100, 800) }),
    ];
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j] as (k: number) => KillPlan, kinds[i] as (k: number) => KillPlan];
    }
    // The first run dies part-way through enqueuing (each enqueue is its own transaction).
    kinds.unshift(() => ({ kind: 'self', phase: 'while-enqueuing', at: rng.int(1, N - 1) }));

    const inFlightAtKill = new Set<string>();
    /** Rows a kill left 'submitting', by whether the chain already held them. */
    const leftSubmitting = { landed: 0, notLanded: 0 };
    /** Left 'submitting' and already on chain after a kill: recovery must find them (never a duplicate). */
    const landedBeforeRecovery = new Set<string>();
    const log: string[] = [];
    let lastLeft = 0;
    for (const make of kinds) {
      const queued = existsSync(storePath) ? openCounts(storePath).queued : N;
      const plan = make(Math.max(1, Math.min(rng.int(1, 4), queued)));
      const maxBatch = rng.int(1, 8);
      const run = await runWorker(storePath, maxBatch, plan);
      log.push(`${JSON.stringify(plan)} batch ${maxBatch}: ${run.signal ?? `exit ${run.code}`}, ${run.sends} sent, in flight ${run.inFlight.length}`);
      expect(run.signal, `${log.join('\n')}\n${run.stderr}`).toBe('SIGKILL');
      for (const k of run.inFlight) inFlightAtKill.add(k);
      if (plan.kind === 'self' && plan.phase === 'while-enqueuing') {
        // Each enqueue is committed on its own: exactly those before the kill are in the queue.
        const counts = openCounts(storePath);
        expect(counts.queued, JSON.stringify(counts)).toBe(plan.at);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(plan.at);
      }
      // What recovery will find: rows left 'submitting', and whether each is on chain already.
      if (existsSync(storePath)) {
        const store = LedgerStore.open(storePath);
        const rows = store.queue.submitting();
        store.close();
        for (const r of rows) {
          if ((await c.statementHashOf(r.microgrid, r.slot)) === r.hash) {
            leftSubmitting.landed++;
            landedBeforeRecovery.add(keyOf(r.microgrid, r.slot));
          } else {
            leftSubmitting.notLanded++;
          }
        }
        lastLeft = rows.length;
      } else {
        lastLeft = 0;
      }
    }

    const last = await runWorker(storePath, rng.int(1, 8));
    const context = `${log.join('\n')}\n${last.stderr}`;
    expect(last.code, context).toBe(0);
    const recovered = last.report?.recovered as { checked: number; committed: number; requeued: number; conflict: number } | null;
    expect(recovered?.checked, context).toBe(lastLeft);
    expect(recovered?.conflict, context).toBe(0);
    expect(last.report?.open, context).toBe(0);
    // The self-kills guarantee both recovery paths ran: one found on chain, one sent again.
    expect(leftSubmitting.landed, context).toBeGreaterThan(0);
    expect(leftSubmitting.notLanded, context).toBeGreaterThan(0);

    // --- On the real chain ----------------------------------------------------------------------
    for (const s of scenario.statements) {
      expect(await c.statementHashOf(s.microgrid, s.slot), `${s.microgrid} slot ${s.slot}`).toBe(statementHash(s));
    }
    for (const [account, balance] of scenario.expectedBalances) {
      expect(await c.balanceOf(account), `balance of ${account}`).toBe(balance);
    }
    expect(await c.committedCount()).toBe(BigInt(N));

    const client = createPublicClient({ transport: http(rpcUrl) });
    const events = await client.getContractEvents({ address: c.addresses.settlement, abi: CONTRACT_ARTIFACTS.Settlement.abi, fromBlock: 0n, toBlock: 'latest' });
    const commits = new Map<string, Hex>();
    const commitOrder = new Map<Hex, bigint[]>();
    const duplicateEvents: { key: string; txHash: Hex }[] = [];
    for (const e of events) {
      const args = e.args as unknown as { microgrid: Hex; slot: bigint };
      const key = keyOf(args.microgrid, args.slot);
      if (e.eventName === 'StatementCommitted') {
        expect(commits.has(key), `${key} committed twice`).toBe(false);
        commits.set(key, e.transactionHash);
        const mg = args.microgrid.toLowerCase() as Hex;
        commitOrder.set(mg, [...(commitOrder.get(mg) ?? []), args.slot]);
      } else if (e.eventName === 'StatementDuplicate') {
        duplicateEvents.push({ key, txHash: e.transactionHash });
      }
      expect(e.eventName, 'no conflict on chain').not.toBe('StatementConflict');
    }
    expect(commits.size).toBe(N);
    // In slot order per microgrid: a later slot never landed before an earlier one.
    for (const slots of commitOrder.values()) expect(slots).toEqual(Array.from({ length: SLOTS }, (_, k) => BigInt(k)));
    // A statement is offered twice only when a kill caught its first submission in flight.
    for (const d of duplicateEvents) {
      expect(inFlightAtKill.has(d.key), `${d.key} was offered twice but never in flight at a kill`).toBe(true);
      expect(landedBeforeRecovery.has(d.key), `${d.key} was offered again although it was on chain before recovery`).toBe(false);
    }

    // --- In the store ---------------------------------------------------------------------------
    const store = LedgerStore.open(storePath);
    const rows = store.queue.list();
    const counts = store.queue.counts();
    store.close();
    expect(rows).toHaveLength(N);
    expect(counts.committed + counts.duplicate, JSON.stringify(counts)).toBe(N);
    for (const r of rows) {
      const key = keyOf(r.microgrid, r.slot);
      if (r.status === 'duplicate') {
        // The crash came after the chain applied it (its first submission was in flight at a kill),
        // and the recorded transaction is a later, duplicate one.
        expect(inFlightAtKill.has(key), `${key} is a duplicate but was never in flight at a kill`).toBe(true);
        expect(landedBeforeRecovery.has(key), `${key} was on chain before recovery ran, which missed it`).toBe(false);
        expect(duplicateEvents.some((d) => d.key === key && d.txHash === r.txHash), `${key}: no duplicate event for ${r.txHash}`).toBe(true);
      } else if (r.txHash !== null) {
        // Committed by this very transaction (recovered rows have no transaction hash).
        expect(r.txHash, key).toBe(commits.get(key)?.toLowerCase());
      }
    }
    rmSync(storeDir, { recursive: true, force: true });
  }, 120_000); // about 15 s alone; headroom for a loaded machine
});

function openCounts(storePath: string): Record<StatementStatus, number> {
  const store = LedgerStore.open(storePath);
  try {
    return store.queue.counts();
  } finally {
    store.close();
  }
}
