import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ScenarioError, UsageError } from '../../core/errors.js';
import { parseScenario } from '../../core/sim/scenario-validate.js';
import { cityOptionsFromFlags, reproduceCommand } from './scenario-generate-options.js';
import { generateCommand, registerScenarioCommands, validateCommand } from './scenario.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gridmesh-scenario-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function usageDetails(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return [...(error as UsageError).details];
  }
  throw new Error('expected a UsageError');
}

describe('scenario generate', () => {
  it('writes a valid YAML scenario with a header that reproduces it', () => {
    const text = generateCommand({ name: 'Testville', sites: '120', seed: '5', outageHours: '12' });
    expect(text.startsWith('# Testville: a gridmesh scenario')).toBe(true);
    expect(text).toContain('#   gridmesh scenario generate --name Testville --seed 5 --sites 120 --outage-hours 12');
    const scenario = parseScenario(parse(text));
    expect(scenario.sites).toHaveLength(120);
    expect(scenario.events).toEqual([{ kind: 'outage', area: 'city', startHour: 48, durationHours: 12 }]);
  });

  it('writes JSON with --json', () => {
    const scenario = parseScenario(JSON.parse(generateCommand({ json: true, neighbourhoods: '2', streets: '2', sitesPerStreet: '10' })));
    expect(scenario.sites).toHaveLength(2 * 2 * 10 + 2 + 4 + 2);
  });

  it('is deterministic', () => {
    const flags = { sites: '500', seed: '9', disaster: 'nb-02', disasterRestore: '100' };
    expect(generateCommand(flags)).toBe(generateCommand(flags));
  });

  it('maps flags to generator options', () => {
    const options = cityOptionsFromFlags({
      pv: '40%', battery: '0.2', heatPump: '0', lat: '48.1', lon: '-3.5', days: '2.5',
      outageHours: '36', outageStart: '60', outageAnnounced: '30', commCutHours: '6', disaster: 'nb-03', disasterStart: '70',
    });
    expect(options).toMatchObject({
      penetration: { pv: 0.4, battery: 0.2, heatPump: 0 }, latDeg: 48.1, lonDeg: -3.5, days: 2.5,
      outage: { area: 'city', startHour: 60, durationHours: 36, expectedDurationHours: 30 },
      commCut: { area: 'city', startHour: 60, durationHours: 6 },
      disaster: { area: 'nb-03', startHour: 70 },
    });
  });

  it('error: rejects bad numbers, naming every flag', () => {
    expect(usageDetails(() => generateCommand({ sites: '10', pv: '150', seed: '-1', days: '0', streets: 'four', lat: '91' }))).toEqual([
      '--sites: a whole number from 20 to 200000 (got "10")',
      '--seed: a whole number from 0 to 2^32-1 (got "-1")',
      '--days: a number more than 0 and at most 366 (got "0")',
      '--lat: a number from -90 to 90 (got "91")',
      '--streets: a whole number from 1 to 100 (got "four")',
      '--pv: a fraction from 0 to 1, or a percentage like 35% (got "150")',
    ]);
  });

  it('error: rejects event flags without the flag that creates the event', () => {
    expect(usageDetails(() => generateCommand({ outageStart: '5', disasterRestore: '9' }))).toEqual([
      '--outage-start: only with --outage-hours',
      '--disaster-restore: only with --disaster',
    ]);
  });

  it('error: rejects --sites-per-street together with --sites', () => {
    expect(usageDetails(() => generateCommand({ sites: '100', sitesPerStreet: '5' }))).toEqual([
      '--sites-per-street: not with --sites (the sites are spread over the streets)',
    ]);
  });

  it('error: rejects a disaster on an area the city does not have', () => {
    expect(usageDetails(() => generateCommand({ disaster: 'nb-42' }))[0]).toContain('(got "nb-42")');
  });

  it('error: rejects a bad start', () => {
    expect(usageDetails(() => generateCommand({ start: '2026-06-15' }))[0]).toMatch(/^start: an ISO 8601 date-time/);
  });

  it('quotes and wraps the reproducing command line', () => {
    const lines = reproduceCommand({ name: "Saint John's", json: true, sites: '600', outageHours: '36', outageStart: '60', outageAnnounced: '36', commCutHours: '12' }, 60);
    expect(lines).toEqual([
      "gridmesh scenario generate --name 'Saint John'\\''s' \\",
      '  --sites 600 --outage-hours 36 --outage-start 60 \\',
      '  --outage-announced 36 --comm-cut-hours 12 --json',
    ]);
  });
});

describe('scenario validate', () => {
  it('summarizes a valid file', async () => {
    const file = join(dir, 'city.yaml');
    await writeFile(file, generateCommand({ sites: '200', seed: '4', outageHours: '10', disaster: 'nb-01', disasterRestore: '100' }));
    const text = await validateCommand(file);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(`${file}: valid scenario`);
    expect(lines).toContain('  period: 7 days from 2026-06-15T00:00:00+02:00, 15-minute slots (672 slots)');
    expect(lines.some((l) => /^ {2}areas: \d+ \(1 tso, 1 dso, 1 city, \d+ neighbourhood, \d+ street; \d+ microgrids\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}sites: 200 \(\d+ household, 10 business, 5 farm, 1 factory, 4 critical, \d+ community\)$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('  assets: '))).toBe(true);
    expect(lines.slice(-4)).toEqual([
      '  events: 3',
      '    - outage city at hour 48 for 10 h',
      '    - disaster nb-01 at hour 72',
      '    - restore nb-01 at hour 100',
    ]);
  });

  it('error: throws the ScenarioError of an invalid file', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ name: 'x' }));
    const error = await validateCommand(file).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).details).toContain('start: a string (missing)');
  });
});

describe('registerScenarioCommands', () => {
  it('registers validate and generate with help for every option', () => {
    const program = new Command('gridmesh');
    registerScenarioCommands(program);
    const scenario = program.commands.find((c) => c.name() === 'scenario');
    expect(scenario?.commands.map((c) => c.name())).toEqual(['validate', 'generate']);
    const generate = scenario?.commands.find((c) => c.name() === 'generate');
    const longFlags = generate?.options.map((o) => o.long) ?? [];
    for (const flag of ['--name', '--seed', '--sites', '--neighbourhoods', '--streets', '--pv', '--battery', '--ev', '--heat-pump', '--lat', '--lon', '--start', '--days', '--outage-hours', '--outage-start', '--disaster', '--json']) {
      expect(longFlags).toContain(flag);
    }
    expect(generate?.options.every((o) => o.description.length > 0)).toBe(true);
  });
});
