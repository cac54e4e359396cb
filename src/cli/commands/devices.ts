/**
 * `gridmesh devices simulate SCENARIO [--seed N] [--days N] [--area AREA] [--mqtt URL] [--meters N | --sites id,id]
 *   [--slots N] [--fault meterIndex:slot:kind ...] [--ocpp URL --chargers N] [--modbus N]
 *   [--modbus-host HOST] [--json]`
 *
 * Runs simulated devices in this process, speaking the real protocols to a node (docs/devices.md):
 * MQTT meters with the identities the node's trust layer derives, reporting the scenario twin's
 * metered energy when the node's clock opens the next slot; OCPP 1.6J chargers; SunSpec Modbus TCP
 * devices. Prints one JSON line when everything is connected (`{"ready":true,…}`), a progress line
 * per slot (stderr; stdout JSON with --json), and a JSON summary (`{"done":true,…}`) on exit, after
 * --slots rounds or SIGINT/SIGTERM. Bad options are usage errors (exit code 2), found before
 * anything connects.
 */
import type { Command } from 'commander';
import { loadFeederNetworks } from '../../adapters/feeder-networks.js';
import { loadScenarioFile } from '../../adapters/scenario-file.js';
import {
  DeviceSimulation, METER_FAULT_SPECS_MAX, SIMULATED_CHARGERS_MAX, SIMULATED_METERS_MAX, SIMULATED_MODBUS_DEVICES_MAX,
  type DeviceSimulationOptions, type DeviceSimulationSummary, type MeterFaultSpec, type RoundReport, type SimulatedMeterSpec,
} from '../../adapters/devices/device-simulation.js';
import { METER_FAULTS, type MeterFault } from '../../adapters/devices/mqtt-meter-simulator.js';
import { TwinMeterReadings } from '../../adapters/devices/twin-meter-readings.js';
import { loadHighsSolver, SIMULATION_BUDGET } from '../../adapters/solver/highs-lp-solver.js';
import { CLOCK_TOPICS_MAX } from '../../adapters/mqtt/node-clock.js';
import { UsageError } from '../../core/errors.js';
import { buildAreaTree, type AreaTree } from '../../core/grid/area-tree.js';
import { deriveKeyPair } from '../../core/identity/key-pair.js';
import type { Scenario, SiteSpec } from '../../core/sim/scenario-schema.js';

const UINT32_MAX = 2 ** 32 - 1;
/** What a simulated charger's car draws, W (11 kW: three-phase 16 A). */
export const SIMULATED_CHARGER_POWER_W = 11_000;
/** A simulated charger's MeterValues interval, ms (real time). */
export const SIMULATED_CHARGER_METER_INTERVAL_MS = 10_000;
export const SIMULATED_PV_RATED_W = 5_000;
export const SIMULATED_BATTERY_CAPACITY_WH = 10_000;
const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ws:', 'wss:'];
const NAMES_LISTED_MAX = 20;

export interface DevicesSimulateFlags {
  seed?: string;
  days?: string;
  area?: string;
  mqtt?: string;
  meters?: string;
  sites?: string;
  slots?: string;
  fault?: string[];
  ocpp?: string;
  chargers?: string;
  modbus?: string;
  modbusHost?: string;
  json?: boolean;
}

/** Where the command writes (stdout and stderr lines in the CLI) and what stops it. */
export interface DevicesSimulateIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Settles when the devices should stop (SIGINT/SIGTERM in the CLI). */
  readonly until?: Promise<unknown>;
}

export function registerDevicesCommands(program: Command): void {
  const devices = program.command('devices').description('simulated devices that talk to a gridmesh node over MQTT, OCPP 1.6J and Modbus TCP');
  devices
    .command('simulate')
    .description('run simulated meters (MQTT, following the node clock), EV chargers (OCPP 1.6J) and SunSpec devices (Modbus TCP) until --slots rounds or SIGINT/SIGTERM')
    .argument('<scenario>', 'scenario file (YAML or JSON): sites, areas and the digital twin the meters report from')
    .option('--seed <n>', 'seed of the identities and the twin instead of the scenario\'s (integer 0..4294967295)')
    .option('--days <n>', 'length of the twin in days, as the node runs it (default the scenario\'s; may be fractional)')
    .option('--area <area>', 'only sites under this area (and charger ids <area>-ev-<k>); default: the whole scenario')
    .option('--mqtt <url>', 'broker of the node (mqtt://host:port): simulate meters')
    .option('--meters <n>', `the first N sites of the area (default all; at most ${SIMULATED_METERS_MAX})`)
    .option('--sites <ids>', 'these sites, comma-separated, instead of --meters')
    .option('--slots <n>', 'stop after N rounds of readings (default: run until SIGINT/SIGTERM)')
    .option('--fault <meterIndex:slot:kind>', `send a bad payload before a meter's reading of a slot (repeatable or comma-separated; kinds: ${METER_FAULTS.join(', ')})`, collect, [])
    .option('--ocpp <url>', 'OCPP 1.6J central system (ws://host:port/): simulate chargers')
    .option('--chargers <n>', `chargers with --ocpp (default 1; at most ${SIMULATED_CHARGERS_MAX})`)
    .option('--modbus <n>', `SunSpec Modbus TCP devices on ephemeral ports (at most ${SIMULATED_MODBUS_DEVICES_MAX})`)
    .option('--modbus-host <host>', 'address the Modbus devices listen on (default 127.0.0.1)')
    .option('--json', 'progress as one JSON line per slot on stdout instead of text on stderr')
    .action(async (file: string, flags: DevicesSimulateFlags) => {
      const signal = stopSignal();
      try {
        await devicesSimulateCommand(file, flags, {
          stdout: (line) => process.stdout.write(`${line}\n`),
          stderr: (line) => process.stderr.write(`${line}\n`),
          until: signal.promise,
        });
      } finally {
        signal.dispose();
      }
      // A connection that would not close must not keep the process alive after the summary.
      setTimeout(() => process.exit(), 2000).unref();
    });
}

