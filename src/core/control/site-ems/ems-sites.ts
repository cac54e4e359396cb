/**
 * Which sites the site EMS plans: every site with a battery, an EV charger, a heater or a washing
 * machine, except members of a VPP that schedules its members' devices (the aggregator plans those);
 * or, when `control.ems.sites` names sites, exactly those.
 */
import { ScenarioError } from '../../errors.js';
import type { Scenario } from '../../sim/scenario-schema.js';
import type { SiteModel } from '../../sim/site-model.js';

export function hasFlexibleDevices(site: SiteModel): boolean {
  return site.batteries.length > 0 || site.deferrables.length > 0 || site.heating.length > 0;
}

/** Internal site positions the EMS plans, ascending. */
export function selectEmsSites(scenario: Scenario, sites: readonly SiteModel[], vppOfSite: Int32Array): Int32Array {
  const named = scenario.control.ems.sites;
  if (named.length > 0) {
    const position = new Map(sites.map((s, i) => [s.id, i]));
    const out = named.map((id, k) => {
      const i = position.get(id);
      if (i === undefined) throw new ScenarioError(`control.ems.sites[${k}]: expected the id of a site, got '${id}'`);
      return i;
    });
    return Int32Array.from(new Set(out)).sort();
  }
  const scheduled = new Set(scenario.market.vpps.flatMap((v, k) => (v.schedule ? [k] : [])));
  const out: number[] = [];
  sites.forEach((site, i) => {
    if (hasFlexibleDevices(site) && !scheduled.has(vppOfSite[i] as number)) out.push(i);
  });
  return Int32Array.from(out);
}
