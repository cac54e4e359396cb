/**
 * A node's PV inverters and batteries over Modbus TCP / SunSpec (docs/modbus.md), the Modbus
 * counterpart of `NodeChargers`: after every settled slot each real device is read (AC power, state
 * of charge) and made to follow its site's twin: a battery setpoint (model 124) and a PV output cap
 * (model 123).
 *
 * Units and signs: `batteryW` is W with **positive = charge** (into the battery), negative =
 * discharge, as `SunSpecClient.setBatterySetpointW` takes it (the opposite of the core's site-flow
 * convention, where battery power positive = discharge: convert at the call site). `curtailPct` is
 * the cap in % (0..100) of the inverter's rated power it may produce; null = no cap (100 % written).
 *
 * A setpoint is written only when it moved by more than a deadband from the last value written on
 * this connection, or when the device reports another value than the one written (it reverted a
 * timed command, restarted, or another Modbus master changed it). A device that cannot be reached is
 * not fatal, at start or later: it shows as disconnected, its failures are `device` alerts, and it is
 * tried again after the next slots with a bounded backoff. Nothing here throws after `connect`.
 */
import { z } from 'zod';
import { ModbusError } from '../../adapters/modbus/modbus-errors.js';
import { SunSpecClient } from '../../adapters/modbus/sunspec-client.js';
import { INVERTER_MODEL_IDS, MODEL_ID } from '../../adapters/modbus/sunspec/sunspec-models.js';
import type { AlertView, DeviceView } from './node-view.js';

export const MODBUS_DEVICES_MAX = 1000;
/** Per Modbus request and for the TCP connect, ms (overridable with `options.timeoutMs`). */
export const MODBUS_TIMEOUT_MS_DEFAULT = 1000;
/** A battery setpoint within this many W of the last one written is not written again. */
export const BATTERY_DEADBAND_W = 50;
/** A PV cap within this many percentage points of the last one written is not written again. */
export const CURTAIL_DEADBAND_PCT = 1;
/** After n failed reconnects in a row the next try is min(2^(n-1), this) slots later. */
export const RECONNECT_BACKOFF_SLOTS_MAX = 8;
/** A device's whole turn in one slot (connect, reads, writes) is cut after this many request timeouts. */
export const DEVICE_TURN_TIMEOUTS = 6;

const NO_CAP_PCT = 100;

export const modbusDeviceSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.int().min(1).max(65_535).default(502),
  /** Modbus unit id (slave id): SunSpec devices commonly use 1, some gateways 126. */
  unitId: z.int().min(1).max(247).default(1),
  /** The scenario site whose battery and PV this device is. */
  site: z.string().min(1),
  /** Names the device in the API (`modbus:<id>`); default `host:port/unitId`. */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,48}$/, '1 to 48 letters, digits, dots, dashes or underscores').optional(),
});

/** The node config's `modbus: [...]`: at most 1000 devices, each named once. */
export const modbusDevicesSchema = z.array(modbusDeviceSchema).max(MODBUS_DEVICES_MAX).superRefine((devices, ctx) => {
  const seen = new Map<string, number>();
  devices.forEach((d, k) => {
    const name = deviceName(d);
    const first = seen.get(name);
    if (first === undefined) seen.set(name, k);
    else ctx.addIssue({ code: 'custom', path: [k, d.id === undefined ? 'host' : 'id'], message: `device ${name} is already modbus[${first}]` });
  });
});

export type ModbusDeviceConfig = z.output<typeof modbusDeviceSchema>;
export type ModbusDevicesConfig = z.output<typeof modbusDevicesSchema>;

/** What the twin wants from one site this slot. */
export interface ModbusSetpoints {
  /** Battery power, W: positive = charge, negative = discharge, 0 = hold; null = leave the battery alone. */
  readonly batteryW: number | null;
  /** PV output cap in % (0..100) of the rated power; null = no cap (100 % is written). */
  readonly curtailPct: number | null;
}

export interface ModbusDeviceState {
  /** The config id, or host:port/unitId. */
  readonly id: string;
  readonly site: string;
  /** AC power last read, W (positive = production); null before the first reading. */
  readonly powerW: number | null;
  /** State of charge last read, %; null before the first reading or without a battery model. */
  readonly socPct: number | null;
  /** The battery setpoint last written on this connection, W (positive = charge); null = none. */
  readonly batterySetpointW: number | null;
  /** The PV cap last written on this connection, % (100 = no cap); null = none. */
  readonly curtailPct: number | null;
  readonly connected: boolean;
}

