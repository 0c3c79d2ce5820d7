import { canonicalJson, sha256Hex } from '../common/canonical-json';
import { PackEvidence } from './pack-model';

export const BUNDLE_PDF_PATH = 'pack.pdf';
export const BUNDLE_MANIFEST_PATH = 'manifest.json';

export interface ManifestFile {
  path: string;
  /** Set for evidence files; documents rendered with the pack carry `document` instead. */
  evidenceId?: string;
  document?: 'oscal-assessment-results';
  systemId?: string;
  sha256: string;
  sizeBytes: number;
}

/** What a bundle's manifest.json holds; packHash lets an auditor check the manifest itself offline. */
export interface PackManifest {
  packId: string;
  generatedAt: string;
  asOf: string;
  pdf: { path: string; sha256: string };
  files: ManifestFile[];
  packHash: string;
}

/** Evidence file names come from uploaders: keep them readable but safe as a single zip path segment. */
export function bundleEvidencePath(sha256: string, fileName: string): string {
  const safe =
    fileName
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 120) || 'file';
  return `evidence/${sha256}-${safe}`;
}

export function packHashOf(manifest: Omit<PackManifest, 'packHash'>): string {
  return sha256Hex(canonicalJson(manifest));
}

export function buildManifest(
  pack: { packId: string; generatedAt: string; asOf: string; pdfSha256: string },
  evidence: PackEvidence[],
  documents: ManifestFile[] = [],
): PackManifest {
  // The same content under two evidence ids is one file in the store; each id still gets its own entry.
  const files = [
    ...evidence.map((e) => ({
      path: bundleEvidencePath(e.sha256, e.fileName),
      evidenceId: e.id,
      sha256: e.sha256,
      sizeBytes: e.sizeBytes,
    })),
    ...documents,
  ].sort((a, b) => a.path.localeCompare(b.path) || (a.evidenceId ?? '').localeCompare(b.evidenceId ?? ''));
  const body = {
    packId: pack.packId,
    generatedAt: pack.generatedAt,
    asOf: pack.asOf,
    pdf: { path: BUNDLE_PDF_PATH, sha256: pack.pdfSha256 },
    files,
  };
  return { ...body, packHash: packHashOf(body) };
}
