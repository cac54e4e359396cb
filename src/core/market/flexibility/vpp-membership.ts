/**
 * Which VPP each site belongs to, per internal site position (what FlexibilityMarket takes). A site
 * belongs to at most one VPP: an aggregator pools it and offers it as part of one plant.
 */
import { ScenarioError } from '../../errors.js';
import type { Scenario } from '../../sim/scenario-schema.js';

/** `siteIds[i]`: id of the site at internal position i. Unknown sites and sites in two VPPs are ScenarioErrors. */
export function vppOfSites(vpps: Scenario['market']['vpps'], siteIds: readonly string[]): Int32Array {
  const position = new Map(siteIds.map((id, i) => [id, i]));
  const vppOfSite = new Int32Array(siteIds.length).fill(-1);
  const problems: string[] = [];
  vpps.forEach((vpp, k) => {
    vpp.sites.forEach((id, j) => {
      const i = position.get(id);
      const path = `market.vpps[${k}].sites[${j}]`;
      if (i === undefined) problems.push(`${path}: a site id (got ${JSON.stringify(id)})`);
      else if (vppOfSite[i] !== -1) problems.push(`${path}: a site in no other VPP (${id} is already in ${vpps[vppOfSite[i] as number]?.id})`);
      else vppOfSite[i] = k;
    });
  });
  if (problems.length > 0) throw new ScenarioError('invalid scenario', { details: problems.slice(0, 50) });
  return vppOfSite;
}
