/**
 * A washing machine (or dishwasher): a shiftable job with a deadline. On a seeded subset of days
 * (runsPerWeek / 7 per day; above 7 a week, a second job on some days) a job becomes ready at
 * readyHour and should be done within windowHours. Its naive control starts it as soon as it is
 * ready; a planner may defer the start with `holdUntil` (a started cycle is never held: you cannot
 * leave wet laundry mid-programme).
 *
 * A cycle draws cycleKwh spread evenly over cycleHours. Energy that is not delivered (shed) is not
 * lost: the programme just takes longer and asks for the rest in later slots. A job still unfinished
 * at its deadline is counted once in `missedDeadlines` and keeps running until done.
 *
 * Time: a slot's middle decides (ready when middle >= ready time); slots must arrive in time order.
 * Jobs whose ready time was before the run started are assumed done before it.
 */
import { InvariantError } from '../assert.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { FlexibleLoad, PriorityClass } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';

export type WashingMachineSpec = AssetSpecOf<'washing-machine'>;

/** Jobs that can wait at once (a week of laundry). A job arriving at a full queue is dropped and counted missed. */
export const WASHING_QUEUE_MAX = 8;

export interface WashingMachine extends FlexibleLoad {
  readonly kind: 'washing-machine';
  /** Jobs waiting or running; the first one is the current job. */
  readonly pendingJobs: number;
  /** The current job has drawn energy (it can no longer be held). */
  readonly running: boolean;
  /** Ready time and deadline of the current job, UTC ms (NaN when there is none). */
  readonly jobReadyMs: number;
  readonly jobDeadlineMs: number;
  /** Energy the current job still needs, Wh (0 when there is none). */
  readonly cycleRemainingWh: Wh;
  readonly completedJobs: number;
  /** Jobs that were not finished by their deadline (or dropped at a full queue). */
  readonly missedDeadlines: number;
  readonly holdUntilMs: number;
  /** Do not start a job before this UTC time (ms); a running cycle is not affected. */
  holdUntil(epochMs: number): void;
  /** Energy a running cycle draws in a fully delivered slot of this length, Wh (the last slot may draw less). */
  cycleSlotWh(slotHours: number): Wh;
  /** Energy delivered in the last delivered slot, Wh. */
  readonly lastDeliveredWh: Wh;
}

/** A deferrable device is a `WashingMachine` (the capability behind the 'washing-machine' kind). */
export function isWashingMachine(device: FlexibleLoad): device is WashingMachine {
  return device.kind === 'washing-machine';
}

export function createWashingMachine(spec: WashingMachineSpec, ctx: AssetContext): WashingMachine {
  return new SimWashingMachine(spec, ctx);
}

class SimWashingMachine implements WashingMachine {
  readonly kind = 'washing-machine';
  readonly id: string;
  readonly priority: PriorityClass;
  private readonly cycleWh: Wh;
  private readonly cycleKw: number;
  private readonly jobsPerDay: number;
  // FIFO ring of pending jobs (ready times and deadlines); the deadlines are in order.
  private readonly readyMs = new Float64Array(WASHING_QUEUE_MAX);
  private readonly deadlineMs = new Float64Array(WASHING_QUEUE_MAX);
  private head = 0;
  private count = 0;
  /** How many jobs from the head have already been counted as missed. */
  private countedMissed = 0;
  private headRemainingWh: Wh = 0;
  private completed = 0;
  private missed = 0;
  private holdMs = -Infinity;
  private lastWh: Wh = 0;
  private nextReadyMs = NaN;
  private lastMiddleMs = NaN;

  constructor(private readonly spec: WashingMachineSpec, private readonly ctx: AssetContext) {
    this.id = ctx.id;
    this.priority = ctx.sitePriority;
    this.cycleWh = Math.max(1, Math.round(spec.cycleKwh * 1000));
    this.cycleKw = spec.cycleKwh / spec.cycleHours;
    this.jobsPerDay = spec.runsPerWeek / 7;
  }

