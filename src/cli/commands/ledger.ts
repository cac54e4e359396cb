/**
 * `gridmesh ledger verify DIR [--json] [--chain-rpc URL] [--max-problems N] [--no-progress]`
 * `gridmesh ledger prove DIR --unit AREA --slot N (--reading DID|SITE | --order INDEX | --trade SITE | --kind KIND --index I) [--out FILE]`
 * `gridmesh ledger check PROOF.json [--chain-rpc URL] [--json]`
 *
 * verify re-checks a run's ledger.sqlite from its signed inputs and the chain and exits 1 when it
 * finds any problem; prove writes a self-contained JSON proof of one reading, order or trade; check
 * checks such a proof without the ledger (and, with --chain-rpc, against the chain). Bad arguments,
 * a missing ledger or an unreadable proof file are usage errors (exit 2). See docs/ledger.md,
 * "Checking a ledger".
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { readBoundedTextFile } from '../../adapters/bounded-text-file.js';
import { jsonErrorOffset, lineColumnOf } from '../../adapters/json-syntax.js';
import { verifyLedger, type LeafKind, type VerifyProgress, type VerifyReport } from '../../adapters/trust/ledger-verify.js';
import { buildProof, checkProof, parseProof, type LedgerProof, type ProofCheckResult, type ProofSelector } from '../../adapters/trust/ledger-proof.js';
import { TrustError, UsageError } from '../../core/errors.js';
import { parseChainRpcUrl } from '../chain-rpc-option.js';

/** Problems listed by default in the text report (--json lists all that were kept). */
export const DEFAULT_MAX_PROBLEMS = 20;
/** At most one progress line about statements this often (ms). */
export const PROGRESS_EVERY_MS = 2000;
/** A proof holds one statement (≤ 1 MiB in the store) and a few kB more. */
const MAX_PROOF_FILE_BYTES = 8 * 2 ** 20;

export interface CommandOutput {
  stdout: string;
  exitCode: number;
}

export interface LedgerVerifyFlags {
  json?: boolean;
  chainRpc?: string;
  maxProblems?: string;
  /** false with --no-progress. */
  progress?: boolean;
}

export interface LedgerProveFlags {
  unit?: string;
  slot?: string;
  reading?: string;
  order?: string;
  trade?: string;
  kind?: string;
  index?: string;
  out?: string;
}

export interface LedgerCheckFlags {
  chainRpc?: string;
  json?: boolean;
}

/** Where progress lines go (stderr in the CLI). */
export interface LedgerIo {
  progress(line: string): void;
}

const STDERR_IO: LedgerIo = { progress: (line) => void process.stderr.write(`${line}\n`) };

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('check a run\'s ledger (ledger.sqlite): verify it, prove one item, check a proof');
  ledger
    .command('verify')
    .description('re-check every signature, Merkle root, statement, quorum, the chain\'s blocks and balances; exit 1 on any problem')
    .argument('<dir>', 'the run\'s output folder (holding ledger.sqlite), or the ledger file')
    .option('--json', 'print { ok, checked, problems: [{ where, what }] } as JSON')
    .option('--chain-rpc <url>', 'JSON-RPC endpoint of an rpc ledger\'s chain (default: the URL stored in the ledger)')
    .option('--max-problems <n>', `problems listed in the text report (default ${DEFAULT_MAX_PROBLEMS}; --json lists them all)`)
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (dir: string, flags: LedgerVerifyFlags) => {
      const out = await ledgerVerifyCommand(dir, flags);
      process.stdout.write(out.stdout);
      process.exitCode = out.exitCode;
    });
  ledger
    .command('prove')
    .description('write a self-contained JSON proof that one reading, order or trade is part of a signed statement')
    .argument('<dir>', 'the run\'s output folder (holding ledger.sqlite), or the ledger file')
    .option('--unit <area>', 'the settlement unit (a microgrid, else a DSO, else the root area)')
    .option('--slot <n>', 'the slot (0-based)')
    .option('--reading <device>', 'the reading of this meter: its DID (did:key:…) or its site id')
    .option('--order <index>', 'the order leaf at this index')
    .option('--trade <site>', 'the trade leaf of this site')
    .option('--kind <kind>', 'with --index: any leaf of readings, orders or trades')
    .option('--index <i>', 'with --kind: the leaf index (0-based)')
    .option('--out <file>', 'write the proof to this file instead of stdout')
    .action(async (dir: string, flags: LedgerProveFlags) => {
      const out = await ledgerProveCommand(dir, flags);
      process.stdout.write(out.stdout);
      process.exitCode = out.exitCode;
    });
  ledger
    .command('check')
    .description('check a proof written by `ledger prove`, without the ledger; exit 1 when it does not hold')
    .argument('<proof>', 'proof file (.json)')
    .option('--chain-rpc <url>', 'also check on this JSON-RPC node that the chain holds the statement and its validators signed it')
    .option('--json', 'print the checks as JSON')
    .action(async (file: string, flags: LedgerCheckFlags) => {
      const out = await ledgerCheckCommand(file, flags);
      process.stdout.write(out.stdout);
      process.exitCode = out.exitCode;
    });
}

