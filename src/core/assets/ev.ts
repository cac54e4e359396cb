/**
 * A home (or workplace) charging point with one car. Every local day the car arrives around
 * arrivalHour and leaves around departureHour (the next day when departure is not after arrival);
 * both times and the energy it needs are jittered per day from the asset's seeded stream.
 *
 * Time: a slot counts as "plugged" when its middle lies in [arrival, departure). Sessions last at
 * least an hour, so with slots of at most 60 minutes every session is seen by at least one slot.
 * Sessions are generated lazily, one local day at a time, as the slots reach them; this is why the
 * environments must arrive in time order (asserted), and why a run may start at any hour: the first
 * call replays the two previous days, so a car that arrived before the start is already plugged in.
 */
import { InvariantError } from '../assert.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { EvCharger, PriorityClass } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';

export type EvSpec = AssetSpecOf<'ev'>;

/** Drivers' energy needs vary around the configured mean by up to ±30 %. */
const ENERGY_SPREAD = 0.3;
const MIN_SESSION_MS = MS_PER_HOUR;
/** Days replayed before the first slot: a session can span more than a day once jitter is added. */
const DAYS_REPLAYED = 2;

export function createEvCharger(spec: EvSpec, ctx: AssetContext): EvCharger {
  return new SimEvCharger(spec, ctx);
}

class SimEvCharger implements EvCharger {
  readonly kind = 'ev';
  readonly id: string;
  readonly priority: PriorityClass;
  private isPaused = false;
  private plugged = false;
  private remainingWh: Wh = 0;
  private unmetWh: Wh = 0;
  // The current or next session, absolute UTC ms.
  private arrivalMs = NaN;
  private sessionEndMs = -Infinity;
  private sessionEnergyWh: Wh = 0;
  /** Local midnight (UTC ms) of the next day whose session is still to be drawn. */
  private nextDayMs = NaN;
  private runStartMs = NaN;
  private lastMiddleMs = NaN;

  constructor(private readonly spec: EvSpec, private readonly ctx: AssetContext) {
    this.id = ctx.id;
    this.priority = ctx.sitePriority;
  }

  get pluggedIn(): boolean {
    return this.plugged;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get energyRemainingWh(): Wh {
    return this.remainingWh;
  }

  get departureMs(): number {
    return this.plugged ? this.sessionEndMs : NaN;
  }

  get chargerKw(): number {
    return this.spec.chargerKw;
  }

  get unmetAtDepartureWh(): Wh {
    return this.unmetWh;
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  requestWh(env: SlotEnvironment): Wh {
    this.advanceTo(env);
    if (!this.plugged || this.isPaused) return 0;
    return Math.min(kwToWh(this.spec.chargerKw, env.slotHours), this.remainingWh);
  }

  deliver(energyWh: Wh, env: SlotEnvironment): void {
    const requestWh = this.requestWh(env);
    if (!Number.isSafeInteger(energyWh) || energyWh < 0 || energyWh > requestWh) {
      throw new InvariantError(`ev ${this.id}: delivered ${energyWh} Wh, requested ${requestWh} Wh`, {
        id: this.id, energyWh, requestWh,
      });
    }
    this.remainingWh -= energyWh;
  }

  /** Brings arrivals and departures up to the middle of this slot (idempotent within a slot). */
  private advanceTo(env: SlotEnvironment): void {
    const middleMs = env.startMs + env.slotMinutes * (MS_PER_MINUTE / 2);
    if (middleMs === this.lastMiddleMs) return;
    if (Number.isNaN(this.lastMiddleMs)) this.start(env, middleMs);
    else if (middleMs < this.lastMiddleMs) {
      throw new InvariantError(`ev ${this.id}: slots must arrive in time order`, { id: this.id, middleMs, lastMiddleMs: this.lastMiddleMs });
    }
    this.lastMiddleMs = middleMs;
    while (middleMs >= this.sessionEndMs) {
      if (this.plugged) this.unmetWh += this.remainingWh;
      this.plugged = false;
      this.remainingWh = 0;
      this.drawNextSession();
    }
    if (!this.plugged && middleMs >= this.arrivalMs) {
      this.plugged = true;
      this.remainingWh = this.sessionEnergyWh - this.chargedBeforeRun();
    }
  }

  private start(env: SlotEnvironment, middleMs: number): void {
    // Local midnight of this slot's day, rounded to the minute against floating-point residue.
    const midnightMs = Math.round((middleMs - env.hourOfDay * MS_PER_HOUR) / MS_PER_MINUTE) * MS_PER_MINUTE;
    this.nextDayMs = midnightMs - DAYS_REPLAYED * MS_PER_DAY;
    this.runStartMs = env.startMs;
  }

  /** A car that arrived before the run began has been charging at full power since (steady state). */
  private chargedBeforeRun(): Wh {
    if (this.arrivalMs >= this.runStartMs) return 0;
    const wh = kwToWh(this.spec.chargerKw, (this.runStartMs - this.arrivalMs) / MS_PER_HOUR);
    return Math.min(wh, this.sessionEnergyWh);
  }

  private drawNextSession(): void {
    const { spec } = this;
    const rng = this.ctx.rng;
    const arrivalJitterH = rng.uniform(-spec.jitterHours, spec.jitterHours);
    const departureJitterH = rng.uniform(-spec.jitterHours, spec.jitterHours);
    const energyKwh = Math.min(spec.batteryKwh, spec.energyPerSessionKwh * rng.uniform(1 - ENERGY_SPREAD, 1 + ENERGY_SPREAD));
    const overnightMs = spec.departureHour <= spec.arrivalHour ? MS_PER_DAY : 0;
    // One car: a session never starts before the previous one ended, and lasts at least an hour.
    const arrivalMs = Math.max(this.sessionEndMs, this.nextDayMs + (spec.arrivalHour + arrivalJitterH) * MS_PER_HOUR);
    const departureMs = this.nextDayMs + overnightMs + (spec.departureHour + departureJitterH) * MS_PER_HOUR;
    this.arrivalMs = arrivalMs;
    this.sessionEndMs = Math.max(departureMs, arrivalMs + MIN_SESSION_MS);
    this.sessionEnergyWh = Math.round(energyKwh * 1000);
    this.nextDayMs += MS_PER_DAY;
  }
}
