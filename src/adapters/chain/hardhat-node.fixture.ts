/**
 * Test helper: a real external EVM JSON-RPC node (`hardhat node`) in a child process, on a free
 * port, from a temp folder with a minimal config (chain 31337, cancun). Hardhat refuses to run
 * unless it resolves itself from the config's folder, so NODE_PATH points at our node_modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../free-port.fixture.js';

export interface HardhatNode {
  readonly rpcUrl: string;
  readonly child: ChildProcess;
  /** SIGTERM (SIGKILL after 5 s), then removes the temp folder. */
  stop(): Promise<void>;
}


export async function startHardhatNode(): Promise<HardhatNode> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('hardhat/internal/cli/cli.js');
  const nodeModules = dirname(dirname(require.resolve('hardhat/package.json')));
  const dir = mkdtempSync(join(tmpdir(), 'gridmesh-hardhat-node-'));
  const config = join(dir, 'hardhat.config.cjs');
  writeFileSync(config, "module.exports = { networks: { hardhat: { chainId: 31337, hardfork: 'cancun' } } };\n");
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [cli, 'node', '--hostname', '127.0.0.1', '--port', String(port), '--config', config], {
    cwd: dir,
    env: { ...process.env, NODE_PATH: nodeModules, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForNode(rpcUrl, child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { rpcUrl, child, stop };
}

async function waitForNode(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hardhat node exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`hardhat node did not answer at ${url} within 60 s:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