// ---- verify -------------------------------------------------------------------------------------------

export async function ledgerVerifyCommand(dir: string, flags: LedgerVerifyFlags, io: LedgerIo = STDERR_IO): Promise<CommandOutput> {
  const maxProblems = flags.maxProblems === undefined ? DEFAULT_MAX_PROBLEMS : parseCount('--max-problems', flags.maxProblems);
  const chainRpc = flags.chainRpc === undefined ? undefined : parseChainRpcUrl(flags.chainRpc);
  let last = performance.now();
  const progress = flags.progress === false ? undefined : (e: VerifyProgress): void => {
    // Statement counts at most every PROGRESS_EVERY_MS, and the last one; every stage.
    if (e.stage === 'statements' && e.done < e.total && performance.now() - last < PROGRESS_EVERY_MS) return;
    last = performance.now();
    io.progress(progressLine(e));
  };
  const report = await verifyLedger(dir, { ...(chainRpc === undefined ? {} : { chainRpc }), ...(progress === undefined ? {} : { onProgress: progress }) });
  const exitCode = report.ok ? 0 : 1;
  if (flags.json === true) {
    const json = { ok: report.ok, ledger: report.ledger, chain: report.chain, checked: report.checked, problems: report.problems, moreProblems: report.moreProblems };
    return { stdout: JSON.stringify(json, null, 2) + '\n', exitCode };
  }
  return { stdout: verifyText(report, maxProblems), exitCode };
}

function progressLine(e: VerifyProgress): string {
  switch (e.stage) {
    case 'identities': return `verify: re-deriving the identities of ${e.sites} sites from the scenario and seed`;
    case 'statements': return `verify: ${e.done}/${e.total} statements checked`;
    case 'chain': return `verify: chain: ${e.what}`;
  }
}

function verifyText(r: VerifyReport, maxProblems: number): string {
  const c = r.checked;
  const total = r.problems.length + r.moreProblems;
  const lines = [
    `ledger ${r.ledger}: ${r.ok ? 'OK' : `${total} problem${total === 1 ? '' : 's'}`}`,
    `checked   ${c.statements} statements (${c.units} units × ${c.slots} slots), ${c.readings} readings, ${c.orders} orders, ${c.trades} trades, ${c.signatures} signatures`,
  ];
  if (r.chain !== null) {
    const via = r.chain.kind === 'embedded' ? `${c.journalTransactions} journalled transactions replayed` : `node ${r.chain.rpcUrl ?? ''}`;
    lines.push(`chain     ${r.chain.kind} (chain ${r.chain.chainId}, Settlement ${r.chain.settlement}): ${via}, ${c.blocks} blocks, ${c.committed} statements on chain, ${c.open} waiting, ${c.accounts} balances`);
  }
  if (total > 0) {
    lines.push('', 'problems:');
    for (const p of r.problems.slice(0, maxProblems)) lines.push(`  ${p.where}: ${p.what}`);
    const rest = total - Math.min(maxProblems, r.problems.length);
    if (rest > 0) lines.push(`  … and ${rest} more (--max-problems N or --json to list them)`);
  }
  return lines.join('\n') + '\n';
}

// ---- prove --------------------------------------------------------------------------------------------

export async function ledgerProveCommand(dir: string, flags: LedgerProveFlags): Promise<CommandOutput> {
  if (flags.unit === undefined || flags.unit.trim() === '') throw new UsageError('--unit AREA is required (the settlement unit: a microgrid, else a DSO, else the root)');
  if (flags.slot === undefined) throw new UsageError('--slot N is required');
  const slot = parseCount('--slot', flags.slot);
  const select = selectorFrom(flags);
  const proof = buildProof(dir, { unit: flags.unit.trim(), slot, select });
  const json = JSON.stringify(proof, null, 2) + '\n';
  if (flags.out === undefined) return { stdout: json, exitCode: 0 };
  try {
    await mkdir(dirname(flags.out), { recursive: true });
    await writeFile(flags.out, json);
  } catch (e) {
    throw new UsageError(`cannot write the proof to ${flags.out}: ${(e as Error).message}`, { cause: e });
  }
  return { stdout: `wrote ${flags.out}: ${describeProof(proof)}\n`, exitCode: 0 };
}

