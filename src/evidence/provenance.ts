import type { EvidenceProvenanceDto } from './dto/provenance.dto';
import { EvidenceProvenance, PROVENANCE_FIELDS } from './entities/evidence.entity';

/** The provenance fields that were sent, trimmed, in a fixed order; null when none was. */
export function storedProvenance(dto: EvidenceProvenanceDto | undefined): EvidenceProvenance | null {
  if (!dto) return null;
  const stored: EvidenceProvenance = {};
  for (const field of PROVENANCE_FIELDS) {
    const value = dto[field]?.trim();
    if (value) stored[field] = field === 'commitSha' ? value.toLowerCase() : value;
  }
  return Object.keys(stored).length ? stored : null;
}
