/**
 * Validator quorum of one microgrid and one slot (docs/ledger.md).
 *
 * Each validator re-executes settlement from the signed inputs it has seen (the caller's pure
 * `computeStatement`), hashes the statement and signs the hash. `collectQuorum` groups the
 * validators by the hash they computed: the statement is final when one hash has at least
 * ceil(2n/3) of the n validators of the microgrid (absent validators count against it). Since
 * ceil(2n/3) > n/2, at most one hash can reach it. Validators that computed another hash are
 * dissenters, reported with the fields in which their statement differs. Without a quorum the
 * result says so (the slot stays unsettled and is reported); it is not an exception.
 *
 * The signatures returned are those of the agreeing validators, sorted by signer address
 * ascending, as the Settlement contract requires.
 */
import type { Address, Hex } from 'viem';
import { LedgerError, SignatureError } from './ledger-errors.js';
import { diffStatements, MAX_DIFF_FIELDS } from './statement-diff.js';
import { recoverSigner, signStatement, type SettlementDomain } from './statement-signing.js';
import { statementHash, type Statement } from './statement.js';
import { compareAddresses, type Validator, type ValidatorKey } from './validator-keys.js';

/** Default bound on the validators of one microgrid. */
export const MAX_VALIDATORS = 64;

/** What one validator computed and signed. */
export interface SignedVote {
  readonly statement: Statement;
  readonly signature: Hex;
}

export interface TallyInput {
  /** All validators of the microgrid, including those that did not vote. */
  readonly validators: readonly Validator[];
  /** Votes by validator id. */
  readonly votes: ReadonlyMap<string, SignedVote>;
  readonly maxValidators?: number;
  readonly maxDissentFields?: number;
}

export interface QuorumInput extends TallyInput {
  readonly domain: SettlementDomain;
  /**
   * Check that each signature recovers to its validator's address over its own statement's hash
   * (default true). A vote with a bad signature does not count. Recovery costs ~2 ms per signature
   * (docs/ledger.md): a simulation that produced the signatures itself may turn it off.
   */
  readonly checkSignatures?: boolean;
}

export interface HashGroup {
  readonly hash: Hex;
  /** Validator ids, in the order of `validators`. */
  readonly validators: readonly string[];
}

export interface Dissenter {
  readonly validator: string;
  readonly address: Address;
  /** The hash this validator computed. */
  readonly hash: Hex;
  readonly agreedHash: Hex;
  /** Fields in which its statement differs from the agreed one, e.g. `tradesRoot`, `deltasMinor[3]`. */
  readonly fields: readonly string[];
  readonly moreFields: number;
}

export interface RejectedVote {
  readonly validator: string;
  readonly reason: string;
}

interface QuorumCommon {
  readonly validatorCount: number;
  /** Votes needed: ceil(2n/3). */
  readonly threshold: number;
  /** Groups of valid votes by hash, largest first (then by hash). */
  readonly groups: readonly HashGroup[];
  /** Validators without a vote. */
  readonly missing: readonly string[];
  /** Votes that did not count (bad signature). */
  readonly rejected: readonly RejectedVote[];
}

export interface FinalQuorum extends QuorumCommon {
  readonly final: true;
  readonly hash: Hex;
  readonly statement: Statement;
  /** Signatures of the agreeing validators, sorted by signer address ascending. */
  readonly signatures: readonly Hex[];
  /** The signer of each signature, same order. */
  readonly signers: readonly Address[];
  readonly dissenters: readonly Dissenter[];
}

export interface NoQuorum extends QuorumCommon {
  readonly final: false;
  /** e.g. "no hash has 3 of 4 validators (largest group: 2)". */
  readonly reason: string;
}

export type QuorumResult = FinalQuorum | NoQuorum;

/** ceil(2n/3), in integers. */
export function quorumThreshold(validatorCount: number): number {
  return Math.floor((2 * validatorCount + 2) / 3);
}

interface CountedVote {
  readonly validator: Validator;
  readonly vote: SignedVote;
  readonly hash: Hex;
}

/**
 * Tallies votes whose signatures are trusted (made by this process, or checked by the caller):
 * pure and synchronous. `collectQuorum` checks the signatures first.
 */
export function tallyQuorum(input: TallyInput, rejected: readonly RejectedVote[] = []): QuorumResult {
  const validators = checkValidators(input);
  const n = validators.length;
  const threshold = quorumThreshold(n);
  const counted: CountedVote[] = [];
  const missing: string[] = [];
  const rejectedIds = new Set(rejected.map((r) => r.validator));
  // Votes often share one statement object (a validator pool sends each distinct statement once).
  const hashes = new Map<Statement, Hex>();
  const hashOf = (s: Statement): Hex => {
    let h = hashes.get(s);
    if (h === undefined) hashes.set(s, (h = statementHash(s)));
    return h;
  };
  for (const validator of validators) {
    const vote = input.votes.get(validator.id);
    if (vote === undefined) {
      if (!rejectedIds.has(validator.id)) missing.push(validator.id);
    } else {
      counted.push({ validator, vote, hash: hashOf(vote.statement) });
    }
  }
  const groups = groupByHash(counted);
  const common = { validatorCount: n, threshold, groups, missing, rejected };
  const top = groups[0];
  if (top === undefined || top.validators.length < threshold) {
    const largest = top?.validators.length ?? 0;
    return { ...common, final: false, reason: `no hash has ${threshold} of ${n} validators (largest group: ${largest})` };
  }
  const agreeing = counted.filter((c) => c.hash === top.hash).sort((a, b) => compareAddresses(a.validator.address, b.validator.address));
  const agreed = (agreeing[0] as CountedVote).vote.statement;
  const maxFields = input.maxDissentFields ?? MAX_DIFF_FIELDS;
  const dissenters = counted.filter((c) => c.hash !== top.hash).map((c): Dissenter => ({
    validator: c.validator.id, address: c.validator.address, hash: c.hash, agreedHash: top.hash,
    ...diffStatements(c.vote.statement, agreed, maxFields),
  }));
  return {
    ...common, final: true, hash: top.hash, statement: agreed,
    signatures: agreeing.map((c) => c.vote.signature),
    signers: agreeing.map((c) => c.validator.address),
    dissenters,
  };
}

