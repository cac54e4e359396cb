/**
 * close() leaves nothing behind: a child process that runs three co-signing nodes and closes them
 * has no socket, server or timer keeping its event loop alive, and exits on its own.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

describe('graceful close', () => {
  it('a process whose nodes are closed exits by itself', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'close-worker.fixture.ts')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    // A safety net only: a leak shows in the resources list; a hang would end here as SIGKILL.
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(stdout).toBe('final 3\nclosed []\n');
  });
});
