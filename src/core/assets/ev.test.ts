import { describe, expect, it } from 'vitest';
import { InvariantError } from '../assert.js';
import { Rng } from '../rng.js';
import { localCalendar } from '../time.js';
import { aContext } from './asset-context.fixture.js';
import type { SlotEnvironment } from './environment.js';
import { anEnvironment } from './environment.fixture.js';
import { createEvCharger, type EvSpec } from './ev.js';

function anEvSpec(overrides: Partial<EvSpec> = {}): EvSpec {
  return {
    kind: 'ev', chargerKw: 11, batteryKwh: 60, arrivalHour: 18, departureHour: 7.5,
    energyPerSessionKwh: 12, jitterHours: 0, ...overrides,
  };
}

const anEv = (overrides: Partial<EvSpec> = {}, seed = 5) =>
  createEvCharger(anEvSpec(overrides), aContext({ id: 'ev-1', rng: new Rng(seed) }));

/** Monday 2026-06-15 at the given UTC (= local) hour. */
const monday = (hour: number) => Date.UTC(2026, 5, 15) + hour * 3_600_000;

/** Environment of slot `slot` of a run starting at `startMs` (local time = UTC). */
function slotEnv(startMs: number, slot: number, slotMinutes = 15): SlotEnvironment {
  const slotStartMs = startMs + slot * slotMinutes * 60_000;
  return anEnvironment({ slot, startMs: slotStartMs, slotMinutes, ...localCalendar(slotStartMs + slotMinutes * 30_000, 0) });
}

describe('ev charger', () => {
  it('charges fully in a normal night', () => {
    const ev = anEv();
    const start = monday(17);
    let deliveredWh = 0;
    let neededWh = 0;
    for (let slot = 0; slot < 4 * 19; slot++) {
      const env = slotEnv(start, slot);
      const wh = ev.requestWh(env);
      if (slot === 4) neededWh = ev.energyRemainingWh;
      expect(ev.pluggedIn).toBe(env.hourOfDay >= 18 || env.hourOfDay < 7.5);
      expect(wh).toBeLessThanOrEqual(2750);
      ev.deliver(wh, env);
      deliveredWh += wh;
    }
    expect(neededWh).toBeGreaterThanOrEqual(8400);
    expect(neededWh).toBeLessThanOrEqual(15_600);
    expect(deliveredWh).toBe(neededWh);
    expect(ev.pluggedIn).toBe(false);
    expect(ev.unmetAtDepartureWh).toBe(0);
  });

  it('pauses and resumes charging', () => {
    const ev = anEv();
    const start = monday(18);
    ev.deliver(ev.requestWh(slotEnv(start, 0)), slotEnv(start, 0));
    const before = ev.energyRemainingWh;
    ev.pause();
    expect(ev.paused).toBe(true);
    expect(ev.requestWh(slotEnv(start, 1))).toBe(0);
    ev.deliver(0, slotEnv(start, 1));
    expect(ev.energyRemainingWh).toBe(before);
    ev.resume();
    expect(ev.requestWh(slotEnv(start, 2))).toBe(Math.min(2750, before));
  });

  it('counts unmet energy when paused through departure', () => {
    const ev = anEv();
    const start = monday(18);
    ev.pause();
    ev.requestWh(slotEnv(start, 0));
    const neededWh = ev.energyRemainingWh;
    for (let slot = 0; slot < 4 * 15; slot++) ev.deliver(ev.requestWh(slotEnv(start, slot)), slotEnv(start, slot));
    expect(ev.pluggedIn).toBe(false);
    expect(ev.energyRemainingWh).toBe(0);
    expect(ev.unmetAtDepartureWh).toBe(neededWh);
  });

  it('error: delivering more than requested', () => {
    const ev = anEv();
    const env = slotEnv(monday(20), 0);
    expect(() => ev.deliver(ev.requestWh(env) + 1, env)).toThrow(InvariantError);
    expect(() => ev.deliver(1, slotEnv(monday(12), 0))).toThrow(InvariantError);
  });

  it('error: slots out of time order', () => {
    const ev = anEv();
    ev.requestWh(slotEnv(monday(20), 4));
    expect(() => ev.requestWh(slotEnv(monday(20), 3))).toThrow(InvariantError);
  });

  it('is already plugged in when the run starts during a session, charged since arrival', () => {
    const ev = anEv({ chargerKw: 3.7 });
    ev.requestWh(slotEnv(monday(19), 0));
    expect(ev.pluggedIn).toBe(true);
    expect(ev.energyRemainingWh).toBeGreaterThan(0);
    expect(ev.energyRemainingWh).toBeLessThanOrEqual(15_600 - 3_700);
    const early = anEv({ chargerKw: 3.7 });
    early.requestWh(slotEnv(monday(3), 0));
    expect(early.pluggedIn).toBe(true);
  });

  it('handles a daytime session (departure after arrival on the same day)', () => {
    const ev = anEv({ arrivalHour: 8, departureHour: 17 });
    ev.requestWh(slotEnv(monday(12), 0));
    expect(ev.pluggedIn).toBe(true);
    const evening = anEv({ arrivalHour: 8, departureHour: 17 });
    evening.requestWh(slotEnv(monday(20), 0));
    expect(evening.pluggedIn).toBe(false);
  });

  it('never needs more than the car battery holds', () => {
    const ev = anEv({ energyPerSessionKwh: 50, batteryKwh: 20 });
    ev.requestWh(slotEnv(monday(18), 0));
    expect(ev.energyRemainingWh).toBeLessThanOrEqual(20_000);
  });

  it.each([1, 7, 15, 60])('charges every session over a week of %i-minute slots with jitter', (slotMinutes) => {
    const ev = createEvCharger(anEvSpec({ jitterHours: 2 }), aContext({ rng: new Rng(9), slotMinutes }));
    const slotsPerDay = (24 * 60) / slotMinutes;
    let sessions = 0;
    let wasPlugged = false;
    let deliveredWh = 0;
    for (let slot = 0; slot < 7 * slotsPerDay; slot++) {
      const env = slotEnv(monday(10), slot, slotMinutes);
      const wh = ev.requestWh(env);
      expect(Number.isSafeInteger(wh)).toBe(true);
      ev.deliver(wh, env);
      deliveredWh += wh;
      if (ev.pluggedIn && !wasPlugged) sessions++;
      wasPlugged = ev.pluggedIn;
    }
    expect(sessions).toBe(7);
    expect(ev.unmetAtDepartureWh).toBe(0);
    expect(deliveredWh).toBeGreaterThan(7 * 8_400);
    expect(deliveredWh).toBeLessThan(7 * 15_600);
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number) => {
      const ev = anEv({ jitterHours: 1 }, seed);
      const out: number[] = [];
      for (let slot = 0; slot < 4 * 72; slot++) {
        const env = slotEnv(monday(0), slot);
        const wh = ev.requestWh(env);
        ev.deliver(wh, env);
        out.push(wh);
      }
      return out;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});
