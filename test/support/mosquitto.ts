/**
 * Debian's mosquitto as the external MQTT broker of end-to-end tests (.ci/run installs it).
 *
 * - Found (MOSQUITTO_PATH, else /usr/sbin/mosquitto, else on PATH): `describeWithMosquitto` is `describe`.
 * - Not found, CI=true: the suite fails with a message naming the fix.
 * - Not found, locally: the suite is skipped with a warning saying how to install it.
 *
 * The broker gets its own config: one listener on 127.0.0.1 and a free port, anonymous clients, and
 * a per-client queue far above the default 1,000 messages (mosquitto silently drops QoS 1 messages
 * beyond `max_queued_messages` under bursts: see ../shared/STACK.md).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { freePort } from '../../src/adapters/free-port.fixture.js';

const CI_MESSAGE = 'mosquitto is required in CI: .ci/run installs it with apt-get install -y mosquitto';

function findMosquitto(): string | undefined {
  const configured = process.env['MOSQUITTO_PATH'];
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  if (existsSync('/usr/sbin/mosquitto')) return '/usr/sbin/mosquitto';
  const which = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return which.status === 0 && path !== '' ? path : undefined;
}

export const mosquittoPath = findMosquitto();

export function describeWithMosquitto(name: string, suite: () => void): void {
  if (mosquittoPath !== undefined) {
    describe(name, suite);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has mosquitto', () => {
        throw new Error(CI_MESSAGE);
      });
    });
  } else {
    console.warn(`[mosquitto tests skipped] ${name}: mosquitto not found. Install it with \`sudo apt-get install -y mosquitto\`, or set MOSQUITTO_PATH.`);
    describe.skip(name, suite);
  }
}

export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startMosquitto(): Promise<Mosquitto> {
  if (mosquittoPath === undefined) throw new Error(CI_MESSAGE);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gridmesh-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 100000', 'max_inflight_messages 1000',
    'log_type error', 'log_type warning', 'log_dest stderr', '',
  ].join('\n'));
  const child = spawn(mosquittoPath, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  await waitForPort(port, child, () => stderr);
  return {
    url: `mqtt://127.0.0.1:${port}`, port,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within 5 s: ${stderr()}`);
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.kill(signal);
  });
}
