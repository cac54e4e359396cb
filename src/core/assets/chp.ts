/**
 * Industrial combined heat and power / waste-heat generator at a site. It is heat-led: the process
 * heat a factory needs forces a must-run electrical output (mustRunPct of rated at full process load,
 * less at night and at weekends); the rest up to rated power is controllable and can be sold.
 */
import { InvariantError } from '../assert.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { DispatchableGenerator } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';

export type ChpSpec = AssetSpecOf<'chp'>;

/** A CHP that can also be destroyed (disaster events): afterwards it produces nothing. */
export interface Chp extends DispatchableGenerator {
  readonly destroyed: boolean;
  /** Output set by the last dispatch, Wh. */
  readonly lastOutputWh: Wh;
  destroy(): void;
}

/** Process heat as a fraction of full load: two shifts on weekdays (06–22), lower at night and weekends. */
export function industrialHeatShape(hourOfDay: number, dayOfWeek: number): number {
  const dayShift = hourOfDay >= 6 && hourOfDay < 22;
  const weekend = dayOfWeek >= 5;
  if (weekend) return dayShift ? 0.6 : 0.5;
  return dayShift ? 1 : 0.7;
}

export function createChp(spec: ChpSpec, ctx: AssetContext): Chp {
  return new SimChp(spec, ctx.id);
}

class SimChp implements Chp {
  readonly kind = 'chp';
  readonly ratedKw: number;
  readonly gridForming: boolean;
  private isDestroyed = false;
  private outputWh: Wh = 0;

  constructor(private readonly spec: ChpSpec, readonly id: string) {
    this.ratedKw = spec.ratedKw;
    this.gridForming = spec.gridForming;
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }

  get lastOutputWh(): Wh {
    return this.outputWh;
  }

  mustRunWh(env: SlotEnvironment): Wh {
    if (this.isDestroyed) return 0;
    // The shape is <= 1, so the must-run power never exceeds rated and mustRunWh <= maxWh.
    const kw = (this.ratedKw * this.spec.mustRunPct * industrialHeatShape(env.hourOfDay, env.dayOfWeek)) / 100;
    return kwToWh(kw, env.slotHours);
  }

  maxWh(env: SlotEnvironment): Wh {
    return this.isDestroyed ? 0 : kwToWh(this.ratedKw, env.slotHours);
  }

  dispatch(energyWh: Wh, env: SlotEnvironment): void {
    const minWh = this.mustRunWh(env);
    const maxWh = this.maxWh(env);
    // Zero is always allowed: a tripped site takes the unit off line whatever the heat demand.
    const ok = Number.isSafeInteger(energyWh) && (energyWh === 0 || (energyWh >= minWh && energyWh <= maxWh));
    if (!ok) {
      throw new InvariantError(`chp ${this.id}: dispatch of ${energyWh} Wh outside 0 or ${minWh}..${maxWh} Wh`, {
        id: this.id, energyWh, minWh, maxWh,
      });
    }
    this.outputWh = energyWh;
  }

  destroy(): void {
    this.isDestroyed = true;
    this.outputWh = 0;
  }
}
