/**
 * A simulated OCPP 1.6J charge point with one car plugged in, talking to a central system over a
 * real WebSocket (ocpp-rpc RPCClient, strict validation). It boots, reports status, starts a
 * transaction, and sends MeterValues every `meterIntervalMs`; each tick advances simulated time by
 * `simulatedStepMs` (so tests run a charging hour in a fraction of a second, deterministically).
 * It obeys SetChargingProfile (limit 0 → 0 W and SuspendedEVSE) and ClearChargingProfile.
 * Exported for `gridmesh devices simulate --ocpp URL`, which runs it in its own process.
 */
import { createRPCError, RPCClient } from 'ocpp-rpc';
import { ChargingProfileStack } from '../ocpp/1.6/charging-profile-stack.js';
import { OcppError } from '../ocpp/1.6/ocpp-errors.js';
import {
  clearChargingProfileReq, parseWire, setChargingProfileReq, type ConnectorStatus,
} from '../ocpp/1.6/wire-messages.js';

export interface OcppChargerSimOptions {
  /** Central system endpoint without the charger id, e.g. ws://127.0.0.1:9220. */
  readonly url: string;
  readonly chargerId: string;
  /** What the car draws when nothing limits it, W. */
  readonly powerW: number;
  readonly connectorId?: number;
  readonly meterIntervalMs?: number;
  /** Simulated time per meter tick, ms (defaults to meterIntervalMs: real time). */
  readonly simulatedStepMs?: number;
  readonly startEnergyWh?: number;
  /** Used to turn limits in A into W. */
  readonly voltageV?: number;
  readonly phases?: number;
  readonly idTag?: string;
  readonly callTimeoutMs?: number;
  readonly maxProfiles?: number;
  /** Wall clock of the simulation start, ms since the epoch. */
  readonly startMs?: number;
  /** Failures of periodic sends (the simulator keeps running). */
  readonly onError?: (error: unknown) => void;
}

export interface OcppChargerSim {
  readonly chargerId: string;
  status(): ConnectorStatus;
  /** Power drawn now, W. */
  powerW(): number;
  /** The meter register, Wh (fractional inside the simulator; reported with 0.1 Wh resolution). */
  energyWh(): number;
  transactionId(): number | null;
  /** MeterValues sent so far. */
  meterValuesSent(): number;
  close(): Promise<void>;
}

export async function runOcppCharger(options: OcppChargerSimOptions): Promise<OcppChargerSim> {
  const sim = new ChargerSimulation(options);
  await sim.start();
  return sim;
}

