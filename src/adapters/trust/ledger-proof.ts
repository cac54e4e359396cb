/**
 * Proofs of one ledger item (`gridmesh ledger prove` / `gridmesh ledger check`, docs/ledger.md,
 * "Checking a ledger"): a self-contained JSON file that shows a signed reading, a signed order or a
 * trade leaf is part of the statement a quorum of validators signed for (unit, slot), and where
 * that statement settled on chain. Checking it needs no ledger store: the leaf's own signature, the
 * Merkle path to the statement's root, the statement's hash, the validators' signatures and,
 * given a JSON-RPC node, the hash the Settlement contract holds and its validator set.
 */
import { z } from 'zod';
import { bytesToHex, hexToBytes, type Address, type Hex } from 'viem';
import { GridmeshError, TrustError, UsageError } from '../../core/errors.js';
import { buildAreaTree, type AreaTree } from '../../core/grid/area-tree.js';
import { settlementUnits } from '../../core/trust/settlement-units.js';
import { decodeTradeLeaf } from '../../core/trust/trade-leaf.js';
import { MAX_MERKLE_LEAVES, MerkleTree, verifyProof } from '../../core/ledger/merkle-tree.js';
import { idOf, statementHash, type Statement } from '../../core/ledger/statement.js';
import { statementFromJson, statementToJson, type StatementJson } from '../../core/ledger/statement-json.js';
import { isSignatureHex, recoverSignerSync } from '../../core/ledger/statement-signing.js';
import { quorumThreshold } from '../../core/ledger/quorum.js';
import { decodeSignedReading, verifySignedReading } from '../../core/identity/signed-reading.js';
import { decodeSignedOrder, verifySignedOrder } from '../../core/identity/signed-order.js';
import { didOfPublicKey } from '../../core/identity/did-key.js';
import { deriveKeyPair } from '../../core/identity/key-pair.js';
import { publicKeyFromRaw } from '../../core/identity/ed25519-keys.js';
import { formatPath } from '../../core/sim/scenario-validate.js';
import { connectChain, ChainError, type SettlementChain } from '../chain/index.js';
import { LedgerFile, type LeafKind, type LeafRow, type LedgerMeta } from './ledger-verify.js';

export const PROOF_FORMAT = 'gridmesh-ledger-proof/1';

export interface LedgerProof {
  readonly format: typeof PROOF_FORMAT;
  readonly kind: LeafKind;
  /** The settlement unit's area id. */
  readonly unit: string;
  readonly microgrid: Hex;
  readonly slot: number;
  /** DID of the device that signed a reading or order; null for a trade. */
  readonly device: string | null;
  /** The site the leaf belongs to (from the scenario), when known. */
  readonly site: string | null;
  /** The leaf bytes: the whole signed record, or the trade leaf. */
  readonly leaf: Hex;
  readonly index: number;
  readonly leafCount: number;
  readonly siblings: readonly Hex[];
  readonly root: Hex;
  readonly statementHash: Hex;
  readonly statement: StatementJson;
  /** The validators' signatures as stored (ascending signer). */
  readonly signatures: readonly Hex[];
  readonly chain: {
    readonly kind: 'embedded' | 'rpc';
    readonly chainId: string;
    readonly registry: Address;
    readonly credits: Address;
    readonly settlement: Address;
    /** The statement's state in the ledger: committed, duplicate, queued, … */
    readonly status: string;
    readonly txHash: Hex | null;
    readonly blockNumber: number | null;
  };
}

export type ProofSelector =
  | { readonly by: 'reading'; readonly device: string }
  | { readonly by: 'trade'; readonly site: string }
  | { readonly by: 'index'; readonly kind: LeafKind; readonly index: number };

export interface ProveRequest {
  readonly unit: string;
  readonly slot: number;
  readonly select: ProofSelector;
}

const ROOT_FIELD: Record<LeafKind, 'readingsRoot' | 'ordersRoot' | 'tradesRoot'> = { readings: 'readingsRoot', orders: 'ordersRoot', trades: 'tradesRoot' };
const NOUN: Record<LeafKind, string> = { readings: 'reading', orders: 'order', trades: 'trade' };

// ---- prove ------------------------------------------------------------------------------------------