/** Checks every signature (unless told not to), then tallies the votes that remain. */
export async function collectQuorum(input: QuorumInput): Promise<QuorumResult> {
  checkValidators(input);
  if (input.checkSignatures === false) return tallyQuorum(input);
  const votes = new Map<string, SignedVote>();
  const rejected: RejectedVote[] = [];
  for (const validator of input.validators) {
    const vote = input.votes.get(validator.id);
    if (vote === undefined) continue;
    const problem = await signatureProblem(validator, vote.signature, statementHash(vote.statement), input.domain);
    if (problem === undefined) votes.set(validator.id, vote);
    else rejected.push({ validator: validator.id, reason: problem });
  }
  return tallyQuorum({ ...input, votes }, rejected);
}

/** One validator's part: compute the statement from what it has seen, hash it, sign the hash. */
export async function castVote<I>(
  key: ValidatorKey, inputs: I, computeStatement: (inputs: I) => Statement, domain: SettlementDomain,
): Promise<SignedVote & { readonly hash: Hex }> {
  const statement = computeStatement(inputs);
  const hash = statementHash(statement);
  const signature = await signStatement(key.privateKey, domain.chainId, domain.settlement, hash);
  return { statement, hash, signature };
}

export interface RunQuorumInput<I> {
  /** The validators of the microgrid with their keys (simulation: all of them are local). */
  readonly keys: readonly ValidatorKey[];
  /** What each validator has seen; undefined: the validator does not vote (offline, cut off). */
  readonly inputsOf: (validatorId: string) => I | undefined;
  readonly computeStatement: (inputs: I) => Statement;
  readonly domain: SettlementDomain;
  /** Default false: the signatures were made here, from these keys, a moment ago. */
  readonly checkSignatures?: boolean;
}

/** Every validator casts its vote, then the votes are collected. */
export async function runQuorum<I>(input: RunQuorumInput<I>): Promise<QuorumResult> {
  const votes = new Map<string, SignedVote>();
  for (const key of input.keys) {
    const inputs = input.inputsOf(key.id);
    if (inputs !== undefined) votes.set(key.id, await castVote(key, inputs, input.computeStatement, input.domain));
  }
  const validators = input.keys.map(({ id, address }) => ({ id, address }));
  return collectQuorum({ validators, votes, domain: input.domain, checkSignatures: input.checkSignatures ?? false });
}

function checkValidators(input: TallyInput): readonly Validator[] {
  const { validators, votes } = input;
  const max = input.maxValidators ?? MAX_VALIDATORS;
  if (validators.length === 0) throw new LedgerError('a quorum needs at least one validator');
  if (validators.length > max) throw new LedgerError(`too many validators: at most ${max} per microgrid (got ${validators.length})`);
  const ids = new Set<string>();
  const addresses = new Set<string>();
  for (const v of validators) {
    if (ids.has(v.id)) throw new LedgerError(`validator ${v.id} is listed twice`);
    if (addresses.has(v.address.toLowerCase())) throw new LedgerError(`validator ${v.id}: address ${v.address} is listed twice`);
    ids.add(v.id);
    addresses.add(v.address.toLowerCase());
  }
  const unknown = [...votes.keys()].filter((id) => !ids.has(id));
  if (unknown.length > 0) throw new LedgerError('votes from unknown validators', { details: unknown.slice(0, 10) });
  return validators;
}

async function signatureProblem(validator: Validator, signature: Hex, hash: Hex, domain: SettlementDomain): Promise<string | undefined> {
  try {
    const signer = await recoverSigner(domain.chainId, domain.settlement, hash, signature);
    return compareAddresses(signer, validator.address) === 0 ? undefined : `signature is by ${signer}, not ${validator.address}`;
  } catch (error) {
    if (error instanceof SignatureError) return error.message;
    throw error;
  }
}

function groupByHash(counted: readonly CountedVote[]): HashGroup[] {
  const byHash = new Map<Hex, string[]>();
  for (const c of counted) {
    const group = byHash.get(c.hash);
    if (group === undefined) byHash.set(c.hash, [c.validator.id]);
    else group.push(c.validator.id);
  }
  return [...byHash].map(([hash, validators]) => ({ hash, validators }))
    .sort((a, b) => b.validators.length - a.validators.length || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}
