/**
 * A SunSpec device over Modbus TCP: connects, discovers the models, reads PV power and battery SoC,
 * writes PV curtailment (model 123) and battery setpoints (model 124).
 *
 * Signs: `readInverterPowerW` is positive when the inverter produces. `setBatterySetpointW` takes
 * `chargePowerW`, positive = charge (into the battery), negative = discharge. Note this is the
 * opposite of the core's site-flow convention (units.ts: battery power positive = discharge); the
 * name says which one is meant.
 */
import { decodeCommon, type DeviceIdentity } from './sunspec/common-model.js';
import { decodeControls, encodeOutputLimit, type BlockWrite, type ControlsReading } from './sunspec/controls-model.js';
import { decodeInverter, type InverterReading } from './sunspec/inverter-model.js';
import { discoverModels, requireModel, type ModelEntry, type SunSpecMap } from './sunspec/model-discovery.js';
import { decodeStorage, encodeChargeSetpoint, type StorageReading } from './sunspec/storage-model.js';
import { COMMON, CONTROLS, INVERTER, INVERTER_MODEL_IDS, MODEL_HEADER_REGISTERS, MODEL_ID, STORAGE } from './sunspec/sunspec-models.js';
import { connectModbusTcp, MAX_READ_REGISTERS, type ModbusTransport } from './modbus-tcp-transport.js';
import { parseSunSpecClientOptions, type SunSpecClientOptions } from './sunspec-client-options.js';

export class SunSpecClient {
  private constructor(
    private readonly transport: ModbusTransport,
    /** The models the device offers, in register order. */
    readonly map: SunSpecMap,
  ) {}

  /** Connects and discovers the models; the connection is closed again if discovery fails. */
  static async connect(options: SunSpecClientOptions): Promise<SunSpecClient> {
    const config = parseSunSpecClientOptions(options);
    const transport = await connectModbusTcp(config);
    try {
      const read = (address: number, count: number): Promise<number[]> => transport.readHoldingRegisters(address, count);
      const map = await discoverModels(read, { maxModels: config.maxModels, ...(config.baseAddresses === undefined ? {} : { baseAddresses: config.baseAddresses }) });
      return new SunSpecClient(transport, map);
    } catch (error) {
      await transport.close();
      throw error;
    }
  }

  /** Model ids found, e.g. [1, 103, 123, 124]. */
  get modelIds(): number[] {
    return this.map.models.map((m) => m.id);
  }

  async readIdentity(): Promise<DeviceIdentity> {
    return decodeCommon(await this.readModel([MODEL_ID.common], 'identity', COMMON.lengthMin));
  }

  async readInverter(): Promise<InverterReading> {
    return decodeInverter(await this.readModel(INVERTER_MODEL_IDS, 'inverter power', INVERTER.length));
  }

  /** AC power, W; positive = production. */
  async readInverterPowerW(): Promise<number> {
    return (await this.readInverter()).acPowerW;
  }

  async readOutputLimit(): Promise<ControlsReading> {
    return decodeControls(await this.readModel([MODEL_ID.immediateControls], 'PV curtailment', CONTROLS.length));
  }

  /**
   * Caps PV output at `limitPct` % of WMax (model 123 WMaxLimPct, enabled); 100 lifts the cap.
   * So `setPvCurtailmentPct(30)` lets the inverter produce at most 30 % of its rating.
   */
  async setPvCurtailmentPct(limitPct: number): Promise<void> {
    const model = this.model([MODEL_ID.immediateControls], 'PV curtailment', CONTROLS.length);
    const controls = decodeControls(await this.readBlock(model));
    await this.applyWrites(model, encodeOutputLimit(limitPct, controls.limitSf));
  }

  async readStorage(): Promise<StorageReading> {
    return decodeStorage(await this.readModel([MODEL_ID.basicStorage], 'battery', STORAGE.length));
  }

  /** State of charge, % (model 124 ChaState). */
  async readBatterySocPct(): Promise<number> {
    return (await this.readStorage()).socPct;
  }

  /**
   * Sets the battery power, W: positive = charge, negative = discharge, 0 = hold. It must be within
   * ±WChaMax (read from the device first), else an `out-of-range` error and nothing is written.
   */
  async setBatterySetpointW(chargePowerW: number): Promise<void> {
    const model = this.model([MODEL_ID.basicStorage], 'battery', STORAGE.length);
    const storage = decodeStorage(await this.readBlock(model));
    await this.applyWrites(model, encodeChargeSetpoint(chargePowerW, storage.maxChargeW, storage.rateSf));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private model(ids: readonly number[], what: string, lengthMin: number): ModelEntry {
    return requireModel(this.map, ids, what, lengthMin);
  }

  private async readModel(ids: readonly number[], what: string, lengthMin: number): Promise<number[]> {
    return this.readBlock(this.model(ids, what, lengthMin));
  }

  /** The whole model (header and points) in reads of at most 125 registers, so scale factors match their values. */
  private async readBlock(model: ModelEntry): Promise<number[]> {
    const total = MODEL_HEADER_REGISTERS + model.length;
    const block: number[] = [];
    for (let offset = 0; offset < total; offset += MAX_READ_REGISTERS) {
      block.push(...(await this.transport.readHoldingRegisters(model.address + offset, Math.min(MAX_READ_REGISTERS, total - offset))));
    }
    return block;
  }

  private async applyWrites(model: ModelEntry, writes: readonly BlockWrite[]): Promise<void> {
    for (const write of writes) await this.transport.writeRegisters(model.address + write.offset, write.values);
  }
}
