import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../core/errors.js';
import { MAX_SCENARIO_FILE_BYTES, detectFormat, loadScenarioFile, readScenarioFile } from './scenario-file.js';

const VALID_YAML = `# a tiny town
name: tiny
start: "2026-06-15T00:00:00+02:00"
location: { latDeg: 50, lonDeg: 8 }
areas:
  - { id: tso, level: tso, upstreamCapacityKw: 100 }
  - { id: st, level: street, parent: tso, upstreamCapacityKw: 50 }
sites:
  - { id: h1, area: st, assets: [{ kind: load, profile: household, annualKwh: 3500 }] }
`;

const VALID_OBJECT = {
  name: 'tiny',
  start: '2026-06-15T00:00:00+02:00',
  location: { latDeg: 50, lonDeg: 8 },
  areas: [
    { id: 'tso', level: 'tso', upstreamCapacityKw: 100 },
    { id: 'st', level: 'street', parent: 'tso', upstreamCapacityKw: 50 },
  ],
  sites: [{ id: 'h1', area: 'st', assets: [{ kind: 'load', profile: 'household', annualKwh: 3500 }] }],
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gridmesh-scenario-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function aFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function errorOf(promise: Promise<unknown>): Promise<ScenarioError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioError);
  return error as ScenarioError;
}

describe('loadScenarioFile', () => {
  it('loads a valid YAML file', async () => {
    const scenario = await loadScenarioFile(await aFile('ok.yaml', VALID_YAML));
    expect(scenario.name).toBe('tiny');
    expect(scenario.sites[0]?.kind).toBe('household');
  });

  it('loads a valid JSON file', async () => {
    const scenario = await loadScenarioFile(await aFile('ok.json', JSON.stringify(VALID_OBJECT, null, 2)));
    expect(scenario.areas).toHaveLength(2);
  });

  it('loads a file with a byte order mark', async () => {
    const scenario = await loadScenarioFile(await aFile('bom.yml', `\ufeff${VALID_YAML}`));
    expect(scenario.name).toBe('tiny');
  });

  it('reads JSON from an unknown extension when the text starts with {', async () => {
    const raw = await readScenarioFile(await aFile('scenario.txt', `  ${JSON.stringify(VALID_OBJECT)}`));
    expect(raw).toEqual(VALID_OBJECT);
  });

  it('reads YAML from an unknown extension otherwise', async () => {
    const raw = await readScenarioFile(await aFile('scenario.conf', VALID_YAML));
    expect(raw).toEqual(VALID_OBJECT);
  });

  it('error: names a missing file', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`cannot read scenario file ${path}: no such file`);
  });

  it('error: refuses a directory', async () => {
    const error = await errorOf(loadScenarioFile(dir));
    expect(error.message).toContain('is a directory');
  });

  it('error: refuses a file larger than 64 MiB', async () => {
    const path = join(dir, 'huge.yaml');
    await writeFile(path, '');
    await truncate(path, MAX_SCENARIO_FILE_BYTES + 1); // sparse: no 64 MiB written
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`scenario file ${path} is too large`);
    expect(error.details[0]).toContain(`got ${MAX_SCENARIO_FILE_BYTES + 1} bytes`);
  });

  it('error: names the line and column of a YAML syntax error', async () => {
    const path = await aFile('bad.yaml', 'name: x\nareas: [1, 2\nsites: 3\n');
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`YAML syntax error in ${path} at line 3, column 1`);
    expect(error.details[0]?.startsWith(`${path}:3:1: `)).toBe(true);
  });

  it('error: rejects a duplicate YAML key', async () => {
    const path = await aFile('dup.yaml', 'name: a\nname: b\n');
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`YAML syntax error in ${path} at line 2, column 1`);
    expect(error.details[0]).toContain('Map keys must be unique');
  });

  it('error: names the line and column of a JSON syntax error', async () => {
    const path = await aFile('bad.json', '{\n  "name": "x",\n  "days": }\n');
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`JSON syntax error in ${path} at line 3, column 11`);
  });

  it('error: reports an invalid scenario with the file name and details', async () => {
    const path = await aFile('invalid.yaml', VALID_YAML.replace('area: st', 'area: st-99'));
    const error = await errorOf(loadScenarioFile(path));
    expect(error.message).toBe(`invalid scenario in ${path}`);
    expect(error.details).toEqual(['sites[0].area: an existing area id (got "st-99")']);
  });

  it('error: reports an empty file as an invalid scenario', async () => {
    const error = await errorOf(loadScenarioFile(await aFile('empty.yaml', '')));
    expect(error.details).toEqual(['(scenario): an object (got null)']);
  });
});

describe('detectFormat', () => {
  it('goes by extension first, then by the first character', () => {
    expect(detectFormat('a.JSON', 'x: 1')).toBe('json');
    expect(detectFormat('a.yml', '{}')).toBe('yaml');
    expect(detectFormat('a', '\n {"x": 1}')).toBe('json');
    expect(detectFormat('a', 'x: 1')).toBe('yaml');
  });
});
