import type { MappingRow } from '../catalog/catalog.repository';
import type { CrosswalkLink } from '../catalog/crosswalk';
import type { ControlEntity, FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import { CONTROL_LIBRARY_HREF, frameworkCatalogHref } from './oscal-catalog-export';
import { compact, metadata, prop } from './oscal-document';
import { oscalTokens, uuidV5 } from './oscal-ids';
import { appendTo } from '../common/multimap';

/** Requirement tokens per framework, as the framework catalogs write them (from the same active requirements). */
export function requirementTokensByFramework(requirements: RequirementEntity[]): Map<string, Map<string, string>> {
  const refs = new Map<string, string[]>();
  for (const r of requirements) appendTo(refs, r.frameworkKey, r.ref);
  return new Map([...refs].map(([key, list]) => [key, oscalTokens(list)]));
}

const catalogResource = (href: string, title: string) => ({
  type: 'catalog',
  href,
  props: [...prop('title', title)],
});

/** Our strength (1-10, policies/README.md rubric) as OSCAL: an exact workbench prop and the 1.2 coverage (0-1). */
function strengthFields(strength: number) {
  return {
    props: [...prop('strength', strength, { class: 'coverage' })],
    coverage: { 'generation-method': 'workbench-strength-rubric', 'target-coverage': strength / 10 },
  };
}

/**
 * Every control -> requirement mapping of the library as an OSCAL 1.2 mapping collection: one mapping per framework
 * (source the control library catalog, target the framework's catalog), one map per mapping with its relationship,
 * strength and rationale. The mappings are written by people (policies/), so provenance is human and semantic.
 */
export function controlLibraryMappingCollection(input: {
  controls: ControlEntity[];
  frameworks: FrameworkEntity[];
  requirements: RequirementEntity[];
  mappings: MappingRow[];
  lastModified: string;
  version: string;
}) {
  const controlTokens = oscalTokens(input.controls.map((c) => c.code));
  const requirementTokens = requirementTokensByFramework(input.requirements);
  const frameworks = [...input.frameworks].sort((a, b) => a.key.localeCompare(b.key));
  const byCode = (a: MappingRow, b: MappingRow) =>
    a.controlCode.localeCompare(b.controlCode) || a.ref.localeCompare(b.ref, 'en', { numeric: true });
  return compact({
    'mapping-collection': {
      uuid: uuidV5(`mapping-collection:control-library:${input.version}:${input.lastModified}`),
      metadata: metadata({
        title: 'AI governance unified control library: control to requirement mappings',
        lastModified: input.lastModified,
        version: input.version,
      }),
      provenance: {
        method: 'human',
        'matching-rationale': 'semantic',
        status: 'complete',
        'mapping-description':
          'Each map reads "control <relationship> requirement" with the NIST IR 8477 set meanings. The strength ' +
          '(1-10, the rubric of policies/README.md) is the workbench prop "strength" and, divided by 10, the ' +
          'coverage of the target; the rationale is in the remarks.',
      },
      mappings: frameworks
        .map((framework) => {
          const rows = input.mappings
            .filter((m) => m.frameworkKey === framework.key && controlTokens.has(m.controlCode))
            .sort(byCode);
          const tokens = requirementTokens.get(framework.key) ?? new Map<string, string>();
          return {
            uuid: uuidV5(`mapping:control-library:${framework.key}`),
            'source-resource': catalogResource(CONTROL_LIBRARY_HREF, 'AI governance unified control library'),
            'target-resource': catalogResource(frameworkCatalogHref(framework.key), framework.name),
            maps: rows
              .filter((m) => tokens.has(m.ref))
              .map((m) => ({
                uuid: uuidV5(`map:control-library:${m.controlCode}:${framework.key}:${m.ref}`),
                relationship: m.relationship,
                sources: [{ type: 'control', 'id-ref': controlTokens.get(m.controlCode)! }],
                targets: [{ type: 'control', 'id-ref': tokens.get(m.ref)! }],
                ...strengthFields(m.strength),
                remarks: m.rationale || undefined,
              })),
          };
        })
        .filter((mapping) => mapping.maps.length > 0),
    },
  });
}

/**
 * The crosswalk derived for `from` -> `to` as an OSCAL 1.2 mapping collection (provenance automation). Each map names
 * the linking control of its relationship and the row of the crosswalk algebra that gave it (DESIGN "Crosswalk
 * algebra"), every other linking control in the remarks. Links whose relationship is overlaps or related are not OSCAL
 * relationships and are not written as maps: the mapping's remarks list them (with their count as a prop).
 */
export function crosswalkMappingCollection(input: {
  from: FrameworkEntity;
  to: FrameworkEntity;
  links: CrosswalkLink[];
  requirements: RequirementEntity[];
  lastModified: string;
  version: string;
}) {
  const tokens = requirementTokensByFramework(input.requirements);
  const fromTokens = tokens.get(input.from.key) ?? new Map<string, string>();
  const toTokens = tokens.get(input.to.key) ?? new Map<string, string>();
  const order = (a: CrosswalkLink, b: CrosswalkLink) =>
    a.fromRef.localeCompare(b.fromRef, 'en', { numeric: true }) ||
    a.toRef.localeCompare(b.toRef, 'en', { numeric: true });
  const links = [...input.links].sort(order);
  const exported = links.filter((l) => l.oscalRelationship && fromTokens.has(l.fromRef) && toTokens.has(l.toRef));
  const left = links.filter((l) => !l.oscalRelationship);
  const pair = `${input.from.key}:${input.to.key}`;
  return compact({
    'mapping-collection': {
      uuid: uuidV5(`mapping-collection:crosswalk:${pair}:${input.version}:${input.lastModified}`),
      metadata: metadata({
        title: `Crosswalk ${input.from.name} -> ${input.to.name} (derived through the unified control library)`,
        lastModified: input.lastModified,
        version: input.version,
      }),
      provenance: {
        method: 'automation',
        'matching-rationale': 'semantic',
        status: 'complete',
        'mapping-description':
          'Derived, not asserted: requirement A <- control C -> requirement B, with rel(C, A) and rel(C, B) from the ' +
          'control library, gives at most what the crosswalk algebra table allows (DESIGN "Crosswalk algebra"). ' +
          'Each map names C (prop linking-control) and the rule (prop algebra-rule); its strength is the lower of ' +
          'the two mapping strengths. Links the algebra can only call "overlaps" or "related" are not OSCAL ' +
          'relationships and are listed in the remarks of the mapping instead.',
      },
      mappings: [
        {
          uuid: uuidV5(`mapping:crosswalk:${pair}`),
          'source-resource': catalogResource(frameworkCatalogHref(input.from.key), input.from.name),
          'target-resource': catalogResource(frameworkCatalogHref(input.to.key), input.to.name),
          props: [...prop('not-exported-links', left.length)],
          maps: exported.map((link) => {
            const path = link.via[0];
            return {
              uuid: uuidV5(`map:crosswalk:${pair}:${link.fromRef}:${link.toRef}`),
              relationship: link.oscalRelationship!,
              sources: [{ type: 'control', 'id-ref': fromTokens.get(link.fromRef)! }],
              targets: [{ type: 'control', 'id-ref': toTokens.get(link.toRef)! }],
              props: [
                ...prop('linking-control', path.controlCode),
                ...prop(
                  'algebra-rule',
                  `rel(${path.controlCode}, A) = ${path.fromRelationship}, rel(${path.controlCode}, B) = ${path.toRelationship} -> A ${path.relationship} B`,
                ),
                ...strengthFields(link.strength).props,
              ],
              coverage: strengthFields(link.strength).coverage,
              remarks:
                link.via.length > 1
                  ? `Also linked through ${link.via
                      .slice(1)
                      .map((p) => `${p.controlCode} (${p.fromRelationship} / ${p.toRelationship} -> ${p.relationship})`)
                      .join('; ')}.`
                  : undefined,
            };
          }),
          remarks: left.length
            ? `Links without an OSCAL relationship (not written as maps): ${left
                .map(
                  (l) =>
                    `${l.fromRef} -> ${l.toRef} ${l.relationship} via ${l.via.map((p) => p.controlCode).join(', ')}`,
                )
                .join('; ')}.`
            : undefined,
        },
      ],
    },
  });
}
