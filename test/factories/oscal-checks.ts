import { OscalModel, oscalModelOf, validateOscal } from '../../src/oscal/oscal-schemas';

/** Fails naming the first schema problems when the document is not valid OSCAL 1.2.1 of the expected model. */
export function expectValidOscal(model: OscalModel, document: unknown): void {
  expect(oscalModelOf(document)).toBe(model);
  expect(validateOscal(document, 5).errors).toEqual([]);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function walk(value: unknown, visit: (key: string, field: unknown, path: string) => void, path = ''): void {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, visit, `${path}/${i}`));
  else if (value && typeof value === 'object')
    for (const [key, field] of Object.entries(value as Record<string, Json>)) {
      visit(key, field, `${path}/${key}`);
      walk(field, visit, `${path}/${key}`);
    }
}

/**
 * What JSON Schema does not check: every uuid reference (`*-uuid`, `*-uuids`, a link or rlink to `#uuid`) names a
 * uuid defined in the same document, every `role-id` a role of the metadata, and the uuids are unique. Returns the
 * problems by path (empty when the document holds together).
 */
export function unresolvedReferences(document: unknown): string[] {
  const defined = new Map<string, string>();
  const problems: string[] = [];
  const roles = new Set<string>();
  walk(document, (key, field, path) => {
    if (key === 'uuid' && typeof field === 'string') {
      if (defined.has(field)) problems.push(`${path}: uuid ${field} repeats ${defined.get(field)}`);
      defined.set(field, path);
    }
    if (key === 'roles' && Array.isArray(field)) for (const role of field as Array<{ id: string }>) roles.add(role.id);
  });
  walk(document, (key, field, path) => {
    const refs =
      key.endsWith('-uuid') && typeof field === 'string'
        ? [field]
        : key.endsWith('-uuids') && Array.isArray(field)
          ? (field as string[])
          : key === 'href' && typeof field === 'string' && field.startsWith('#')
            ? [field.slice(1)]
            : [];
    for (const ref of refs) if (!defined.has(ref)) problems.push(`${path}: ${ref} is not defined in the document`);
    if (key === 'role-id' && typeof field === 'string' && !roles.has(field))
      problems.push(`${path}: role ${field} is not a role of the metadata`);
  });
  return problems;
}

/** Every control id of an OSCAL catalog (groups are not controls). */
export function catalogIds(catalog: unknown): Set<string> {
  const ids = new Set<string>();
  walk((catalog as { catalog: unknown }).catalog, (key, field) => {
    if (key === 'controls' && Array.isArray(field))
      for (const node of field as Array<{ id?: string }>) if (node.id) ids.add(node.id);
  });
  return ids;
}

/** The `control-id`s of a document that are not controls of the referenced catalog. */
export function unknownControlIds(document: unknown, catalog: unknown): string[] {
  const ids = catalogIds(catalog);
  const unknown: string[] = [];
  walk(document, (key, field, path) => {
    if (key === 'control-id' && typeof field === 'string' && !ids.has(field)) unknown.push(`${path}: ${field}`);
  });
  return unknown;
}
