/** A short, human-readable summary of a scenario (used by `scenario validate` and generated headers). */
import { AREA_LEVELS, SITE_KINDS, type EventSpec, type Scenario } from '../../core/sim/scenario-schema.js';

const MAX_EVENTS_LISTED = 8;

export function summarizeScenario(s: Scenario): string[] {
  const slots = Math.round((s.days * 24 * 60) / s.slotMinutes);
  const microgrids = s.areas.filter((a) => a.microgrid).length;
  const plantKw = s.plants.reduce((sum, p) => sum + p.capacityKw, 0);
  const assets = s.sites.flatMap((site) => site.assets.map((a) => a.kind));
  return [
    `name: ${s.name}`,
    `period: ${s.days} days from ${s.start}, ${s.slotMinutes}-minute slots (${group(slots)} slots)`,
    `areas: ${group(s.areas.length)} (${countBy(s.areas.map((a) => a.level), AREA_LEVELS)}; ${microgrids} microgrid${microgrids === 1 ? '' : 's'})`,
    `plants: ${s.plants.length}${s.plants.length > 0 ? ` (${group(plantKw)} kW in total)` : ''}`,
    `sites: ${group(s.sites.length)} (${countBy(s.sites.map((site) => site.kind), SITE_KINDS)})`,
    `assets: ${group(assets.length)}${assets.length > 0 ? ` (${countBy(assets)})` : ''}`,
    `events: ${s.events.length}`,
    ...listEvents(s.events).map((line) => `  - ${line}`),
  ];
}

/** `3 household, 1 farm`, in the given order (else first seen), zero counts left out. */
function countBy(values: readonly string[], order: readonly string[] = []): string {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 0).map(([k, n]) => `${group(n)} ${k}`).join(', ');
}

function listEvents(events: readonly EventSpec[]): string[] {
  const listed = events.slice(0, MAX_EVENTS_LISTED).map(describeEvent);
  if (events.length > MAX_EVENTS_LISTED) listed.push(`… and ${events.length - MAX_EVENTS_LISTED} more`);
  return listed;
}

export function describeEvent(e: EventSpec): string {
  switch (e.kind) {
    case 'outage':
      return `outage ${e.area} at hour ${e.startHour} for ${e.durationHours} h${e.expectedDurationHours === undefined ? '' : ` (announced ${e.expectedDurationHours} h)`}`;
    case 'comm-cut':
      return `comm-cut ${e.area} at hour ${e.startHour} for ${e.durationHours} h`;
    case 'disaster':
    case 'restore':
      return `${e.kind} ${e.area} at hour ${e.startHour}`;
    case 'cascade':
      return `cascade ${e.area} trip ${e.trip} at hour ${e.startHour} for ${e.durationHours} h`;
    case 'line-fault':
      return `line-fault ${e.area} ${e.branch === undefined ? `section ${e.section}` : `branch ${e.branch}`} at hour ${e.startHour} for ${e.durationHours} h`;
    case 'rogue-device':
      return `rogue-device ${e.site} (${e.behaviour}) at hour ${e.startHour} for ${e.durationHours} h`;
  }
}

/** 12345 → 12,345 (locale-independent). */
function group(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
