/**
 * Default prices of the EMS's soft constraints, in minor units (cents). They sit well above retail
 * energy prices (~30 per kWh) so a plan gives up comfort or EV energy only when it cannot be had:
 * an unmet kWh costs about six times a retail kWh; one kelvin below the band for a 15-minute slot
 * costs about what heating a house by one kelvin does; over-importing costs more than anything else.
 */
import type { PlanPenalties } from './site-plan-input.js';

export const DEFAULT_PLAN_PENALTIES: PlanPenalties = {
  unmetEvMinorPerKwh: 200,
  comfortMinorPerKelvinSlot: 20,
  overImportMinorPerKwh: 500,
  missedWasherMinorPerKwh: 200,
};

/** The defaults with some prices replaced: `planPenalties({ comfortMinorPerKelvinSlot: 50 })`. */
export function planPenalties(overrides: Partial<PlanPenalties> = {}): PlanPenalties {
  return { ...DEFAULT_PLAN_PENALTIES, ...overrides };
}

/** What a missed washer cycle costs per kWh (its own price, else the EV one). */
export function missedWasherMinorPerKwh(p: PlanPenalties): number {
  return p.missedWasherMinorPerKwh ?? p.unmetEvMinorPerKwh;
}