/** Runs the devices until `io.until` settles, --slots rounds are done or the twin ends; returns the summary. */
export async function devicesSimulateCommand(file: string, flags: DevicesSimulateFlags, io: DevicesSimulateIo): Promise<DeviceSimulationSummary> {
  const options = parseFlags(flags);
  const scenario = await loadScenarioFile(file);
  const tree = buildAreaTree(scenario);
  const seed = options.seed ?? scenario.seed;
  const area = options.area === undefined ? undefined : areaIndex(scenario, tree, options.area);
  const rootId = tree.ids[0] as string;
  const simOptions: { -readonly [K in keyof DeviceSimulationOptions]: DeviceSimulationOptions[K] } = {
    onRound: (round) => (flags.json === true ? io.stdout(JSON.stringify(round)) : io.stderr(progressLine(round))),
    onWarning: (message) => io.stderr(`warning: ${message}`),
  };
  if (options.mqtt !== undefined) {
    const sites = selectSites(scenario, tree, area ?? 0, options);
    const meters: SimulatedMeterSpec[] = sites.map((i) => {
      const spec = scenario.sites[tree.siteOrder[i] as number] as SiteSpec;
      return { siteId: spec.id, area: spec.area, keyPair: deriveKeyPair(seed, `meter:${spec.id}`) };
    });
    const faults = options.faults.map((f) => {
      if (f.meterIndex >= meters.length) throw new UsageError(`--fault ${f.text}: meter index ${f.meterIndex} is not one of the ${meters.length} meters (0..${meters.length - 1})`);
      return { meterIndex: f.meterIndex, slot: f.slot, fault: f.fault };
    });
    if (options.days !== undefined && options.days > scenario.limits.maxDays) {
      throw new UsageError(`--days must be at most the scenario's limits.maxDays (${scenario.limits.maxDays}), got ${options.days}`);
    }
    const feederNetworks = await loadFeederNetworks(scenario, file);
    // The EMS plans with HiGHS on a work budget, as in `gridmesh simulate` and the node: same plans, same readings.
    const control = scenario.control.ems.enabled ? { solver: await loadHighsSolver({ budget: SIMULATION_BUDGET }) } : {};
    const twin = new TwinMeterReadings(scenario, {
      seed, siteIndices: sites, feederNetworks, control, ...(options.days === undefined ? {} : { days: options.days }),
    });
    simOptions.mqtt = {
      url: options.mqtt, meters, twin, faults, clockAreas: clockAreas(tree, sites),
      ...(options.slots === undefined ? {} : { rounds: options.slots }),
    };
  }
  if (options.ocpp !== undefined) {
    const prefix = options.area ?? rootId;
    simOptions.ocpp = {
      url: options.ocpp, powerW: SIMULATED_CHARGER_POWER_W, meterIntervalMs: SIMULATED_CHARGER_METER_INTERVAL_MS,
      chargerIds: Array.from({ length: options.chargers }, (_, k) => `${prefix}-ev-${k + 1}`),
    };
  }
  if (options.modbus !== undefined) {
    simOptions.modbus = { host: options.modbusHost, count: options.modbus, pvRatedW: SIMULATED_PV_RATED_W, batteryCapacityWh: SIMULATED_BATTERY_CAPACITY_WH };
  }

  const sim = await DeviceSimulation.start(simOptions);
  io.stdout(JSON.stringify({ ready: true, scenario: scenario.name, seed, ...sim.ready }));
  const stopped = await Promise.race([sim.run(), (io.until ?? new Promise<never>(() => undefined)).then(() => 'signal' as const, () => 'signal' as const)]);
  const summary = await sim.stop(stopped);
  io.stdout(JSON.stringify(summary));
  return summary;
}

