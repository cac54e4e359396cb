/**
 * Reconciliation between two co-signers after a (re)connection: each sends a summary of the rounds
 * it holds (per hash, a bitmap of the validators whose votes it has); the other answers with every
 * vote it holds that the summary does not list. Summaries are split in messages of at most
 * MAX_SUMMARY_ROUNDS_PER_MESSAGE rounds, each covering a slot range, and the ranges of one summary
 * cover every slot: a round of the receiver inside a range but absent from it is one the sender
 * does not hold at all.
 */
import type { Hex } from 'viem';
import type { JsonValue } from './canonical-json.js';
import type { CoSignRound, RoundVote } from './cosign-round.js';
import { MAX_SUMMARY_HASHES_PER_ROUND, MAX_SUMMARY_ROUNDS_PER_MESSAGE, UINT64_MAX, type SummaryBody } from './cosign-wire.js';
import { ValidatorSet } from './validator-set.js';

/** The summary messages of the rounds held, in slot order. */
export function summaryBodies(microgrid: Hex, rounds: ReadonlyMap<bigint, CoSignRound>, validators: ValidatorSet): JsonValue[] {
  const slots = [...rounds.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bodies: JsonValue[] = [];
  let from = 0n;
  for (let i = 0; i === 0 || i < slots.length; i += MAX_SUMMARY_ROUNDS_PER_MESSAGE) {
    const chunk = slots.slice(i, i + MAX_SUMMARY_ROUNDS_PER_MESSAGE);
    const last = i + MAX_SUMMARY_ROUNDS_PER_MESSAGE >= slots.length;
    const to = last ? UINT64_MAX : (chunk[chunk.length - 1] as bigint);
    bodies.push({
      microgrid, fromSlot: from.toString(), toSlot: to.toString(),
      rounds: chunk.map((slot) => ({
        slot: slot.toString(),
        hashes: [...(rounds.get(slot) as CoSignRound).groups()].slice(0, MAX_SUMMARY_HASHES_PER_ROUND)
          .map(([hash, signers]) => ({ hash, have: validators.bitmap(signers) })),
      })),
    });
    from = to + 1n;
  }
  return bodies;
}

/** The votes held here, for rounds in the summary's range, that the summary does not list. */
export function votesMissingFrom(
  summary: SummaryBody, rounds: Iterable<CoSignRound>, validators: ValidatorSet,
): (RoundVote & { readonly slot: bigint })[] {
  const theirs = new Map<bigint, Map<Hex, string>>();
  for (const r of summary.rounds) theirs.set(r.slot, new Map(r.hashes.map((h) => [h.hash, h.have])));
  const out: (RoundVote & { readonly slot: bigint })[] = [];
  for (const round of rounds) {
    if (round.slot < summary.fromSlot || round.slot > summary.toSlot) continue;
    const their = theirs.get(round.slot);
    for (const vote of round.votes()) {
      const have = their?.get(vote.hash);
      const index = validators.indexOf(vote.validator) as number;
      if (have !== undefined && have.length === validators.bitmapHexLength && ValidatorSet.has(have, index)) continue;
      out.push({ ...vote, slot: round.slot });
    }
  }
  return out;
}
