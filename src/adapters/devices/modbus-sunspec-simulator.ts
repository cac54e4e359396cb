/**
 * A SunSpec PV + battery device served over Modbus TCP (modbus-serial `ServerTCP`), so the Modbus
 * adapter is tested over real sockets and a CLI can run it as a separate process
 * (`gridmesh devices simulate --modbus PORT`).
 *
 * Register image at base 40000: 'SunS', model 1 (common), 103 (three-phase inverter), 123 (immediate
 * controls), 124 (basic storage), end model. The state advances on every request from the injected
 * clock: PV power = rated × profile(now), capped by WMaxLimPct while WMaxLim_Ena = 1; the battery
 * integrates the setpoint written to model 124 (InWRte/OutWRte as % of WChaMax, enabled by
 * StorCtl_Mod) into its stored energy, losslessly, and stops at empty and full.
 */
import { createServer } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { z } from 'zod';
import { ModbusError } from '../modbus/modbus-errors.js';
import { encodeCommon } from '../modbus/sunspec/common-model.js';
import { decodeControls, encodeControls } from '../modbus/sunspec/controls-model.js';
import { encodeInverter } from '../modbus/sunspec/inverter-model.js';
import { decodeStorage, encodeStorage, SOC_SF } from '../modbus/sunspec/storage-model.js';
import { CHARGE_STATUS, CONTROLS, INVERTER, MODEL_ID, STOR_CTL_MOD, STORAGE } from '../modbus/sunspec/sunspec-models.js';
import { applyScale, decodeInt16, decodeSunssf, encodeAcc32, encodeScaled, scaleFactorFor } from '../modbus/sunspec/sunspec-points.js';
import { MODBUS_EXCEPTION, ModbusExceptionResponse, SunSpecRegisterImage } from '../modbus/sunspec/sunspec-register-image.js';

const MS_PER_HOUR = 3_600_000;
const SUNSPEC_BASE_ADDRESS = 40000;
const INVERTER_STATE_MPPT = 4;
/** WMaxLimPct in 0.1 %. */
const LIMIT_SF = -1;
/** Attempts to bind an ephemeral port (another process may take the probed port in between). */
const EPHEMERAL_BIND_ATTEMPTS = 5;

const optionsSchema = z.object({
  /** TCP port; 0 = an ephemeral port, reported in `SunSpecDevice.port`. */
  port: z.number().int().min(0).max(65535),
  host: z.string().min(1).default('127.0.0.1'),
  unitId: z.number().int().min(1).max(247),
  pvRatedW: z.number().positive().max(10_000_000),
  batteryCapacityWh: z.number().positive().max(100_000_000),
  /** WChaMax; default 0.5 C. */
  batteryMaxChargeW: z.number().positive().max(10_000_000).optional(),
  initialSocPct: z.number().min(0).max(100).default(50),
  manufacturer: z.string().default('gridmesh'),
  model: z.string().default('sunspec-simulator'),
  serialNumber: z.string().default('SIM-0001'),
});

export type SunSpecDeviceOptions = z.input<typeof optionsSchema> & {
  /** Wall clock in ms; inject a fake one for deterministic tests. Default `Date.now`. */
  readonly clock?: () => number;
  /** Available PV as a fraction 0..1 of the rating at a time; default a 06:00-18:00 UTC half sine. */
  readonly pvProfile?: (nowMs: number) => number;
};

export interface SunSpecDeviceState {
  readonly availablePvW: number;
  /** AC power reported in model 103, W (positive = production). */
  readonly acPowerW: number;
  readonly lifetimeEnergyWh: number;
  readonly storedWh: number;
  readonly socPct: number;
  /** Battery power being applied, W: positive = charge, negative = discharge. */
  readonly chargePowerW: number;
}

export interface SunSpecDevice {
  readonly host: string;
  readonly port: number;
  readonly unitId: number;
  state(): SunSpecDeviceState;
  close(): Promise<void>;
}

/** Daylight as a half sine from 06:00 to 18:00 UTC, peaking at 1 at noon. */
export function daylightProfile(nowMs: number): number {
  const hour = (nowMs % (24 * MS_PER_HOUR)) / MS_PER_HOUR;
  return Math.max(0, Math.sin((Math.PI * (hour - 6)) / 12));
}

