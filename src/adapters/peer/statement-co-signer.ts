/**
 * Co-signing settlement statements across the nodes of a microgrid (ADR 0010, 0014).
 *
 * Each node is one validator. For each slot the caller gives the co-signer the statement this node
 * computed (`cast`); the co-signer signs its hash (secp256k1, `signStatementSync`), publishes the
 * vote and collects the other validators' votes, recovering each signer and checking that it is in
 * the microgrid's validator set. The statement is final on this node when ⌈2n/3⌉ validators
 * (`quorumThreshold`) signed the hash this node computed itself; validators that signed another
 * hash are reported (`onDissent`). A node never counts a hash it did not compute: the signature
 * binds a hash, not a slot, so only its own statement ties a hash to (microgrid, slot).
 *
 * Partitions: votes are relayed once by every node that accepts them (so a node reachable through
 * another still hears them), and on every (re)connection the two sides exchange summaries of the
 * rounds they hold and send each other the votes the other lacks, so after a cut heals every node
 * holds the same votes and the same final signatures. A node that learns of a round it has no
 * statement for asks `statementFor(slot)` (e.g. once the inputs it missed have arrived) and signs.
 *
 * Bounded: rounds live while their slot is within `openSlots` of the highest slot this node cast
 * (the anchor; peers cannot move it); older open rounds are reported as no-quorum and dropped.
 */
import type { Address, Hex } from 'viem';
import { SignatureError } from '../../core/ledger/ledger-errors.js';
import { recoverSignerSync, signStatementSync } from '../../core/ledger/statement-signing.js';
import { statementHash, type Statement } from '../../core/ledger/statement.js';
import { compareAddresses } from '../../core/ledger/validator-keys.js';
import { summaryBodies, votesMissingFrom } from './cosign-reconciliation.js';
import { CoSignRound, type RoundVote } from './cosign-round.js';
import {
  CO_SIGNER_DEFAULTS, type CoSignerCounts, type DissentReport, type FinalRound, type NoQuorumRound, type RoundView,
  type StatementCoSignerOptions,
} from './cosign-types.js';
import {
  MAX_VOTES_PER_MESSAGE, SUMMARY_TOPIC, UINT64_MAX, VOTES_TOPIC, summaryBodySchema, voteJson, votesBodySchema, type WireVote,
} from './cosign-wire.js';
import { PeerError } from './peer-errors.js';
import type { PeerEvent, PeerMessage } from './peer-network-types.js';
import { ValidatorSet } from './validator-set.js';

export type {
  CoSignerCounts, DissentReport, FinalRound, NoQuorumRound, RoundView, StatementCoSignerOptions, VoteRejectReason,
} from './cosign-types.js';
export { CO_SIGNER_DEFAULTS } from './cosign-types.js';

type Listener<T> = (value: T) => void;

export class StatementCoSigner {
  readonly microgrid: Hex;
  readonly validators: ValidatorSet;
  private readonly openSlots: bigint;
  private readonly maxRounds: number;
  private readonly maxHashes: number;
  private readonly maxVotesPerMessage: number;
  private readonly rounds = new Map<bigint, CoSignRound>();
  private anchor: bigint | undefined;
  private readonly finalListeners = new Set<Listener<FinalRound>>();
  private readonly dissentListeners = new Set<Listener<DissentReport>>();
  private readonly noQuorumListeners = new Set<Listener<NoQuorumRound>>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly resyncTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: CoSignerCounts = {
    votesCast: 0, votesReceived: 0, votesAccepted: 0, duplicates: 0, relayed: 0, summariesSent: 0, summariesReceived: 0,
    reconcileVotesSent: 0, finals: 0, noQuorum: 0, dissents: 0, statementRequests: 0, statementErrors: 0, otherMicrogrid: 0, listenerErrors: 0, sendErrors: 0,
    rejected: {
      'bad-message': 0, 'bad-signature': 0, 'not-a-validator': 0, 'too-old': 0, 'too-far-ahead': 0, 'too-many-rounds': 0, 'too-many-hashes': 0,
    },
  };

