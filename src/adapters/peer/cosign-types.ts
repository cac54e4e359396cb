/** Options and results of the statement co-signer (statement-co-signer.ts). */
import type { Address, Hex } from 'viem';
import type { Statement } from '../../core/ledger/statement.js';
import type { SettlementDomain } from '../../core/ledger/statement-signing.js';
import type { ValidatorKey } from '../../core/ledger/validator-keys.js';
import type { PeerMessaging } from './peer-network-types.js';

export interface StatementCoSignerOptions {
  readonly network: PeerMessaging;
  /** This node's validator key; its address must be in `validators`. */
  readonly key: ValidatorKey;
  /** bytes32 id of the microgrid (`idOf('area:<name>')`). */
  readonly microgrid: Hex;
  /** Addresses of all validators of the microgrid (this node's included). */
  readonly validators: readonly (Address | { readonly address: Address })[];
  /** The chain and Settlement contract the signatures are bound to. */
  readonly domain: SettlementDomain;
  /** K: rounds are kept for slots within K of the highest slot cast here (default 96: a day of 15 min). */
  readonly openSlots?: number;
  /** Different hashes kept per validator and round (default 4). */
  readonly maxHashesPerValidator?: number;
  /** Votes per message (default and maximum 128, ~32 KiB); lower it with a small maxMessageBytes. */
  readonly maxVotesPerMessage?: number;
  /** Send a summary to every connected peer this often (anti-entropy; default 30 s; 0 = only on connect). */
  readonly resyncIntervalMs?: number;
  /** Asked for this node's statement of a slot it has votes for but has not cast. */
  readonly statementFor?: (slot: bigint) => Statement | undefined | Promise<Statement | undefined>;
}

/** A statement that reached the quorum on this node (again, with more signatures: `revision` > 1). */
export interface FinalRound {
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly hash: Hex;
  readonly statement: Statement;
  /** Agreeing signatures, sorted by signer address ascending (as the Settlement contract wants). */
  readonly signatures: readonly Hex[];
  readonly signers: readonly Address[];
  readonly threshold: number;
  readonly validatorCount: number;
  /** Validators that signed another hash for this slot (known so far). */
  readonly dissenters: readonly { readonly validator: Address; readonly hash: Hex }[];
  /** 1 at first finality, +1 each time more agreeing signatures arrive. */
  readonly revision: number;
}

export interface DissentReport {
  readonly microgrid: Hex;
  readonly slot: bigint;
  readonly validator: Address;
  /** 'other-hash': signed a hash other than this node's; 'equivocation': signed two or more hashes. */
  readonly kind: 'other-hash' | 'equivocation';
  readonly hashes: readonly Hex[];
  /** The hash this node computed. */
  readonly localHash?: Hex;
}

export interface NoQuorumRound {
  readonly microgrid: Hex;
  readonly slot: bigint;
  /**
   * no-quorum: no hash reached the threshold; outvoted: another hash did, not this node's;
   * no-local-statement: this node never computed the statement.
   */
  readonly reason: 'no-quorum' | 'outvoted' | 'no-local-statement';
  readonly localHash?: Hex;
  readonly threshold: number;
  readonly validatorCount: number;
  readonly groups: readonly { readonly hash: Hex; readonly signers: readonly Address[] }[];
}

export interface RoundView {
  readonly slot: bigint;
  readonly status: 'open' | 'final' | 'outvoted';
  readonly localHash?: Hex;
  readonly groups: readonly { readonly hash: Hex; readonly signers: readonly Address[] }[];
  readonly final?: FinalRound;
}

export type VoteRejectReason =
  | 'bad-message' | 'bad-signature' | 'not-a-validator' | 'too-old' | 'too-far-ahead' | 'too-many-rounds' | 'too-many-hashes';

export interface CoSignerCounts {
  votesCast: number;
  votesReceived: number;
  votesAccepted: number;
  duplicates: number;
  relayed: number;
  summariesSent: number;
  summariesReceived: number;
  reconcileVotesSent: number;
  finals: number;
  noQuorum: number;
  dissents: number;
  statementRequests: number;
  statementErrors: number;
  otherMicrogrid: number;
  listenerErrors: number;
  /** Messages the network refused to send (closed, too large). */
  sendErrors: number;
  rejected: Record<VoteRejectReason, number>;
}

export const CO_SIGNER_DEFAULTS = { openSlots: 96, maxHashesPerValidator: 4, resyncIntervalMs: 30_000 } as const;
