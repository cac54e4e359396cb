/**
 * Compiles contracts/*.sol with solc-js (the `solc` npm package: no compiler download) and writes
 * src/adapters/chain/contract-artifacts.json (abi and creation bytecode per contract), which is
 * committed so nobody needs a compiler at run time. The output is deterministic: sorted keys, two-space
 * indentation, a final newline, and no metadata hash in the bytecode (so comments and file paths do not
 * change it). `src/adapters/chain/contract-artifacts.test.ts` recompiles and compares byte for byte.
 *
 * Usage: npm run contracts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(here, '..');
export const CONTRACTS_DIR = join(PROJECT_ROOT, 'contracts');
export const ARTIFACTS_PATH = join(PROJECT_ROOT, 'src', 'adapters', 'chain', 'contract-artifacts.json');

/** Compiler settings (ADR 0011). */
export const SOLC_SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const;

interface Solc {
  version(): string;
  compile(input: string): string;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

/** Keys sorted recursively (arrays keep their order), for a stable serialisation. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Compiles every contracts/*.sol and returns the artifacts file's exact text. Throws on any error. */
export function compileContracts(): string {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as Solc;
  const files = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.sol')).sort();
  const sources: Record<string, { content: string }> = {};
  for (const file of files) {
    // Normalise line endings so a Windows checkout compiles to the same bytes.
    sources[`contracts/${file}`] = { content: readFileSync(join(CONTRACTS_DIR, file), 'utf8').replace(/\r\n/g, '\n') };
  }
  const input = { language: 'Solidity', sources, settings: SOLC_SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const problems = (output.errors ?? []).filter((e) => e.severity === 'error' || e.severity === 'warning');
  if (problems.length > 0) {
    throw new Error(`solc reported ${problems.length} problem(s):\n${problems.map((e) => e.formattedMessage).join('\n')}`);
  }
  const contracts: Record<string, { abi: unknown[]; bytecode: string }> = {};
  for (const [source, byName] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(byName)) {
      if (contracts[name] !== undefined) throw new Error(`two contracts named ${name} (in ${source})`);
      contracts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  const artifacts = {
    compiler: `solc-js ${solc.version()}`,
    settings: SOLC_SETTINGS,
    contracts,
  };
  return `${JSON.stringify(sortKeys(artifacts), null, 2)}\n`;
}

function main(): void {
  const text = compileContracts();
  writeFileSync(ARTIFACTS_PATH, text);
  console.log(`wrote ${ARTIFACTS_PATH}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