  constructor(private readonly options: StatementCoSignerOptions) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(options.microgrid)) throw new PeerError('bad-config', 'microgrid: expected 32 bytes of 0x-prefixed hex');
    this.microgrid = options.microgrid.toLowerCase() as Hex;
    this.validators = new ValidatorSet(options.validators.map((v) => (typeof v === 'string' ? v : v.address)));
    if (this.validators.indexOf(options.key.address) === undefined) {
      throw new PeerError('bad-config', `this node's validator ${options.key.address} is not in the validator set`);
    }
    const openSlots = options.openSlots ?? CO_SIGNER_DEFAULTS.openSlots;
    if (!Number.isSafeInteger(openSlots) || openSlots < 1) throw new PeerError('bad-config', `openSlots: expected a positive integer (got ${openSlots})`);
    this.openSlots = BigInt(openSlots);
    this.maxRounds = 2 * openSlots;
    this.maxHashes = options.maxHashesPerValidator ?? CO_SIGNER_DEFAULTS.maxHashesPerValidator;
    if (!Number.isSafeInteger(this.maxHashes) || this.maxHashes < 1) throw new PeerError('bad-config', 'maxHashesPerValidator: expected a positive integer');
    this.maxVotesPerMessage = options.maxVotesPerMessage ?? MAX_VOTES_PER_MESSAGE;
    if (!Number.isSafeInteger(this.maxVotesPerMessage) || this.maxVotesPerMessage < 1 || this.maxVotesPerMessage > MAX_VOTES_PER_MESSAGE) {
      throw new PeerError('bad-config', `maxVotesPerMessage: expected 1..${MAX_VOTES_PER_MESSAGE}`);
    }
    const { network } = options;
    this.unsubscribe.push(
      network.subscribe(VOTES_TOPIC, (m) => this.onVotes(m)),
      network.subscribe(SUMMARY_TOPIC, (m) => this.onSummary(m)),
      network.onPeer((e) => this.onPeerEvent(e)),
    );
    const resync = options.resyncIntervalMs ?? CO_SIGNER_DEFAULTS.resyncIntervalMs;
    if (resync > 0) {
      this.resyncTimer = setInterval(() => this.resync(), resync);
      this.resyncTimer.unref();
    }
  }

  onFinal(listener: Listener<FinalRound>): () => void {
    return addListener(this.finalListeners, listener);
  }

  onDissent(listener: Listener<DissentReport>): () => void {
    return addListener(this.dissentListeners, listener);
  }

  onNoQuorum(listener: Listener<NoQuorumRound>): () => void {
    return addListener(this.noQuorumListeners, listener);
  }

  /**
   * Signs this node's statement for its slot and publishes the vote. Casting the same statement
   * again is a no-op; a different statement for a slot already signed is refused (equivocation).
   */
  cast(statement: Statement): { readonly hash: Hex; readonly signature: Hex } {
    if (this.closed) throw new PeerError('closed', 'the co-signer is closed');
    if (statement.microgrid.toLowerCase() !== this.microgrid) {
      throw new PeerError('bad-statement', `the statement is for microgrid ${statement.microgrid}, not ${this.microgrid}`);
    }
    const slot = statement.slot;
    if (slot < 0n || slot > UINT64_MAX) throw new PeerError('bad-statement', `slot ${slot} is outside uint64`);
    if (this.anchor !== undefined && slot + this.openSlots <= this.anchor) {
      throw new PeerError('bad-statement', `slot ${slot} is more than ${this.openSlots} slots behind slot ${this.anchor}`);
    }
    const hash = statementHash(statement).toLowerCase() as Hex;
    const existing = this.rounds.get(slot);
    if (existing?.localHash !== undefined) {
      if (existing.localHash !== hash) throw new PeerError('equivocation', `slot ${slot} was already signed with hash ${existing.localHash}`);
      const own = existing.votesFor(hash).find((v) => compareAddresses(v.validator, this.options.key.address) === 0);
      return { hash, signature: (own as RoundVote).signature };
    }
    const { key, domain } = this.options;
    const signature = signStatementSync(key.privateKey, domain.chainId, domain.settlement, hash).toLowerCase() as Hex;
    const round = existing ?? this.openRound(slot);
    round.localHash = hash;
    round.localStatement = statement;
    round.add({ validator: this.validators.addresses[this.validators.indexOf(key.address) as number] as Address, hash, signature }, this.maxHashes);
    round.markExamined(hash, signature);
    this.counters.votesCast++;
    this.evaluate(round);
    this.transmit(() => this.options.network.publish(VOTES_TOPIC, { microgrid: this.microgrid, votes: [voteJson(slot, hash, signature)] }) > 0);
    if (this.anchor === undefined || slot > this.anchor) this.advanceTo(slot);
    return { hash, signature };
  }

  /** The state of a round this node holds. */
  round(slot: bigint): RoundView | undefined {
    const round = this.rounds.get(slot);
    if (round === undefined) return undefined;
    const groups = groupList(round);
    const final = round.finalCount > 0 ? this.finalOf(round) : undefined;
    const outvoted = final === undefined && groups.some((g) => g.hash !== round.localHash && g.signers.length >= this.validators.threshold);
    return {
      slot, status: final !== undefined ? 'final' : outvoted ? 'outvoted' : 'open', groups,
      ...(round.localHash === undefined ? {} : { localHash: round.localHash }),
      ...(final === undefined ? {} : { final }),
    };
  }

  /** The final statement of a slot on this node, with every agreeing signature held now. */
  finalRound(slot: bigint): FinalRound | undefined {
    const round = this.rounds.get(slot);
    return round !== undefined && round.finalCount > 0 ? this.finalOf(round) : undefined;
  }

  /** Slots of the rounds held, ascending. */
  slots(): bigint[] {
    return [...this.rounds.keys()].sort(compareBigints);
  }

  counts(): CoSignerCounts {
    return { ...this.counters, rejected: { ...this.counters.rejected } };
  }

  /** Sends a summary to every connected peer now (also done on each connection and periodically). */
  resync(): void {
    if (this.closed) return;
    for (const body of summaryBodies(this.microgrid, this.rounds, this.validators)) {
      if (this.transmit(() => this.options.network.publish(SUMMARY_TOPIC, body) > 0)) this.counters.summariesSent++;
    }
  }

  /** Stops listening (rounds are not reported). */
  close(): void {
    this.closed = true;
    if (this.resyncTimer !== undefined) clearInterval(this.resyncTimer);
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /**
   * Sends through the network; a refusal (closed network, a message over maxMessageBytes) is
   * counted in `sendErrors`, never thrown into the protocol. True when something was queued.
   */
  private transmit(send: () => boolean): boolean {
    try {
      return send();
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      this.counters.sendErrors++;
      return false;
    }
  }

  /** A listener's exception must not break the protocol: it is counted and the others still run. */
  private emit<T>(set: Set<Listener<T>>, value: T): void {
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch {
        this.counters.listenerErrors++;
      }
    }
  }

  private openRound(slot: bigint): CoSignRound {
    const round = new CoSignRound(slot, 4 * this.validators.size * this.maxHashes);
    this.rounds.set(slot, round);
    return round;
  }

  /** Moves the window: rounds K or more slots behind `slot` are closed (open ones reported), rounds more than K ahead dropped. */
  private advanceTo(slot: bigint): void {
    this.anchor = slot;
    for (const round of [...this.rounds.values()].sort((a, b) => compareBigints(a.slot, b.slot))) {
      if (round.slot > slot + this.openSlots) {
        // Opened by peers' votes before this node had cast anything, too far ahead: not ours yet.
        this.rounds.delete(round.slot);
      } else if (round.slot + this.openSlots <= slot) {
        this.rounds.delete(round.slot);
        if (round.finalCount === 0) this.reportNoQuorum(round);
      }
    }
  }

  private reportNoQuorum(round: CoSignRound): void {
    const groups = groupList(round);
    const reason = round.localHash === undefined ? 'no-local-statement'
      : groups.some((g) => g.hash !== round.localHash && g.signers.length >= this.validators.threshold) ? 'outvoted' : 'no-quorum';
    this.counters.noQuorum++;
    this.emit(this.noQuorumListeners, {
      microgrid: this.microgrid, slot: round.slot, reason, threshold: this.validators.threshold, validatorCount: this.validators.size, groups,
      ...(round.localHash === undefined ? {} : { localHash: round.localHash }),
    });
  }

  /** Where a vote for `slot` stands against the window; undefined if acceptable. */
  private windowProblem(slot: bigint): 'too-old' | 'too-far-ahead' | 'too-many-rounds' | undefined {
    if (this.anchor !== undefined) {
      if (slot + this.openSlots <= this.anchor) return 'too-old';
      if (slot > this.anchor + this.openSlots) return 'too-far-ahead';
    }
    if (!this.rounds.has(slot) && this.rounds.size >= this.maxRounds) return 'too-many-rounds';
    return undefined;
  }

  private onVotes(message: PeerMessage): void {
    if (this.closed) return;
    const parsed = votesBodySchema.safeParse(message.body);
    if (!parsed.success) {
      this.counters.rejected['bad-message']++;
      return;
    }
    if (parsed.data.microgrid !== this.microgrid) {
      this.counters.otherMicrogrid++;
      return;
    }
    const accepted: WireVote[] = [];
    const touched = new Set<CoSignRound>();
    for (const vote of parsed.data.votes) {
      this.counters.votesReceived++;
      const round = this.acceptVote(vote);
      if (round === undefined) continue;
      accepted.push(vote);
      touched.add(round);
    }
    for (const round of touched) this.evaluate(round);
    for (let i = 0; i < accepted.length; i += this.maxVotesPerMessage) {
      const votes = accepted.slice(i, i + this.maxVotesPerMessage).map((v) => voteJson(v.slot, v.hash, v.signature));
      if (this.transmit(() => this.options.network.publish(VOTES_TOPIC, { microgrid: this.microgrid, votes }, { exclude: [message.from] }) > 0)) {
        this.counters.relayed += votes.length;
      }
    }
    for (const round of touched) if (round.localHash === undefined) this.askStatement(round);
  }

  /** Verifies and stores one vote; the round if the vote is new and valid. */
  private acceptVote(vote: WireVote): CoSignRound | undefined {
    const problem = this.windowProblem(vote.slot);
    if (problem !== undefined) {
      this.counters.rejected[problem]++;
      return undefined;
    }
    const existing = this.rounds.get(vote.slot);
    if (existing?.wasExamined(vote.hash, vote.signature) === true) {
      this.counters.duplicates++;
      return undefined;
    }
    let signer: Address;
    try {
      const { domain } = this.options;
      signer = recoverSignerSync(domain.chainId, domain.settlement, vote.hash, vote.signature);
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      existing?.markExamined(vote.hash, vote.signature);
      this.counters.rejected['bad-signature']++;
      return undefined;
    }
    const index = this.validators.indexOf(signer);
    if (index === undefined) {
      existing?.markExamined(vote.hash, vote.signature);
      this.counters.rejected['not-a-validator']++;
      return undefined;
    }
    const round = existing ?? this.openRound(vote.slot);
    round.markExamined(vote.hash, vote.signature);
    const result = round.add({ validator: this.validators.addresses[index] as Address, hash: vote.hash, signature: vote.signature }, this.maxHashes);
    if (result === 'duplicate') {
      this.counters.duplicates++;
      return undefined;
    }
    if (result === 'too-many-hashes') {
      this.counters.rejected['too-many-hashes']++;
      return undefined;
    }
    this.counters.votesAccepted++;
    return round;
  }

  /** Reports new dissent and equivocation; emits onFinal when more agreeing signatures arrived. */
  private evaluate(round: CoSignRound): void {
    for (const { validator, hashes } of round.equivocators()) {
      const key = `equivocation:${validator}:${hashes.length}`;
      if (round.reported.has(key)) continue;
      round.reported.add(key);
      this.reportDissent(round, { validator, kind: 'equivocation', hashes });
    }
    const localHash = round.localHash;
    if (localHash === undefined) return;
    for (const vote of round.votes()) {
      if (vote.hash === localHash) continue;
      const key = `other:${vote.validator}:${vote.hash}`;
      if (round.reported.has(key)) continue;
      round.reported.add(key);
      this.reportDissent(round, { validator: vote.validator, kind: 'other-hash', hashes: [vote.hash] });
    }
    const agreeing = round.votesFor(localHash).length;
    if (agreeing >= this.validators.threshold && agreeing > round.finalCount) {
      round.finalCount = agreeing;
      round.revision++;
      this.counters.finals++;
      this.emit(this.finalListeners, this.finalOf(round));
    }
  }

  private reportDissent(round: CoSignRound, report: Pick<DissentReport, 'validator' | 'kind' | 'hashes'>): void {
    this.counters.dissents++;
    this.emit(this.dissentListeners, {
      microgrid: this.microgrid, slot: round.slot, ...report, ...(round.localHash === undefined ? {} : { localHash: round.localHash }),
    });
  }

  private finalOf(round: CoSignRound): FinalRound {
    const hash = round.localHash as Hex;
    const agreeing = round.votesFor(hash).sort((a, b) => compareAddresses(a.validator, b.validator));
    return {
      microgrid: this.microgrid, slot: round.slot, hash, statement: round.localStatement as Statement,
      signatures: agreeing.map((v) => v.signature), signers: agreeing.map((v) => v.validator),
      threshold: this.validators.threshold, validatorCount: this.validators.size,
      dissenters: round.votes().filter((v) => v.hash !== hash).map((v) => ({ validator: v.validator, hash: v.hash })),
      revision: round.revision,
    };
  }

  /** Asks the caller for this node's statement of a round it holds votes for. */
  private askStatement(round: CoSignRound): void {
    const statementFor = this.options.statementFor;
    if (statementFor === undefined || round.statementPending) return;
    round.statementPending = true;
    this.counters.statementRequests++;
    const done = (statement: Statement | undefined): void => {
      round.statementPending = false;
      if (statement === undefined || this.closed || round.localHash !== undefined) return;
      if (statement.slot !== round.slot) {
        this.counters.statementErrors++;
        return;
      }
      try {
        this.cast(statement);
      } catch {
        this.counters.statementErrors++;
      }
    };
    const failed = (): void => {
      round.statementPending = false;
      this.counters.statementErrors++;
    };
    try {
      const result = statementFor(round.slot);
      if (result instanceof Promise) result.then(done, failed);
      else done(result);
    } catch {
      failed();
    }
  }

  private onPeerEvent(event: PeerEvent): void {
    if (this.closed || !event.connected) return;
    for (const body of summaryBodies(this.microgrid, this.rounds, this.validators)) {
      if (this.transmit(() => this.options.network.send(event.did, SUMMARY_TOPIC, body))) this.counters.summariesSent++;
    }
  }

  private onSummary(message: PeerMessage): void {
    if (this.closed) return;
    const parsed = summaryBodySchema.safeParse(message.body);
    if (!parsed.success) {
      this.counters.rejected['bad-message']++;
      return;
    }
    const summary = parsed.data;
    if (summary.microgrid !== this.microgrid) {
      this.counters.otherMicrogrid++;
      return;
    }
    this.counters.summariesReceived++;
    const missing = votesMissingFrom(summary, this.rounds.values(), this.validators);
    for (let i = 0; i < missing.length; i += this.maxVotesPerMessage) {
      const votes = missing.slice(i, i + this.maxVotesPerMessage).map((v) => voteJson(v.slot, v.hash, v.signature));
      if (this.transmit(() => this.options.network.send(message.from, VOTES_TOPIC, { microgrid: this.microgrid, votes }))) {
        this.counters.reconcileVotesSent += votes.length;
      }
    }
  }
}

function groupList(round: CoSignRound): { hash: Hex; signers: Address[] }[] {
  return [...round.groups()].map(([hash, signers]) => ({ hash, signers: signers.sort(compareAddresses) }))
    .sort((a, b) => b.signers.length - a.signers.length || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addListener<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
  const own: Listener<T> = (value) => listener(value);
  set.add(own);
  return () => { set.delete(own); };
}

