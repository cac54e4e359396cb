/**
 * Simulated small wind turbine (farm scale). The weather gives wind at the 10 m reference height;
 * the turbine sees more at its hub (power-law wind shear), plus a little slot-to-slot turbulence of
 * its own, so turbines on the same weather do not move in perfect lockstep.
 */
import { ScenarioError } from '../errors.js';
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { VariableGenerator } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';

export type WindSpec = AssetSpecOf<'wind'>;

/** Hellmann exponent for open, flat terrain (the classic 1/7 power law). */
const SHEAR_EXPONENT = 1 / 7;
const REFERENCE_HEIGHT_M = 10;
/** Slot-mean turbulence is small: 4 % standard deviation, clipped at 3σ so a slot is never absurd. */
const GUST_STD = 0.04;
const GUST_MAX = 3 * GUST_STD;

/** Wind speed at hub height from the 10 m reference speed (power law). */
export function hubHeightSpeedMs(speedAt10mMs: number, hubHeightM: number): number {
  return speedAt10mMs * Math.pow(hubHeightM / REFERENCE_HEIGHT_M, SHEAR_EXPONENT);
}

/**
 * Fraction of rated power at a hub wind speed: 0 below cut-in, a cubic rise (power in the wind grows
 * with v³) that is continuous at cut-in and rated speed, flat at rated up to cut-out, 0 above
 * (the turbine furls or brakes to protect itself).
 */
export function powerCurveFraction(hubSpeedMs: number, spec: Pick<WindSpec, 'cutInMs' | 'ratedMs' | 'cutOutMs'>): number {
  if (hubSpeedMs < spec.cutInMs || hubSpeedMs > spec.cutOutMs) return 0;
  if (hubSpeedMs >= spec.ratedMs) return 1;
  const cutIn3 = spec.cutInMs ** 3;
  return (hubSpeedMs ** 3 - cutIn3) / (spec.ratedMs ** 3 - cutIn3);
}

export function createWindTurbine(spec: WindSpec, ctx: AssetContext): VariableGenerator {
  if (!(spec.cutInMs < spec.ratedMs && spec.ratedMs < spec.cutOutMs)) {
    throw new ScenarioError(`wind turbine ${ctx.id}: wind speeds out of order`, {
      details: [`expected cutInMs < ratedMs < cutOutMs, got ${spec.cutInMs}, ${spec.ratedMs}, ${spec.cutOutMs}`],
    });
  }
  const shear = hubHeightSpeedMs(1, spec.hubHeightM);
  const rng = ctx.rng;
  // The gust factor is drawn once per slot (keyed on the slot start), so calling availableWh more
  // than once in a slot (forecast, balance, metering) gives the same answer and the same stream.
  let gustSlotMs = NaN;
  let gust = 1;

  return {
    id: ctx.id,
    kind: 'wind',
    ratedKw: spec.ratedKw,
    availableWh(env: SlotEnvironment): Wh {
      if (env.startMs !== gustSlotMs) {
        gustSlotMs = env.startMs;
        gust = 1 + Math.max(-GUST_MAX, Math.min(GUST_MAX, GUST_STD * rng.normal()));
      }
      const fraction = powerCurveFraction(env.windSpeedMs * shear * gust, spec);
      return kwToWh(spec.ratedKw * fraction, env.slotHours);
    },
  };
}
