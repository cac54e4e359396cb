/**
 * The co-signer's messages (bodies of peer envelopes), strict and bounded:
 *
 *   cosign.votes    {"microgrid","votes":[{"slot","hash","signature"}]}
 *   cosign.summary  {"microgrid","fromSlot","toSlot","rounds":[{"slot","hashes":[{"hash","have"}]}]}
 *
 * Slots are uint64 as decimal strings; hashes 32 bytes and signatures 65 bytes (r ‖ s ‖ v) of
 * 0x-prefixed hex. A vote is self-proving: the signer is recovered from the signature, so a vote
 * relayed by any node counts the same as one from its signer. A summary lists every round the
 * sender holds with slot in [fromSlot, toSlot], with a bitmap of the validators whose vote it holds
 * per hash (validator-set.ts); the receiver answers with the votes the sender lacks.
 */
import type { Hex } from 'viem';
import { z } from 'zod';

export const VOTES_TOPIC = 'cosign.votes';
export const SUMMARY_TOPIC = 'cosign.summary';

export const UINT64_MAX = 2n ** 64n - 1n;
/** Votes per message: ~250 bytes each, so a full message stays near 32 KiB. */
export const MAX_VOTES_PER_MESSAGE = 128;
/** Rounds per summary message. */
export const MAX_SUMMARY_ROUNDS_PER_MESSAGE = 128;
/** Hashes listed per round in a summary. */
export const MAX_SUMMARY_HASHES_PER_ROUND = 16;

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((s) => s.toLowerCase() as Hex);
const signature = z.string().regex(/^0x[0-9a-fA-F]{130}$/).transform((s) => s.toLowerCase() as Hex);
export const slotSchema = z.string().regex(/^(0|[1-9][0-9]{0,19})$/).transform(BigInt).refine((s) => s <= UINT64_MAX, 'slot above uint64');

export const voteSchema = z.strictObject({ slot: slotSchema, hash: bytes32, signature });
export type WireVote = z.infer<typeof voteSchema>;

export const votesBodySchema = z.strictObject({
  microgrid: bytes32,
  votes: z.array(voteSchema).min(1).max(MAX_VOTES_PER_MESSAGE),
});

export const summaryBodySchema = z.strictObject({
  microgrid: bytes32,
  fromSlot: slotSchema,
  toSlot: slotSchema,
  rounds: z.array(z.strictObject({
    slot: slotSchema,
    hashes: z.array(z.strictObject({ hash: bytes32, have: z.string().regex(/^([0-9a-f]{2}){1,8}$/) })).max(MAX_SUMMARY_HASHES_PER_ROUND),
  })).max(MAX_SUMMARY_ROUNDS_PER_MESSAGE),
});
export type SummaryBody = z.infer<typeof summaryBodySchema>;

/** A vote as JSON for the wire. */
export function voteJson(slot: bigint, hash: Hex, sig: Hex): { slot: string; hash: string; signature: string } {
  return { slot: slot.toString(), hash, signature: sig };
}
