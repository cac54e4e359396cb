/**
 * `gridmesh serve [--config node.yaml] [--port N]`: starts a node (docs/node.md). Options given on the
 * command line override the config file's. Runs until SIGINT/SIGTERM, then stops gracefully: the
 * slot being settled finishes and is stored; a restart with the same data folder resumes after it.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { loadNodeConfig, parseNodeConfig, type NodeConfig } from '../../server/node/node-config.js';
import { serveNode, type ServedNode } from '../../server/serve-node.js';
import { resolveScenarioPath } from './simulate.js';

export interface ServeCommandOptions {
  config?: string;
  port?: string;
  host?: string;
  speed?: string;
  data?: string;
  scenario?: string;
  mqttPort?: string;
  mqttUrl?: string;
  demo?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start a node: the slot cycle in real time (or faster), devices over MQTT, settlement on chain, the HTTP/WebSocket API and the dashboard')
    .option('--config <file>', 'node configuration (YAML or JSON, see docs/node.md); without it: the Riverside example with embedded defaults')
    .option('--port <n>', 'HTTP port of the API and dashboard (default 8080; 0 = any free port)')
    .option('--host <host>', 'HTTP address to listen on (default 127.0.0.1)')
    .option('--speed <x>', 'wall-clock speed-up: 1 = real time, 60 = a 15-minute slot every 15 s')
    .option('--data <dir>', 'data folder (ledger.sqlite); a restart with the same folder resumes')
    .option('--scenario <file>', 'the grid the node runs (its digital twin)')
    .option('--mqtt-port <n>', 'port of the embedded MQTT broker (default 1883; 0 = any free port)')
    .option('--mqtt-url <url>', 'use this MQTT broker (e.g. mosquitto) instead of the embedded one')
    .option('--demo', 'let the dashboard\'s demo-outage button work without an operator signature (only with --speed above 1)')
    .action(async (opts: ServeCommandOptions) => {
      const config = await serveConfig(opts);
      const served = await serveNode(config, { log: (line) => process.stdout.write(`${line}\n`) });
      process.stdout.write(`dashboard and API: ${served.url}/ (OpenAPI: ${served.url}/api/v1/openapi.json); MQTT: ${served.node.mqttUrl}; data: ${config.dataDir}\n`);
      await untilSignal(served);
    });
}

/** The config file (or the defaults), with the command line's options over it. */
export async function serveConfig(opts: ServeCommandOptions): Promise<NodeConfig> {
  const base = opts.config === undefined ? parseNodeConfig({}, 'the default node config') : await loadNodeConfig(opts.config);
  const mqtt = opts.mqttUrl !== undefined ? { url: opts.mqttUrl }
    : opts.mqttPort !== undefined ? { embedded: { host: 'embedded' in base.mqtt ? base.mqtt.embedded.host : '127.0.0.1', port: integer('--mqtt-port', opts.mqttPort) } }
      : base.mqtt;
  const merged = {
    ...base,
    scenario: opts.scenario ?? (opts.config === undefined ? resolveScenarioPath(base.scenario) : base.scenario),
    dataDir: opts.data ?? base.dataDir,
    http: { ...base.http, ...(opts.port === undefined ? {} : { port: integer('--port', opts.port) }), ...(opts.host === undefined ? {} : { host: opts.host }) },
    clock: { ...base.clock, ...(opts.speed === undefined ? {} : { speed: positive('--speed', opts.speed) }) },
    mqtt,
    demo: { outageButton: opts.demo === true || base.demo.outageButton },
  };
  return parseNodeConfig(merged, 'the node config with the command-line options');
}

function untilSignal(served: ServedNode): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`${signal}: stopping the node (the slot being settled finishes)…\n`);
      served.close().then(resolve, (e: unknown) => {
        process.stderr.write(`error while stopping: ${(e as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function integer(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < 0 || v > 65_535) throw new UsageError(`${name} must be a port number 0..65535, got "${text}"`);
  return v;
}

function positive(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return v;
}