class ChargerSimulation implements OcppChargerSim {
  readonly chargerId: string;
  private readonly client: RPCClient;
  private readonly connectorId: number;
  private readonly meterIntervalMs: number;
  private readonly stepMs: number;
  private readonly rating: { voltageV: number; phases: number };
  private readonly profiles: ChargingProfileStack;
  private simMs: number;
  private meterWh: number;
  private currentW = 0;
  private currentStatus: ConnectorStatus = 'Available';
  private txId: number | null = null;
  private sent = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: OcppChargerSimOptions) {
    this.chargerId = options.chargerId;
    this.connectorId = options.connectorId ?? 1;
    this.meterIntervalMs = options.meterIntervalMs ?? 10_000;
    this.stepMs = options.simulatedStepMs ?? this.meterIntervalMs;
    this.rating = { voltageV: options.voltageV ?? 230, phases: options.phases ?? 3 };
    this.profiles = new ChargingProfileStack(options.maxProfiles ?? 16);
    this.simMs = options.startMs ?? Date.now();
    this.meterWh = options.startEnergyWh ?? 0;
    if (!(options.powerW > 0) || !(this.meterIntervalMs > 0) || !(this.stepMs > 0)) {
      throw new OcppError('bad-config', 'powerW, meterIntervalMs and simulatedStepMs must be positive');
    }
    this.client = new RPCClient({
      endpoint: options.url.replace(/\/+$/, ''),
      identity: options.chargerId,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: options.callTimeoutMs ?? 5_000,
    } as ConstructorParameters<typeof RPCClient>[0]);
    this.registerHandlers();
  }

  status = (): ConnectorStatus => this.currentStatus;
  powerW = (): number => this.currentW;
  energyWh = (): number => this.meterWh;
  transactionId = (): number | null => this.txId;
  meterValuesSent = (): number => this.sent;

  async start(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      throw new OcppError('not-connected', `charger ${this.chargerId} could not connect to ${this.options.url}`, { cause: error });
    }
    try {
      await this.bootAndStartSession();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async bootAndStartSession(): Promise<void> {
    const boot = (await this.client.call('BootNotification', { chargePointVendor: 'gridmesh', chargePointModel: 'sim-ac' })) as { status: string };
    if (boot.status !== 'Accepted') throw new OcppError('rejected', `BootNotification answered ${boot.status}`);
    await this.reportStatus(0, 'Available');
    await this.reportStatus(this.connectorId, 'Preparing');
    const start = (await this.client.call('StartTransaction', {
      connectorId: this.connectorId, idTag: this.options.idTag ?? 'gridmesh-sim', meterStart: Math.round(this.meterWh), timestamp: this.isoNow(),
    })) as { transactionId: number };
    this.txId = start.transactionId;
    await this.applyLimits();
    this.scheduleTick();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client.close({ force: true });
  }

  private registerHandlers(): void {
    this.client.handle('SetChargingProfile', async ({ params }) => {
      const req = parseWire(setChargingProfileReq, params, 'SetChargingProfile');
      const profile = req.csChargingProfiles;
      const wrongTx = profile.chargingProfilePurpose === 'TxProfile' && (this.txId === null || (profile.transactionId ?? this.txId) !== this.txId);
      if (wrongTx) return { status: 'Rejected' };
      try {
        this.profiles.set(req.connectorId, profile);
      } catch (error) {
        if (error instanceof OcppError) return { status: 'Rejected' };
        throw error;
      }
      this.afterReply(() => this.applyLimits());
      return { status: 'Accepted' };
    });
    this.client.handle('ClearChargingProfile', async ({ params }) => {
      const removed = this.profiles.clear(parseWire(clearChargingProfileReq, params, 'ClearChargingProfile'));
      this.afterReply(() => this.applyLimits());
      return { status: removed > 0 ? 'Accepted' : 'Unknown' };
    });
    this.client.handle(async ({ method }) => {
      throw createRPCError('NotImplemented', `${method ?? 'call'} is not simulated`);
    });
  }

  /** Runs a follow-up (a StatusNotification) after the answer to the current call has gone out. */
  private afterReply(action: () => Promise<void>): void {
    setImmediate(() => {
      if (!this.closed) action().catch((error: unknown) => this.options.onError?.(error));
    });
  }

  private async applyLimits(): Promise<void> {
    const limitW = this.profiles.limitW(this.connectorId, this.txId, this.rating);
    this.currentW = Math.max(0, Math.min(this.options.powerW, limitW ?? Infinity));
    const status: ConnectorStatus = this.currentW > 0 ? 'Charging' : 'SuspendedEVSE';
    if (status !== this.currentStatus) await this.reportStatus(this.connectorId, status);
  }

  private async reportStatus(connectorId: number, status: ConnectorStatus): Promise<void> {
    if (connectorId === this.connectorId) this.currentStatus = status;
    await this.client.call('StatusNotification', { connectorId, errorCode: 'NoError', status, timestamp: this.isoNow() });
  }

  /** One tick at a time: the next is scheduled only after the previous MeterValues was answered. */
  private scheduleTick(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.scheduleTick());
    }, this.meterIntervalMs);
  }

  private async tick(): Promise<void> {
    this.simMs += this.stepMs;
    this.meterWh += (this.currentW * this.stepMs) / 3_600_000;
    await this.client.call('MeterValues', {
      connectorId: this.connectorId,
      ...(this.txId === null ? {} : { transactionId: this.txId }),
      meterValue: [{
        timestamp: this.isoNow(),
        sampledValue: [
          { value: this.meterWh.toFixed(1), context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: this.currentW.toFixed(1), context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
        ],
      }],
    });
    this.sent += 1;
  }

  private isoNow(): string {
    return new Date(this.simMs).toISOString();
  }
}