export interface NodeModbusOptions {
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

interface Device {
  readonly id: string;
  readonly config: ModbusDeviceConfig;
  readonly siteIndex: number;
  readonly area: string;
  client: SunSpecClient | null;
  hasInverter: boolean;
  hasControls: boolean;
  hasStorage: boolean;
  powerW: number | null;
  socPct: number | null;
  lastReadingSlot: number | null;
  /** Last values written on the current connection (null: none yet, so the first slot writes). */
  writtenBatteryW: number | null;
  writtenCurtailPct: number | null;
  /** Failed reconnects in a row, and the first slot at which to try again. */
  failures: number;
  retryAtSlot: number;
}

/** A device's turn was cut by its time budget; nothing more is done or recorded for it. */
class TurnCancelled extends Error {}

interface Turn {
  cancelled: boolean;
}

/** Failures after which the connection is not trusted any more: it is dropped and reopened later. */
const CONNECTION_FAILURES: ReadonlySet<string> = new Set(['timeout', 'connection', 'closed', 'busy']);

export class NodeModbusDevices {
  private readonly closing = new Set<Promise<void>>();
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly devicesList: readonly Device[], private readonly timeoutMs: number, private readonly log: (line: string) => void) {}

  /**
   * Checks the config (RangeError naming `modbus[k]…` for a bad entry or an unknown site), then
   * connects to every device in parallel. A device that cannot be reached is logged, shown as
   * disconnected and tried again in the first `follow`.
   */
  static async connect(config: ModbusDevicesConfig, sites: ReadonlyMap<string, { index: number; area: string }>, options: NodeModbusOptions = {}): Promise<NodeModbusDevices> {
    const parsed = modbusDevicesSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RangeError(`modbus${(issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue?.message ?? 'invalid'}`);
    }
    const timeoutMs = options.timeoutMs ?? MODBUS_TIMEOUT_MS_DEFAULT;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 30_000) throw new RangeError(`modbus timeoutMs: 10..30000 ms, got ${timeoutMs}`);
    const devices = parsed.data.map((c, k): Device => {
      const site = sites.get(c.site);
      if (site === undefined) throw new RangeError(`modbus[${k}].site: no site ${JSON.stringify(c.site)} in the scenario`);
      return {
        id: deviceName(c), config: c, siteIndex: site.index, area: site.area, client: null, hasInverter: false, hasControls: false, hasStorage: false,
        powerW: null, socPct: null, lastReadingSlot: null, writtenBatteryW: null, writtenCurtailPct: null, failures: 0, retryAtSlot: Number.NEGATIVE_INFINITY,
      };
    });
    const node = new NodeModbusDevices(devices, timeoutMs, options.log ?? (() => undefined));
    await Promise.all(devices.map(async (d) => {
      let failure: unknown;
      const outcome = await node.bounded(d, async (turn) => {
        try {
          await node.open(d, turn);
        } catch (e) {
          failure = e;
        }
      });
      if (outcome === 'late') failure = `no answer within ${DEVICE_TURN_TIMEOUTS * timeoutMs} ms`;
      if (failure !== undefined) node.log(`Modbus device ${d.id} (${d.config.site}) is not reachable: ${messageOf(failure)}; it is tried again after the first slot`);
    }));
    return node;
  }

  /**
   * After slot `slot`: reads each device and writes its site's setpoints. All devices run in
   * parallel, each within a time budget; failures come back as `device` alerts, never as throws.
   * Calls are serialised (a call waits for the previous one).
   */
  follow(slot: number, setpoints: (siteIndex: number) => ModbusSetpoints): Promise<AlertView[]> {
    const run = this.turn.then(async () => {
      if (this.closed) return [];
      const alerts: AlertView[] = [];
      await Promise.all(this.devicesList.map((d) => this.deviceTurn(d, slot, setpoints, alerts)));
      return alerts;
    });
    this.turn = run.catch(() => undefined);
    return run.catch((e: unknown) => [{ slot, kind: 'device' as const, message: `Modbus devices: internal error: ${messageOf(e)}` }]);
  }

  devices(): DeviceView[] {
    return this.devicesList.map((d) => ({
      did: `modbus:${d.id}`, kind: !d.hasInverter && d.hasStorage ? 'battery' : 'inverter', site: d.config.site, area: d.area, protocol: 'modbus',
      connected: d.client !== null, credential: null, lastReadingSlot: d.lastReadingSlot, powerW: d.powerW,
    }));
  }

  state(): ModbusDeviceState[] {
    return this.devicesList.map((d) => ({
      id: d.id, site: d.config.site, powerW: d.powerW, socPct: d.socPct, batterySetpointW: d.writtenBatteryW, curtailPct: d.writtenCurtailPct, connected: d.client !== null,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.turn;
    for (const d of this.devicesList) this.drop(d);
    await Promise.all([...this.closing]);
  }

  /** One device's turn in a slot; alerts go to `alerts`. */
  private async deviceTurn(d: Device, slot: number, setpoints: (siteIndex: number) => ModbusSetpoints, alerts: AlertView[]): Promise<void> {
    try {
      const outcome = await this.bounded(d, (turn) => this.work(d, slot, setpoints, turn, alerts));
      if (outcome === 'late') {
        alerts.push(this.alert(d, slot, `did not finish within ${DEVICE_TURN_TIMEOUTS * this.timeoutMs} ms; disconnected, ${backOff(d, slot)}`));
      }
    } catch (e) {
      if (!(e instanceof TurnCancelled)) alerts.push(this.alert(d, slot, `internal error: ${messageOf(e)}`));
    }
  }

  /**
   * Runs `task` for `d` within DEVICE_TURN_TIMEOUTS request timeouts. When the time is up the turn is
   * cancelled (the task records and reports nothing more) and the connection is dropped.
   */
  private async bounded(d: Device, task: (turn: Turn) => Promise<void>): Promise<'done' | 'late'> {
    const turn: Turn = { cancelled: false };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), DEVICE_TURN_TIMEOUTS * this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([task(turn).then(() => 'done' as const), late]);
      if (outcome === 'late') {
        turn.cancelled = true;
        this.drop(d);
      }
      return outcome;
    } catch (e) {
      turn.cancelled = true;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private async work(d: Device, slot: number, setpoints: (siteIndex: number) => ModbusSetpoints, turn: Turn, alerts: AlertView[]): Promise<void> {
    if (d.client === null) {
      if (slot < d.retryAtSlot) return;
      try {
        await this.open(d, turn);
      } catch (e) {
        if (e instanceof TurnCancelled || turn.cancelled) throw new TurnCancelled();
        alerts.push(this.alert(d, slot, `cannot connect: ${messageOf(e)} (${backOff(d, slot)})`));
        return;
      }
    }
    const client = d.client;
    if (client === null) return;
    /** Runs one request: its value, or undefined after a failure (alerted; the connection dropped if it is not usable). */
    const step = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
      if (turn.cancelled || d.client !== client) throw new TurnCancelled();
      try {
        const value = await call();
        if (turn.cancelled) throw new TurnCancelled();
        return value;
      } catch (e) {
        if (e instanceof TurnCancelled || turn.cancelled) throw new TurnCancelled();
        const lost = !(e instanceof ModbusError) || CONNECTION_FAILURES.has(e.reason);
        if (lost) this.drop(d);
        alerts.push(this.alert(d, slot, `${what} failed: ${messageOf(e)}${lost ? `; disconnected, ${backOff(d, slot)}` : ''}`));
        if (lost) throw new TurnCancelled();
        return undefined;
      }
    };

    const powerW = d.hasInverter ? await step('reading inverter power', () => client.readInverterPowerW()) : undefined;
    if (powerW !== undefined) d.powerW = powerW;
    const storage = d.hasStorage ? await step('reading the battery', () => client.readStorage()) : undefined;
    if (storage !== undefined) d.socPct = storage.socPct;
    const limit = d.hasControls ? await step('reading the PV limit', () => client.readOutputLimit()) : undefined;
    if (powerW !== undefined || storage !== undefined || limit !== undefined) d.lastReadingSlot = slot;

    let wanted: ModbusSetpoints;
    try {
      wanted = setpoints(d.siteIndex);
    } catch (e) {
      alerts.push(this.alert(d, slot, `no setpoints for site ${d.config.site}: ${messageOf(e)}`));
      return;
    }

    if (storage !== undefined && wanted.batteryW !== null) {
      if (!Number.isFinite(wanted.batteryW)) {
        alerts.push(this.alert(d, slot, `battery setpoint ${wanted.batteryW} W is not a number; not written`));
      } else {
        // The twin's battery may be larger than the real one: the setpoint is capped at ±WChaMax.
        const target = clamp(wanted.batteryW, -storage.maxChargeW, storage.maxChargeW);
        const resolutionW = (storage.maxChargeW * 10 ** storage.rateSf) / 100;
        if (needsWrite(target, d.writtenBatteryW, storage.chargePowerW, BATTERY_DEADBAND_W, resolutionW, 0)) {
          const ok = await step(`writing battery setpoint ${round(target)} W`, () => client.setBatterySetpointW(target).then(() => true));
          if (ok === true) d.writtenBatteryW = target;
        }
      }
    }
    if (limit !== undefined) {
      const pct = wanted.curtailPct ?? NO_CAP_PCT;
      if (!Number.isFinite(pct)) {
        alerts.push(this.alert(d, slot, `PV cap ${pct} % is not a number; not written`));
      } else {
        const target = clamp(pct, 0, NO_CAP_PCT);
        const onDevice = limit.enabled ? limit.limitPct : NO_CAP_PCT;
        if (needsWrite(target, d.writtenCurtailPct, onDevice, CURTAIL_DEADBAND_PCT, 10 ** limit.limitSf, NO_CAP_PCT)) {
          const ok = await step(`writing PV cap ${round(target)} %`, () => client.setPvCurtailmentPct(target).then(() => true));
          if (ok === true) d.writtenCurtailPct = target;
        }
      }
    }
  }

  /** Connects and discovers the models; the values written on an earlier connection are forgotten. */
  private async open(d: Device, turn: Turn): Promise<void> {
    const client = await SunSpecClient.connect({ host: d.config.host, port: d.config.port, unitId: d.config.unitId, timeoutMs: this.timeoutMs, retries: 0 });
    if (turn.cancelled || this.closed) {
      this.closeLater(client);
      throw new TurnCancelled();
    }
    const ids = client.modelIds;
    d.client = client;
    d.hasInverter = INVERTER_MODEL_IDS.some((id) => ids.includes(id));
    d.hasControls = ids.includes(MODEL_ID.immediateControls);
    d.hasStorage = ids.includes(MODEL_ID.basicStorage);
    d.writtenBatteryW = null;
    d.writtenCurtailPct = null;
    d.failures = 0;
    const missing = [d.hasInverter ? null : 'inverter (101-103)', d.hasControls ? null : 'PV limit (123)', d.hasStorage ? null : 'battery (124)'].filter((m) => m !== null);
    this.log(`Modbus device ${d.id} (${d.config.site}) connected: SunSpec models ${ids.join(', ')}${missing.length === 0 ? '' : `; without ${missing.join(', ')}`}`);
  }

  private drop(d: Device): void {
    const client = d.client;
    d.client = null;
    if (client !== null) this.closeLater(client);
  }

  /**
   * Closes in the background. The wait is bounded: modbus-serial calls back only on the socket's
   * 'close' event, which never comes for a socket the device already closed, or while a hung device
   * does not answer the FIN.
   */
  private closeLater(client: SunSpecClient): void {
    let timer: NodeJS.Timeout | undefined;
    const closing = Promise.race([
      client.close().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.timeoutMs);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      this.closing.delete(closing);
    });
    this.closing.add(closing);
  }

  private alert(d: Device, slot: number, what: string): AlertView {
    return { slot, kind: 'device', device: `modbus:${d.id}`, area: d.area, message: `Modbus device ${d.id} (${d.config.site}): ${what}` };
  }
}

