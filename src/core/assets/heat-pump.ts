/**
 * Space heating by a heat pump or a resistive heater, with the building as one thermal resistance
 * and one capacitance (1R1C): C dT/dt = Q_heat − H (T_in − T_out). Within a slot heat and outdoor
 * temperature are constant, so the exact solution is used: T relaxes towards
 * T_eq = T_out + Q/H with factor exp(−H Δt / C). This stays stable for any slot length.
 *
 * Naive control is a thermostat with hysteresis inside the comfort band: it switches on in the
 * lower quarter of the band and off in the upper quarter. While on it runs at rated power, but never
 * more than it takes to reach the switch-off temperature by the end of the slot, so a long slot
 * does not overshoot the band.
 *
 * A planner may shift the setpoint inside the band (`shiftSetpoint`, from the next slot on): pre-heat
 * asks for the heat that brings the room to comfortMax − 10 % of the band by the end of the slot;
 * coast asks only for the heat that keeps it at comfortMin + 10 % of the band. Both are exact targets
 * of the same 1R1C solution, capped at rated power, so neither leaves the band while fully delivered
 * (the temperature moves monotonically within a slot). The thermostat's on/off state keeps following
 * the temperature meanwhile, so control returns to it smoothly.
 */
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { FlexibleLoad, HeatingShift, HeatingThermalModel, PriorityClass, ShiftableHeating } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';

export type HeatPumpSpec = AssetSpecOf<'heat-pump'>;

export interface HeatPump extends ShiftableHeating {
  /** The thermostat is calling for heat. */
  readonly heating: boolean;
  /** Time below comfortMinC or above comfortMaxC, weighted by how far outside, K·h. */
  readonly comfortViolationDegreeHours: number;
}

/** Heat-pump COP falls 2.5 % per kelvin below the 7 °C rating point (A7/W35), within sane limits. */
const COP_SLOPE_PER_K = 0.025;
const COP_RATING_C = 7;
const COP_MIN = 1.5;
const COP_MAX_FACTOR = 1.4;
/** Switch on below min + 25 % of the band, off above max − 25 %. */
const HYSTERESIS_FRACTION = 0.25;
/** Pre-heat targets comfortMax − 10 % of the band; coast holds comfortMin + 10 % (margin for partial slots). */
const SHIFT_MARGIN_FRACTION = 0.1;

/** A heater is a `HeatPump` (the capability behind the 'heat-pump' kind). */
export function isHeatPump(device: FlexibleLoad): device is HeatPump {
  return device.kind === 'heat-pump';
}

export function createHeatPump(spec: HeatPumpSpec, ctx: AssetContext): HeatPump {
  if (spec.comfortMinC >= spec.comfortMaxC) {
    throw new ScenarioError(`heat pump ${ctx.id}: comfort band is empty`, {
      details: [`expected comfortMinC < comfortMaxC, got ${spec.comfortMinC} and ${spec.comfortMaxC}`],
    });
  }
  return new SimHeatPump(spec, ctx);
}

class SimHeatPump implements HeatPump {
  readonly kind = 'heat-pump';
  readonly id: string;
  readonly priority: PriorityClass;
  private readonly onBelowC: number;
  private readonly offAboveC: number;
  private readonly preheatTargetC: number;
  private readonly coastFloorC: number;
  private indoor: number;
  private shiftNow: HeatingShift = 'normal';
  private shiftNext: HeatingShift = 'normal';
  private lastWh: Wh = 0;
  private lastShift: HeatingShift = 'normal';
  private isHeating: boolean;
  private violationKh = 0;
  /** exp(−H Δt / C) for the slot length last seen (recomputed only if the slot length changes). */
  private decay = NaN;
  private decaySlotHours = NaN;

  constructor(private readonly spec: HeatPumpSpec, ctx: AssetContext) {
    this.id = ctx.id;
    this.priority = ctx.sitePriority;
    const hysteresisK = (spec.comfortMaxC - spec.comfortMinC) * HYSTERESIS_FRACTION;
    this.onBelowC = spec.comfortMinC + hysteresisK;
    this.offAboveC = spec.comfortMaxC - hysteresisK;
    const marginK = (spec.comfortMaxC - spec.comfortMinC) * SHIFT_MARGIN_FRACTION;
    this.preheatTargetC = spec.comfortMaxC - marginK;
    this.coastFloorC = spec.comfortMinC + marginK;
    this.indoor = spec.initialIndoorC;
    this.isHeating = this.indoor < this.onBelowC;
  }

