/**
 * The 1R1C building of src/core/assets/heat-pump.ts, as the planner uses it. Within a slot with heat
 * Q (kW) and outdoor temperature T_out, the room relaxes towards T_out + Q/H by the factor `decay`:
 *
 *   T_end = decay·T_start + (1 − decay)·T_out + gain·e,   gain = (1 − decay)·cop / (H·slotHours·1000)
 *
 * with e the electricity of the slot in Wh. It is linear in e, which is what lets the LP hold it as a
 * row per slot.
 */
import type { HeaterPlanInput } from './site-plan-input.js';

/** Kelvin gained at the end of slot t per Wh of electricity in it. */
export function heaterGainKPerWh(h: HeaterPlanInput, t: number, slotHours: number): number {
  return ((1 - h.decay) * (h.cop[t] as number)) / (h.heatLossKwPerK * slotHours * 1000);
}

/** Indoor temperature at the end of slot t, from `startC` at its start and `heaterWh` in it. */
export function indoorAfterC(h: HeaterPlanInput, t: number, startC: number, heaterWh: number, slotHours: number): number {
  return h.decay * startC + (1 - h.decay) * (h.outdoorC[t] as number) + heaterGainKPerWh(h, t, slotHours) * heaterWh;
}

/** Electricity that brings the room from `startC` to `targetC` by the end of slot t, Wh (may be < 0: it would cool anyway). */
export function heaterWhToReach(h: HeaterPlanInput, t: number, startC: number, targetC: number, slotHours: number): number {
  const drift = h.decay * startC + (1 - h.decay) * (h.outdoorC[t] as number);
  return (targetC - drift) / heaterGainKPerWh(h, t, slotHours);
}

/** Indoor temperatures at the end of each slot for a heating schedule. */
export function indoorTrajectoryC(h: HeaterPlanInput, heaterWh: Float64Array, horizon: number, slotHours: number): Float64Array {
  const out = new Float64Array(horizon);
  let c = h.indoorC;
  for (let t = 0; t < horizon; t++) {
    c = indoorAfterC(h, t, c, heaterWh[t] as number, slotHours);
    out[t] = c;
  }
  return out;
}

/** Kelvin outside [min, max] at the end of each slot, summed. */
export function comfortViolationKelvinSlots(h: HeaterPlanInput, indoorC: Float64Array): number {
  let k = 0;
  for (const c of indoorC) k += Math.max(0, h.comfortMinC - c) + Math.max(0, c - h.comfortMaxC);
  return k;
}
