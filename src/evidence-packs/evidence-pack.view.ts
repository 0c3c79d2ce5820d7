import { EvidencePackEntity } from './entities/evidence-pack.entity';

/** The API shape of a pack job; the manifest and the file location stay server-side. */
export function toPackView(pack: EvidencePackEntity) {
  return {
    id: pack.id,
    status: pack.status,
    systemId: pack.systemId,
    auditId: pack.auditId,
    frameworks: pack.frameworks,
    asOf: pack.asOf,
    requestedAt: pack.requestedAt,
    startedAt: pack.startedAt,
    finishedAt: pack.finishedAt,
    attempts: pack.attempts,
    error: pack.error,
    pdfSha256: pack.pdfSha256,
    pageCount: pack.pageCount,
    renderMs: pack.renderMs,
  };
}
