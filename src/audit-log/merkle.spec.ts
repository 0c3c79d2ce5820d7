import { createHash } from 'node:crypto';
import { EMPTY_ROOT, leafHash, MerkleFrontier, MerkleTree, nodeHash, rootFromInclusionProof } from './merkle';

const hashes = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash('sha256').update(`entry ${i}`).digest('hex'));

/** RFC 9162 2.1.1 and 2.1.3.1 written out literally: the split at the largest power of two below n. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(leaves: string[]): Buffer {
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: string[]): string[] {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k)).toString('hex')]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k)).toString('hex')];
}

describe('RFC 9162 Merkle tree over entry hashes', () => {
  it('has the SHA-256 of nothing as the root of the empty tree', () => {
    expect(new MerkleTree([]).root()).toBe(EMPTY_ROOT);
    expect(MerkleFrontier.empty().root()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('computes the RFC root and audit paths for every size up to 33, from the tree and from the frontier', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = hashes(n);
      const expected = mth(leaves).toString('hex');
      const tree = new MerkleTree(leaves);
      const frontier = MerkleFrontier.empty();
      leaves.forEach((leaf) => frontier.append(leaf));
      expect([n, tree.root(), frontier.root()]).toEqual([n, expected, expected]);
      for (let m = 0; m < n; m++) {
        expect(tree.inclusionProof(m)).toEqual(path(m, leaves));
        expect(rootFromInclusionProof(leaves[m], m, n, tree.inclusionProof(m))).toBe(expected);
      }
    }
  });

  it('continues a stored frontier exactly as a tree built from scratch', () => {
    const leaves = hashes(45);
    const first = MerkleFrontier.empty();
    leaves.slice(0, 21).forEach((leaf) => first.append(leaf));
    const resumed = MerkleFrontier.restore(21, first.peaksHex());
    leaves.slice(21).forEach((leaf) => resumed.append(leaf));
    expect(resumed.root()).toBe(new MerkleTree(leaves).root());
    expect(() => MerkleFrontier.restore(21, first.peaksHex().slice(1))).toThrow('has 3 peaks');
  });

  it('rejects a proof with a changed sibling, a wrong index, a wrong size or a wrong entry', () => {
    const leaves = hashes(13);
    const tree = new MerkleTree(leaves);
    const proof = tree.inclusionProof(6);
    const root = tree.root();
    const flipped = [...proof];
    flipped[1] = flipped[1].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(rootFromInclusionProof(leaves[6], 6, 13, flipped)).not.toBe(root);
    expect(rootFromInclusionProof(leaves[6], 7, 13, proof)).not.toBe(root);
    expect(rootFromInclusionProof(leaves[6], 6, 8, proof)).toBeNull();
    expect(rootFromInclusionProof(leaves[5], 6, 13, proof)).not.toBe(root);
    expect(rootFromInclusionProof(leaves[6], 13, 13, proof)).toBeNull();
    expect(rootFromInclusionProof(leaves[6], 6, 13, [...proof, proof[0]])).toBeNull();
  });
});