interface FaultOption extends MeterFaultSpec {
  readonly text: string;
}

interface ParsedFlags {
  readonly seed: number | undefined;
  readonly days: number | undefined;
  readonly area: string | undefined;
  readonly mqtt: string | undefined;
  readonly meters: number | undefined;
  readonly sites: readonly string[] | undefined;
  readonly slots: number | undefined;
  readonly faults: readonly FaultOption[];
  readonly ocpp: string | undefined;
  readonly chargers: number;
  readonly modbus: number | undefined;
  readonly modbusHost: string;
}

/** Checks every option that does not need the scenario. */
function parseFlags(flags: DevicesSimulateFlags): ParsedFlags {
  const mqtt = flags.mqtt === undefined ? undefined : urlOption('--mqtt', flags.mqtt, MQTT_PROTOCOLS, 'mqtt://127.0.0.1:1883');
  const ocpp = flags.ocpp === undefined ? undefined : urlOption('--ocpp', flags.ocpp, ['ws:', 'wss:'], 'ws://127.0.0.1:9220/');
  const modbus = flags.modbus === undefined ? undefined : wholeNumber('--modbus', flags.modbus, 1, SIMULATED_MODBUS_DEVICES_MAX);
  const needs = (option: string, value: unknown, what: string, present: unknown): void => {
    if (value !== undefined && present === undefined) throw new UsageError(`${option} needs ${what}`);
  };
  needs('--meters', flags.meters, '--mqtt URL (meters report over MQTT)', mqtt);
  needs('--sites', flags.sites, '--mqtt URL (meters report over MQTT)', mqtt);
  needs('--days', flags.days, '--mqtt URL (the twin is what meters report)', mqtt);
  needs('--slots', flags.slots, '--mqtt URL (rounds follow the node clock on the broker)', mqtt);
  needs('--fault', (flags.fault ?? []).length > 0 ? true : undefined, '--mqtt URL (faults are bad meter payloads)', mqtt);
  needs('--chargers', flags.chargers, '--ocpp URL', ocpp);
  needs('--modbus-host', flags.modbusHost, '--modbus N', modbus);
  if (mqtt === undefined && ocpp === undefined && modbus === undefined) {
    throw new UsageError('nothing to simulate: give --mqtt URL (meters), --ocpp URL (chargers) and/or --modbus N (SunSpec devices)');
  }
  if (flags.meters !== undefined && flags.sites !== undefined) throw new UsageError('--meters and --sites exclude each other: give one');
  const faultTexts = (flags.fault ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f.length > 0);
  if (faultTexts.length > METER_FAULT_SPECS_MAX) throw new UsageError(`--fault: at most ${METER_FAULT_SPECS_MAX} faults in all`);
  const modbusHost = flags.modbusHost ?? '127.0.0.1';
  if (modbusHost.trim() === '' || modbusHost.length > 255) throw new UsageError(`--modbus-host must be a host name or address, got "${modbusHost}"`);
  return {
    seed: flags.seed === undefined ? undefined : wholeNumber('--seed', flags.seed, 0, UINT32_MAX),
    days: flags.days === undefined ? undefined : positiveNumber('--days', flags.days),
    area: flags.area,
    mqtt,
    meters: flags.meters === undefined ? undefined : wholeNumber('--meters', flags.meters, 1, SIMULATED_METERS_MAX),
    sites: flags.sites === undefined ? undefined : siteList(flags.sites),
    slots: flags.slots === undefined ? undefined : wholeNumber('--slots', flags.slots, 1, UINT32_MAX),
    faults: faultTexts.map(faultOption),
    ocpp,
    chargers: flags.chargers === undefined ? 1 : wholeNumber('--chargers', flags.chargers, 1, SIMULATED_CHARGERS_MAX),
    modbus,
    modbusHost,
  };
}

function areaIndex(scenario: Scenario, tree: AreaTree, id: string): number {
  const index = tree.indexOf.get(id);
  if (index === undefined) {
    const ids = scenario.areas.map((a) => a.id);
    const listed = ids.slice(0, NAMES_LISTED_MAX).join(', ') + (ids.length > NAMES_LISTED_MAX ? `, … (${ids.length} in all)` : '');
    throw new UsageError(`--area: no area "${id}" in the scenario; expected one of ${listed}`);
  }
  return index;
}

