/**
 * The lint rules that keep src/core pure (ADR 0003) really fire: each forbidden construct in a
 * file under src/core is an error, and the same code under src/adapters is allowed.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function errorsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['Math.random', 'export const x = Math.random();\n'],
  ['Date.now', 'export const x = Date.now();\n'],
  ['new Date()', 'export const x = new Date();\n'],
  ['performance.now', 'export const x = performance.now();\n'],
  ['process', 'export const x = process.env.HOME;\n'],
  ['node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ['fs', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
  ['node:net', "import { connect } from 'node:net';\nexport const x = connect;\n"],
  ['adapters', "import { loadScenarioFile } from '../adapters/scenario-file.js';\nexport const x = loadScenarioFile;\n"],
  ['cli', "import { buildProgram } from '../cli/program.js';\nexport const x = buildProgram;\n"],
];

describe('lint rules for a pure core', () => {
  it.each(forbidden)('error: %s in src/core', async (_name, code) => {
    expect(await errorsIn('src/core/sim/example.ts', code)).not.toEqual([]);
  });

  it('allows the same I/O in src/adapters', async () => {
    expect(await errorsIn('src/adapters/example.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
  });

  it('allows deterministic time arithmetic in src/core', async () => {
    expect(await errorsIn('src/core/sim/example.ts', 'export const x = new Date(0).getUTCFullYear() + Date.UTC(2026, 0, 1);\n')).toEqual([]);
  });
});
