/** Builds a site's runtime model from its spec, one device per asset, each with its own random stream. */
import type { Battery, DispatchableGenerator, EvCharger, FlexibleLoad, Load, VariableGenerator } from '../assets/capabilities.js';
import { createAsset } from '../assets/create-asset.js';
import type { Rng } from '../rng.js';
import { assetIdOf } from './scenario-checks.js';
import type { SiteSpec } from './scenario-schema.js';
import { classOf, type SiteModel } from './site-model.js';

export function buildSite(spec: SiteSpec, runRng: Rng, slotMinutes: number): SiteModel {
  const loads: Load[] = [];
  const loadClass: number[] = [];
  const generators: VariableGenerator[] = [];
  const chps: DispatchableGenerator[] = [];
  const batteries: Battery[] = [];
  const heating: FlexibleLoad[] = [];
  const heatingClass: number[] = [];
  const deferrables: FlexibleLoad[] = [];
  const evs: EvCharger[] = [];
  let gridForming = false;
  spec.assets.forEach((assetSpec, index) => {
    const id = assetIdOf(spec, index);
    const asset = createAsset(assetSpec, { id, rng: runRng.fork(id), sitePriority: spec.priority, slotMinutes });
    switch (asset.role) {
      case 'load':
        loads.push(asset.device);
        loadClass.push(classOf(asset.device.priority));
        break;
      case 'generator':
        generators.push(asset.device);
        break;
      case 'chp':
        chps.push(asset.device);
        gridForming ||= asset.device.gridForming;
        break;
      case 'battery':
        batteries.push(asset.device);
        gridForming ||= asset.device.gridForming;
        break;
      case 'heating':
        heating.push(asset.device);
        heatingClass.push(classOf(asset.device.priority));
        break;
      case 'deferrable':
        deferrables.push(asset.device);
        if (asset.ev !== undefined) evs.push(asset.ev);
        break;
    }
  });
  return {
    id: spec.id, kind: spec.kind, loads, loadClass, generators, chps, batteries, heating, heatingClass,
    deferrables, evs, heatingRequestWh: heating.map(() => 0), deferrableRequestWh: deferrables.map(() => 0),
    assetsDestroyed: false, gridForming,
  };
}

/** A disaster destroys generation and storage; the buildings' demand remains. */
export function destroySiteAssets(site: SiteModel): void {
  site.assetsDestroyed = true;
  for (const b of site.batteries) b.destroy();
}