const KINDS: Record<string, LeafKind> = { readings: 'readings', reading: 'readings', orders: 'orders', order: 'orders', trades: 'trades', trade: 'trades' };

function selectorFrom(flags: LedgerProveFlags): ProofSelector {
  const given = (['reading', 'order', 'trade', 'kind'] as const).filter((k) => flags[k] !== undefined);
  if (given.length !== 1) {
    throw new UsageError(`give exactly one of --reading DID|SITE, --order INDEX, --trade SITE or --kind KIND --index I${given.length > 1 ? ` (got --${given.join(', --')})` : ''}`);
  }
  if (flags.index !== undefined && flags.kind === undefined) throw new UsageError('--index goes with --kind readings|orders|trades');
  if (flags.reading !== undefined) {
    if (flags.reading.trim() === '') throw new UsageError('--reading needs a device DID (did:key:…) or a site id');
    return { by: 'reading', device: flags.reading.trim() };
  }
  if (flags.order !== undefined) return { by: 'index', kind: 'orders', index: parseCount('--order', flags.order) };
  if (flags.trade !== undefined) {
    if (flags.trade.trim() === '') throw new UsageError('--trade needs a site id');
    return { by: 'trade', site: flags.trade.trim() };
  }
  const kind = KINDS[(flags.kind ?? '').trim()];
  if (kind === undefined) throw new UsageError(`--kind must be one of readings, orders, trades, got "${flags.kind}"`);
  if (flags.index === undefined) throw new UsageError('--kind needs --index I (the leaf index, 0-based)');
  return { by: 'index', kind, index: parseCount('--index', flags.index) };
}

function describeProof(p: LedgerProof): string {
  const noun = { readings: 'reading', orders: 'order', trades: 'trade' }[p.kind];
  const who = p.device ?? (p.site === null ? '' : `site ${p.site}`);
  const settled = p.chain.blockNumber === null ? p.chain.status : `${p.chain.status} in block ${p.chain.blockNumber}`;
  return `proof of ${noun} ${p.index}${who === '' ? '' : ` (${who})`} of unit ${p.unit} slot ${p.slot}, statement ${p.statementHash} (${settled})`;
}

// ---- check --------------------------------------------------------------------------------------------

export async function ledgerCheckCommand(file: string, flags: LedgerCheckFlags): Promise<CommandOutput> {
  const chainRpc = flags.chainRpc === undefined ? undefined : parseChainRpcUrl(flags.chainRpc);
  const text = await readBoundedTextFile(file, { what: 'proof file', maxBytes: MAX_PROOF_FILE_BYTES, error: (m, o) => new TrustError(m, o) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, column } = lineColumnOf(text, jsonErrorOffset(text) ?? 0);
    throw new TrustError(`${file} is not valid JSON: syntax error at line ${line}, column ${column}`, { cause: error });
  }
  let proof: ReturnType<typeof parseProof>;
  try {
    proof = parseProof(value);
  } catch (error) {
    if (!(error instanceof TrustError)) throw error;
    throw new TrustError(`${file}: ${error.message}`, { details: error.details, cause: error });
  }
  const result = await checkProof(proof, chainRpc === undefined ? {} : { chainRpc });
  const exitCode = result.ok ? 0 : 1;
  if (flags.json === true) return { stdout: JSON.stringify(result, null, 2) + '\n', exitCode };
  return { stdout: checkText(file, proof, result, chainRpc), exitCode };
}

function checkText(file: string, p: LedgerProof, r: ProofCheckResult, chainRpc: string | undefined): string {
  const lines = [`${file}: ${describeProof(p)}`];
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.check.padEnd(10)}  ${c.detail}`);
  r.signers.forEach((a, i) => lines.push(`          signer ${i}: ${a ?? '(does not recover)'}`));
  if (chainRpc === undefined) {
    lines.push(p.chain.kind === 'rpc'
      ? '  (not checked on chain: give --chain-rpc URL to check the statement and its validators there)'
      : '  (not checked on chain: the run used the embedded chain; `gridmesh ledger verify` replays it from the ledger)');
  }
  const failed = r.checks.filter((c) => !c.ok).map((c) => c.check);
  lines.push(r.ok ? 'proof holds' : `proof FAILED: ${[...new Set(failed)].join(', ')}`);
  return lines.join('\n') + '\n';
}

// ---- option values --------------------------------------------------------------------------------------

function parseCount(name: string, text: string): number {
  if (!/^\d{1,15}$/.test(text.trim())) throw new UsageError(`${name} must be a non-negative integer, got "${text}"`);
  return Number(text.trim());
}

