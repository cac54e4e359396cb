/**
 * Simulated battery storage. Stored energy is an integer number of Wh so that every Wh that crosses
 * the bus is accounted for exactly: bus energy = change in stored energy + conversion loss.
 *
 * The round-trip efficiency η is split evenly between the two conversions (√η on the way in, √η on
 * the way out), so a full cycle loses ≈ (1 − η) of the energy taken from the bus.
 * Rounding always favours the battery's limits: charging stores floor(bus·√η), discharging removes
 * ceil(bus/√η), so rounding can never create energy or push the state past a limit.
 */
import { InvariantError } from '../assert.js';
import { ScenarioError } from '../errors.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { Battery } from './capabilities.js';

export function createBattery(spec: AssetSpecOf<'battery'>, ctx: AssetContext): Battery {
  if (spec.socMinPct > spec.socMaxPct || spec.initialSocPct < spec.socMinPct || spec.initialSocPct > spec.socMaxPct) {
    throw new ScenarioError(`battery ${ctx.id}: state of charge limits are inconsistent`, {
      details: [`expected socMinPct <= initialSocPct <= socMaxPct, got ${spec.socMinPct}, ${spec.initialSocPct}, ${spec.socMaxPct}`],
    });
  }
  return new SimBattery(spec, ctx.id);
}

class SimBattery implements Battery {
  readonly kind = 'battery';
  readonly capacityWh: Wh;
  readonly gridForming: boolean;
  readonly floorWh: Wh;
  readonly ceilingWh: Wh;
  readonly maxChargeKw: number;
  readonly maxDischargeKw: number;
  readonly roundTripEfficiencyPct: number;
  /** √η: the efficiency of one conversion (charge or discharge). */
  private readonly oneWayEfficiency: number;
  private stored: Wh;
  private destroyed = false;

  constructor(private readonly spec: AssetSpecOf<'battery'>, readonly id: string) {
    this.capacityWh = Math.round(spec.capacityKwh * 1000);
    // The floor rounds up and the ceiling down, so the integer band stays inside the configured one.
    this.floorWh = Math.ceil((this.capacityWh * spec.socMinPct) / 100);
    this.ceilingWh = Math.floor((this.capacityWh * spec.socMaxPct) / 100);
    this.oneWayEfficiency = Math.sqrt(spec.roundTripEfficiencyPct / 100);
    const initial = Math.round((this.capacityWh * spec.initialSocPct) / 100);
    this.stored = Math.min(this.ceilingWh, Math.max(this.floorWh, initial));
    this.gridForming = spec.gridForming;
    this.maxChargeKw = spec.maxChargeKw;
    this.maxDischargeKw = spec.maxDischargeKw;
    this.roundTripEfficiencyPct = spec.roundTripEfficiencyPct;
  }

  get storedWh(): Wh {
    return this.stored;
  }

  get usableWh(): Wh {
    return this.destroyed ? 0 : Math.max(0, this.stored - this.floorWh);
  }

  socPct(): number {
    return (this.stored / this.capacityWh) * 100;
  }

  maxChargeWh(slotHours: number): Wh {
    if (this.destroyed) return 0;
    const headroom = this.ceilingWh - this.stored;
    if (headroom <= 0) return 0;
    // Largest bus energy x with storedIncrease(x) <= headroom. The estimate can be off by one
    // through floating point, so it is corrected with the very function charge() uses.
    let x = Math.ceil((headroom + 1) / this.oneWayEfficiency) - 1;
    while (this.storedIncrease(x + 1) <= headroom) x++;
    while (x > 0 && this.storedIncrease(x) > headroom) x--;
    return Math.min(x, kwToWh(this.spec.maxChargeKw, slotHours));
  }

  maxDischargeWh(slotHours: number): Wh {
    if (this.destroyed) return 0;
    const available = this.stored - this.floorWh;
    if (available <= 0) return 0;
    // Largest bus energy x with storedDecrease(x) <= available, corrected as in maxChargeWh.
    let x = Math.floor(available * this.oneWayEfficiency);
    while (this.storedDecrease(x + 1) <= available) x++;
    while (x > 0 && this.storedDecrease(x) > available) x--;
    return Math.min(x, kwToWh(this.spec.maxDischargeKw, slotHours));
  }

  charge(energyWh: Wh, slotHours: number): Wh {
    this.checkRequest(energyWh, this.maxChargeWh(slotHours), 'charge');
    const increase = this.storedIncrease(energyWh);
    this.stored += increase;
    return energyWh - increase;
  }

  discharge(energyWh: Wh, slotHours: number): Wh {
    this.checkRequest(energyWh, this.maxDischargeWh(slotHours), 'discharge');
    const decrease = this.storedDecrease(energyWh);
    this.stored -= decrease;
    return decrease - energyWh;
  }

  destroy(): void {
    this.destroyed = true;
    this.stored = 0;
  }

  private storedIncrease(busWh: Wh): Wh {
    return Math.floor(busWh * this.oneWayEfficiency);
  }

  private storedDecrease(busWh: Wh): Wh {
    return Math.ceil(busWh / this.oneWayEfficiency);
  }

  /** Asking for more than the maximum is a bug in the caller (the engine must respect max*Wh). */
  private checkRequest(energyWh: Wh, maxWh: Wh, what: string): void {
    if (!Number.isSafeInteger(energyWh) || energyWh < 0 || energyWh > maxWh) {
      throw new InvariantError(`battery ${this.id}: ${what} of ${energyWh} Wh outside 0..${maxWh} Wh`, {
        id: this.id, energyWh, maxWh, storedWh: this.stored,
      });
    }
  }
}
