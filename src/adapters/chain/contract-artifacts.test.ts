import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { AbiFunction, AbiParameter } from 'viem';
import { ARTIFACTS_PATH, compileContracts } from '../../../scripts/compile-contracts.js';
import { STATEMENT_ABI_TYPE } from '../../core/ledger/statement.js';
import { ARTIFACTS_URL, CONTRACT_ARTIFACTS } from './contract-artifacts.js';

describe('contract artifacts', () => {
  it('are up to date with contracts/*.sol (run npm run contracts)', () => {
    const fresh = compileContracts();
    const committed = readFileSync(ARTIFACTS_PATH, 'utf8');
    if (committed !== fresh) {
      expect.fail('src/adapters/chain/contract-artifacts.json is out of date with contracts/*.sol: run npm run contracts');
    }
    expect(fileURLToPath(ARTIFACTS_URL)).toBe(ARTIFACTS_PATH);
  }, 60_000);

  it('hold the three contracts with creation bytecode', () => {
    for (const a of Object.values(CONTRACT_ARTIFACTS)) {
      expect(a.bytecode).toMatch(/^0x([0-9a-f]{2})+$/);
      expect(a.abi.length).toBeGreaterThan(0);
    }
  });

  it('declare struct Statement exactly as STATEMENT_ABI_TYPE', () => {
    const strip = (p: AbiParameter): unknown => ({
      name: p.name,
      type: p.type,
      ...('components' in p ? { components: p.components.map(strip) } : {}),
    });
    for (const fn of ['statementHash', 'submitStatement']) {
      const item = CONTRACT_ARTIFACTS.Settlement.abi.find((i): i is AbiFunction => i.type === 'function' && i.name === fn);
      const input = item?.inputs[0];
      expect(input).toBeDefined();
      expect(strip(input as AbiParameter)).toEqual({ ...(strip(STATEMENT_ABI_TYPE as unknown as AbiParameter) as object), name: 's' });
    }
  });

  describe('from dist', () => {
    const out = mkdtempSync(join(tmpdir(), 'gridmesh-artifacts-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('tsc copies the JSON beside the compiled loader, which finds it there', async () => {
      // The same options as tsconfig.build.json (rootDir src), emitting only the loader and what it references.
      const srcDir = fileURLToPath(new URL('../../', import.meta.url));
      const program = ts.createProgram([fileURLToPath(new URL('./contract-artifacts.ts', import.meta.url))], {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        resolveJsonModule: true,
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        rootDir: srcDir,
        outDir: out,
      });
      const emitted = program.emit();
      expect(emitted.emitSkipped).toBe(false);
      const js = join(out, 'adapters', 'chain', 'contract-artifacts.js');
      const json = join(out, 'adapters', 'chain', 'contract-artifacts.json');
      expect(existsSync(js)).toBe(true);
      expect(existsSync(json)).toBe(true);
      const mod = (await import(pathToFileURL(js).href)) as typeof import('./contract-artifacts.js');
      expect(mod.CONTRACT_ARTIFACTS.Settlement.bytecode).toBe(CONTRACT_ARTIFACTS.Settlement.bytecode);
    }, 60_000);
  });
});
