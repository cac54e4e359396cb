import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFileError } from '../core/grid/matpower/parse-case.js';
import { loadMatpowerFile, MAX_CASE_FILE_BYTES } from './matpower-file.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/matpower/', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gridmesh-matpower-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(path: string): Promise<CaseFileError> {
  const error: unknown = await loadMatpowerFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CaseFileError)) throw new Error(`expected a CaseFileError, got ${String(error)}`);
  return error;
}

describe('loadMatpowerFile', () => {
  it('loads a case file and names the network after the file', async () => {
    const network = await loadMatpowerFile(join(FIXTURES, 'case33bw.m'));
    expect(network.name).toBe('case33bw');
    expect(network.buses).toHaveLength(33);
    expect(network.buses[1]?.pdPu).toBeCloseTo(0.01, 15);
  });

  it('names the network after the file even when the function name differs', async () => {
    const path = join(dir, 'renamed.m');
    await writeFile(path, await readFile(join(FIXTURES, 'case4_dist.m'), 'utf8'));
    expect((await loadMatpowerFile(path)).name).toBe('renamed');
  });

  it('error: a missing file, naming the path', async () => {
    const path = join(dir, 'nope.m');
    expect((await loadError(path)).message).toBe(`cannot read case file ${path}: no such file`);
  });

  it('error: a directory', async () => {
    expect((await loadError(dir)).message).toBe(`case file ${dir} is a directory, not a file`);
  });

  it('error: content the importer cannot interpret, naming the path and the line', async () => {
    const path = join(dir, 'bad.m');
    await writeFile(path, "function mpc = bad\nmpc.version = '2';\nmpc.baseMVA = 10;\nmpc.bus(3:5, 3) = 0;\n");
    const error = await loadError(path);
    expect(error.message).toMatch(new RegExp(`^${path.replaceAll(/[.\\/]/g, '\\$&')}: line 4: cannot interpret "mpc.bus\\(3:5, 3\\) = 0"`));
    expect(error.line).toBe(4);
    expect(error.cause).toBeInstanceOf(CaseFileError);
  });

  it('error: a file larger than the limit', async () => {
    const path = join(dir, 'huge.m');
    await writeFile(path, '');
    await truncate(path, MAX_CASE_FILE_BYTES + 1);
    const error = await loadError(path);
    expect(error.message).toBe(`case file ${path} is too large`);
    expect(error.details).toEqual([`size: at most ${MAX_CASE_FILE_BYTES} bytes (32 MiB) (got ${MAX_CASE_FILE_BYTES + 1} bytes)`]);
  });
});
