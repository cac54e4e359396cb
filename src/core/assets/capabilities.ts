/**
 * Device capabilities (CONVENTIONS 2): the engine and the controllers talk to these interfaces only.
 * A simulated device (this folder) and a field driver (MQTT, OCPP, Modbus, later) implement the same
 * interface, so control code runs unchanged in simulation and in the field.
 *
 * Energies are integer Wh for the current slot. Methods that take `env` may read only that slot's
 * environment. A device's state advances only in `deliver`/`dispatch`/`charge`/`discharge`, called
 * once per slot by the engine after balancing.
 */
import type { PriorityClass } from '../sim/scenario-schema.js';
import type { Wh } from '../units.js';
import type { SlotEnvironment } from './environment.js';

export type { PriorityClass };

/** PV or wind: energy available this slot; the engine may curtail part of it. */
export interface VariableGenerator {
  readonly id: string;
  readonly kind: 'pv' | 'wind';
  readonly ratedKw: number;
  availableWh(env: SlotEnvironment): Wh;
}

/** A controllable generator at a site (CHP / waste-heat): a must-run part and a controllable part. */
export interface DispatchableGenerator {
  readonly id: string;
  readonly kind: 'chp';
  readonly ratedKw: number;
  readonly gridForming: boolean;
  /** Heat-led output that runs anyway this slot, Wh. */
  mustRunWh(env: SlotEnvironment): Wh;
  /** Maximum output this slot, Wh (>= mustRunWh). */
  maxWh(env: SlotEnvironment): Wh;
  /** Sets this slot's output (mustRunWh..maxWh, or 0 when the site is tripped). */
  dispatch(energyWh: Wh, env: SlotEnvironment): void;
}

/** Energy storage. Energies are measured at the AC bus; conversion losses are returned. */
export interface Battery {
  readonly id: string;
  readonly kind: 'battery';
  readonly capacityWh: Wh;
  readonly gridForming: boolean;
  /** Stored energy, integer Wh. */
  readonly storedWh: Wh;
  /** Stored energy that may still be discharged (above the SoC floor), Wh. */
  readonly usableWh: Wh;
  /** The stored-energy band it keeps to (SoC floor and ceiling), Wh. */
  readonly floorWh: Wh;
  readonly ceilingWh: Wh;
  /** Power limits (bus side) and round-trip efficiency, for planners (site EMS). */
  readonly maxChargeKw: number;
  readonly maxDischargeKw: number;
  readonly roundTripEfficiencyPct: number;
  socPct(): number;
  /** Most bus-side energy it can take this slot (power and SoC ceiling), Wh. */
  maxChargeWh(slotHours: number): Wh;
  /** Most bus-side energy it can deliver this slot (power and SoC floor), Wh. */
  maxDischargeWh(slotHours: number): Wh;
  /** Charges with `energyWh` from the bus; returns the conversion loss, Wh. */
  charge(energyWh: Wh, slotHours: number): Wh;
  /** Discharges `energyWh` to the bus; returns the conversion loss, Wh. */
  discharge(energyWh: Wh, slotHours: number): Wh;
  /** Marks the device destroyed: nothing stored, no power. */
  destroy(): void;
}

/** A plain load following a profile. */
export interface Load {
  readonly id: string;
  readonly kind: 'load';
  readonly priority: PriorityClass;
  demandWh(env: SlotEnvironment): Wh;
}

/**
 * A load with state the engine (and later the EMS and flexibility markets) can steer: EV charging,
 * washing machine, heat pump / heater. `requestWh` is what its own naive control wants this slot;
 * `deliver` is told what it actually got (0..request) and advances the state.
 */
export interface FlexibleLoad {
  readonly id: string;
  readonly kind: 'ev' | 'washing-machine' | 'heat-pump';
  readonly priority: PriorityClass;
  requestWh(env: SlotEnvironment): Wh;
  deliver(energyWh: Wh, env: SlotEnvironment): void;
}

/**
 * Where a planner (VPP, flexibility) asks space heating to hold the room inside its comfort band:
 * `normal` = its own thermostat; `preheat` = heat toward the top of the band (store heat while energy
 * is cheap); `coast` = heat only as much as keeps the room just above the bottom of the band (while
 * energy is dear). A shift never takes the room out of the band by itself.
 */
export type HeatingShift = 'normal' | 'preheat' | 'coast';

/** Parameters of a heated building for planners (site EMS): one resistance, one capacitance. */
export interface HeatingThermalModel {
  readonly ratedKw: number;
  readonly heatLossKwPerK: number;
  readonly thermalCapacityKwhPerK: number;
  readonly comfortMinC: number;
  readonly comfortMaxC: number;
}

/** Space heating whose setpoint a planner can shift inside the comfort band. */
export interface ShiftableHeating extends FlexibleLoad {
  readonly kind: 'heat-pump';
  /** Indoor air temperature at the end of the last delivered slot, °C. */
  readonly indoorC: number;
  /** The shift the next `requestWh` follows. */
  readonly setpointShift: HeatingShift;
  /**
   * Asks for a shift from the next slot on: it takes effect after this slot's `deliver`, so a planner
   * may call it between sense and dispatch without changing the request being served.
   */
  shiftSetpoint(shift: HeatingShift): void;
  /** The building and heater as a planner models them (1R1C, see heat-pump.ts). */
  readonly thermal: HeatingThermalModel;
  /** Coefficient of performance at an outdoor temperature (1 for a resistive heater). */
  cop(outdoorC: number): number;
  /** Energy delivered in the last delivered slot, Wh, and the shift that slot ran under. */
  readonly lastDeliveredWh: Wh;
  readonly lastDeliveredShift: HeatingShift;
}

/** EV charging point with a car: charging can be paused and resumed (flexibility, islanding). */
export interface EvCharger extends FlexibleLoad {
  readonly kind: 'ev';
  readonly pluggedIn: boolean;
  readonly paused: boolean;
  /** Energy still wanted before departure in the current session, Wh. */
  readonly energyRemainingWh: Wh;
  /** When the plugged-in car leaves (UTC ms, as the driver told the charger); NaN when none is plugged in. */
  readonly departureMs: number;
  readonly chargerKw: number;
  /** Energy that was still missing when cars left, summed over the run, Wh. */
  readonly unmetAtDepartureWh: Wh;
  pause(): void;
  resume(): void;
}

/** A transmission-level power plant (TSO): capacity, ramp limits, marginal cost. */
export interface CentralPlant {
  readonly id: string;
  readonly capacityKw: number;
  readonly marginalCostMinorPerKwh: number;
  /** Output of the last slot, kW. */
  readonly outputKw: number;
  /** Least energy it can produce next slot given its minimum and ramp-down limit, Wh. */
  minWh(slotHours: number): Wh;
  /** Most energy it can produce next slot given capacity and ramp-up limit, Wh. */
  maxWh(slotHours: number): Wh;
  /** Sets next slot's output; `belowMinimum` allows 0..maxWh in an over-supply emergency. */
  dispatch(energyWh: Wh, slotHours: number, belowMinimum?: boolean): void;
}
