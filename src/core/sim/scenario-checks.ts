/**
 * Checks a schema-valid scenario for what a per-field schema cannot see: unique ids, the area tree,
 * references from sites, plants and events, consistent asset parameters, and the configured limits.
 * Each problem is one line `path: what was expected (got …)`; all problems are returned.
 *
 * Decisions (documented here because the schema cannot say them):
 * - An `outage` on the TSO area is allowed and means the interconnector fails (the engine reads
 *   the TSO's upstream link as the interconnector). A `comm-cut` on the TSO area is rejected: the
 *   TSO has no upstream to be cut from; cut the DSO to silence everything below it.
 * - A `restore` needs an earlier disaster, outage or comm-cut on the same area: alone it does nothing
 *   and is almost certainly a typo in the area id.
 * - Events after the end of the run are allowed (`--days` may shorten a run).
 */
import { AREA_LEVELS, type AreaLevel, type AssetSpec, type Scenario } from './scenario-schema.js';
import { checkMarket } from './scenario-market-checks.js';
import { checkTrust } from './scenario-trust-checks.js';

/**
 * The id of a site's asset: its own `id`, else `${siteId}/${kind}${index}` where index is the
 * asset's position in `site.assets` (explicit ids cannot contain `/`, so the two never collide).
 */
export function assetIdOf(site: { id: string; assets: readonly { kind: string; id?: string | undefined }[] }, index: number): string {
  const asset = site.assets[index];
  if (asset === undefined) throw new RangeError(`site ${site.id} has no asset ${index}`);
  return asset.id ?? `${site.id}/${asset.kind}${index}`;
}

export function checkScenario(scenario: Scenario): string[] {
  return [
    ...checkUniqueIds(scenario),
    ...checkAreaTree(scenario),
    ...checkFeeders(scenario),
    ...checkSites(scenario),
    ...checkPlants(scenario),
    ...checkEvents(scenario),
    ...checkAssets(scenario),
    ...checkLimits(scenario),
    ...checkMarket(scenario),
    ...checkTrust(scenario),
  ];
}

const rank = (level: AreaLevel): number => AREA_LEVELS.indexOf(level);
const quote = (text: string): string => JSON.stringify(text);

function checkUniqueIds(s: Scenario): string[] {
  const problems: string[] = [];
  const firstUse = new Map<string, string>();
  const claim = (id: string, path: string): boolean => {
    const previous = firstUse.get(id);
    if (previous === undefined) {
      firstUse.set(id, path);
      return true;
    }
    problems.push(`${path}: an id used nowhere else (got ${quote(id)}, already the id of ${previous})`);
    return false;
  };
  s.areas.forEach((a, i) => claim(a.id, `areas[${i}]`));
  s.plants.forEach((p, i) => claim(p.id, `plants[${i}]`));
  s.sites.forEach((site, i) => {
    // A duplicated site id would duplicate all its default asset ids too: report the site once.
    if (!claim(site.id, `sites[${i}]`)) return;
    site.assets.forEach((_, j) => claim(assetIdOf(site, j), `sites[${i}].assets[${j}]`));
  });
  return problems;
}

function checkAreaTree(s: Scenario): string[] {
  const problems: string[] = [];
  const indexOf = firstIndexById(s.areas);
  const tsoIndices = s.areas.flatMap((a, i) => (a.level === 'tso' ? [i] : []));
  const firstTso = tsoIndices[0];
  if (firstTso === undefined) problems.push(`areas: exactly one area with level "tso" (got none)`);
  for (const i of tsoIndices.slice(1)) {
    problems.push(`areas[${i}].level: exactly one area with level "tso" (got a second one; the first is areas[${firstTso}])`);
  }
  s.areas.forEach((area, i) => {
    const path = `areas[${i}].parent`;
    if (area.level === 'tso') {
      if (area.parent !== undefined) problems.push(`${path}: no parent for the tso area (got ${quote(area.parent)})`);
      return;
    }
    if (area.parent === undefined) {
      problems.push(`${path}: the id of an area of a higher level (got none; only the tso area has no parent)`);
      return;
    }
    const parent = s.areas[indexOf.get(area.parent) ?? -1];
    if (parent === undefined) {
      problems.push(`${path}: an existing area id (got ${quote(area.parent)})`);
    } else if (rank(parent.level) >= rank(area.level)) {
      problems.push(`${path}: an area of a higher level than ${area.level} (got ${quote(area.parent)}, a ${parent.level})`);
    }
  });
  return [...problems, ...findCycles(s.areas, indexOf)];
}

