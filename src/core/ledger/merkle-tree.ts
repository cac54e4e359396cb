/**
 * Merkle commitments to the signed readings, orders and trades of one slot (docs/ledger.md).
 *
 * Rules (RFC 6962 §2.1, with SHA-256):
 * - leaf hash  = SHA-256(0x00 ‖ leaf bytes)
 * - node hash  = SHA-256(0x01 ‖ left ‖ right)
 * - the tree is built level by level from the leaf hashes in insertion order; pairs (0,1), (2,3), …
 *   are hashed into the next level and an unpaired last node is promoted unchanged. This gives
 *   exactly RFC 6962's Merkle Tree Hash (which splits at the largest power of two below n).
 * - the root of an empty tree is SHA-256 of the empty string; the root of one leaf is its leaf hash.
 * The 0x00/0x01 prefixes keep a leaf from being passed off as an inner node (second preimage).
 *
 * A proof lists the sibling hashes from the leaf level up, skipping levels where the node is
 * promoted; with the index and the leaf count it fixes every left/right choice, so `verifyProof`
 * needs nothing but the leaf bytes, the proof and the root.
 */
import { hash } from 'node:crypto';
import type { Hex } from 'viem';
import { LedgerError } from './ledger-errors.js';

export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
const HASH_BYTES = 32;

/** Default bound on the leaves of one tree (one slot of one microgrid). */
export const MAX_MERKLE_LEAVES = 1 << 20;

export interface MerkleProof {
  /** Position of the leaf, 0-based, in insertion order. */
  readonly index: number;
  /** Number of leaves in the tree the proof was taken from. */
  readonly leafCount: number;
  /** Sibling hashes from the leaf level upwards (0x-prefixed, 32 bytes each). */
  readonly siblings: readonly Hex[];
}

/** SHA-256 of the empty string: the root of a tree without leaves. */
export const EMPTY_ROOT: Hex = toHex(hash('sha256', Buffer.alloc(0), 'buffer'));

export class MerkleTree {
  private hashes: Buffer = Buffer.allocUnsafe(64 * HASH_BYTES);
  private count = 0;
  private levels: Buffer[] | undefined;
  private scratch: Buffer = Buffer.allocUnsafe(1 + 1024);

  constructor(readonly maxLeaves: number = MAX_MERKLE_LEAVES) {}

  /** A tree of the given leaves, in order. */
  static from(leaves: Iterable<Uint8Array>, maxLeaves?: number): MerkleTree {
    const tree = new MerkleTree(maxLeaves);
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf; returns its index. */
  append(leaf: Uint8Array): number {
    if (this.count >= this.maxLeaves) {
      throw new LedgerError(`too many Merkle leaves: at most ${this.maxLeaves} in one tree`);
    }
    if (this.hashes.length < (this.count + 1) * HASH_BYTES) {
      const grown = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(grown, 0, 0, this.count * HASH_BYTES);
      this.hashes = grown;
    }
    if (this.scratch.length < leaf.length + 1) this.scratch = Buffer.allocUnsafe(2 * leaf.length + 1);
    this.scratch[0] = LEAF_PREFIX;
    this.scratch.set(leaf, 1);
    hash('sha256', this.scratch.subarray(0, leaf.length + 1), 'buffer').copy(this.hashes, this.count * HASH_BYTES);
    this.levels = undefined;
    return this.count++;
  }

  leafHash(index: number): Hex {
    this.checkIndex(index);
    return toHex(this.hashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES));
  }

  root(): Hex {
    if (this.count === 0) return EMPTY_ROOT;
    const levels = this.buildLevels();
    return toHex(levels[levels.length - 1] as Buffer);
  }

  proof(index: number): MerkleProof {
    this.checkIndex(index);
    const siblings: Hex[] = [];
    const levels = this.buildLevels();
    let i = index;
    for (let k = 0; k < levels.length - 1; k++) {
      const level = levels[k] as Buffer;
      const size = level.length / HASH_BYTES;
      const sibling = i % 2 === 1 ? i - 1 : i + 1 < size ? i + 1 : -1;
      if (sibling >= 0) siblings.push(toHex(level.subarray(sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES)));
      i = Math.floor(i / 2);
    }
    return { index, leafCount: this.count, siblings };
  }

  private checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) {
      throw new LedgerError(`no Merkle leaf ${index}: the tree has ${this.count} leaves`);
    }
  }

  /** All levels, leaf hashes first, root last; computed once and kept until the next append. */
  private buildLevels(): Buffer[] {
    if (this.levels !== undefined) return this.levels;
    let level = this.hashes.subarray(0, this.count * HASH_BYTES);
    const levels = [level];
    const pair = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
    pair[0] = NODE_PREFIX;
    while (level.length > HASH_BYTES) {
      const size = level.length / HASH_BYTES;
      const next = Buffer.allocUnsafe(Math.ceil(size / 2) * HASH_BYTES);
      for (let i = 0; i + 1 < size; i += 2) {
        level.copy(pair, 1, i * HASH_BYTES, (i + 2) * HASH_BYTES);
        hash('sha256', pair, 'buffer').copy(next, (i / 2) * HASH_BYTES);
      }
      if (size % 2 === 1) level.copy(next, next.length - HASH_BYTES, (size - 1) * HASH_BYTES);
      levels.push(next);
      level = next;
    }
    this.levels = levels;
    return levels;
  }
}

/** The root of the given leaves, in order. */
export function merkleRoot(leaves: Iterable<Uint8Array>, maxLeaves?: number): Hex {
  return MerkleTree.from(leaves, maxLeaves).root();
}

/**
 * Whether `leaf` is the leaf at `proof.index` of a tree of `proof.leafCount` leaves with this root.
 * Pure and self-contained (SHA-256 only). Malformed input (a bad index, a sibling that is not 32
 * bytes of hex, too few or too many siblings) gives false, never an exception.
 */
export function verifyProof(leaf: Uint8Array, proof: MerkleProof, root: Hex): boolean {
  const { index, leafCount, siblings } = proof;
  if (!Number.isSafeInteger(leafCount) || !Number.isSafeInteger(index) || index < 0 || index >= leafCount) return false;
  if (!Array.isArray(siblings) || !isHash(root)) return false;
  let node = hash('sha256', Buffer.concat([Buffer.of(LEAF_PREFIX), leaf]), 'buffer');
  let i = index;
  let size = leafCount;
  let used = 0;
  while (size > 1) {
    const hasSibling = i % 2 === 1 || i + 1 < size;
    if (hasSibling) {
      const sibling = siblings[used++];
      if (sibling === undefined || !isHash(sibling)) return false;
      const s = Buffer.from(sibling.slice(2), 'hex');
      const pair = i % 2 === 1 ? [s, node] : [node, s];
      node = hash('sha256', Buffer.concat([Buffer.of(NODE_PREFIX), ...pair]), 'buffer');
    }
    i = Math.floor(i / 2);
    size = Math.ceil(size / 2);
  }
  return used === siblings.length && toHex(node) === root.toLowerCase();
}

function isHash(value: unknown): value is Hex {
  return typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value);
}

function toHex(bytes: Buffer): Hex {
  return `0x${bytes.toString('hex')}`;
}
