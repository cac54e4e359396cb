/**
 * A simulated PV system: panels of `kwp` peak power at a tilt and azimuth, behind an inverter.
 *
 * Available AC power = POA irradiance / 1000 W/m² (STC) × kWp × (1 − system losses)
 *   × (1 + γ (T_cell − 25 °C)), clipped at the inverter rating.
 * γ = −0.4 %/K is typical of crystalline silicon; it applies on both sides of 25 °C (cold cells give
 * more). Cell temperature follows the NOCT model: T_cell = T_air + (NOCT − 20 °C) × POA / 800 W/m².
 *
 * `availableWh` runs for every PV system in every slot (thousands per slot), so everything that
 * depends only on the spec is computed here once and a call allocates nothing.
 */
import type { AssetSpecOf } from '../sim/scenario-schema.js';
import { kwToWh, type Wh } from '../units.js';
import type { AssetContext } from './asset-context.js';
import type { VariableGenerator } from './capabilities.js';
import type { SlotEnvironment } from './environment.js';
import { panelGeometry, poaGlobalWm2 } from './solar/plane-of-array.js';

const STC_IRRADIANCE_WM2 = 1000;
const STC_CELL_TEMPERATURE_C = 25;
const POWER_TEMPERATURE_COEFFICIENT_PER_K = -0.004;
/** Nominal operating cell temperature (800 W/m², 20 °C air, 1 m/s wind), typical open-rack module. */
const NOCT_C = 45;
const CELL_RISE_K_PER_WM2 = (NOCT_C - 20) / 800;

export function createPv(spec: AssetSpecOf<'pv'>, ctx: AssetContext): VariableGenerator {
  const panel = panelGeometry(spec.tiltDeg, spec.azimuthDeg);
  const ratedKw = spec.inverterKw ?? spec.kwp;
  const dcKwPerWm2 = (spec.kwp / STC_IRRADIANCE_WM2) * (1 - spec.systemLossPct / 100);
  return {
    id: ctx.id,
    kind: 'pv',
    ratedKw,
    availableWh(env: SlotEnvironment): Wh {
      const poaWm2 = poaGlobalWm2(panel, env.sun, env.irradiance);
      if (!(poaWm2 > 0)) return 0;
      const cellC = env.temperatureC + CELL_RISE_K_PER_WM2 * poaWm2;
      const temperatureFactor = 1 + POWER_TEMPERATURE_COEFFICIENT_PER_K * (cellC - STC_CELL_TEMPERATURE_C);
      const powerKw = Math.min(ratedKw, Math.max(0, dcKwPerWm2 * poaWm2 * temperatureFactor));
      return kwToWh(powerKw, env.slotHours);
    },
  };
}
