import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cityOptionsForSites, generateCity } from '../core/sim/city-generator.js';
import { YAML_LINE_WIDTH, flow, formatScenarioYaml } from './scenario-yaml.js';

describe('formatScenarioYaml', () => {
  it('round-trips a generated city', () => {
    const city = generateCity({ ...cityOptionsForSites(300), outage: { area: 'city', startHour: 5, durationHours: 2 } });
    expect(parse(formatScenarioYaml(city, ['header']))).toEqual(city);
  });

  it('writes the header as comments and each list item as a flow mapping', () => {
    const text = formatScenarioYaml(generateCity(), ['My city', '', 'second line']);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['# My city', '#', '# second line']);
    expect(lines).toContain('  - { id: tso, name: Transmission grid, level: tso, upstreamCapacityKw: 1100 }');
    expect(lines).toContain('events: []');
    expect(lines.filter((l) => l.startsWith('  - ')).every((l) => l.startsWith('  - { '))).toBe(true);
  });

  it('wraps long sites over a few lines and labels each neighbourhood', () => {
    const lines = formatScenarioYaml(generateCity()).split('\n');
    const hospital = lines.findIndex((l) => l.startsWith('  - { id: hospital,'));
    expect(lines[hospital]?.endsWith('assets: [')).toBe(true);
    const community = lines.findIndex((l) => l.startsWith('  - { id: nb-01-community,'));
    expect(lines[community - 1]).toBe('  # nb-01: Old Town');
    const longest = Math.max(...lines.filter((l) => !l.startsWith('#')).map((l) => l.length));
    expect(longest).toBeLessThan(YAML_LINE_WIDTH + 20);
  });

  it('quotes strings that YAML would read differently', () => {
    const tricky = ['yes', 'No', 'null', '~', '123', '1e3', 'a: b', 'a #b', '- x', '[x]', '{x}', 'x, y', '"q"', "it's", 'é', 'tab\there', 'line\nbreak', '', ' lead', 'trail ', 'id:1', '2026-06-15T00:00:00+02:00'];
    for (const text of tricky) {
      expect(parse(`v: ${flow(text)}`), text).toEqual({ v: text });
      expect(parse(`v: [${flow({ k: text })}]`), text).toEqual({ v: [{ k: text }] });
    }
    expect(flow('Old Town')).toBe('Old Town');
    expect(flow('nb-01-st-02')).toBe('nb-01-st-02');
  });
});
