/**
 * A node's configuration (`gridmesh serve --config node.yaml`), validated with zod: every error names
 * the path and what was expected. Relative paths are resolved from the config file's folder.
 * Everything has a default, so `gridmesh serve` with no config runs the Riverside example on one
 * machine: embedded MQTT broker, embedded EVM, SQLite in ./gridmesh-data, API and dashboard on 8080.
 * See docs/node.md for every field.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { modbusDevicesSchema } from './node-modbus.js';

export const NODE_CONFIG_BYTES_MAX = 1024 * 1024;
export const SPEED_MAX = 100_000;
export const HTTP_PORT_DEFAULT = 8080;
export const MQTT_PORT_DEFAULT = 1883;
export const REAL_METERS_MAX = 100_000;
export const OCPP_PORT_DEFAULT = 9220;
export const CHARGERS_MAX = 10_000;
export const PEER_PORT_DEFAULT = 7300;
export const PEERS_MAX = 64;

const port = z.int().min(0).max(65_535);
const host = z.string().min(1).max(255);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address');
const did = z.string().regex(/^did:key:z[1-9A-HJ-NP-Za-km-z]{40,60}$/, 'a did:key (did:key:z…)');

export const nodeConfigSchema = z.strictObject({
  node: z.strictObject({
    /** Shown in the API and used as the MQTT client id prefix. */
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1 to 64 letters, digits, dots, dashes or underscores').default('gridmesh-node'),
  }).default({ id: 'gridmesh-node' }),
  /** The scenario that describes the node's grid (areas, sites, devices): its digital twin. */
  scenario: z.string().min(1).default('examples/riverside.yaml'),
  seed: z.int().min(0).max(2 ** 32 - 1).optional(),
  /** Slots to run, in days (default: the scenario's). The node stops the slot cycle after them. */
  days: z.number().positive().optional(),
  /** Storage: ledger.sqlite (signed inputs, statements, chain journal) and node state. */
  dataDir: z.string().min(1).default('gridmesh-data'),
  http: z.strictObject({
    host: host.default('127.0.0.1'),
    port: port.default(HTTP_PORT_DEFAULT),
    bodyBytesMax: z.int().min(1024).max(1024 * 1024).default(16 * 1024),
  }).default({ host: '127.0.0.1', port: HTTP_PORT_DEFAULT, bodyBytesMax: 16 * 1024 }),
  clock: z.strictObject({
    /** 1 = real time; 60 = a 15-minute slot every 15 s. */
    speed: z.number().min(0.001).max(SPEED_MAX).default(1),
    /** Part of a slot's wall time after it closes during which its readings are still taken. */
    graceFraction: z.number().min(0).max(0.9).default(0.2),
  }).default({ speed: 1, graceFraction: 0.2 }),
  mqtt: z.union([
    z.strictObject({ url: z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'mqtt://host:port or mqtts://host:port') }),
    z.strictObject({ embedded: z.strictObject({ host: host.default('127.0.0.1'), port: port.default(MQTT_PORT_DEFAULT) }) }),
  ]).default({ embedded: { host: '127.0.0.1', port: MQTT_PORT_DEFAULT } }),
  chain: z.strictObject({
    /** Any EVM JSON-RPC endpoint (key: $GRIDMESH_CHAIN_KEY); default: the embedded EVM. */
    rpc: z.string().regex(/^https?:\/\/[^\s]+$/, 'http(s)://host:port').optional(),
    /**
     * Contracts already deployed on `rpc` (by another node of the microgrid: its start-up line names
     * them); without it the node deploys its own.
     */
    contracts: z.strictObject({ registry: address, credits: address, settlement: address }).optional(),
  }).refine((c) => c.contracts === undefined || c.rpc !== undefined, { path: ['contracts'], message: 'contracts need chain.rpc (the embedded chain deploys its own)' }).default({}),
  devices: z.strictObject({
    /**
     * Sites whose meters are real devices sending signed readings over MQTT ('all', or site ids).
     * The node never signs for them; the twin signs for the other sites.
     */
    mqttMeters: z.union([z.literal('all'), z.array(z.string().min(1)).max(REAL_METERS_MAX)]).default([]),
    /**
     * Sites whose owners are real participants ('all', or site ids): their own signed orders (API or
     * MQTT) are the site's orders in clearing; the twin places none for them.
     */
    participants: z.union([z.literal('all'), z.array(z.string().min(1)).max(REAL_METERS_MAX)]).default([]),
  }).default({ mqttMeters: [], participants: [] }),
  /**
   * An OCPP 1.6J central system for EV chargers (absent: none). Each charger is one site's EV: the node
   * pauses it (SetChargingProfile with a 0 limit) while the twin withholds that site's EV charging
   * (flexibility, shedding, an authorised-import cap) and resumes it after.
   */
  ocpp: z.strictObject({
    host: host.default('127.0.0.1'),
    port: port.default(OCPP_PORT_DEFAULT),
    chargers: z.array(z.strictObject({
      id: z.string().regex(/^[A-Za-z0-9._-]{1,48}$/, 'a charge point id: 1 to 48 letters, digits, dots, dashes or underscores'),
      site: z.string().min(1),
      connectorId: z.int().min(1).max(16).default(1),
    })).max(CHARGERS_MAX).default([]),
  }).optional(),
  /**
   * Modbus TCP / SunSpec inverters and batteries, each one site's (absent: none). After every slot the
   * node writes the twin's battery power and PV limit for that site and reads power and SoC back.
   */
  modbus: modbusDevicesSchema.default([]),
  /**
   * Co-signing with the other nodes of the node's microgrid(s) over signed WebSocket links (absent:
   * the node co-signs alone with every validator's key, as a simulation does). See docs/node.md.
   */
  peers: z.strictObject({
    listen: z.strictObject({ host: host.default('127.0.0.1'), port: port.default(PEER_PORT_DEFAULT) }).default({ host: '127.0.0.1', port: PEER_PORT_DEFAULT }),
    /** The validator this node signs as: `validator:<microgrid area>:<k>` (a controller) or `validator:dso:<dso area>`. */
    validator: z.string().regex(/^validator:[^\s]{1,200}$/, 'validator:<microgrid area>:<k> or validator:dso:<dso area>'),
    nodes: z.array(z.strictObject({ url: z.string().regex(/^wss?:\/\/[^\s]+$/, 'ws://host:port or wss://host:port'), did })).max(PEERS_MAX).default([]),
  }).optional(),
  /** Operators' DIDs and roles (for signed API writes). The scenario's gatekeepers are DSO/TSO operators too. */
  operators: z.array(z.strictObject({ did, role: z.enum(['dso', 'tso']) })).max(100).default([]),
  demo: z.strictObject({
    /** Let the dashboard's demo-outage button work without an operator signature (only when clock.speed > 1). */
    outageButton: z.boolean().default(false),
  }).default({ outageButton: false }),
});

export type NodeConfig = z.infer<typeof nodeConfigSchema>;
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;

/** Checks a parsed config; throws UsageError naming every problem's path. */
export function parseNodeConfig(value: unknown, where = 'node config'): NodeConfig {
  const parsed = nodeConfigSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new UsageError(`${where} is not valid:\n${lines.join('\n')}`);
}

/** Reads a YAML or JSON config file and resolves its paths from the file's folder. */
export async function loadNodeConfig(path: string): Promise<NodeConfig> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > NODE_CONFIG_BYTES_MAX) throw new UsageError(`${path}: the config is ${bytes.length} bytes; at most ${NODE_CONFIG_BYTES_MAX}`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read the node config ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${path}: not valid YAML/JSON: ${(e as Error).message}`);
  }
  const config = parseNodeConfig(value, path);
  const base = dirname(resolve(path));
  return { ...config, scenario: resolveFrom(base, config.scenario), dataDir: resolveFrom(base, config.dataDir) };
}

function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
