/**
 * Crash safety of the statement queue with real process kills: a child process
 * (crash-worker.fixture.ts) submits to a fake chain kept in its own SQLite file and is SIGKILLed
 * mid-submission; a new process recovers and submits the rest. Every statement must be applied
 * exactly once, in slot order per microgrid. Kill points come from a seed (printed on failure;
 * set LEDGER_CRASH_SEED to replay).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { KillPhase } from './crash-worker.fixture.js';
import { FileChainSink } from './file-chain-sink.fixture.js';
import { LedgerStore } from './ledger-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'crash-worker.fixture.ts');
const repoRoot = join(here, '..', '..', '..');
const SEED = Number(process.env.LEDGER_CRASH_SEED ?? 20261124);
const MICROGRIDS = 3;
const SLOTS = 8;
const STATEMENTS = MICROGRIDS * SLOTS;

interface WorkerRun {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly progress: number;
  readonly report: Record<string, unknown> | null;
  readonly stderr: string;
}

/** Runs the worker; `killAfterProgress` makes this process SIGKILL it after that many progress lines. */
function runWorker(dir: string, maxBatch: number, kill?: { at: number; phase: KillPhase }, killAfterProgress?: number): Promise<WorkerRun> {
  const args = ['--import', 'tsx', worker, join(dir, 'ledger.sqlite'), join(dir, 'chain.sqlite'), String(MICROGRIDS), String(SLOTS), String(maxBatch)];
  if (kill !== undefined) args.push(String(kill.at), kill.phase);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let progress = 0;
    let report: Record<string, unknown> | null = null;
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('progress ')) progress++;
        if (line.startsWith('report ')) report = JSON.parse(line.slice(7)) as Record<string, unknown>;
        if (killAfterProgress !== undefined && progress === killAfterProgress && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, progress, report, stderr }));
  });
}

function checkExactlyOnce(dir: string): void {
  const chain = new FileChainSink(join(dir, 'chain.sqlite'));
  const applies = chain.applies();
  chain.close();
  expect(applies).toHaveLength(STATEMENTS);
  const byMicrogrid = new Map<string, bigint[]>();
  for (const a of applies) byMicrogrid.set(a.microgrid, [...(byMicrogrid.get(a.microgrid) ?? []), a.slot]);
  expect(byMicrogrid.size).toBe(MICROGRIDS);
  for (const slots of byMicrogrid.values()) expect(slots).toEqual(Array.from({ length: SLOTS }, (_, k) => BigInt(k)));
  const store = LedgerStore.open(join(dir, 'ledger.sqlite'));
  const counts = store.queue.counts();
  store.close();
  // Recovery finds every statement that landed before a crash, so none is even sent twice.
  expect(counts.committed).toBe(STATEMENTS);
  expect(counts.queued + counts.duplicate + counts.submitting + counts.failed + counts.conflict).toBe(0);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe(`statement queue crash safety (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const phases: KillPhase[] = ['before-apply', 'after-apply', 'after-receipt'];
  // The first kill leaves at least 4 statements to send, so the second run reaches its kill point.
  const cases = phases.map((phase) => ({ phase, at: rng.int(1, STATEMENTS - 4), maxBatch: rng.int(1, 6), secondAt: rng.int(1, 3) }));

  for (const c of cases) {
    it(`recovers after SIGKILL ${c.phase} at submission ${c.at} (batch ${c.maxBatch}), then again at ${c.secondAt}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gridmesh-crash-'));
      dirs.push(dir);
      const first = await runWorker(dir, c.maxBatch, { at: c.at, phase: c.phase });
      expect(first.signal, first.stderr).toBe('SIGKILL');
      const second = await runWorker(dir, c.maxBatch, { at: c.secondAt, phase: c.phase });
      expect(second.signal, second.stderr).toBe('SIGKILL');
      const last = await runWorker(dir, c.maxBatch);
      expect(last.code, last.stderr).toBe(0);
      const recovered = last.report?.recovered as { checked: number; committed: number; requeued: number };
      expect(recovered.checked).toBeGreaterThan(0);
      // Killed after the chain applied it: recovery finds it on chain; before: it goes back to the queue.
      if (c.phase === 'before-apply') expect(recovered.requeued).toBeGreaterThan(0);
      else expect(recovered.committed).toBeGreaterThan(0);
      checkExactlyOnce(dir);
    });
  }

  it('recovers after being SIGKILLed by its parent at an arbitrary moment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmesh-crash-'));
    dirs.push(dir);
    for (let round = 0; round < 3; round++) {
      const run = await runWorker(dir, rng.int(1, 6), undefined, rng.int(1, 5));
      if (run.signal === null) break;
    }
    const last = await runWorker(dir, 4);
    expect(last.code, last.stderr).toBe(0);
    checkExactlyOnce(dir);
  });
});
