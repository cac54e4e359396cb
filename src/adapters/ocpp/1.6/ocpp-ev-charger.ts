/**
 * The core's `EvCharger` capability backed by a field charger over OCPP 1.6J, so the EMS, VPP and
 * flexibility controllers steer a real charger as they steer a simulated one (CONVENTIONS 2).
 *
 * Field-backed: `pluggedIn` (last StatusNotification: Preparing, Charging, SuspendedEV,
 * SuspendedEVSE, Finishing), `pause()`/`resume()` (charging profiles via charger-control.ts),
 * `meteredEnergyWh`/`powerW` (last MeterValues).
 * Configured: `chargerKw` (the rated power; OCPP 1.6 has no standard message for it).
 * Not available from OCPP 1.6: the car's energy need and departure time, hence
 * `energyRemainingWh`, `departureMs` and `unmetAtDepartureWh` are NaN (unknown), never a guess.
 *
 * `pause()`/`resume()` are synchronous like the capability: they record the wanted state and send
 * the command in the background; `paused` is the wanted state, `confirmedPaused` what the charger
 * accepted, and `settled()` waits for the command and throws its failure. Only the latest wanted
 * state is sent (no command queue), and a failed command is sent again on the next call.
 */
import type { EvCharger, PriorityClass } from '../../../core/assets/capabilities.js';
import type { SlotEnvironment } from '../../../core/assets/environment.js';
import { kwToWh, type Wh } from '../../../core/units.js';
import type { OcppCentralSystem } from './central-system.js';
import { isPluggedIn } from './charge-point-state.js';
import type { ChargerControl } from './charger-control.js';
import type { ConnectorStatus } from './wire-messages.js';

export interface OcppEvChargerOptions {
  readonly id: string;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly chargerKw: number;
  readonly priority: PriorityClass;
  readonly system: OcppCentralSystem;
  readonly control: ChargerControl;
}

export class OcppEvCharger implements EvCharger {
  readonly kind = 'ev';
  readonly id: string;
  readonly priority: PriorityClass;
  readonly chargerKw: number;
  readonly energyRemainingWh: Wh = NaN;
  readonly departureMs = NaN;
  readonly unmetAtDepartureWh: Wh = NaN;
  private wantPaused = false;
  private acceptedPaused = false;
  private inFlight: Promise<void> | null = null;
  private lastError: unknown = null;

  constructor(private readonly options: OcppEvChargerOptions) {
    this.id = options.id;
    this.priority = options.priority;
    this.chargerKw = options.chargerKw;
  }

  get connected(): boolean {
    return this.options.system.isConnected(this.options.chargerId);
  }

  /** Last reported connector status; undefined while offline or before the first StatusNotification. */
  get status(): ConnectorStatus | undefined {
    return this.connected ? this.options.system.connector(this.options.chargerId, this.options.connectorId).status : undefined;
  }

  /** An offline charger counts as unplugged: it cannot be steered. */
  get pluggedIn(): boolean {
    return isPluggedIn(this.status);
  }

  get paused(): boolean {
    return this.wantPaused;
  }

  get confirmedPaused(): boolean {
    return this.acceptedPaused;
  }

  /** The meter register of the last reading, Wh; null before the first reading or while offline. */
  get meteredEnergyWh(): Wh | null {
    return this.lastReading()?.energyWh ?? null;
  }

  get powerW(): number | null {
    return this.lastReading()?.powerW ?? null;
  }

  pause(): void {
    this.wantPaused = true;
    this.kick();
  }

  resume(): void {
    this.wantPaused = false;
    this.kick();
  }

  /** Waits until the charger has answered the latest command; throws the `OcppError` of a failure. */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.lastError !== null) throw this.lastError;
  }

  /** What it would draw this slot at rated power: nothing when unplugged, paused or the car is full (SuspendedEV). */
  requestWh(env: SlotEnvironment): Wh {
    if (!this.pluggedIn || this.wantPaused || this.status === 'SuspendedEV') return 0;
    return kwToWh(this.chargerKw, env.slotHours);
  }

  /** A field device's energy is what its meter reports (MeterValues), not what the engine grants. */
  deliver(_energyWh: Wh, _env: SlotEnvironment): void {}

  private lastReading() {
    return this.connected ? this.options.system.connector(this.options.chargerId, this.options.connectorId).lastReading : null;
  }

  private kick(): void {
    if (this.inFlight) return;
    this.inFlight = this.sendUntilInStep().finally(() => {
      this.inFlight = null;
      // A pause()/resume() that arrived after the loop's last check but before this line.
      if (this.lastError === null && this.wantPaused !== this.acceptedPaused) this.kick();
    });
  }

  private async sendUntilInStep(): Promise<void> {
    const { control, chargerId, connectorId } = this.options;
    while (this.wantPaused !== this.acceptedPaused) {
      const target = this.wantPaused;
      try {
        if (target) await control.pauseCharging(chargerId, connectorId);
        else await control.resumeCharging(chargerId, connectorId);
        this.acceptedPaused = target;
        this.lastError = null;
      } catch (error) {
        this.lastError = error;
        return;
      }
    }
  }
}