/** The proof of one leaf of the ledger at `where` (a run folder or the file); UsageError for unknown unit, slot or device. */
export function buildProof(where: string, request: ProveRequest): LedgerProof {
  const file = LedgerFile.open(where);
  try {
    const meta = file.ledgerMeta();
    const tree = buildAreaTree(meta.scenario);
    const microgrid = unitMicrogrid(tree, request.unit);
    if (!Number.isSafeInteger(request.slot) || request.slot < 0 || request.slot >= meta.slots) {
      throw new UsageError(`--slot ${request.slot} is outside the run: the ledger has slots 0..${meta.slots - 1}`);
    }
    const at = `unit ${request.unit} slot ${request.slot}`;
    const row = file.statement(microgrid, request.slot);
    if (row === undefined) throw new TrustError(`${at} has no statement in the ledger (no quorum, or the row is missing): nothing to prove against`);
    let statement: Statement;
    try {
      statement = statementFromJson(JSON.parse(row.body));
    } catch (e) {
      throw new TrustError(`${at}: the stored statement body is not valid; run \`gridmesh ledger verify\``, { cause: e });
    }
    const { kind, index, device, site } = selectLeaf(file, meta, microgrid, request, at);
    const leaves = file.leaves(kind, microgrid, request.slot);
    const merkle = MerkleTree.from(leaves.map((l) => l.bytes));
    const path = merkle.proof(index);
    const root = merkle.root();
    const leaf = (leaves[index] as LeafRow).bytes;
    if (root !== statement[ROOT_FIELD[kind]].toLowerCase() || statementHash(statement) !== row.hash) {
      throw new TrustError(`${at}: the stored ${kind} or statement do not match the statement's hash; run \`gridmesh ledger verify\``);
    }
    let signatures: Hex[];
    try {
      signatures = (JSON.parse(row.signatures) as unknown[]).map((s) => s as Hex);
    } catch (e) {
      throw new TrustError(`${at}: the stored signatures are not a JSON list`, { cause: e });
    }
    const a = meta.chain.addresses;
    return {
      format: PROOF_FORMAT,
      kind,
      unit: request.unit,
      microgrid,
      slot: request.slot,
      device,
      site,
      leaf: bytesToHex(leaf),
      index: path.index,
      leafCount: path.leafCount,
      siblings: path.siblings,
      root,
      statementHash: row.hash as Hex,
      statement: statementToJson(statement),
      signatures,
      chain: {
        kind: meta.chain.kind, chainId: meta.chain.chainId.toString(), registry: a.registry, credits: a.credits, settlement: a.settlement,
        status: row.status, txHash: row.txHash as Hex | null, blockNumber: row.blockNumber,
      },
    };
  } finally {
    file.close();
  }
}

/** The microgrid id of a settlement unit named by its area id; a UsageError naming the units otherwise. */
function unitMicrogrid(tree: AreaTree, unit: string): Hex {
  const { units } = settlementUnits(tree);
  const names = units.map((u) => u.areaId);
  if (names.includes(unit)) return idOf(`area:${unit}`);
  const area = tree.indexOf.get(unit);
  if (area !== undefined) {
    const unitAreas = new Set(units.map((u) => u.area));
    let a = area;
    while (a >= 0 && !unitAreas.has(a)) a = tree.parent[a] as number;
    throw new UsageError(`--unit ${unit}: area ${unit} is not a settlement unit; its statements are those of unit ${tree.ids[a] ?? '?'}`);
  }
  throw new UsageError(`--unit ${unit}: no such settlement unit; the ledger's units are ${names.join(', ')}`);
}

