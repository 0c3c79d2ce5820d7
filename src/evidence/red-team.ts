import type { CatalogSnapshot } from '../catalog/catalog-index';
import { invalid } from '../common/domain-errors';
import type { UploadEvidenceDto } from './dto/evidence.dto';
import { RED_TEAM_OUTCOMES, RedTeamOutcome } from './entities/evidence.entity';

export const ATLAS_FRAMEWORK = 'mitre-atlas';
const TECHNIQUE_LEVELS: ReadonlySet<string> = new Set(['technique', 'sub-technique']);

/** The ATLAS technique and sub-technique ids of a catalog snapshot, built once per snapshot (it changes only with a policy load). */
const techniquesBySnapshot = new WeakMap<CatalogSnapshot, Set<string>>();

export function atlasTechniqueIds(catalog: CatalogSnapshot): Set<string> {
  let ids = techniquesBySnapshot.get(catalog);
  if (!ids) {
    ids = new Set(
      catalog.requirements
        .filter((r) => r.frameworkKey === ATLAS_FRAMEWORK && !r.retiredAt && TECHNIQUE_LEVELS.has(r.level))
        .map((r) => r.ref),
    );
    techniquesBySnapshot.set(catalog, ids);
  }
  return ids;
}

/**
 * The red-team fields of an upload: a red_team_report names at least one ATLAS technique of the loaded catalog and
 * its outcome; any other kind names neither. Refused with 400 naming the field before anything is stored.
 */
export function redTeamFields(
  dto: Pick<UploadEvidenceDto, 'kind' | 'atlasTechniqueIds' | 'redTeamOutcome'>,
  catalog: CatalogSnapshot,
): { atlasTechniqueIds: string[] | null; redTeamOutcome: RedTeamOutcome | null } {
  const ids = [...new Set((dto.atlasTechniqueIds ?? []).map((id) => id.trim()))];
  if (dto.kind !== 'red_team_report') {
    if (ids.length > 0 || dto.redTeamOutcome) {
      throw invalid('atlasTechniqueIds and redTeamOutcome belong to evidence of kind red_team_report only', {
        field: ids.length ? 'atlasTechniqueIds' : 'redTeamOutcome',
      });
    }
    return { atlasTechniqueIds: null, redTeamOutcome: null };
  }
  if (ids.length === 0)
    throw invalid('A red_team_report names the MITRE ATLAS techniques it tested in atlasTechniqueIds', {
      field: 'atlasTechniqueIds',
    });
  const known = atlasTechniqueIds(catalog);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid(
      `atlasTechniqueIds: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a technique' : 'are not techniques'} of MITRE ATLAS ${catalog.frameworkByKey.get(ATLAS_FRAMEWORK)?.version ?? ''}`.trim(),
      {
        field: 'atlasTechniqueIds',
        unknownTechniques: unknown,
      },
    );
  }
  if (!dto.redTeamOutcome)
    throw invalid(`A red_team_report states its outcome in redTeamOutcome: one of ${RED_TEAM_OUTCOMES.join(', ')}`, {
      field: 'redTeamOutcome',
      allowed: RED_TEAM_OUTCOMES,
    });
  return { atlasTechniqueIds: ids.sort(), redTeamOutcome: dto.redTeamOutcome };
}
