import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { ControlEntity, FrameworkEntity } from '../catalog/entities/catalog.entities';
import type { FrameworkCoverage } from '../controls/coverage';
import type { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { frameworkCatalogHref } from './oscal-catalog-export';
import { compact, metadata, OscalParty, OscalRole, prop } from './oscal-document';
import { oscalToken, uuidV5 } from './oscal-ids';

/** OSCAL implementation-status states for the workbench's implementation statuses. */
const IMPLEMENTATION_STATE: Record<string, string> = {
  implemented: 'implemented',
  in_progress: 'partial',
  not_started: 'planned',
  not_applicable: 'not-applicable',
};

/** OSCAL system status for the lifecycle stage. */
const SYSTEM_STATE: Record<string, string> = {
  design: 'under-development',
  development: 'under-development',
  validation: 'under-development',
  deployed: 'operational',
  retired: 'disposition',
};

/** The data categories of the inventory, as OSCAL information types (each with the legal text it rests on). */
const DATA_CATEGORIES: Array<{ flag: keyof AiSystemEntity; title: string; description: string }> = [
  {
    flag: 'personalData',
    title: 'Personal data',
    description: 'Information relating to an identified or identifiable natural person (GDPR Art. 4(1)).',
  },
  {
    flag: 'specialCategoryData',
    title: 'Special categories of personal data',
    description:
      'Data revealing racial or ethnic origin, health, biometric data and the other categories of GDPR Art. 9(1).',
  },
  {
    flag: 'phi',
    title: 'Electronic protected health information',
    description:
      'Individually identifiable health information created, received, maintained or transmitted electronically (45 CFR 160.103).',
  },
  {
    flag: 'childrensData',
    title: "Children's data",
    description: 'Personal data of children, which GDPR recital 38 and Art. 8 protect specifically.',
  },
];

const roleIdOf = (role: string) => oscalToken(role.toLowerCase());
const humanize = (token: string) => {
  const text = token.replace(/[-_]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * A system security plan for one applicable framework. The framework catalog is the baseline (import-profile); the
 * implemented requirements are its applicable requirements, each with a by-component statement per mapped control the
 * system implements (its statement, status, owner and the evidence relevant to the requirement, which back-matter
 * resources carry with their SHA-256).
 */
export function systemSecurityPlan(input: {
  system: AiSystemEntity;
  framework: FrameworkEntity;
  coverage: FrameworkCoverage;
  implementations: ControlImplementationEntity[];
  controls: Map<string, ControlEntity>;
  evidence: EvidenceWithControls[];
  /** Requirement tokens of the framework, as its catalog writes them. */
  requirementTokens: Map<string, string>;
  /** The named owners (ownerUserId) of the implementations, by user id. */
  owners: Map<string, { displayName: string; email: string }>;
  asOf: string;
}) {
  const { system, framework, asOf } = input;
  const systemUuid = uuidV5(`system:${system.id}`);
  const implementationOf = new Map(input.implementations.map((i) => [i.controlCode, i]));
  const evidenceById = new Map(input.evidence.map((e) => [e.id, e]));
  const resourceUuid = (evidenceId: string) => uuidV5(`resource:evidence:${evidenceId}`);
  const roles = new Map<string, OscalRole>([['system-owner', { id: 'system-owner', title: 'System owner' }]]);
  const parties = new Map<string, OscalParty>();
  const partyOf = (name: string) => {
    const uuid = uuidV5(`party:${name}`);
    parties.set(uuid, { uuid, type: 'organization', name });
    return uuid;
  };
  const ownerParty = system.owner ? partyOf(system.owner) : null;
  const personOf = (userId: string) => {
    const user = input.owners.get(userId);
    if (!user) return null;
    const uuid = uuidV5(`party:user:${userId}`);
    parties.set(uuid, { uuid, type: 'person', name: user.displayName, 'email-addresses': [user.email] });
    return uuid;
  };
  /**
   * The owner of a control on this system: the control's owner role, performed by the named owner (a person) when
   * one is set, else by the owner recorded as free text (a team).
   */
  const responsibleRole = (control: ControlEntity | undefined, implementation: ControlImplementationEntity) => {
    const role = control?.ownerRole || 'control-owner';
    const id = roleIdOf(role);
    roles.set(id, { id, title: humanize(role) });
    const person = implementation.ownerUserId ? personOf(implementation.ownerUserId) : null;
    const party = person ?? (implementation.owner ? partyOf(implementation.owner) : null);
    return { 'role-id': id, 'party-uuids': party ? [party] : [] };
  };
  const cited = new Set<string>();
  const token = (ref: string) => input.requirementTokens.get(ref) ?? oscalToken(ref);

  const implementedRequirements = input.coverage.requirements
    .filter((r) => r.status !== 'not_applicable')
    .map((r) => {
      const byComponents = r.controls
        .filter((c) => implementationOf.has(c.code))
        .map((c) => {
          const implementation = implementationOf.get(c.code)!;
          const control = input.controls.get(c.code);
          c.evidence.forEach((e) => cited.add(e.id));
          return {
            'component-uuid': systemUuid,
            uuid: uuidV5(`by-component:${implementation.id}:${r.requirementId}`),
            description: implementation.statement || `${c.code} ${c.title}: no implementation statement recorded yet.`,
            props: [
              ...prop('control', c.code),
              ...prop('relationship', c.relationship),
              ...prop('strength', c.strength),
              ...prop('sufficient', c.sufficient),
              ...prop('owner', implementation.owner),
              ...prop('last-reviewed', implementation.lastReviewedAt),
            ],
            links: c.evidence.map((e) => ({ href: `#${resourceUuid(e.id)}`, rel: 'evidence', text: e.title })),
            'implementation-status': { state: IMPLEMENTATION_STATE[implementation.status] ?? implementation.status },
            'responsible-roles': [responsibleRole(control, implementation)],
            remarks: implementation.justification ?? undefined,
          };
        });
      const rolesOfRequirement = new Map<string, { 'role-id': string; 'party-uuids': string[] }>();
      for (const role of byComponents.flatMap((b) => b['responsible-roles'])) {
        const merged = rolesOfRequirement.get(role['role-id']) ?? { 'role-id': role['role-id'], 'party-uuids': [] };
        merged['party-uuids'] = [...new Set([...merged['party-uuids'], ...role['party-uuids']])].sort();
        rolesOfRequirement.set(role['role-id'], merged);
      }
      return {
        uuid: uuidV5(`ssp-requirement:${system.id}:${r.requirementId}`),
        'control-id': token(r.ref),
        props: [
          ...prop('label', r.ref, { ns: null }),
          ...prop('coverage-status', r.status),
          ...prop('coverage-rule', r.decidedBy.rule),
        ],
        links: [{ href: `${frameworkCatalogHref(framework.key)}#${token(r.ref)}`, rel: 'reference' }],
        'responsible-roles': [...rolesOfRequirement.values()],
        'by-components': byComponents,
        remarks: byComponents.length ? r.reason : `${r.reason} No mapped control is implemented on this system yet.`,
      };
    });

  const dataTypes = DATA_CATEGORIES.filter((c) => system[c.flag] === true);
  const informationTypes = (
    dataTypes.length
      ? dataTypes
      : [
          {
            flag: 'none',
            title: 'No personal data',
            description: 'The inventory records no personal, special-category, health or children’s data.',
          },
        ]
  ).map((c) => ({
    uuid: uuidV5(`information-type:${system.id}:${String(c.flag)}`),
    title: c.title,
    description: c.description,
  }));
  const riskTier = system.riskTierOverride ?? system.computedRiskTier;
  const state = SYSTEM_STATE[system.lifecycleStage] ?? 'other';

  return compact({
    'system-security-plan': {
      uuid: uuidV5(`ssp:${system.id}:${framework.key}:${asOf}`),
      metadata: metadata({
        title: `${system.name}: system security plan (${framework.name})`,
        lastModified: asOf,
        version: asOf,
        props: [...prop('system-id', system.id), ...prop('framework', framework.key)],
        roles: [...roles.values()].sort((a, b) => a.id.localeCompare(b.id)),
        parties: [...parties.values()].sort((a, b) => a.uuid.localeCompare(b.uuid)),
      }),
      'import-profile': {
        href: frameworkCatalogHref(framework.key),
        remarks:
          'The baseline is the framework catalog itself, without a profile: the requirements the applicability rule ' +
          'makes apply to this system.',
      },
      'system-characteristics': {
        'system-ids': [{ 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: system.id }],
        'system-name': system.name,
        description: system.purpose || system.name,
        props: [
          ...prop('risk-tier', riskTier),
          ...prop('risk-tier-reason', system.riskTierReason),
          ...prop(
            'risk-tier-override-justification',
            system.riskTierOverride ? system.riskTierOverrideJustification : null,
          ),
          ...prop('lifecycle-stage', system.lifecycleStage),
          ...prop('model-kind', system.modelKind),
          ...prop('use-case-domain', system.useCaseDomain),
          ...prop('autonomy', system.autonomy),
          ...prop('human-oversight', system.humanOversight),
          ...system.jurisdictions.flatMap((j) => prop('jurisdiction', j)),
        ],
        'system-information': { 'information-types': informationTypes },
        status: { state, remarks: `Lifecycle stage: ${system.lifecycleStage}.` },
        'authorization-boundary': {
          description:
            `${system.name} as recorded in the AI system inventory: the model (${system.modelKind}` +
            `${system.modelVersion ? `, version ${system.modelVersion}` : ''}), its training data` +
            `${system.trainingDataVersion ? ` (version ${system.trainingDataVersion})` : ''} and the components below.`,
          remarks:
            'The workbench records no network boundary: this boundary is the inventory entry and the third-party ' +
            'models it names; infrastructure is outside this plan.',
        },
        'responsible-parties': ownerParty ? [{ 'role-id': 'system-owner', 'party-uuids': [ownerParty] }] : [],
      },
      'system-implementation': {
        components: [
          {
            uuid: systemUuid,
            type: 'this-system',
            title: system.name,
            description: system.purpose || system.name,
            props: [...prop('vendor', system.vendor), ...prop('model-version', system.modelVersion)],
            status: {
              state:
                state === 'disposition' ? 'disposition' : state === 'operational' ? 'operational' : 'under-development',
            },
            'responsible-roles': ownerParty ? [{ 'role-id': 'system-owner', 'party-uuids': [ownerParty] }] : [],
          },
          ...system.thirdPartyModels.map((model) => ({
            uuid: uuidV5(`third-party-model:${system.id}:${model}`),
            type: 'service',
            title: model,
            description: `Third-party model used by ${system.name}.`,
            status: { state: 'operational' },
          })),
        ],
      },
      'control-implementation': {
        description: `How ${system.name} meets the applicable requirements of ${framework.name} through the controls of the unified control library.`,
        'implemented-requirements': implementedRequirements,
      },
      'back-matter': {
        resources: [...cited]
          .sort()
          .map((id) => evidenceById.get(id))
          .filter((e): e is EvidenceWithControls => !!e)
          .map((e) => ({
            uuid: resourceUuid(e.id),
            title: e.title,
            description: `Evidence (${e.kind}) for controls ${e.controlCodes.join(', ')}, collected ${e.collectedAt}.`,
            props: [
              ...prop('evidence-id', e.id),
              ...prop('review-status', e.reviewStatus),
              ...prop('valid-until', e.validUntil),
            ],
            rlinks: [
              {
                href: `/api/v1/evidence/${e.id}/content`,
                'media-type': e.mediaType,
                hashes: [{ algorithm: 'SHA-256', value: e.sha256 }],
              },
            ],
          })),
      },
    },
  });
}
