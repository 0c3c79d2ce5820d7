/**
 * What a checkpoint's Ed25519 signature covers, byte for byte: a line naming the format, then the tree size, the
 * Merkle root (hex) and the time, each on its own line. scripts/verify-proof.mjs and README.txt of a bundle repeat it.
 */
export function checkpointText(checkpoint: { treeSize: number; rootHash: string; at: string }): string {
  return `workbench audit-log checkpoint v1\ntree_size ${checkpoint.treeSize}\nroot ${checkpoint.rootHash}\ntime ${checkpoint.at}\n`;
}

/** A signed checkpoint as the API and bundles show it. */
export interface CheckpointView {
  treeSize: number;
  rootHash: string;
  at: string;
  algorithm: 'Ed25519';
  keyFingerprint: string;
  /** base64 of the 64-byte Ed25519 signature over `signedText`. */
  signature: string;
  signedText: string;
}

export interface InclusionProofView {
  seq: number;
  /** seq - 1: leaves count from 0. */
  leafIndex: number;
  entryHash: string;
  treeSize: number;
  /** Sibling hashes (hex) from the leaf up, RFC 9162 2.1.3.1. */
  proof: string[];
  checkpoint: CheckpointView;
}
