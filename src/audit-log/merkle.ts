import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2), section 2.1, over the audit-log entry hashes in seq
 * order: leaf = SHA-256(0x00 || entry hash bytes), node = SHA-256(0x01 || left || right), and a tree of n leaves
 * splits at the largest power of two below n. Promoting a level's unpaired last node unchanged builds the same tree.
 */
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export const EMPTY_ROOT = createHash('sha256').digest('hex');

export function leafHash(entryHashHex: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(entryHashHex, 'hex')).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest first (one per set bit of the size). Enough to
 * extend the tree by more leaves and to compute its root, so a checkpoint stores it and the next one starts from it
 * instead of rehashing the whole log.
 */
export class MerkleFrontier {
  private constructor(
    private size: number,
    private readonly peaks: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** The peaks as a checkpoint stored them; their count must be the number of set bits of the size. */
  static restore(size: number, peaksHex: string[]): MerkleFrontier {
    const bits = size.toString(2).replace(/0/g, '').length;
    if (peaksHex.length !== bits) throw new Error(`a tree of ${size} leaves has ${bits} peaks, not ${peaksHex.length}`);
    return new MerkleFrontier(
      size,
      peaksHex.map((hex) => Buffer.from(hex, 'hex')),
    );
  }

  get treeSize(): number {
    return this.size;
  }

  append(entryHashHex: string): void {
    let hash = leafHash(entryHashHex);
    // Each trailing 1 bit of the old size is a peak of the same height as the new one: they merge.
    for (let n = this.size; n & 1; n >>= 1) hash = nodeHash(this.peaks.pop()!, hash);
    this.peaks.push(hash);
    this.size++;
  }

  root(): string {
    if (this.peaks.length === 0) return EMPTY_ROOT;
    let root = this.peaks[this.peaks.length - 1];
    for (let i = this.peaks.length - 2; i >= 0; i--) root = nodeHash(this.peaks[i], root);
    return root.toString('hex');
  }

  peaksHex(): string[] {
    return this.peaks.map((peak) => peak.toString('hex'));
  }
}

/** Every level of a tree held in memory (32 bytes a node), to answer inclusion proofs for any of its leaves. */
export class MerkleTree {
  private readonly levels: Buffer[];

  constructor(entryHashesHex: string[]) {
    const leaves = Buffer.alloc(entryHashesHex.length * 32);
    entryHashesHex.forEach((hex, i) => leafHash(hex).copy(leaves, i * 32));
    this.levels = [leaves];
    for (let level = leaves; level.length > 32;) {
      const count = level.length / 32;
      const next = Buffer.alloc(Math.ceil(count / 2) * 32);
      for (let i = 0; i + 1 < count; i += 2)
        nodeHash(level.subarray(i * 32, i * 32 + 32), level.subarray(i * 32 + 32, i * 32 + 64)).copy(next, i * 16);
      if (count % 2 === 1) level.copy(next, next.length - 32, level.length - 32);
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0].length / 32;
  }

  root(): string {
    return this.size === 0 ? EMPTY_ROOT : this.levels[this.levels.length - 1].toString('hex');
  }

  /** The audit path of RFC 9162 2.1.3.1, leaf's sibling first; an unpaired node has no sibling at its level. */
  inclusionProof(leafIndex: number): string[] {
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size)
      throw new RangeError(`leaf ${leafIndex} is outside a tree of ${this.size}`);
    const path: string[] = [];
    let index = leafIndex;
    for (const level of this.levels.slice(0, -1)) {
      const sibling = index ^ 1;
      if (sibling * 32 < level.length) path.push(level.subarray(sibling * 32, sibling * 32 + 32).toString('hex'));
      index >>= 1;
    }
    return path;
  }
}

/** RFC 9162 2.1.3.2: recomputes the root from a leaf's entry hash and its audit path. */
export function rootFromInclusionProof(
  entryHashHex: string,
  leafIndex: number,
  treeSize: number,
  path: string[],
): string | null {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash(entryHashHex);
  for (const hex of path) {
    if (sn === 0) return null;
    const p = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r.toString('hex') : null;
}
