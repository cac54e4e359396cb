/**
 * Writes a scenario as compact, readable YAML: top-level keys in the object's order, each list item
 * (area, plant, site, event) as one flow mapping `{ ... }`, a site's assets wrapped onto following
 * lines when the item is too long, a comment before each section and before each neighbourhood's
 * sites. A hand-written emitter (not yaml's Document API) so the layout is predictable and a
 * 100,000-site city is written quickly. Strings are plain when safe, else JSON-quoted (a JSON string
 * is a valid YAML double-quoted scalar).
 */
import type { ScenarioInput } from '../core/sim/scenario-schema.js';

export const YAML_LINE_WIDTH = 120;

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

const SECTION_COMMENTS: Record<string, readonly string[]> = {
  areas: [
    'Areas, top-down: tso > dso > city > neighbourhood > street. upstreamCapacityKw is the link to the parent',
    '(kW, both directions; for the tso: the interconnector). Microgrid areas island when their upstream fails.',
  ],
  plants: ['Central plants (TSO area): capacity and minimum kW, ramp kW/min, marginal cost in minor units per kWh.'],
  sites: [
    'Sites (grid connections) and their assets. Powers kW, energies kWh, hours are local time of day;',
    'parameters not listed take the schema defaults. Priority: critical > essential > normal (shed first).',
  ],
  events: ['Events, in hours from start: outage (the area\'s upstream link fails), comm-cut, disaster, restore.'],
};

export function formatScenarioYaml(scenario: ScenarioInput, header: readonly string[] = []): string {
  const lines: string[] = header.map((line) => (line === '' ? '#' : `# ${line}`));
  if (lines.length > 0) lines.push('');
  const groupOf = neighbourhoodOf(scenario.areas);
  for (const [key, value] of Object.entries(scenario as unknown as Record<string, Json>)) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      lines.push(`${key}: ${flow(value)}`);
      continue;
    }
    lines.push('', ...(SECTION_COMMENTS[key] ?? []).map((c) => `# ${c}`));
    if (value.length === 0) {
      lines.push(`${key}: []`);
      continue;
    }
    lines.push(`${key}:`);
    let group: string | undefined;
    for (const item of value) {
      if (key === 'sites') {
        const next = groupOf(item);
        if (next !== group) lines.push(`  # ${next}`);
        group = next;
      }
      lines.push(...listItem(item));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A label for the neighbourhood a site belongs to (or the area, above neighbourhood level). */
function neighbourhoodOf(areas: ScenarioInput['areas']): (site: Json) => string {
  const byId = new Map(areas.map((a) => [a.id, a]));
  return (site) => {
    const areaId = typeof site === 'object' && site !== null && !Array.isArray(site) ? String(site['area']) : '';
    let area = byId.get(areaId);
    for (let hops = 0; area !== undefined && area.level === 'street' && hops < 10; hops++) area = byId.get(area.parent ?? '');
    if (area === undefined) return areaId;
    return area.name === undefined ? area.id : `${area.id}: ${area.name}`;
  };
}

/**
 * `  - { ... }` on one line when it fits; else its entries packed onto lines of at most
 * YAML_LINE_WIDTH, with the elements of its last non-empty list (a site's assets) starting on a new line.
 */
function listItem(item: Json): string[] {
  const single = `  - ${flow(item)}`;
  if (single.length <= YAML_LINE_WIDTH || typeof item !== 'object' || item === null || Array.isArray(item)) return [single];
  const entries = Object.entries(item).filter(([, v]) => v !== undefined);
  const wrapAt = entries.findLastIndex(([, v]) => Array.isArray(v) && v.length > 0);
  if (wrapAt < 0) return [single];
  const [wrapKey, wrapValue] = entries[wrapAt] as [string, Json[]];
  const head = entries.slice(0, wrapAt).map(([k, v]) => `${key(k)}: ${flow(v)},`);
  const tail = entries.slice(wrapAt + 1).map(([k, v]) => `, ${key(k)}: ${flow(v)}`).join('');
  const elements = wrapValue.map((element, i) => flow(element) + (i < wrapValue.length - 1 ? ',' : ` ]${tail} }`));
  return [...pack([...head, `${key(wrapKey)}: [`], '  - { '), ...pack(elements, '      ')];
}

/** Joins words with spaces into lines of at most YAML_LINE_WIDTH (first line after `first`, then indented). */
function pack(words: readonly string[], first: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > YAML_LINE_WIDTH) {
      lines.push(line);
      line = `      ${word}`;
    } else {
      line = empty ? `${line}${word}` : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A value in YAML flow style on one line. */
export function flow(value: Json): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return scalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(flow).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${flow(v)}`).join(', ')} }`;
}

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
const PLAIN = /^[A-Za-z_][A-Za-z0-9 _./()-]*$/;

/** Plain when it cannot be read as anything but this string (also inside flow collections). */
function scalar(text: string): string {
  return PLAIN.test(text) && !text.endsWith(' ') && !RESERVED.test(text) ? text : JSON.stringify(text);
}

function key(text: string): string {
  return scalar(text);
}
