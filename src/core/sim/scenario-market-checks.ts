/**
 * Cross-reference checks of a scenario's `market` section: community members and VPP sites are
 * sites of the scenario (each in at most one community and one VPP), flexibility requests name an
 * area, and the market maker's import steps share out at most the whole interconnector.
 */
import type { Scenario } from './scenario-schema.js';

export function checkMarket(s: Scenario): string[] {
  const problems: string[] = [];
  const sites = new Set(s.sites.map((x) => x.id));
  const areas = new Set(s.areas.map((a) => a.id));
  const quote = (text: string): string => JSON.stringify(text);
  const memberships = (groups: readonly { id: string; members: readonly string[] }[], path: string, what: string): void => {
    const owner = new Map<string, string>();
    groups.forEach((g, k) => g.members.forEach((id, j) => {
      const at = `market.${path}[${k}].${path === 'vpps' ? 'sites' : 'members'}[${j}]`;
      if (!sites.has(id)) problems.push(`${at}: the id of a site (got ${quote(id)})`);
      else if (owner.has(id)) problems.push(`${at}: a site in at most one ${what} (got ${quote(id)}, already in ${quote(owner.get(id) as string)})`);
      else owner.set(id, g.id);
    }));
  };
  memberships(s.market.communities, 'communities', 'community');
  memberships(s.market.vpps.map((v) => ({ id: v.id, members: v.sites })), 'vpps', 'VPP');
  s.market.flexibility.requests.forEach((r, k) => {
    if (!areas.has(r.area)) problems.push(`market.flexibility.requests[${k}].area: the id of an area (got ${quote(r.area)})`);
  });
  const shares = s.market.marketMaker.importSteps.reduce((sum, step) => sum + step.shareOfCapacityPct, 0);
  if (shares > 100) problems.push(`market.marketMaker.importSteps: shares of the interconnector capacity summing to at most 100 (got ${shares})`);
  const ids = new Set<string>();
  for (const [k, r] of s.market.flexibility.requests.entries()) {
    if (ids.has(r.id)) problems.push(`market.flexibility.requests[${k}].id: an id used once among the requests (got ${quote(r.id)})`);
    ids.add(r.id);
  }
  return problems;
}
