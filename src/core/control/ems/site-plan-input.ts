/**
 * What the site EMS (model-predictive control, issue 6) plans from: the forecasts, prices and limits
 * of one site over a rolling horizon, and its flexible devices' state. Offsets count slots from the
 * slot being planned (0). Energies are Wh per slot; devices get whole Wh back (see site-plan.ts).
 *
 * Priced in minor units per kWh; temperatures in °C. The formulation is in docs/ems.md.
 */

/** A stationary battery. Energies per slot are bus side (what the site's bus gives or takes). */
export interface BatteryPlanInput {
  readonly storedWh: number;
  /** Band it keeps to. A battery that starts outside it may stay there, never go further out. */
  readonly floorWh: number;
  readonly ceilingWh: number;
  readonly maxChargeWh: number;
  readonly maxDischargeWh: number;
  /** One-way efficiencies (stored = ηc·charged; delivered = ηd·taken), e.g. sqrt(0.9) each. */
  readonly chargeEfficiency: number;
  readonly dischargeEfficiency: number;
  /** Wear, charged on both charge and discharge energy (bus side). */
  readonly wearMinorPerKwh: number;
}

/** An EV plugged in now or later. */
export interface EvPlanInput {
  /**
   * Offset of the last slot it may charge in (departure − 1). May be ≥ horizon: then only the share
   * of the need that belongs inside the horizon is asked for (docs/ems.md, "EV need").
   */
  readonly departureOffset: number;
  readonly energyNeededWh: number;
  readonly maxChargeWh: number;
  /** 0 when plugged in now. */
  readonly availableFromOffset: number;
}

/** Space heating (heat pump or resistive), building as 1R1C as in src/core/assets/heat-pump.ts. */
export interface HeaterPlanInput {
  readonly indoorC: number;
  readonly comfortMinC: number;
  readonly comfortMaxC: number;
  /** H, kW per K. */
  readonly heatLossKwPerK: number;
  /** exp(−H·Δt/C) per slot, in (0, 1). */
  readonly decay: number;
  /** Electricity per slot at full power, Wh. */
  readonly ratedWh: number;
  /** Per slot (at least `horizon` values). */
  readonly outdoorC: Float64Array;
  readonly cop: Float64Array;
}

/** A washing machine (or dishwasher) job that has not started. A running cycle is base load. */
export interface WasherPlanInput {
  readonly readyOffset: number;
  /** Latest start offset so the cycle finishes by the deadline. */
  readonly latestStartOffset: number;
  /** Energy per slot of the cycle (whole Wh), fixed shape. */
  readonly cycleWh: readonly number[];
}

/** Prices of the soft constraints. */
export interface PlanPenalties {
  /** Per kWh of EV need left unmet inside the horizon. */
  readonly unmetEvMinorPerKwh: number;
  /** Per kelvin outside the comfort band at the end of a slot, per slot. */
  readonly comfortMinorPerKelvinSlot: number;
  /** Per kWh imported beyond the credential's allowance. */
  readonly overImportMinorPerKwh: number;
  /** Per kWh of a washer cycle whose deadline falls inside the horizon but that does not start (default: unmetEvMinorPerKwh). */
  readonly missedWasherMinorPerKwh?: number;
}

export interface SitePlanInput {
  /** Slot length, hours (e.g. 0.25). */
  readonly slotHours: number;
  /** Slots planned (e.g. 96). */
  readonly horizon: number;
  /** Forecast energy per slot (index 0 = the slot being planned), Wh, ≥ 0: inflexible demand (all priority classes). */
  readonly baseLoadWh: Float64Array;
  /** PV + wind (+ must-run CHP) available, Wh ≥ 0; may be curtailed. */
  readonly generationWh: Float64Array;
  /** Price to buy (incl. grid fees) and to sell, minor units per kWh, per slot (sell ≤ buy not guaranteed). */
  readonly buyMinorPerKwh: Float64Array;
  readonly sellMinorPerKwh: Float64Array;
  /** Connection import limit per slot, Wh (Infinity = none). */
  readonly importLimitWh: number;
  /** The credential's authorised import over the horizon (Wh), or Infinity. Soft: over-use costs overImportMinorPerKwh. */
  readonly importAllowanceWh: number;
  /** Cost of the horizon's highest import, per kWh of that slot's import (a peak or capacity charge); default 0. */
  readonly peakMinorPerKwh?: number;
  /** Value of energy left in the battery at the end of the horizon, per stored kWh; default 0. */
  readonly storedValueMinorPerKwh?: number;
  readonly battery?: BatteryPlanInput;
  readonly evs: readonly EvPlanInput[];
  readonly heaters: readonly HeaterPlanInput[];
  readonly washers: readonly WasherPlanInput[];
  readonly penalties: PlanPenalties;
}

/** Bounds on the input (CONVENTIONS 6): a week of 5-minute slots, and devices per kind. */
export const PLAN_HORIZON_MAX = 2016;
export const PLAN_DEVICES_PER_KIND_MAX = 16;
export const WASHER_CYCLE_SLOTS_MAX = 96;