export async function runSunSpecDevice(options: SunSpecDeviceOptions): Promise<SunSpecDevice> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ModbusError('bad-config', 'invalid SunSpec simulator options', {
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    });
  }
  const config = parsed.data;
  const device = new SimulatedSunSpecDevice(config, options.clock ?? Date.now, options.pvProfile ?? daylightProfile);
  const { server, port } = await listen(device, config.host, config.port, config.unitId);
  return {
    host: config.host,
    port,
    unitId: config.unitId,
    state: () => device.state(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type DeviceConfig = z.output<typeof optionsSchema>;

/** The device's physics behind its register image. */
class SimulatedSunSpecDevice {
  readonly image: SunSpecRegisterImage;
  private readonly powerSf: number;
  private lastMs: number;
  private storedWh: number;
  private lifetimeEnergyWh = 0;
  private acPowerW = 0;
  private availablePvW = 0;
  private chargePowerW = 0;

  constructor(private readonly config: DeviceConfig, private readonly clock: () => number, private readonly pvProfile: (nowMs: number) => number) {
    this.powerSf = scaleFactorFor(config.pvRatedW, 'int16');
    const maxChargeW = config.batteryMaxChargeW ?? config.batteryCapacityWh / 2;
    this.storedWh = (config.initialSocPct / 100) * config.batteryCapacityWh;
    this.image = new SunSpecRegisterImage(SUNSPEC_BASE_ADDRESS, [
      { block: encodeCommon({ manufacturer: config.manufacturer, model: config.model, serialNumber: config.serialNumber, version: '1.0' }, config.unitId), writableOffsets: [] },
      { block: encodeInverter({ modelId: MODEL_ID.inverterThreePhase, acPowerW: 0, powerSf: this.powerSf, lifetimeEnergyWh: 0, state: INVERTER_STATE_MPPT }), writableOffsets: [] },
      { block: encodeControls({ limitPct: 100, enabled: false }, LIMIT_SF), writableOffsets: [CONTROLS.WMaxLimPct, CONTROLS.WMaxLimPct_WinTms, CONTROLS.WMaxLimPct_RvrtTms, CONTROLS.WMaxLimPct_RmpTms, CONTROLS.WMaxLim_Ena] },
      {
        block: encodeStorage({ socPct: config.initialSocPct, maxChargeW, maxChargeSf: scaleFactorFor(maxChargeW, 'uint16'), chargeStatus: CHARGE_STATUS.holding }),
        writableOffsets: [STORAGE.StorCtl_Mod, STORAGE.OutWRte, STORAGE.InWRte, STORAGE.InOutWRte_WinTms, STORAGE.InOutWRte_RvrtTms, STORAGE.InOutWRte_RmpTms],
      },
    ]);
    this.lastMs = clock();
    this.refresh();
  }

  read(address: number, count: number): number[] {
    this.advance();
    return this.image.read(address, count);
  }

  /** Settles the elapsed time under the old setpoint, checks and applies the write, then refreshes. */
  write(address: number, values: readonly number[]): void {
    this.advance();
    values.forEach((value, i) => this.checkValue(address + i, value));
    this.image.write(address, values);
    this.refresh();
  }

  state(): SunSpecDeviceState {
    this.advance();
    const { availablePvW, acPowerW, lifetimeEnergyWh, storedWh, chargePowerW } = this;
    return { availablePvW, acPowerW, lifetimeEnergyWh, storedWh, socPct: (storedWh / this.config.batteryCapacityWh) * 100, chargePowerW };
  }

  private advance(): void {
    const now = this.clock();
    const hours = Math.max(0, now - this.lastMs) / MS_PER_HOUR;
    this.lastMs = Math.max(now, this.lastMs);
    this.lifetimeEnergyWh += this.acPowerW * hours;
    this.storedWh = Math.min(this.config.batteryCapacityWh, Math.max(0, this.storedWh + this.chargePowerW * hours));
    this.refresh();
  }

  /** Recomputes PV power and battery power at the current time and writes the measured points. */
  private refresh(): void {
    const limit = decodeControls(this.image.read(this.image.modelAddress(MODEL_ID.immediateControls), 2 + CONTROLS.length));
    const capW = limit.enabled ? (limit.limitPct / 100) * this.config.pvRatedW : this.config.pvRatedW;
    this.availablePvW = this.config.pvRatedW * Math.min(1, Math.max(0, this.pvProfile(this.lastMs)));
    this.acPowerW = Math.min(this.availablePvW, capW);
    this.chargePowerW = this.batteryPowerW();
    this.writeMeasurements();
  }

  private batteryPowerW(): number {
    const wanted = decodeStorage(this.image.read(this.image.modelAddress(MODEL_ID.basicStorage), 2 + STORAGE.length)).chargePowerW;
    if (wanted > 0 && this.storedWh >= this.config.batteryCapacityWh) return 0;
    if (wanted < 0 && this.storedWh <= 0) return 0;
    return wanted;
  }

  private writeMeasurements(): void {
    const inverter = MODEL_ID.inverterThreePhase;
    this.image.set(inverter, INVERTER.W, encodeScaled(this.acPowerW, this.powerSf, 'int16', 'W'));
    const [hi, lo] = encodeAcc32(this.lifetimeEnergyWh);
    this.image.set(inverter, INVERTER.WH, hi);
    this.image.set(inverter, INVERTER.WH + 1, lo);
    const socPct = (this.storedWh / this.config.batteryCapacityWh) * 100;
    this.image.set(MODEL_ID.basicStorage, STORAGE.ChaState, encodeScaled(socPct, SOC_SF, 'uint16', 'ChaState'));
    this.image.set(MODEL_ID.basicStorage, STORAGE.ChaSt, chargeStatus(this.chargePowerW, socPct));
  }

  /** Rejects, with Modbus exception 3 (illegal data value), values a real device would refuse. */
  private checkValue(address: number, raw: number): void {
    const controls = this.image.modelAddress(MODEL_ID.immediateControls);
    const storage = this.image.modelAddress(MODEL_ID.basicStorage);
    const sf = (modelAddress: number, offset: number): number => decodeSunssf(this.image.read(modelAddress + offset, 1), 0) ?? 0;
    const check = (ok: boolean, point: string): void => {
      if (!ok) throw new ModbusExceptionResponse(MODBUS_EXCEPTION.illegalDataValue, `${point} raw value ${raw} is out of range`);
    };
    switch (address) {
      case controls + CONTROLS.WMaxLimPct:
        check(applyScale(raw, sf(controls, CONTROLS.WMaxLimPct_SF)) <= 100, 'WMaxLimPct');
        break;
      case controls + CONTROLS.WMaxLim_Ena:
        check(raw <= 1, 'WMaxLim_Ena');
        break;
      case storage + STORAGE.StorCtl_Mod:
        check(raw <= (STOR_CTL_MOD.charge | STOR_CTL_MOD.discharge), 'StorCtl_Mod');
        break;
      case storage + STORAGE.InWRte:
      case storage + STORAGE.OutWRte: {
        const ratePct = applyScale(decodeInt16([raw], 0) ?? Number.NaN, sf(storage, STORAGE.InOutWRte_SF));
        check(ratePct >= 0 && ratePct <= 100, 'InWRte/OutWRte');
        break;
      }
    }
  }
}

function chargeStatus(chargePowerW: number, socPct: number): number {
  if (chargePowerW > 0) return CHARGE_STATUS.charging;
  if (chargePowerW < 0) return CHARGE_STATUS.discharging;
  if (socPct >= 100) return CHARGE_STATUS.full;
  if (socPct <= 0) return CHARGE_STATUS.empty;
  return CHARGE_STATUS.holding;
}

async function listen(device: SimulatedSunSpecDevice, host: string, port: number, unitId: number): Promise<{ server: ServerTCP; port: number }> {
  const vector = {
    getHoldingRegister: (address: number, _unitId: number) => device.read(address, 1)[0] ?? 0,
    getMultipleHoldingRegisters: (address: number, length: number, _unitId: number) => device.read(address, length),
    setRegister: (address: number, value: number, _unitId: number) => device.write(address, [value]),
    setRegisterArray: (address: number, values: number[], _unitId: number) => device.write(address, values),
  };
  const attempts = port === 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    // ServerTCP treats port 0 as "default 502", so an ephemeral port is probed first with node:net.
    const chosen = port === 0 ? await probeFreePort(host) : port;
    const server = new ServerTCP(vector, { host, port: chosen, unitID: unitId });
    server.on('error', () => undefined);
    server.on('socketError', () => undefined);
    const failure = await new Promise<Error | null>((resolve) => {
      server.on('initialized', () => resolve(null));
      server.on('serverError', (error) => resolve(error ?? new Error('server error')));
    });
    if (failure === null) return { server, port: chosen };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (attempt >= attempts || (failure as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw new ModbusError('connection', `cannot listen on ${host}:${chosen}: ${failure.message}`, { cause: failure });
    }
  }
}

function probeFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
