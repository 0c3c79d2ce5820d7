import type { CsvExportSpec } from '../common/csv';
import type { EvidenceResponseDto } from './dto/evidence-response.dto';

/** The evidence register of one system: a row per item with its hash, review and freshness. */
export const EVIDENCE_REGISTER_CSV: CsvExportSpec<EvidenceResponseDto[], EvidenceResponseDto> = {
  fileName: (request) => `evidence-${String(request.params.id).slice(0, 8)}`,
  rows: (body) => body,
  columns: [
    { header: 'id', value: (e) => e.id },
    { header: 'title', value: (e) => e.title },
    { header: 'kind', value: (e) => e.kind },
    { header: 'controls', value: (e) => e.controlCodes },
    { header: 'requirements', value: (e) => e.requirementRefs },
    { header: 'file', value: (e) => e.fileName },
    { header: 'sha256', value: (e) => e.sha256 },
    { header: 'size bytes', value: (e) => e.sizeBytes },
    { header: 'collected', value: (e) => e.collectedAt },
    { header: 'uploaded', value: (e) => e.uploadedAt },
    { header: 'uploaded by', value: (e) => e.uploadedBy },
    { header: 'valid until', value: (e) => e.validUntil },
    { header: 'review', value: (e) => e.reviewStatus },
    { header: 'reviewed by', value: (e) => e.reviewedBy },
    { header: 'review comment', value: (e) => e.reviewComment },
    { header: 'current', value: (e) => e.current },
    { header: 'stale reason', value: (e) => e.staleReason },
  ],
};