function selectLeaf(file: LedgerFile, meta: LedgerMeta, microgrid: Hex, request: ProveRequest, at: string): { kind: LeafKind; index: number; device: string | null; site: string | null } {
  const s = request.select;
  if (s.by === 'reading') {
    const did = s.device.startsWith('did:') ? s.device : meterDidOfSite(meta, s.device);
    const leaves = file.leaves('readings', microgrid, request.slot);
    const index = leaves.findIndex((l) => l.device === did);
    if (index < 0) {
      throw new UsageError(`${at} holds no reading of ${did}${s.device === did ? '' : ` (the meter of site ${s.device})`}: ${leaves.length} readings are stored; ` +
        'the device may be settled by another unit, its reading may have been rejected, or its site was without power');
    }
    return { kind: 'readings', index, device: did, site: s.device === did ? siteOfDevice(meta, did, 'meter') : s.device };
  }
  if (s.by === 'trade') {
    if (!meta.scenario.sites.some((x) => x.id === s.site)) throw new UsageError(`--trade ${s.site}: no such site in the scenario`);
    const account = idOf(`site:${s.site}`);
    const leaves = file.leaves('trades', microgrid, request.slot);
    const index = leaves.findIndex((l) => {
      try {
        return decodeTradeLeaf(l.bytes).account.toLowerCase() === account;
      } catch {
        return false;
      }
    });
    if (index < 0) throw new UsageError(`${at} holds no trade of site ${s.site}: the site may be settled by another unit, or was without power`);
    return { kind: 'trades', index, device: null, site: s.site };
  }
  const leaves = file.leaves(s.kind, microgrid, request.slot);
  if (!Number.isSafeInteger(s.index) || s.index < 0 || s.index >= leaves.length) {
    throw new UsageError(`${at} has ${leaves.length} ${s.kind} leaves${leaves.length > 0 ? ` (index 0..${leaves.length - 1})` : ''}; there is no ${NOUN[s.kind]} ${s.index}`);
  }
  const leaf = leaves[s.index] as LeafRow;
  if (s.kind === 'trades') {
    let site: string | null;
    try {
      const account = decodeTradeLeaf(leaf.bytes).account.toLowerCase();
      site = meta.scenario.sites.find((x) => idOf(`site:${x.id}`) === account)?.id ?? null;
    } catch {
      site = null;
    }
    return { kind: 'trades', index: s.index, device: null, site };
  }
  return { kind: s.kind, index: s.index, device: leaf.device, site: siteOfDevice(meta, leaf.device, s.kind === 'readings' ? 'meter' : 'owner') };
}

function meterDidOfSite(meta: LedgerMeta, site: string): string {
  if (!meta.scenario.sites.some((x) => x.id === site)) {
    throw new UsageError(`--reading ${site}: neither a device DID (did:key:…) nor a site of the scenario`);
  }
  return deriveKeyPair(meta.seed, `meter:${site}`).did;
}

/** The site whose simulated meter (or owner) key is `did` (keys derive from the seed and the site id). */
function siteOfDevice(meta: LedgerMeta, did: string, role: 'meter' | 'owner'): string | null {
  return meta.scenario.sites.find((x) => deriveKeyPair(meta.seed, `${role}:${x.id}`).did === did)?.id ?? null;
}

// ---- the proof file ---------------------------------------------------------------------------------

const HEX32 = 'expected 32 bytes of 0x-prefixed hex';
const hex32 = z.string({ error: HEX32 }).regex(/^0x[0-9a-fA-F]{64}$/, HEX32).transform((s) => s.toLowerCase() as Hex);
const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte 0x-prefixed address').transform((s) => s as Address);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const signature = z.string().refine((s) => isSignatureHex(s), 'expected a 65-byte 0x-prefixed hex signature').transform((s) => s as Hex);

const proofSchema = z.strictObject({
  format: z.literal(PROOF_FORMAT),
  kind: z.enum(['readings', 'orders', 'trades']),
  unit: z.string().max(256),
  microgrid: hex32,
  slot: count,
  device: z.string().max(256).nullable(),
  site: z.string().max(256).nullable(),
  leaf: z.string().regex(/^0x(?:[0-9a-fA-F]{2}){1,16384}$/, 'expected the leaf as 0x-prefixed hex (1 to 16384 bytes)').transform((s) => s as Hex),
  index: count,
  leafCount: z.number().int().min(1).max(MAX_MERKLE_LEAVES),
  siblings: z.array(hex32).max(64),
  root: hex32,
  statementHash: hex32,
  statement: z.unknown(),
  signatures: z.array(signature).max(64),
  chain: z.strictObject({
    kind: z.enum(['embedded', 'rpc']),
    chainId: z.string().regex(/^[0-9]{1,78}$/, 'expected a decimal chain id'),
    registry: addressSchema,
    credits: addressSchema,
    settlement: addressSchema,
    status: z.string().max(32),
    txHash: hex32.nullable(),
    blockNumber: count.nullable(),
  }),
});

/** Validates a parsed proof file; a TrustError whose details name each bad field's path. */
export function parseProof(value: unknown): LedgerProof & { readonly parsedStatement: Statement } {
  const parsed = proofSchema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((i) => `${i.path.length === 0 ? '(proof)' : formatPath(i.path)}: ${i.message}`);
    throw new TrustError('not a valid ledger proof', { details });
  }
  let parsedStatement: Statement;
  try {
    parsedStatement = statementFromJson(parsed.data.statement);
  } catch (e) {
    throw new TrustError('not a valid ledger proof', { details: (e as GridmeshError).details.map((d) => `statement.${d}`), cause: e });
  }
  return { ...parsed.data, statement: parsed.data.statement as StatementJson, parsedStatement };
}