/**
 * Counts a failed turn and sets the next slot to try: 1, 2, 4 … RECONNECT_BACKOFF_SLOTS_MAX slots
 * after n failures in a row (a device that was connected is tried again next slot). Says when.
 */
function backOff(d: Device, slot: number): string {
  d.failures++;
  const delay = Math.min(2 ** (d.failures - 1), RECONNECT_BACKOFF_SLOTS_MAX);
  d.retryAtSlot = slot + delay;
  return delay === 1 ? 'tried again next slot' : `tried again in ${delay} slots`;
}

function deviceName(c: { id?: string | undefined; host: string; port?: number; unitId?: number }): string {
  return c.id ?? `${c.host}:${c.port ?? 502}/${c.unitId ?? 1}`;
}

/**
 * Write when nothing was written on this connection, when the wanted value moved more than the
 * deadband from the last one written (or reaches `exact`: hold, no cap), or when the device holds
 * another value than the one written (beyond the deadband and the point's resolution).
 */
function needsWrite(target: number, written: number | null, onDevice: number, deadband: number, resolution: number, exact: number): boolean {
  if (written === null) return true;
  if (Math.abs(target - written) > deadband) return true;
  if (target === exact && written !== exact) return true;
  return Math.abs(onDevice - written) > Math.max(deadband, resolution);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
