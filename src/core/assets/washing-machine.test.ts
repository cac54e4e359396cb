import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { Rng } from '../rng.js';
import { localCalendar } from '../time.js';
import { aContext } from './asset-context.fixture.js';
import type { SlotEnvironment } from './environment.js';
import { anEnvironment } from './environment.fixture.js';
import { createWashingMachine, isWashingMachine, WASHING_QUEUE_MAX, type WashingMachine, type WashingMachineSpec } from './washing-machine.js';

function aWashingMachineSpec(overrides: Partial<WashingMachineSpec> = {}): WashingMachineSpec {
  return { kind: 'washing-machine', readyHour: 19, windowHours: 12, cycleKwh: 1, cycleHours: 2, runsPerWeek: 7, ...overrides };
}

const aWashingMachine = (overrides: Partial<WashingMachineSpec> = {}, seed = 3, slotMinutes = 15) =>
  createWashingMachine(aWashingMachineSpec(overrides), aContext({ id: 'wm-1', rng: new Rng(seed), slotMinutes }));

const monday = (hour: number) => Date.UTC(2026, 5, 15) + hour * 3_600_000;

function slotEnv(startMs: number, slot: number, slotMinutes = 15): SlotEnvironment {
  const slotStartMs = startMs + slot * slotMinutes * 60_000;
  return anEnvironment({ slot, startMs: slotStartMs, slotMinutes, ...localCalendar(slotStartMs + slotMinutes * 30_000, 0) });
}

/** Steps slots, delivering what `supply` allows of each request; returns the requests. */
function run(machine: WashingMachine, startMs: number, slots: number, supply: (slot: number, requestWh: number) => number = (_, r) => r): number[] {
  const requests: number[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const env = slotEnv(startMs, slot);
    const requestWh = machine.requestWh(env);
    requests.push(requestWh);
    machine.deliver(supply(slot, requestWh), env);
  }
  return requests;
}

describe('washing machine', () => {
  it('starts at the ready hour and spreads cycleKwh evenly over cycleHours', () => {
    const machine = aWashingMachine();
    const requests = run(machine, monday(18), 4 * 6);
    expect(requests.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(requests.slice(4, 12)).toEqual(Array(8).fill(125));
    expect(requests.slice(12).every((wh) => wh === 0)).toBe(true);
    expect(machine.completedJobs).toBe(1);
    expect(machine.missedDeadlines).toBe(0);
    expect(machine.pendingJobs).toBe(0);
  });

  it('draws exactly cycleKwh when the cycle is not a whole number of slots', () => {
    const machine = aWashingMachine({ cycleHours: 1.1 });
    const requests = run(machine, monday(19), 8);
    expect(requests.slice(0, 5)).toEqual([227, 227, 227, 227, 92]);
    expect(requests.reduce((s, v) => s + v, 0)).toBe(1000);
  });

  it('keeps a shed job pending and asks for the rest later', () => {
    const machine = aWashingMachine();
    // Two slots delivered, then shed for 4 hours, then supplied again.
    const requests = run(machine, monday(19), 4 * 8, (slot, r) => (slot < 2 || slot >= 18 ? r : 0));
    expect(requests.slice(2, 18).every((wh) => wh === 125)).toBe(true);
    expect(machine.completedJobs).toBe(1);
    expect(machine.missedDeadlines).toBe(0);
  });

  it('counts a job that misses its deadline once, and still finishes it', () => {
    const machine = aWashingMachine({ windowHours: 3 });
    run(machine, monday(19), 4 * 4, () => 0);
    expect(machine.missedDeadlines).toBe(1);
    expect(machine.pendingJobs).toBe(1);
    expect(machine.running).toBe(false);
    run(machine, monday(23), 4 * 4);
    expect(machine.missedDeadlines).toBe(1);
    expect(machine.completedJobs).toBe(1);
  });

  it('defers the start when held, then runs and meets the deadline', () => {
    const machine = aWashingMachine();
    machine.requestWh(slotEnv(monday(19), 0));
    expect(machine.jobReadyMs).toBe(monday(19));
    expect(machine.jobDeadlineMs).toBe(monday(31));
    machine.holdUntil(monday(26));
    const requests = run(machine, monday(19), 4 * 12);
    expect(requests.slice(0, 4 * 7).every((wh) => wh === 0)).toBe(true);
    expect(requests.slice(4 * 7, 4 * 9).every((wh) => wh === 125)).toBe(true);
    expect(machine.completedJobs).toBe(1);
    expect(machine.missedDeadlines).toBe(0);
  });

  it('does not hold a cycle that has started', () => {
    const machine = aWashingMachine();
    run(machine, monday(19), 1);
    expect(machine.running).toBe(true);
    machine.holdUntil(monday(30));
    expect(machine.requestWh(slotEnv(monday(19), 1))).toBe(125);
  });

  it('runs on a seeded subset of days, about runsPerWeek', () => {
    const count = (runsPerWeek: number, seed: number) => {
      const machine = aWashingMachine({ runsPerWeek }, seed, 60);
      for (let slot = 0; slot < 24 * 700; slot++) {
        const env = slotEnv(monday(0), slot, 60);
        machine.deliver(machine.requestWh(env), env);
      }
      return machine.completedJobs;
    };
    expect(count(0, 1)).toBe(0);
    expect(count(3.5, 1)).toBeGreaterThan(300);
    expect(count(3.5, 1)).toBeLessThan(400);
    expect(count(3.5, 1)).toBe(count(3.5, 1));
    expect(count(3.5, 1)).not.toBe(count(3.5, 2));
    expect(count(14, 1)).toBe(1400);
  });

  it('drops a job that arrives at a full queue and counts it missed', () => {
    const machine = aWashingMachine({ windowHours: 1 });
    run(machine, monday(0), 4 * 24 * (WASHING_QUEUE_MAX + 1), () => 0);
    expect(machine.pendingJobs).toBe(WASHING_QUEUE_MAX);
    expect(machine.missedDeadlines).toBe(WASHING_QUEUE_MAX + 1);
  });

  it('tells a planner what a slot of its cycle draws and what it got last', () => {
    const machine = aWashingMachine({ cycleHours: 1.1 });
    expect(isWashingMachine(machine)).toBe(true);
    expect(machine.cycleSlotWh(0.25)).toBe(227);
    expect(machine.cycleSlotWh(1 / 60)).toBe(15);
    expect(aWashingMachine({ cycleKwh: 0.01, cycleHours: 6 }).cycleSlotWh(1 / 60)).toBe(1);
    run(machine, monday(19), 1, (_, r) => r - 7);
    expect(machine.lastDeliveredWh).toBe(220);
    run(machine, monday(20), 1, () => 0);
    expect(machine.lastDeliveredWh).toBe(0);
  });

  it('error: delivering more than requested', () => {
    const machine = aWashingMachine();
    const env = slotEnv(monday(12), 0);
    expect(() => machine.deliver(1, env)).toThrow(InvariantError);
  });
});
