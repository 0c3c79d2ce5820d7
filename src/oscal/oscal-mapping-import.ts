import { DomainError, invalid } from '../common/domain-errors';
import type { FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import { WORKBENCH_NS } from './oscal-document';
import { requirementTokensByFramework } from './oscal-mapping-export';
import { oscalModelOf, validateOscal } from './oscal-schemas';

/** The OSCAL 1.2 mapping relationships (oscal_mapping-common metaschema, v1.2.1). */
export const MAPPING_RELATIONSHIPS = [
  'equivalent-to',
  'equal-to',
  'subset-of',
  'superset-of',
  'intersects-with',
  'no-relationship',
] as const;

/** Most maps one import takes; a bound on the rows one transaction writes (20 MB holds about 40,000 small maps). */
export const MAX_MAPS = 20_000;
/** Most source x target pairs, since a map with several of each stores one row per pair. */
export const MAX_PAIRS = 50_000;
/** How many unresolved ids or schema problems an answer lists. */
export const MAX_LISTED = 20;

export interface ImportedCrosswalkLink {
  fromFramework: string;
  fromRef: string;
  toFramework: string;
  toRef: string;
  relationship: string;
  strength: number | null;
  remarks: string;
  mapUuid: string;
}

export interface ImportedMappingCollection {
  uuid: string;
  title: string;
  method: string;
  matchingRationale: string;
  links: ImportedCrosswalkLink[];
}

interface Prop {
  name: string;
  value: string;
  ns?: string;
}
interface Item {
  type: string;
  'id-ref': string;
}
interface MapEntry {
  uuid: string;
  relationship: string;
  sources: Item[];
  targets: Item[];
  props?: Prop[];
  remarks?: string;
}
interface Resource {
  type: string;
  href: string;
}
interface Mapping {
  'source-resource': Resource;
  'target-resource': Resource;
  maps: MapEntry[];
}
interface Collection {
  uuid: string;
  metadata: { title: string };
  provenance: { method: string; 'matching-rationale': string };
  mappings: Mapping | Mapping[];
}

/** `/api/v1/frameworks/<key>/oscal`, relative or absolute, as the workbench's own exports write catalog hrefs. */
const OWN_CATALOG_HREF = /(?:^|\/)api\/v1\/frameworks\/([^/?#]+)\/oscal(?:[?#].*)?$/;

export interface MappingImportContext {
  frameworks: FrameworkEntity[];
  requirements: RequirementEntity[];
  /** Framework keys that stand for every source / target resource of the collection (for other tools' hrefs). */
  from?: string;
  to?: string;
}

/**
 * Reads an OSCAL 1.2 mapping collection into crosswalk links between two loaded catalogs. Checked against the 1.2.1
 * schema first (400 naming the JSON paths), then every resource must be a loaded framework (by the workbench's catalog
 * href or the from/to given) and every id-ref one of its requirements, by OSCAL token or by ref: else 400 listing the
 * first MAX_LISTED unresolved ids. Nothing is stored here.
 */
export function parseMappingCollection(document: unknown, context: MappingImportContext): ImportedMappingCollection {
  if (oscalModelOf(document) !== 'mapping-collection')
    throw invalid('The body is not an OSCAL mapping collection: its root key must be "mapping-collection"');
  const root = (document as { 'mapping-collection': { mappings?: unknown } })['mapping-collection'];
  const mapCount = (Array.isArray(root?.mappings) ? (root.mappings as unknown[]) : [root?.mappings]).reduce<number>(
    (n, m) => n + (Array.isArray((m as { maps?: unknown } | null)?.maps) ? (m as { maps: unknown[] }).maps.length : 0),
    0,
  );
  if (mapCount > MAX_MAPS)
    throw new DomainError('too_large', `The OSCAL mapping collection is too large: more than ${MAX_MAPS} maps`);
  const { errors } = validateOscal(document, MAX_LISTED, false);
  if (errors.length)
    throw invalid(`The OSCAL mapping collection is not valid: ${errors[0].path} ${errors[0].message}`, { errors });

  const collection = (document as { 'mapping-collection': Collection })['mapping-collection'];
  const mappings = Array.isArray(collection.mappings) ? collection.mappings : [collection.mappings];
  const loaded = new Set(context.frameworks.map((f) => f.key));
  const tokens = requirementTokensByFramework(context.requirements);
  const refsByFramework = new Map<string, Map<string, string>>();
  for (const [key, byRef] of tokens) {
    const lookup = new Map<string, string>();
    for (const [ref, token] of byRef) lookup.set(token, ref);
    // A ref also resolves as itself, unless it is some other requirement's token.
    for (const ref of byRef.keys()) if (!lookup.has(ref)) lookup.set(ref, ref);
    refsByFramework.set(key, lookup);
  }
  const unresolved: string[] = [];
  const note = (problem: string) => {
    if (unresolved.length < MAX_LISTED) unresolved.push(problem);
  };
  const frameworkOf = (resource: Resource, given: string | undefined, path: string): string | null => {
    const key = given ?? OWN_CATALOG_HREF.exec(resource.href)?.[1];
    const decoded = key === undefined ? undefined : safeDecode(key);
    if (resource.type !== 'catalog') note(`${path}/type: ${resource.type} (only catalogs can be mapped)`);
    else if (decoded && loaded.has(decoded)) return decoded;
    else
      note(
        `${path}/href: ${resource.href} is not a loaded framework catalog${given ? ` (given ${given})` : ' (pass ?from= and ?to=)'}`,
      );
    return null;
  };

  const links: ImportedCrosswalkLink[] = [];
  mappings.forEach((mapping, m) => {
    const base = `/mapping-collection/mappings${Array.isArray(collection.mappings) ? `/${m}` : ''}`;
    const from = frameworkOf(mapping['source-resource'], context.from, `${base}/source-resource`);
    const to = frameworkOf(mapping['target-resource'], context.to, `${base}/target-resource`);
    if (from && from === to) note(`${base}: source and target are both ${from}`);
    mapping.maps.forEach((entry, i) => {
      const path = `${base}/maps/${i}`;
      if (!(MAPPING_RELATIONSHIPS as readonly string[]).includes(entry.relationship))
        note(`${path}/relationship: ${entry.relationship} (one of ${MAPPING_RELATIONSHIPS.join(', ')})`);
      const resolve = (items: Item[], key: string | null, side: 'sources' | 'targets') =>
        items.map((item, j) => {
          const ref = key ? refsByFramework.get(key)?.get(item['id-ref']) : undefined;
          if (key && (item.type !== 'control' || !ref)) note(`${path}/${side}/${j}: ${item['id-ref']} not in ${key}`);
          return ref;
        });
      const sources = resolve(entry.sources, from, 'sources');
      const targets = resolve(entry.targets, to, 'targets');
      if (!from || !to || unresolved.length) return;
      const strength = strengthOf(entry.props);
      for (const fromRef of sources)
        for (const toRef of targets) {
          links.push({
            fromFramework: from,
            fromRef: fromRef!,
            toFramework: to,
            toRef: toRef!,
            relationship: entry.relationship,
            strength,
            remarks: entry.remarks ?? '',
            mapUuid: entry.uuid,
          });
          if (links.length > MAX_PAIRS)
            throw new DomainError(
              'too_large',
              `The OSCAL mapping collection is too large: more than ${MAX_PAIRS} source-target pairs`,
            );
        }
    });
  });
  if (unresolved.length)
    throw invalid(
      `The OSCAL mapping collection names ids that do not resolve in the loaded catalogs: ${unresolved.slice(0, 5).join('; ')}`,
      { unresolved },
    );
  if (!links.length) throw invalid('The OSCAL mapping collection has no maps');
  return {
    uuid: collection.uuid,
    title: collection.metadata.title.slice(0, 300),
    method: collection.provenance.method,
    matchingRationale: collection.provenance['matching-rationale'],
    links,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The workbench's strength prop (1-10) when present and sound, else null. */
function strengthOf(props: Prop[] | undefined): number | null {
  const value = props?.find((p) => p.name === 'strength' && p.ns === WORKBENCH_NS)?.value;
  const strength = value === undefined ? NaN : Number(value);
  return Number.isInteger(strength) && strength >= 1 && strength <= 10 ? strength : null;
}