  get indoorC(): number { return this.indoor; }
  get heating(): boolean { return this.isHeating; }
  get comfortViolationDegreeHours(): number { return this.violationKh; }
  get setpointShift(): HeatingShift { return this.shiftNow; }
  get lastDeliveredWh(): Wh { return this.lastWh; }
  get lastDeliveredShift(): HeatingShift { return this.lastShift; }
  get thermal(): HeatingThermalModel { return this.spec; }

  shiftSetpoint(shift: HeatingShift): void {
    this.shiftNext = shift;
  }

  cop(outdoorC: number): number {
    if (this.spec.type === 'resistive') return 1;
    const nominal = this.spec.copNominal;
    const cop = nominal * (1 + COP_SLOPE_PER_K * (outdoorC - COP_RATING_C));
    // min() keeps the floor at or below the nominal COP, so a poor unit is not lifted to 1.5.
    return Math.min(nominal * COP_MAX_FACTOR, Math.max(Math.min(COP_MIN, nominal), cop));
  }

  requestWh(env: SlotEnvironment): Wh {
    switch (this.shiftNow) {
      case 'preheat': return this.heatToReachWh(this.preheatTargetC, env);
      case 'coast': return this.heatToReachWh(this.coastFloorC, env);
      case 'normal': return this.isHeating ? this.heatToReachWh(this.offAboveC, env) : 0;
    }
  }

  /** Electricity that brings the indoor temperature to `targetC` by the end of the slot, capped at rated power. */
  private heatToReachWh(targetC: number, env: SlotEnvironment): Wh {
    const d = this.decayFor(env.slotHours);
    const { heatLossKwPerK: h } = this.spec;
    const outdoor = env.temperatureC;
    const neededHeatKw = (h * (targetC - outdoor - (this.indoor - outdoor) * d)) / (1 - d);
    if (neededHeatKw <= 0) return 0;
    // Rounded up, so delivering the whole request does reach the target.
    const neededWh = Math.ceil((neededHeatKw / this.cop(outdoor)) * env.slotHours * 1000);
    return Math.min(kwToWh(this.spec.ratedKw, env.slotHours), neededWh);
  }

  deliver(energyWh: Wh, env: SlotEnvironment): void {
    const requestWh = this.requestWh(env);
    if (!Number.isSafeInteger(energyWh) || energyWh < 0 || energyWh > requestWh) {
      throw new InvariantError(`heat pump ${this.id}: delivered ${energyWh} Wh, requested ${requestWh} Wh`, {
        id: this.id, energyWh, requestWh,
      });
    }
    const outdoor = env.temperatureC;
    const heatKw = (energyWh / 1000 / env.slotHours) * this.cop(outdoor);
    const equilibrium = outdoor + heatKw / this.spec.heatLossKwPerK;
    const before = this.indoor;
    this.indoor = equilibrium + (before - equilibrium) * this.decayFor(env.slotHours);
    this.recordComfort((before + this.indoor) / 2, env.slotHours);
    if (this.indoor < this.onBelowC) this.isHeating = true;
    // A hair of tolerance for floating point: a fully delivered capped request lands on offAboveC.
    else if (this.indoor >= this.offAboveC - 1e-9) this.isHeating = false;
    this.lastWh = energyWh;
    this.lastShift = this.shiftNow;
    this.shiftNow = this.shiftNext;
  }

  private recordComfort(meanC: number, slotHours: number): void {
    const belowK = this.spec.comfortMinC - meanC;
    const aboveK = meanC - this.spec.comfortMaxC;
    if (belowK > 0) this.violationKh += belowK * slotHours;
    else if (aboveK > 0) this.violationKh += aboveK * slotHours;
  }

  private decayFor(slotHours: number): number {
    if (slotHours !== this.decaySlotHours) {
      this.decaySlotHours = slotHours;
      this.decay = Math.exp((-this.spec.heatLossKwPerK * slotHours) / this.spec.thermalCapacityKwhPerK);
    }
    return this.decay;
  }
}
