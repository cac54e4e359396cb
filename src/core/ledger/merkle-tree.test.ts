import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { LedgerError } from './ledger-errors.js';
import { EMPTY_ROOT, MerkleTree, merkleRoot, verifyProof, type MerkleProof } from './merkle-tree.js';

/** RFC 6962 §2.1 Merkle Tree Hash, written recursively as in the RFC (split at the largest power of two < n). */
function rfc6962Root(leaves: readonly Uint8Array[]): Hex {
  const h = (...parts: Uint8Array[]): Buffer => parts.reduce((acc, p) => acc.update(p), createHash('sha256')).digest();
  const mth = (d: readonly Uint8Array[]): Buffer => {
    if (d.length === 0) return h();
    if (d.length === 1) return h(Uint8Array.of(0), d[0] as Uint8Array);
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return h(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
  };
  return `0x${mth(leaves).toString('hex')}`;
}

const bytes = (hex: string): Uint8Array => Buffer.from(hex, 'hex');
const flip = (hex: Hex, nibble: number): Hex => {
  const i = 2 + (nibble % 64);
  const c = hex[i] === '0' ? '1' : '0';
  return `${hex.slice(0, i)}${c}${hex.slice(i + 1)}` as Hex;
};

/** Distinct leaves, so that a proof for one leaf can never legitimately verify another. */
const leafLists = fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 40 }), {
  minLength: 1, maxLength: 70, selector: (b) => Buffer.from(b).toString('hex'),
});
const withIndex = leafLists.chain((leaves) => fc.tuple(fc.constant(leaves), fc.nat({ max: leaves.length - 1 })));

