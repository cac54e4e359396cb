/**
 * Builds a device model from its scenario spec: the one place that maps asset kinds to models.
 */
import type { AssetSpec } from '../sim/scenario-schema.js';
import type { AssetContext } from './asset-context.js';
import { createBattery } from './battery.js';
import type { Battery, DispatchableGenerator, EvCharger, FlexibleLoad, Load, VariableGenerator } from './capabilities.js';
import { createChp } from './chp.js';
import { createEvCharger } from './ev.js';
import { createHeatPump } from './heat-pump.js';
import { createLoad } from './load.js';
import { createPv } from './pv.js';
import { createWashingMachine } from './washing-machine.js';
import { createWindTurbine } from './wind.js';

export type SiteAsset =
  | { role: 'load'; device: Load }
  | { role: 'generator'; device: VariableGenerator }
  | { role: 'chp'; device: DispatchableGenerator }
  | { role: 'battery'; device: Battery }
  | { role: 'heating'; device: FlexibleLoad }
  | { role: 'deferrable'; device: FlexibleLoad; ev?: EvCharger };

export function createAsset(spec: AssetSpec, ctx: AssetContext): SiteAsset {
  switch (spec.kind) {
    case 'load':
      return { role: 'load', device: createLoad(spec, ctx) };
    case 'pv':
      return { role: 'generator', device: createPv(spec, ctx) };
    case 'wind':
      return { role: 'generator', device: createWindTurbine(spec, ctx) };
    case 'chp':
      return { role: 'chp', device: createChp(spec, ctx) };
    case 'battery':
      return { role: 'battery', device: createBattery(spec, ctx) };
    case 'heat-pump':
      return { role: 'heating', device: createHeatPump(spec, ctx) };
    case 'ev': {
      const ev = createEvCharger(spec, ctx);
      return { role: 'deferrable', device: ev, ev };
    }
    case 'washing-machine':
      return { role: 'deferrable', device: createWashingMachine(spec, ctx) };
  }
}
