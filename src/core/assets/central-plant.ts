/**
 * A transmission-level power plant (TSO). It is committed for the whole run: it does not drop below its
 * minimum stable output, and it moves towards a new output at most `rampKwPerMin` per minute. Only in
 * an over-supply emergency (every other source already curtailed) may the TSO run it below its
 * minimum, down to 0 (`belowMinimum`), regardless of ramp-down.
 * Output is held constant within a slot and steps between slots, so the ramp budget of one slot is
 * rampKwPerMin × slot minutes.
 */
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import type { PlantSpec } from '../sim/scenario-schema.js';
import { kwToWh, whToKw, type Wh } from '../units.js';
import type { CentralPlant } from './capabilities.js';

export function createCentralPlant(spec: PlantSpec, slotMinutes: number): CentralPlant {
  const initialKw = spec.initialKw ?? spec.minKw;
  if (spec.minKw > spec.capacityKw || initialKw < spec.minKw || initialKw > spec.capacityKw) {
    throw new ScenarioError(`plant ${spec.id}: output limits are inconsistent`, {
      details: [`expected minKw <= initialKw <= capacityKw, got ${spec.minKw}, ${initialKw}, ${spec.capacityKw}`],
    });
  }
  return new SimCentralPlant(spec, slotMinutes, initialKw);
}

class SimCentralPlant implements CentralPlant {
  readonly id: string;
  readonly capacityKw: number;
  readonly marginalCostMinorPerKwh: number;
  private readonly rampPerSlotKw: number;
  private output: number;

  constructor(private readonly spec: PlantSpec, private readonly slotMinutes: number, initialKw: number) {
    this.id = spec.id;
    this.capacityKw = spec.capacityKw;
    this.marginalCostMinorPerKwh = spec.marginalCostMinorPerKwh;
    this.rampPerSlotKw = spec.rampKwPerMin * slotMinutes;
    this.output = initialKw;
  }

  get outputKw(): number {
    return this.output;
  }

  minWh(slotHours: number): Wh {
    this.checkSlot(slotHours);
    // Below its minimum (after an over-supply emergency) a plant ramps back at its ramp rate.
    const floorKw = this.output < this.spec.minKw ? 0 : this.spec.minKw;
    return kwToWh(Math.max(floorKw, this.output - this.rampPerSlotKw), slotHours);
  }

  maxWh(slotHours: number): Wh {
    this.checkSlot(slotHours);
    return kwToWh(Math.min(this.capacityKw, this.output + this.rampPerSlotKw), slotHours);
  }

  dispatch(energyWh: Wh, slotHours: number, belowMinimum = false): void {
    const minWh = belowMinimum ? 0 : this.minWh(slotHours);
    const maxWh = this.maxWh(slotHours);
    if (!Number.isSafeInteger(energyWh) || energyWh < minWh || energyWh > maxWh) {
      throw new InvariantError(`plant ${this.id}: dispatch of ${energyWh} Wh outside ${minWh}..${maxWh} Wh`, {
        id: this.id, energyWh, minWh, maxWh, outputKw: this.output,
      });
    }
    // Whole-Wh rounding can put the implied power a hair outside the limits; clamp so the next
    // slot's ramp window starts from a feasible output.
    const kw = whToKw(energyWh, slotHours);
    this.output = Math.min(this.capacityKw, belowMinimum ? kw : Math.max(this.spec.minKw, kw));
  }

  /** The ramp budget was fixed for one slot length; a different slot length is a bug in the caller. */
  private checkSlot(slotHours: number): void {
    if (Math.abs(slotHours * 60 - this.slotMinutes) > 1e-9) {
      throw new InvariantError(`plant ${this.id}: slot of ${slotHours} h, built for ${this.slotMinutes} min`);
    }
  }
}