describe('MerkleTree', () => {
  it('gives SHA-256 of the empty string as the root of an empty tree', () => {
    expect(new MerkleTree().root()).toBe('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT).toBe(new MerkleTree().root());
  });

  it('matches the RFC 6962 test vectors of Certificate Transparency', () => {
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(bytes);
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    roots.forEach((root, k) => expect(merkleRoot(inputs.slice(0, k + 1))).toBe(`0x${root}`));
  });

  it('matches the worked example of docs/ledger.md', () => {
    const tree = MerkleTree.from(['a', 'b', 'c'].map((c) => Buffer.from(c)));
    expect(tree.leafHash(0)).toBe('0x022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c');
    expect(tree.root()).toBe('0x36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1');
    expect(tree.proof(2)).toEqual({ index: 2, leafCount: 3, siblings: ['0xb137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb'] });
  });

  it('computes the RFC 6962 Merkle Tree Hash for any number of leaves', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 24 }), { maxLength: 80 }), (leaves) => {
      expect(merkleRoot(leaves)).toBe(rfc6962Root(leaves));
    }));
  });

  it('keeps the root up to date as leaves are appended', () => {
    const tree = new MerkleTree();
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      leaves.push(Uint8Array.of(i, i * 7));
      expect(tree.append(leaves[i] as Uint8Array)).toBe(i);
      expect(tree.root()).toBe(rfc6962Root(leaves));
    }
    expect(tree.size).toBe(20);
  });

  it('grows past its initial buffer and handles large leaves', () => {
    const leaves = Array.from({ length: 1_000 }, (_, i) => Buffer.alloc(i === 500 ? 5_000 : 113, i % 251));
    const tree = MerkleTree.from(leaves);
    expect(tree.root()).toBe(rfc6962Root(leaves));
    expect(verifyProof(leaves[500] as Uint8Array, tree.proof(500), tree.root())).toBe(true);
  });

  it('proves every leaf (property)', () => {
    fc.assert(fc.property(leafLists, (leaves) => {
      const tree = MerkleTree.from(leaves);
      const root = tree.root();
      leaves.forEach((leaf, i) => expect(verifyProof(leaf, tree.proof(i), root)).toBe(true));
    }));
  });

  it('rejects a proof for a changed leaf (property)', () => {
    fc.assert(fc.property(withIndex, fc.uint8Array({ maxLength: 40 }), ([leaves, i], other) => {
      fc.pre(Buffer.compare(Buffer.from(other), Buffer.from(leaves[i] as Uint8Array)) !== 0);
      const tree = MerkleTree.from(leaves);
      expect(verifyProof(other, tree.proof(i), tree.root())).toBe(false);
    }));
  });

  it('rejects a proof with a changed, missing or extra sibling (property)', () => {
    fc.assert(fc.property(withIndex, fc.nat(), fc.nat(), ([leaves, i], pick, nibble) => {
      const tree = MerkleTree.from(leaves);
      const proof = tree.proof(i);
      const root = tree.root();
      const leaf = leaves[i] as Uint8Array;
      const extra: MerkleProof = { ...proof, siblings: [...proof.siblings, root] };
      expect(verifyProof(leaf, extra, root)).toBe(false);
      if (proof.siblings.length === 0) return;
      const k = pick % proof.siblings.length;
      const changed = proof.siblings.map((s, j) => (j === k ? flip(s, nibble) : s));
      expect(verifyProof(leaf, { ...proof, siblings: changed }, root)).toBe(false);
      expect(verifyProof(leaf, { ...proof, siblings: proof.siblings.slice(0, -1) }, root)).toBe(false);
    }));
  });

  it('rejects a proof with a wrong index (property)', () => {
    fc.assert(fc.property(withIndex, fc.nat({ max: 200 }), ([leaves, i], j) => {
      fc.pre(j !== i);
      const tree = MerkleTree.from(leaves);
      expect(verifyProof(leaves[i] as Uint8Array, { ...tree.proof(i), index: j }, tree.root())).toBe(false);
    }));
  });

  it('accepts a wrong leaf count only when it gives the same left/right path (property)', () => {
    // The root commits to the leaves; the count only tells the verifier the path's shape. A count
    // with the same shape (e.g. leaf 0 of 3 or of 4 leaves) proves the same thing: this leaf is at
    // this index under this root.
    const shape = (index: number, count: number): string => {
      let s = '';
      for (let i = index, n = count; n > 1; i = Math.floor(i / 2), n = Math.ceil(n / 2)) s += i % 2 === 1 ? 'L' : i + 1 < n ? 'R' : 'P';
      return s.replaceAll('P', '');
    };
    fc.assert(fc.property(withIndex, fc.integer({ min: -3, max: 200 }), ([leaves, i], n) => {
      fc.pre(n !== leaves.length);
      const tree = MerkleTree.from(leaves);
      const ok = verifyProof(leaves[i] as Uint8Array, { ...tree.proof(i), leafCount: n }, tree.root());
      expect(ok).toBe(i < n && shape(i, n) === shape(i, leaves.length));
    }));
  });

  it('rejects a proof against a wrong root (property)', () => {
    fc.assert(fc.property(withIndex, fc.nat(), ([leaves, i], nibble) => {
      const tree = MerkleTree.from(leaves);
      expect(verifyProof(leaves[i] as Uint8Array, tree.proof(i), flip(tree.root(), nibble))).toBe(false);
    }));
  });

  it('accepts a root written in upper-case hex', () => {
    const tree = MerkleTree.from([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    const upper = `0x${tree.root().slice(2).toUpperCase()}` as Hex;
    expect(verifyProof(Uint8Array.of(3), tree.proof(2), upper)).toBe(true);
  });

  it('gives false, not an exception, for malformed proofs', () => {
    const tree = MerkleTree.from([Uint8Array.of(1), Uint8Array.of(2)]);
    const proof = tree.proof(0);
    const root = tree.root();
    expect(verifyProof(Uint8Array.of(1), { ...proof, index: 1.5 }, root)).toBe(false);
    expect(verifyProof(Uint8Array.of(1), { ...proof, index: -1 }, root)).toBe(false);
    expect(verifyProof(Uint8Array.of(1), { ...proof, siblings: ['0x12'] }, root)).toBe(false);
    expect(verifyProof(Uint8Array.of(1), proof, '0x1234')).toBe(false);
  });

  it('error: no proof for a leaf that does not exist', () => {
    const tree = MerkleTree.from([Uint8Array.of(1)]);
    expect(() => tree.proof(1)).toThrow(LedgerError);
    expect(() => tree.proof(-1)).toThrow(/no Merkle leaf -1/);
    expect(() => new MerkleTree().proof(0)).toThrow(LedgerError);
  });

  it('error: refuses more leaves than its limit', () => {
    const tree = new MerkleTree(2);
    tree.append(Uint8Array.of(1));
    tree.append(Uint8Array.of(2));
    expect(() => tree.append(Uint8Array.of(3))).toThrow(/at most 2/);
  });
});