/** Internal indices of the metered sites: all (or the first --meters) under the area, or --sites. */
function selectSites(scenario: Scenario, tree: AreaTree, area: number, options: ParsedFlags): number[] {
  const start = tree.siteStart[area] as number;
  const end = tree.siteEnd[area] as number;
  const areaId = tree.ids[area] as string;
  if (options.sites !== undefined) {
    const indexOfSite = new Map<string, number>();
    tree.siteOrder.forEach((k, i) => indexOfSite.set(scenario.sites[k]?.id ?? '', i));
    return options.sites.map((id) => {
      const i = indexOfSite.get(id);
      if (i === undefined) throw new UsageError(`--sites: no site "${id}" in the scenario`);
      if (i < start || i >= end) throw new UsageError(`--sites: site "${id}" is not under --area ${areaId}`);
      return i;
    });
  }
  const count = end - start;
  if (count === 0) throw new UsageError(`--area: area "${areaId}" has no sites to meter`);
  if (options.meters === undefined && count > SIMULATED_METERS_MAX) {
    throw new UsageError(`--meters: area "${areaId}" has ${count} sites, more than the ${SIMULATED_METERS_MAX} meters one process simulates`, {
      details: [`pass --meters N (at most ${SIMULATED_METERS_MAX}), --sites, or a smaller --area; run several processes for more`],
    });
  }
  const n = Math.min(count, options.meters ?? count);
  return Array.from({ length: n }, (_, k) => start + k);
}

/**
 * The areas whose node clock the meters follow: every area that holds all of them (their lowest
 * common area and the areas above it), innermost first, as a node serving any of them publishes
 * the clock on its own area.
 */
function clockAreas(tree: AreaTree, sites: readonly number[]): string[] {
  const holdsAll = (a: number): boolean => sites.every((i) => {
    const siteArea = tree.siteArea[i] as number;
    return siteArea >= a && siteArea < (tree.subtreeEnd[a] as number);
  });
  let area = tree.siteArea[sites[0] as number] as number;
  while (!holdsAll(area)) area = tree.parent[area] as number;
  const chain: string[] = [];
  for (; area >= 0 && chain.length < CLOCK_TOPICS_MAX; area = tree.parent[area] as number) chain.push(tree.ids[area] as string);
  return chain;
}

function progressLine(r: RoundReport): string {
  const skipped = r.skipped > 0 ? `, ${count(r.skipped, 'slot')} skipped` : '';
  return `slot ${r.slot} (node at ${r.openSlot}): ${count(r.readings, 'reading')}, ${count(r.faults, 'fault')}, ${count(r.replies, 'reply', 'replies')}${skipped}`;
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function faultOption(text: string): FaultOption {
  const parts = text.split(':');
  const expected = `expected meterIndex:slot:kind with kind one of ${METER_FAULTS.join(', ')}, e.g. 0:5:forged-signature`;
  if (parts.length !== 3) throw new UsageError(`--fault "${text}": ${expected}`);
  const [meter, slot, kind] = parts as [string, string, string];
  const meterIndex = Number(meter);
  const slotNumber = Number(slot);
  if (meter.trim() === '' || !Number.isInteger(meterIndex) || meterIndex < 0 || meterIndex >= SIMULATED_METERS_MAX) {
    throw new UsageError(`--fault "${text}": meter index must be a whole number 0..${SIMULATED_METERS_MAX - 1}; ${expected}`);
  }
  if (slot.trim() === '' || !Number.isInteger(slotNumber) || slotNumber < 0 || slotNumber > UINT32_MAX) {
    throw new UsageError(`--fault "${text}": slot must be a whole number 0..${UINT32_MAX}; ${expected}`);
  }
  if (!(METER_FAULTS as readonly string[]).includes(kind)) throw new UsageError(`--fault "${text}": unknown kind "${kind}"; ${expected}`);
  return { text, meterIndex, slot: slotNumber, fault: kind as MeterFault };
}

function siteList(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (ids.length === 0) throw new UsageError(`--sites must list site ids separated by commas, got "${text}"`);
  if (ids.length > SIMULATED_METERS_MAX) throw new UsageError(`--sites: at most ${SIMULATED_METERS_MAX} sites, got ${ids.length}`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new UsageError(`--sites: site "${id}" is listed twice`);
    seen.add(id);
  }
  return ids;
}

function urlOption(name: string, text: string, protocols: readonly string[], example: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${name} must be a URL such as ${example}, got "${text}"`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${name} must be a ${protocols.map((p) => p.slice(0, -1)).join(', ')} URL such as ${example}, got "${text}"`);
  return text;
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number ${min}..${max}, got "${text}"`);
  }
  return value;
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return value;
}

function collect(value: string, previous: string[]): string[] {
  // Bounded here too: commander would otherwise keep every repetition.
  return previous.length > METER_FAULT_SPECS_MAX ? previous : [...previous, value];
}

/** Settles on the first SIGINT or SIGTERM; a second one has the default effect (the process ends). */
function stopSignal(): { promise: Promise<void>; dispose(): void } {
  let resolveStop: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  const onSignal = (): void => {
    dispose();
    resolveStop();
  };
  const dispose = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { promise, dispose };
}
