import type { MappingRow } from '../catalog/catalog.repository';
import type { ControlEntity, FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import { compact, metadata, OscalProp, prop } from './oscal-document';
import { oscalToken, oscalTokens, uuidV5 } from './oscal-ids';
import { appendTo } from '../common/multimap';

/** Where a framework's OSCAL catalog is served; mapping links and control implementations point here. */
export const frameworkCatalogHref = (key: string) => `/api/v1/frameworks/${encodeURIComponent(key)}/oscal`;
export const CONTROL_LIBRARY_HREF = '/api/v1/oscal/control-library';

interface CatalogNode {
  id: string;
  title: string;
  props: OscalProp[];
  parts: Array<{ name: string; prose: string }>;
  groups?: CatalogNode[];
  controls?: CatalogNode[];
}

function requirementProps(requirement: RequirementEntity): OscalProp[] {
  return [
    ...prop('label', requirement.ref, { ns: null }),
    ...prop('level', requirement.level),
    ...Object.entries(requirement.attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([name, value]) => prop(oscalToken(name), value, { class: 'attribute' })),
  ];
}

/**
 * A framework as an OSCAL catalog: leaf requirements become controls, requirements with children groups. OSCAL 1.2's
 * JSON schema lets a group hold groups or controls but not both, so where a requirement has leaf and non-leaf children
 * the non-leaf ones become controls with sub-controls (their whole subtree as controls), which the import reads back
 * as parents. Ids are tokens derived from the refs; each keeps its ref in a `label` prop.
 */
export function frameworkCatalog(framework: FrameworkEntity, requirements: RequirementEntity[]) {
  const tokens = oscalTokens(requirements.map((r) => r.ref));
  const byRef = new Map(requirements.map((r) => [r.ref, r]));
  const children = new Map<string | null, RequirementEntity[]>();
  for (const requirement of requirements) {
    const parent = requirement.parentRef && byRef.has(requirement.parentRef) ? requirement.parentRef : null;
    appendTo(children, parent, requirement);
  }
  const node = (requirement: RequirementEntity): CatalogNode => ({
    id: tokens.get(requirement.ref)!,
    title: requirement.title,
    props: requirementProps(requirement),
    parts: requirement.description
      ? [{ name: requirement.isLeaf ? 'statement' : 'overview', prose: requirement.description }]
      : [],
  });
  const asControl = (requirement: RequirementEntity): CatalogNode => ({
    ...node(requirement),
    controls: (children.get(requirement.ref) ?? []).map(asControl),
  });
  const nested = (kids: RequirementEntity[]) => {
    const hasLeaf = kids.some((k) => k.isLeaf);
    return {
      groups: hasLeaf ? [] : kids.map(asGroup),
      controls: hasLeaf ? kids.map((k) => (k.isLeaf ? node(k) : asControl(k))) : [],
    };
  };
  const asGroup = (requirement: RequirementEntity): CatalogNode => {
    const { groups, controls } = nested(children.get(requirement.ref) ?? []);
    return { ...node(requirement), groups, controls };
  };
  // The catalog itself may hold both.
  const top = children.get(null) ?? [];
  const root = { groups: top.filter((r) => !r.isLeaf).map(asGroup), controls: top.filter((r) => r.isLeaf).map(node) };
  return compact({
    catalog: {
      uuid: uuidV5(`catalog:${framework.key}:${framework.contentHash}:${framework.loadedAt}`),
      metadata: metadata({
        title: framework.name,
        lastModified: framework.loadedAt,
        version: framework.version,
        props: [
          ...prop('framework-key', framework.key),
          ...prop('publisher', framework.publisher),
          ...prop('source', framework.source),
          ...prop('licence', framework.licence),
        ],
      }),
      groups: root.groups,
      controls: root.controls,
    },
  });
}

/**
 * The control library as an OSCAL catalog, one group per domain. Each control-to-requirement mapping is also a link
 * to the requirement in its framework's catalog with the relationship (OSCAL mapping vocabulary) as rel, for tools
 * that read catalogs only; the mapping collection (oscal-mapping-export.ts) carries them in the OSCAL 1.2 model.
 */
export function controlLibraryCatalog(input: {
  controls: ControlEntity[];
  requirements: RequirementEntity[];
  mappingsByControl: Map<string, MappingRow[]>;
  lastModified: string;
  version: string;
}) {
  const controlTokens = oscalTokens(input.controls.map((c) => c.code));
  const requirementTokens = new Map<string, Map<string, string>>();
  for (const key of new Set(input.requirements.map((r) => r.frameworkKey))) {
    requirementTokens.set(key, oscalTokens(input.requirements.filter((r) => r.frameworkKey === key).map((r) => r.ref)));
  }
  const groups = new Map<string, { id: string; title: string; controls: unknown[] }>();
  for (const control of input.controls) {
    const group = groups.get(control.domain) ?? {
      id: `domain-${oscalToken(control.domain)}`,
      title: humanize(control.domain),
      controls: [],
    };
    groups.set(control.domain, group);
    group.controls.push({
      id: controlTokens.get(control.code)!,
      title: control.title,
      props: [
        ...prop('label', control.code, { ns: null }),
        ...prop('owner-role', control.ownerRole),
        ...prop('review-frequency', control.reviewFrequency),
        ...control.typicalEvidence.flatMap((item) => prop('typical-evidence', item)),
      ],
      links: (input.mappingsByControl.get(control.code) ?? []).map((m) => ({
        href: `${frameworkCatalogHref(m.frameworkKey)}#${requirementTokens.get(m.frameworkKey)?.get(m.ref) ?? m.ref}`,
        rel: m.relationship,
        text: `${m.frameworkKey} ${m.ref}: ${m.relationship}, strength ${m.strength}/10. ${m.rationale}`.trim(),
      })),
      parts: [
        ...(control.objective ? [{ name: 'statement', prose: control.objective }] : []),
        ...(control.testProcedure ? [{ name: 'assessment', prose: control.testProcedure }] : []),
      ],
    });
  }
  return compact({
    catalog: {
      uuid: uuidV5(`control-library:${input.version}:${input.lastModified}`),
      metadata: metadata({
        title: 'AI governance unified control library',
        lastModified: input.lastModified,
        version: input.version,
        remarks:
          'Control-to-requirement mappings are carried as links: href points at the requirement in its framework catalog ' +
          '(GET /api/v1/frameworks/{key}/oscal) and rel is the relationship from the OSCAL mapping vocabulary ' +
          '(equal-to, equivalent-to, subset-of, superset-of, intersects-with). The same mappings in the OSCAL 1.2 ' +
          'mapping model (a mapping-collection with provenance, strength and rationale) are served at ' +
          'GET /api/v1/oscal/mappings/control-library.',
      }),
      groups: [...groups.values()],
    },
  });
}

function humanize(token: string): string {
  const text = token.replace(/[-_]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
