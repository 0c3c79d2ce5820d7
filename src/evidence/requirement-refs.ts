import type { CatalogSnapshot } from '../catalog/catalog-index';
import type { RequirementEntity } from '../catalog/entities/catalog.entities';
import { invalid } from '../common/domain-errors';

/** How an evidence item names a requirement in the API: `framework:ref`, e.g. `hipaa-security:164.312(b)`. */
export function requirementRef(requirement: Pick<RequirementEntity, 'frameworkKey' | 'ref'>): string {
  return `${requirement.frameworkKey}:${requirement.ref}`;
}

/**
 * Resolves the requirements an upload names to requirement ids. Each must be a leaf requirement that one of the
 * evidence's controls maps to: evidence counts for a requirement only through a control, so naming one that no
 * linked control maps would count for nothing. A bare ref is accepted where exactly one requirement of those
 * controls has it. Every problem is reported at once, as a 400 with the offending refs in details.
 */
export function resolveRequirementRefs(raw: string[], controlCodes: string[], catalog: CatalogSnapshot): string[] {
  const mapped = new Map<string, RequirementEntity>();
  for (const code of controlCodes) {
    for (const m of catalog.mappingsByControl.get(code) ?? []) {
      const requirement = catalog.requirementById.get(m.requirementId);
      if (requirement) mapped.set(requirement.id, requirement);
    }
  }
  const unknown: string[] = [];
  const notLeaf: string[] = [];
  const unmapped: string[] = [];
  const ambiguous: string[] = [];
  const ids = new Set<string>();
  for (const entry of [...new Set(raw.map((r) => r.trim()))]) {
    const colon = entry.indexOf(':');
    const framework = colon > 0 ? entry.slice(0, colon) : null;
    if (framework && catalog.frameworkByKey.has(framework)) {
      const ref = entry.slice(colon + 1).trim();
      const requirement = catalog.requirements.find((r) => r.frameworkKey === framework && r.ref === ref);
      if (!requirement) unknown.push(entry);
      else if (!requirement.isLeaf) notLeaf.push(entry);
      else if (!mapped.has(requirement.id)) unmapped.push(entry);
      else ids.add(requirement.id);
      continue;
    }
    const candidates = [...mapped.values()].filter((r) => r.ref === entry);
    if (candidates.length === 1) ids.add(candidates[0].id);
    else if (candidates.length > 1) ambiguous.push(`${entry} (${candidates.map(requirementRef).join(' or ')})`);
    else {
      const anywhere = catalog.requirements.filter((r) => r.ref === entry);
      if (anywhere.length === 0) unknown.push(entry);
      else if (anywhere.every((r) => !r.isLeaf)) notLeaf.push(entry);
      else unmapped.push(entry);
    }
  }
  const problems = [
    unknown.length ? `unknown requirements: ${unknown.join(', ')}` : '',
    notLeaf.length ? `not leaf requirements (name their leaves): ${notLeaf.join(', ')}` : '',
    unmapped.length
      ? `not mapped by any of the controls this evidence supports (${controlCodes.join(', ')}): ${unmapped.join(', ')}`
      : '',
    ambiguous.length ? `ambiguous, name the framework as framework:ref: ${ambiguous.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw invalid(`requirementRefs: ${problems.join('; ')}`, {
      unknownRequirements: unknown,
      notLeafRequirements: notLeaf,
      unmappedRequirements: unmapped,
      ambiguousRequirements: ambiguous,
    });
  }
  return [...ids].sort();
}
