/**
 * What one node holds of one (microgrid, slot): its own statement hash once it has computed the
 * statement, and every verified vote (validator, hash, signature) it has seen. Bounded: a
 * validator may appear with at most `maxHashesPerValidator` different hashes (more than one is
 * already an equivocation, kept as evidence).
 */
import type { Address, Hex } from 'viem';
import type { Statement } from '../../core/ledger/statement.js';

export interface RoundVote {
  readonly validator: Address;
  readonly hash: Hex;
  readonly signature: Hex;
}

export type AddVoteResult = 'added' | 'duplicate' | 'too-many-hashes';

export class CoSignRound {
  /** The hash of the statement this node computed (and signed). */
  localHash: Hex | undefined;
  localStatement: Statement | undefined;
  /** Agreeing signatures at the last `onFinal` (0: not final yet). */
  finalCount = 0;
  revision = 0;
  /** statementFor was asked and has not answered yet. */
  statementPending = false;
  readonly reported = new Set<string>();
  /** validator (lower case) → hash → signature, in arrival order. */
  private readonly byValidator = new Map<string, { readonly validator: Address; readonly hashes: Map<Hex, Hex> }>();
  /** hash ‖ signature of every vote examined (accepted or not), to skip recovering it again. */
  private readonly examined = new Set<string>();

  constructor(readonly slot: bigint, private readonly maxExamined: number) {}

  wasExamined(hash: Hex, signature: Hex): boolean {
    return this.examined.has(hash + signature);
  }

  markExamined(hash: Hex, signature: Hex): void {
    if (this.examined.size < this.maxExamined) this.examined.add(hash + signature);
  }

  add(vote: RoundVote, maxHashesPerValidator: number): AddVoteResult {
    const key = vote.validator.toLowerCase();
    let entry = this.byValidator.get(key);
    if (entry === undefined) this.byValidator.set(key, (entry = { validator: vote.validator, hashes: new Map() }));
    if (entry.hashes.has(vote.hash)) return 'duplicate';
    if (entry.hashes.size >= maxHashesPerValidator) return 'too-many-hashes';
    entry.hashes.set(vote.hash, vote.signature);
    return 'added';
  }

  votes(): RoundVote[] {
    const out: RoundVote[] = [];
    for (const { validator, hashes } of this.byValidator.values()) {
      for (const [hash, signature] of hashes) out.push({ validator, hash, signature });
    }
    return out;
  }

  /** Votes for `hash`. */
  votesFor(hash: Hex): RoundVote[] {
    return this.votes().filter((v) => v.hash === hash);
  }

  /** Distinct hashes with their signers. */
  groups(): Map<Hex, Address[]> {
    const groups = new Map<Hex, Address[]>();
    for (const v of this.votes()) {
      const group = groups.get(v.hash);
      if (group === undefined) groups.set(v.hash, [v.validator]);
      else group.push(v.validator);
    }
    return groups;
  }

  /** Validators that signed more than one hash. */
  equivocators(): { validator: Address; hashes: Hex[] }[] {
    return [...this.byValidator.values()].filter((e) => e.hashes.size > 1).map((e) => ({ validator: e.validator, hashes: [...e.hashes.keys()] }));
  }
}