/** Feeders belong to streets and neighbourhoods, with a consistent voltage band and a transformer. */
function checkFeeders(s: Scenario): string[] {
  const problems: string[] = [];
  s.areas.forEach((area, i) => {
    const f = area.feeder;
    if (f === undefined) return;
    const path = `areas[${i}].feeder`;
    if (area.level !== 'street' && area.level !== 'neighbourhood') {
      problems.push(`${path}: feeders only on street or neighbourhood areas (got a ${area.level})`);
    }
    if (!(f.vminPu < f.vmaxPu)) problems.push(`${path}.vminPu: below vmaxPu (got ${f.vminPu} and ${f.vmaxPu})`);
    if (f.matpower !== undefined) {
      const members = [...s.sites.filter((site) => site.area === area.id).map((site) => site.id), ...s.areas.filter((c) => c.parent === area.id).map((c) => c.id)];
      const placed = f.memberBuses ?? {};
      const missing = members.filter((m) => placed[m] === undefined);
      if (missing.length > 0) problems.push(`${path}.memberBuses: a bus for every site and child area of ${area.id} (missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
      const unknown = Object.keys(placed).filter((m) => !members.includes(m));
      if (unknown.length > 0) problems.push(`${path}.memberBuses: only sites and child areas of ${area.id} (got ${unknown.slice(0, 5).join(', ')})`);
      return;
    }
    if (f.memberBuses !== undefined) problems.push(`${path}.memberBuses: only with matpower (the generated layout places members itself)`);
    if (f.transformerKva === undefined && !(area.upstreamCapacityKw > 0)) {
      problems.push(`${path}.transformerKva: a rating, since the area's upstreamCapacityKw is 0`);
    }
  });
  return problems;
}

/** Parent chains that loop (impossible when levels strictly rise, but say it plainly if they do). */
function findCycles(areas: Scenario['areas'], indexOf: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  const state = new Uint8Array(areas.length); // 0 unvisited, 1 on the current chain, 2 done
  for (let start = 0; start < areas.length; start++) {
    const chain: number[] = [];
    let i: number | undefined = start;
    while (i !== undefined && state[i] === 0) {
      state[i] = 1;
      chain.push(i);
      const parent: string | undefined = areas[i]?.parent;
      i = parent === undefined ? undefined : indexOf.get(parent);
    }
    if (i !== undefined && state[i] === 1) {
      const loop = chain.slice(chain.indexOf(i)).map((k) => areas[k]?.id ?? '?');
      problems.push(`areas[${i}].parent: a chain of parents that ends at the tso area (got the cycle ${[...loop, loop[0]].join(' → ')})`);
    }
    for (const k of chain) state[k] = 2;
  }
  return problems;
}

function checkSites(s: Scenario): string[] {
  const areas = areaById(s);
  return s.sites.flatMap((site, i) => {
    const area = areas.get(site.area);
    if (area === undefined) return [`sites[${i}].area: an existing area id (got ${quote(site.area)})`];
    if (area.level === 'tso') return [`sites[${i}].area: an area below the tso (got ${quote(site.area)}, the tso area)`];
    return [];
  });
}

function checkPlants(s: Scenario): string[] {
  const tso = s.areas.find((a) => a.level === 'tso');
  const expectedArea = tso === undefined ? 'the tso area' : `the tso area ${quote(tso.id)}`;
  return s.plants.flatMap((p, i) => {
    const problems: string[] = [];
    if (tso === undefined || p.area !== tso.id) problems.push(`plants[${i}].area: ${expectedArea} (got ${quote(p.area)})`);
    if (p.minKw > p.capacityKw) problems.push(`plants[${i}].minKw: at most capacityKw ${p.capacityKw} (got ${p.minKw})`);
    if (p.initialKw !== undefined && p.initialKw > p.capacityKw) {
      problems.push(`plants[${i}].initialKw: at most capacityKw ${p.capacityKw} (got ${p.initialKw})`);
    }
    return problems;
  });
}

function checkEvents(s: Scenario): string[] {
  const areas = areaById(s);
  const sites = new Set(s.sites.map((site) => site.id));
  return s.events.flatMap((e, i) => {
    if (e.kind === 'rogue-device') return sites.has(e.site) ? [] : [`events[${i}].site: an existing site id (got ${quote(e.site)})`];
    const area = areas.get(e.area);
    if (area === undefined) return [`events[${i}].area: an existing area id (got ${quote(e.area)})`];
    if (e.kind === 'comm-cut' && area.level === 'tso') {
      return [`events[${i}].area: an area below the tso for a comm-cut (got ${quote(e.area)}, the tso area; cut the dso instead)`];
    }
    if (e.kind === 'line-fault') {
      if (area.feeder?.matpower !== undefined) {
        if (e.branch === undefined || e.section !== undefined) return [`events[${i}].branch: the faulted branch "FROM-TO" of the feeder case (and no section)`];
      } else {
        if (area.level !== 'street' || area.feeder === undefined) {
          return [`events[${i}].area: a street with a feeder for a line-fault (got ${quote(e.area)})`];
        }
        const members = s.sites.filter((site) => site.area === e.area).length;
        if (e.section === undefined || e.branch !== undefined) return [`events[${i}].section: the faulted cable section of ${e.area}, 1..${members} (and no branch)`];
        if (e.section > members) return [`events[${i}].section: a cable section of ${e.area}, 1..${members} (got ${e.section})`];
      }
    }
    if (e.kind === 'cascade' && area.feeder?.matpower === undefined) {
      return [`events[${i}].area: an area whose feeder is a MATPOWER case for a cascade (got ${quote(e.area)})`];
    }
    if (e.kind === 'restore') {
      const fault = s.events.some((f) => f.kind !== 'restore' && f.kind !== 'rogue-device' && f.area === e.area && f.startHour < e.startHour);
      if (!fault) return [`events[${i}].area: an area with a disaster, outage or comm-cut before this restore (got ${quote(e.area)}, which has none)`];
    }
    return [];
  });
}

function checkAssets(s: Scenario): string[] {
  return s.sites.flatMap((site, i) => site.assets.flatMap((asset, j) => assetProblems(asset).map((p) => `sites[${i}].assets[${j}].${p}`)));
}

/** Parameters that must be ordered relative to each other, as `field: expected (got …)`. */
function assetProblems(a: AssetSpec): string[] {
  const problems: string[] = [];
  switch (a.kind) {
    case 'battery':
      if (a.socMinPct >= a.socMaxPct) problems.push(`socMaxPct: more than socMinPct ${a.socMinPct} (got ${a.socMaxPct})`);
      else if (a.initialSocPct < a.socMinPct || a.initialSocPct > a.socMaxPct) {
        problems.push(`initialSocPct: between socMinPct ${a.socMinPct} and socMaxPct ${a.socMaxPct} (got ${a.initialSocPct})`);
      }
      break;
    case 'wind':
      if (a.ratedMs <= a.cutInMs) problems.push(`ratedMs: more than cutInMs ${a.cutInMs} (got ${a.ratedMs})`);
      if (a.cutOutMs <= a.ratedMs) problems.push(`cutOutMs: more than ratedMs ${a.ratedMs} (got ${a.cutOutMs})`);
      break;
    case 'heat-pump':
      if (a.comfortMaxC <= a.comfortMinC) problems.push(`comfortMaxC: more than comfortMinC ${a.comfortMinC} (got ${a.comfortMaxC})`);
      break;
    case 'ev':
      if (a.energyPerSessionKwh > a.batteryKwh) {
        problems.push(`energyPerSessionKwh: at most batteryKwh ${a.batteryKwh} (got ${a.energyPerSessionKwh})`);
      }
      break;
    default:
      break;
  }
  return problems;
}

function checkLimits(s: Scenario): string[] {
  const { limits } = s;
  const problems: string[] = [];
  const over = (path: string, limit: string, max: number, got: number, unit: string): void => {
    if (got > max) problems.push(`${path}: at most ${max} ${unit} (limits.${limit}) (got ${got})`);
  };
  over('sites', 'maxSites', limits.maxSites, s.sites.length, 'sites');
  over('areas', 'maxAreas', limits.maxAreas, s.areas.length, 'areas');
  over('events', 'maxEvents', limits.maxEvents, s.events.length, 'events');
  over('days', 'maxDays', limits.maxDays, s.days, 'days');
  s.sites.forEach((site, i) => over(`sites[${i}].assets`, 'maxAssetsPerSite', limits.maxAssetsPerSite, site.assets.length, 'assets'));
  return problems;
}

function firstIndexById(items: readonly { id: string }[]): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item, i) => {
    if (!map.has(item.id)) map.set(item.id, i);
  });
  return map;
}

function areaById(s: Scenario): Map<string, Scenario['areas'][number]> {
  const map = new Map<string, Scenario['areas'][number]>();
  for (const a of s.areas) if (!map.has(a.id)) map.set(a.id, a);
  return map;
}
