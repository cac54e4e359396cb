/**
 * A plain load following a standard profile (load-profiles.ts), scaled to its annual energy, with
 * multiplicative noise. The noise is an AR(1) process: real demand wanders (a guest, a sick day, an
 * extra machine) and stays away for a while rather than jumping independently every slot.
 *
 * demandWh runs for every load in every slot, so it does a profile lookup (cached per slot), one
 * normal draw and a few multiplications, and allocates nothing.
 */
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { Load, PriorityClass } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';
import { loadProfile, type LoadProfile } from './load-profiles.js';

export type LoadSpec = AssetSpecOf<'load'>;

const HOURS_PER_YEAR = 8760;
/** How long a deviation from the profile typically persists (e-folding time of the noise). */
const NOISE_CORRELATION_MINUTES = 120;

export function createLoad(spec: LoadSpec, ctx: AssetContext): Load {
  return new ProfileLoad(spec, ctx);
}

class ProfileLoad implements Load {
  readonly kind = 'load';
  readonly id: string;
  readonly priority: PriorityClass;
  private readonly profile: LoadProfile;
  private readonly meanKw: number;
  private readonly noiseStd: number;
  /** AR(1) coefficient for one slot, and the innovation scale that keeps the variance at noiseStd². */
  private readonly phi: number;
  private readonly innovationStd: number;
  private noise: number;
  private lastStartMs = NaN;
  private lastWh: Wh = 0;

  constructor(spec: LoadSpec, private readonly ctx: AssetContext) {
    this.id = ctx.id;
    this.priority = spec.priority ?? ctx.sitePriority;
    this.profile = loadProfile(spec.profile);
    this.meanKw = spec.annualKwh / HOURS_PER_YEAR;
    this.noiseStd = spec.noisePct / 100;
    this.phi = Math.exp(-ctx.slotMinutes / NOISE_CORRELATION_MINUTES);
    this.innovationStd = this.noiseStd * Math.sqrt(1 - this.phi * this.phi);
    // Start from the stationary distribution, so the first slots are as noisy as the rest.
    this.noise = this.noiseStd === 0 ? 0 : this.noiseStd * ctx.rng.normal();
  }

  demandWh(env: SlotEnvironment): Wh {
    // Asking again in the same slot returns the same demand and does not advance the noise.
    if (env.startMs === this.lastStartMs) return this.lastWh;
    this.lastStartMs = env.startMs;
    if (this.noiseStd > 0) this.noise = this.phi * this.noise + this.innovationStd * this.ctx.rng.normal();
    // A deviation of more than −100 % would be generation; a load never does that.
    const multiplier = Math.max(0, 1 + this.noise);
    this.lastWh = kwToWh(this.meanKw * this.profile.factorAt(env) * multiplier, env.slotHours);
    return this.lastWh;
  }
}
