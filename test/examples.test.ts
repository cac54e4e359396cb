// Every file in examples/ must load and validate; riverside.yaml must also be exactly what the
// command in its header generates (the header promises that).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../src/adapters/scenario-file.js';
import { GENERATE_FLAGS, type GenerateFlags } from '../src/cli/commands/scenario-generate-options.js';
import { generateCommand } from '../src/cli/commands/scenario.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');
// Every example is a scenario except the order books for `gridmesh market clear` (tested in market.test.ts).
const files = (await readdir(EXAMPLES)).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('orders')).sort();

describe('examples/', () => {
  it('has examples', () => {
    expect(files).toContain('riverside.yaml');
  });

  it.each(files)('%s loads and validates', async (file) => {
    const scenario = await loadScenarioFile(join(EXAMPLES, file));
    expect(scenario.sites.length).toBeGreaterThan(0);
  });

  it('riverside.yaml has the promised content', async () => {
    const s = await loadScenarioFile(join(EXAMPLES, 'riverside.yaml'));
    expect(s.name).toBe('Riverside');
    expect(s.days).toBe(7);
    expect(s.sites.length).toBeGreaterThanOrEqual(500);
    expect(new Set(s.sites.flatMap((site) => site.assets.map((a) => a.kind))).size).toBe(8);
    expect(s.sites.filter((site) => site.priority === 'critical').map((site) => site.facility)).toEqual(['hospital', 'water-works', 'fire-station', 'emergency-services']);
    expect(s.events.map((e) => `${e.kind} ${e.kind === 'rogue-device' ? e.site : e.area} ${e.startHour}`)).toEqual(['line-fault nb-02-st-02 30', 'outage city 60', 'comm-cut city 60', 'disaster nb-03 70', 'restore nb-03 130']);
  });

  it('riverside.yaml is what the command in its header generates', async () => {
    const text = await readFile(join(EXAMPLES, 'riverside.yaml'), 'utf8');
    expect(generateCommand(flagsFromHeader(text))).toBe(text);
  });
});

/** Reads the `gridmesh scenario generate …` command out of a generated file's comment header. */
function flagsFromHeader(text: string): GenerateFlags {
  const lines = text.split('\n').map((l) => l.replace(/^#\s*/, ''));
  const start = lines.findIndex((l) => l.startsWith('gridmesh scenario generate'));
  const command: string[] = [];
  for (let i = start; i >= 0 && i < lines.length; i++) {
    const line = lines[i] as string;
    command.push(line.replace(/\s*\\$/, ''));
    if (!line.endsWith('\\')) break;
  }
  const words = shellWords(command.join(' ')).slice(3);
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < words.length; i++) {
    const spec = GENERATE_FLAGS.find((s) => s.flags.split(' ')[0] === words[i]);
    if (spec === undefined) throw new Error(`unknown flag ${words[i]}`);
    flags[spec.key] = spec.flags.includes('<') ? (words[++i] as string) : true;
  }
  return flags as GenerateFlags;
}

function shellWords(line: string): string[] {
  return [...line.matchAll(/(?:'[^']*'|\\'|[^\s'])+/g)].map((m) => m[0].replace(/'([^']*)'|\\'/g, (_, quoted: string | undefined) => quoted ?? "'"));
}

describe('examples/baran-wu-street.yaml', () => {
  it('runs on its MATPOWER feeder: self-healing restores through a tie, autonomous stops the cascade', async () => {
    const { loadFeederNetworks } = await import('../src/adapters/feeder-networks.js');
    const { simulate } = await import('../src/core/sim/simulate.js');
    const path = join(EXAMPLES, 'baran-wu-street.yaml');
    const scenario = await loadScenarioFile(path);
    const feederNetworks = await loadFeederNetworks(scenario, path);
    const autonomous = simulate(scenario, { mode: 'autonomous', feederNetworks });
    const baseline = simulate(scenario, { mode: 'baseline', feederNetworks });
    expect(autonomous.metrics.lineFaults[0]?.restoredViaTieSites).toBeGreaterThan(0);
    expect(baseline.metrics.cascades[0]?.linesTripped).toBeGreaterThan(autonomous.metrics.cascades[0]?.linesTripped ?? 0);
    expect(autonomous.metrics.customerMinutesInterrupted).toBeLessThan(baseline.metrics.customerMinutesInterrupted);
  });
});