// ---- check ------------------------------------------------------------------------------------------

export interface ProofCheck {
  readonly check: 'leaf' | 'merkle' | 'root' | 'statement' | 'signatures' | 'chain';
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProofCheckResult {
  readonly ok: boolean;
  readonly checks: readonly ProofCheck[];
  /** The addresses the signatures recover to (in order; null for one that does not recover). */
  readonly signers: readonly (Address | null)[];
}

/** Checks a parsed proof; with `chainRpc`, also what the chain holds. Never throws for a bad proof. */
export async function checkProof(proof: ReturnType<typeof parseProof>, options: { chainRpc?: string } = {}): Promise<ProofCheckResult> {
  const checks: ProofCheck[] = [];
  const add = (check: ProofCheck['check'], ok: boolean, detail: string): void => {
    checks.push({ check, ok, detail });
  };
  const leaf = hexToBytes(proof.leaf);
  const s = proof.parsedStatement;

  const leafCheck = checkLeaf(proof, leaf);
  add('leaf', leafCheck.ok, leafCheck.detail);

  const inTree = verifyProof(leaf, { index: proof.index, leafCount: proof.leafCount, siblings: proof.siblings }, proof.root);
  add('merkle', inTree, inTree
    ? `leaf ${proof.index} of ${proof.leafCount} is under root ${proof.root}`
    : `the Merkle path does not lead from leaf ${proof.index} of ${proof.leafCount} to root ${proof.root}`);

  const stated = s[ROOT_FIELD[proof.kind]].toLowerCase();
  add('root', stated === proof.root, stated === proof.root ? `the root is the statement's ${ROOT_FIELD[proof.kind]}` : `the statement's ${ROOT_FIELD[proof.kind]} is ${stated}, not the proof's root ${proof.root}`);

  const hash = statementHash(s);
  const sameKey = s.microgrid.toLowerCase() === proof.microgrid && s.slot === BigInt(proof.slot);
  add('statement', hash === proof.statementHash && sameKey,
    !sameKey ? `the statement is for microgrid ${s.microgrid} slot ${s.slot}, not microgrid ${proof.microgrid} slot ${proof.slot}`
      : hash === proof.statementHash ? `the statement (${s.accounts.length} accounts, ${s.payouts.length} payouts) hashes to ${hash}`
        : `the statement hashes to ${hash}, not to ${proof.statementHash}`);

  const chainId = BigInt(proof.chain.chainId);
  const signers = proof.signatures.map((sig): Address | null => {
    try {
      return recoverSignerSync(chainId, proof.chain.settlement, proof.statementHash, sig);
    } catch {
      return null;
    }
  });
  const recovered = signers.filter((a): a is Address => a !== null).map((a) => a.toLowerCase());
  const distinct = new Set(recovered).size === recovered.length;
  const ascending = recovered.every((a, i) => i === 0 || (recovered[i - 1] as string) < a);
  const sigOk = proof.signatures.length > 0 && recovered.length === proof.signatures.length && distinct && ascending;
  add('signatures', sigOk, sigOk
    ? `${recovered.length} signatures over the statement hash (chain ${proof.chain.chainId}, Settlement ${proof.chain.settlement}) recover to distinct signers`
    : proof.signatures.length === 0 ? 'the proof has no signatures'
      : recovered.length < proof.signatures.length ? `${proof.signatures.length - recovered.length} of ${proof.signatures.length} signatures do not recover to an address`
        : !distinct ? 'two signatures recover to the same signer' : 'the signers are not in ascending order (the contract refuses them)');

  if (options.chainRpc !== undefined) checks.push(...await checkOnChain(proof, recovered, options.chainRpc));
  return { ok: checks.every((c) => c.ok), checks, signers };
}

function checkLeaf(proof: LedgerProof, leaf: Uint8Array): { ok: boolean; detail: string } {
  try {
    if (proof.kind === 'trades') {
      const t = decodeTradeLeaf(leaf);
      const problems: string[] = [];
      if (t.slot !== proof.slot) problems.push(`it is of slot ${t.slot}, not ${proof.slot}`);
      if (proof.site !== null && idOf(`site:${proof.site}`) !== t.account.toLowerCase()) problems.push(`its account ${t.account} is not site:${proof.site}`);
      const what = `trade of account ${t.account}${proof.site === null ? '' : ` (site ${proof.site})`}: bought ${t.boughtWh} Wh, sold ${t.soldWh} Wh, paid ${t.paidMinor}, received ${t.receivedMinor} minor units`;
      return problems.length === 0 ? { ok: true, detail: what } : { ok: false, detail: `${what}; but ${problems.join(', ')}` };
    }
    const reading = proof.kind === 'readings';
    const decoded = reading ? decodeSignedReading(leaf) : decodeSignedOrder(leaf);
    const key = 'deviceKey' in decoded ? decoded.deviceKey : decoded.participantKey;
    const did = didOfPublicKey(key);
    const publicKey = publicKeyFromRaw(key);
    const signed = reading ? verifySignedReading(leaf, publicKey) : verifySignedOrder(leaf, publicKey);
    const problems: string[] = [];
    if (!signed) problems.push('its signature does not verify with the key it carries');
    if (proof.device !== null && proof.device !== did) problems.push(`it carries the key of ${did}, not of ${proof.device}`);
    if (decoded.slot !== proof.slot) problems.push(`it is of slot ${decoded.slot}, not ${proof.slot}`);
    const what = 'importWh' in decoded
      ? `reading of ${did}: import ${decoded.importWh} Wh, export ${decoded.exportWh} Wh, peak ${decoded.peakPowerW} W`
      : `order of ${did}: ${decoded.side} ${decoded.energyWh} Wh at ${decoded.priceMinorPerKwh} minor/kWh (sequence ${decoded.orderSeq})`;
    return problems.length === 0 ? { ok: true, detail: `${what}, signed by that key` } : { ok: false, detail: `${what}; but ${problems.join(', ')}` };
  } catch (e) {
    return { ok: false, detail: `the leaf is not a ${NOUN[proof.kind]}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function checkOnChain(proof: LedgerProof, signers: readonly string[], rpcUrl: string): Promise<ProofCheck[]> {
  let chain: SettlementChain;
  try {
    chain = await connectChain({ rpcUrl, addresses: { registry: proof.chain.registry, credits: proof.chain.credits, settlement: proof.chain.settlement } });
  } catch (e) {
    return [{ check: 'chain', ok: false, detail: `cannot attach to the proof's contracts at ${rpcUrl}: ${describe(e)}` }];
  }
  try {
    const out: ProofCheck[] = [];
    if (chain.chainId !== BigInt(proof.chain.chainId)) {
      out.push({ check: 'chain', ok: false, detail: `the node's chain id is ${chain.chainId}, the proof's ${proof.chain.chainId}` });
    }
    const held = await chain.statementHashOf(proof.microgrid, BigInt(proof.slot));
    const heldOk = held?.toLowerCase() === proof.statementHash;
    out.push({ check: 'chain', ok: heldOk, detail: heldOk
      ? `the Settlement contract holds ${proof.statementHash} for (microgrid, slot ${proof.slot})`
      : `the Settlement contract holds ${held ?? 'no statement'} for (microgrid, slot ${proof.slot}), not ${proof.statementHash}` });
    const validators = new Set((await chain.validatorsOf(proof.microgrid)).map((a) => a.toLowerCase()));
    const quorum = validators.size === 0 ? 0 : await chain.quorumOf(proof.microgrid);
    const outsiders = signers.filter((a) => !validators.has(a));
    const enough = signers.length - outsiders.length >= Math.max(1, quorum);
    out.push({ check: 'chain', ok: outsiders.length === 0 && enough && validators.size > 0,
      detail: validators.size === 0 ? 'the Settlement contract knows no validators for this microgrid'
        : outsiders.length > 0 ? `${outsiders.length} signers are not validators of the microgrid on chain: ${outsiders.join(', ')}`
          : enough ? `the signers are ${signers.length} of the microgrid's ${validators.size} validators on chain (quorum ${quorum}${quorum === quorumThreshold(validators.size) ? '' : `, ⌈2n/3⌉ would be ${quorumThreshold(validators.size)}`})`
            : `${signers.length} validator signatures, below the chain's quorum of ${quorum}` });
    return out;
  } catch (e) {
    if (!(e instanceof ChainError)) throw e;
    return [{ check: 'chain', ok: false, detail: describe(e) }];
  } finally {
    await chain.close();
  }
}

function describe(e: unknown): string {
  if (e instanceof GridmeshError) return [e.message, ...e.details.slice(0, 3)].join('; ');
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}
