import { describe, expect, it } from 'vitest';
import type { EvCharger, HeatingShift } from '../../assets/capabilities.js';
import type { HeatPump } from '../../assets/heat-pump.js';
import type { WashingMachine } from '../../assets/washing-machine.js';
import { SlotBuffers } from '../../sim/slot-buffers.js';
import type { SiteModel } from '../../sim/site-model.js';
import type { SitePlan } from '../ems/site-plan.js';
import { applyPlan, type ActivePlan } from './apply-plan.js';
import type { SiteDevices } from './site-devices.js';

const SLOT_MS = 15 * 60_000;
const H = 4;
const col = (...v: number[]): Float64Array => Float64Array.from({ length: H }, (_, j) => v[j] ?? 0);

function aPlan(p: Partial<SitePlan>): SitePlan {
  return {
    source: 'optimal', importWh: col(), exportWh: col(), curtailWh: col(), chargeWh: col(), dischargeWh: col(), storedWh: col(),
    evWh: [], heaterWh: [], indoorC: [], washerStartOffset: [], costMinor: 0, ...p,
  };
}

function aSite() {
  const ev = { kind: 'ev', pluggedIn: true } as unknown as EvCharger;
  let hold = -Infinity;
  const washer = { kind: 'washing-machine', running: false, holdUntil: (ms: number) => { hold = ms; } } as unknown as WashingMachine;
  const shifts: HeatingShift[] = [];
  const heater = { thermal: { ratedKw: 4 }, shiftSetpoint: (s: HeatingShift) => { shifts.push(s); } } as unknown as HeatPump;
  const site = {
    id: 's', batteries: [{}], deferrables: [ev, washer], evs: [ev], heating: [heater], deferrableRequestWh: [2_750, 250], heatingRequestWh: [0],
  } as unknown as SiteModel;
  const devices: SiteDevices = { evs: [{ device: ev, k: 0 }], heaters: [heater], washers: [{ device: washer, k: 1 }] };
  const b = new SlotBuffers(1);
  b.deferrableWh[0] = 3_000;
  return { site, devices, b, shifts, hold: () => hold };
}

const active = (plan: SitePlan): ActivePlan => ({ plan, startSlot: 10, evs: [0], washers: [0] });
const NOW = 1_000_000;

describe('applyPlan', () => {
  it('sets the battery setpoint of the slot (charge positive, discharge negative)', () => {
    const s = aSite();
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ chargeWh: col(0, 800), dischargeWh: col(500) })), 10, SLOT_MS, NOW);
    expect(s.b.batteryPlanWh[0]).toBe(-500);
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ chargeWh: col(0, 800), dischargeWh: col(500) })), 11, SLOT_MS, NOW);
    expect(s.b.batteryPlanWh[0]).toBe(800);
  });

  it('limits EV charging to the planned energy and takes it out of the site\'s deferrable demand', () => {
    const s = aSite();
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ evWh: [col(1_000)], washerStartOffset: [0] })), 10, SLOT_MS, NOW);
    expect(s.site.deferrableRequestWh[0]).toBe(1_000);
    expect(s.b.deferrableWh[0]).toBe(1_250);
  });

  it('holds a washing job whose planned start is later, and withdraws this slot\'s request', () => {
    const s = aSite();
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ evWh: [col(2_750)], washerStartOffset: [3] })), 10, SLOT_MS, NOW);
    expect(s.hold()).toBe(NOW + 3 * SLOT_MS);
    expect(s.site.deferrableRequestWh[1]).toBe(0);
    expect(s.b.deferrableWh[0]).toBe(2_750);
  });

  it('lets a washing job planned to start now run', () => {
    const s = aSite();
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ evWh: [col(2_750)], washerStartOffset: [0] })), 10, SLOT_MS, NOW);
    expect(s.hold()).toBe(-Infinity);
    expect(s.site.deferrableRequestWh[1]).toBe(250);
  });

  it('picks the heater shift from the next slot\'s planned heat: pre-heat, coast or its own thermostat', () => {
    const s = aSite();
    const rated = 1_000; // 4 kW for 15 min
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ heaterWh: [col(0, rated, 0, 400)], evWh: [col(2_750)], washerStartOffset: [0] })), 10, SLOT_MS, NOW);
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ heaterWh: [col(0, rated, 0, 400)], evWh: [col(2_750)], washerStartOffset: [0] })), 11, SLOT_MS, NOW);
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ heaterWh: [col(0, rated, 0, 400)], evWh: [col(2_750)], washerStartOffset: [0] })), 12, SLOT_MS, NOW);
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ heaterWh: [col(0, rated, 0, 400)], evWh: [col(2_750)], washerStartOffset: [0] })), 13, SLOT_MS, NOW);
    expect(s.shifts).toEqual(['preheat', 'coast', 'normal', 'normal']);
  });

  it('does nothing outside the plan\'s horizon', () => {
    const s = aSite();
    applyPlan(s.site, s.devices, s.b, 0, active(aPlan({ chargeWh: col(100, 100, 100, 100) })), 10 + H, SLOT_MS, NOW);
    expect(Number.isNaN(s.b.batteryPlanWh[0])).toBe(true);
  });
});