  get pendingJobs(): number { return this.count; }
  get running(): boolean { return this.count > 0 && this.headRemainingWh < this.cycleWh; }
  get jobReadyMs(): number { return this.count > 0 ? (this.readyMs[this.head] ?? NaN) : NaN; }
  get jobDeadlineMs(): number { return this.count > 0 ? (this.deadlineMs[this.head] ?? NaN) : NaN; }
  get cycleRemainingWh(): Wh { return this.count > 0 ? this.headRemainingWh : 0; }
  get completedJobs(): number { return this.completed; }
  get missedDeadlines(): number { return this.missed; }
  get holdUntilMs(): number { return this.holdMs; }
  get lastDeliveredWh(): Wh { return this.lastWh; }

  cycleSlotWh(slotHours: number): Wh {
    // At least 1 Wh a slot, so a tiny cycle on very short slots still finishes.
    return Math.max(1, kwToWh(this.cycleKw, slotHours));
  }

  holdUntil(epochMs: number): void {
    this.holdMs = epochMs;
  }

  requestWh(env: SlotEnvironment): Wh {
    this.advanceTo(env);
    if (this.count === 0) return 0;
    // Held: the slot must start at or after the hold time.
    if (!this.running && env.startMs < this.holdMs) return 0;
    return Math.min(this.cycleSlotWh(env.slotHours), this.headRemainingWh);
  }

  deliver(energyWh: Wh, env: SlotEnvironment): void {
    const requestWh = this.requestWh(env);
    if (!Number.isSafeInteger(energyWh) || energyWh < 0 || energyWh > requestWh) {
      throw new InvariantError(`washing machine ${this.id}: delivered ${energyWh} Wh, requested ${requestWh} Wh`, {
        id: this.id, energyWh, requestWh,
      });
    }
    this.lastWh = energyWh;
    if (this.count === 0) return;
    this.headRemainingWh -= energyWh;
    if (this.headRemainingWh === 0) {
      this.completed++;
      this.dequeue();
    }
  }

  /** Adds the jobs that became ready and counts deadlines that passed (idempotent within a slot). */
  private advanceTo(env: SlotEnvironment): void {
    const middleMs = env.startMs + env.slotMinutes * (MS_PER_MINUTE / 2);
    if (middleMs === this.lastMiddleMs) return;
    if (Number.isNaN(this.lastMiddleMs)) this.start(env, middleMs);
    else if (middleMs < this.lastMiddleMs) {
      throw new InvariantError(`washing machine ${this.id}: slots must arrive in time order`, { id: this.id, middleMs });
    }
    this.lastMiddleMs = middleMs;
    while (middleMs >= this.nextReadyMs) {
      this.drawDay(this.nextReadyMs);
      this.nextReadyMs += MS_PER_DAY;
    }
    while (this.countedMissed < this.count && this.deadlineAt(this.countedMissed) <= middleMs) {
      this.countedMissed++;
      this.missed++;
    }
  }

  private start(env: SlotEnvironment, middleMs: number): void {
    const midnightMs = Math.round((middleMs - env.hourOfDay * MS_PER_HOUR) / MS_PER_MINUTE) * MS_PER_MINUTE;
    this.nextReadyMs = midnightMs + this.spec.readyHour * MS_PER_HOUR;
    if (this.nextReadyMs < env.startMs) this.nextReadyMs += MS_PER_DAY;
  }

  private drawDay(readyMs: number): void {
    // One draw a day, whatever the outcome, so the stream advances the same way every day.
    const whole = Math.floor(this.jobsPerDay);
    const jobs = whole + (this.ctx.rng.chance(this.jobsPerDay - whole) ? 1 : 0);
    for (let i = 0; i < jobs; i++) this.enqueue(readyMs, readyMs + this.spec.windowHours * MS_PER_HOUR);
  }

  private enqueue(readyMs: number, deadlineMs: number): void {
    if (this.count === WASHING_QUEUE_MAX) {
      this.missed++;
      return;
    }
    const at = (this.head + this.count) % WASHING_QUEUE_MAX;
    this.readyMs[at] = readyMs;
    this.deadlineMs[at] = deadlineMs;
    if (this.count === 0) this.headRemainingWh = this.cycleWh;
    this.count++;
  }

  private dequeue(): void {
    this.head = (this.head + 1) % WASHING_QUEUE_MAX;
    this.count--;
    if (this.countedMissed > 0) this.countedMissed--;
    this.headRemainingWh = this.count > 0 ? this.cycleWh : 0;
  }

  private deadlineAt(offset: number): number {
    return this.deadlineMs[(this.head + offset) % WASHING_QUEUE_MAX] ?? NaN;
  }
}
