/**
 * Cross-reference checks of a scenario's `trust` section: per-site authorised imports name sites,
 * and the dishonest validator is a controller of a settlement unit (a microgrid, a DSO or the root).
 */
import type { Scenario } from './scenario-schema.js';

export function checkTrust(s: Scenario): string[] {
  const problems: string[] = [];
  const quote = (text: string): string => JSON.stringify(text);
  const sites = new Set(s.sites.map((x) => x.id));
  for (const id of Object.keys(s.trust.siteAuthorisedImportKwhPerDay)) {
    if (!sites.has(id)) problems.push(`trust.siteAuthorisedImportKwhPerDay.${id}: the id of a site (got ${quote(id)})`);
  }
  const d = s.trust.dishonestValidator;
  if (d !== undefined) {
    const area = s.areas.find((a) => a.id === d.microgrid);
    if (area === undefined || !(area.microgrid || area.level === 'dso' || area.parent === undefined)) {
      problems.push(`trust.dishonestValidator.microgrid: a microgrid, DSO or root area (got ${quote(d.microgrid)})`);
    }
    if (d.index >= s.trust.validatorsPerMicrogrid) {
      problems.push(`trust.dishonestValidator.index: a controller validator, 0..${s.trust.validatorsPerMicrogrid - 1} (got ${d.index})`);
    }
  }
  return problems;
}
