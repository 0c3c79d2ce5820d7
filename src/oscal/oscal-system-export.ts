import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { ControlEntity } from '../catalog/entities/catalog.entities';
import type { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import type { FrameworkCoverage } from '../controls/coverage';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { evidenceState } from '../evidence/staleness';
import type { TaskEntity } from '../tasks/entities/task.entity';
import { CONTROL_LIBRARY_HREF, frameworkCatalogHref } from './oscal-catalog-export';
import { compact, metadata, OscalAction, prop, WORKBENCH_NS } from './oscal-document';
import { oscalToken, oscalTokens, uuidV5 } from './oscal-ids';

function systemProps(system: AiSystemEntity) {
  return [
    ...prop('lifecycle-stage', system.lifecycleStage),
    ...prop('model-kind', system.modelKind),
    ...prop('use-case-domain', system.useCaseDomain),
    ...prop('risk-tier', system.riskTierOverride ?? system.computedRiskTier),
    ...prop('autonomy', system.autonomy),
    ...prop('model-version', system.modelVersion),
    ...prop('training-data-version', system.trainingDataVersion),
    ...prop('vendor', system.vendor),
    ...system.thirdPartyModels.flatMap((model) => prop('third-party-model', model)),
  ];
}

/** The AI system as one component; its control implementations against the control library catalog. */
export function componentDefinition(input: {
  system: AiSystemEntity;
  implementations: ControlImplementationEntity[];
  controls: Map<string, ControlEntity>;
  lastModified: string;
}) {
  const { system } = input;
  const tokens = oscalTokens(input.implementations.map((i) => i.controlCode));
  return compact({
    'component-definition': {
      uuid: uuidV5(`component-definition:${system.id}:${input.lastModified}`),
      metadata: metadata({
        title: `${system.name}: component definition`,
        lastModified: input.lastModified,
        version: input.lastModified,
      }),
      components: [
        {
          uuid: uuidV5(`system:${system.id}`),
          type: 'software',
          title: system.name,
          description: system.purpose,
          purpose: system.purpose,
          props: [...prop('system-id', system.id), ...systemProps(system)],
          'control-implementations': [
            {
              uuid: uuidV5(`control-implementation:${system.id}`),
              source: CONTROL_LIBRARY_HREF,
              description: `How ${system.name} implements the controls of the unified control library that map to its applicable requirements.`,
              'implemented-requirements': input.implementations.map((i) => {
                const token = tokens.get(i.controlCode)!;
                const title = input.controls.get(i.controlCode)?.title ?? i.controlCode;
                return {
                  uuid: uuidV5(`implementation:${i.id}`),
                  'control-id': token,
                  description: i.statement || `${title}: no implementation statement recorded yet.`,
                  props: [
                    ...prop('label', i.controlCode, { ns: null }),
                    ...prop('implementation-status', i.status),
                    ...prop('owner', i.owner),
                    ...prop('last-reviewed', i.lastReviewedAt),
                    ...prop('next-review-due', i.nextReviewDue),
                  ],
                  statements: i.statement
                    ? [{ 'statement-id': `${token}_smt`, uuid: uuidV5(`statement:${i.id}`), description: i.statement }]
                    : [],
                  remarks: i.justification ?? undefined,
                };
              }),
            },
          ],
        },
      ],
    },
  });
}

/**
 * One result: a finding per applicable requirement (satisfied when covered, not-satisfied when partial or a gap)
 * related to an observation per piece of evidence behind it, with the evidence's SHA-256 and validity.
 */
export function assessmentResults(input: {
  system: AiSystemEntity;
  coverage: FrameworkCoverage[];
  evidence: EvidenceWithControls[];
  /** Requirement tokens per framework, as the framework catalogs use them. */
  requirementTokens: Map<string, Map<string, string>>;
  asOf: string;
}) {
  const { system, asOf } = input;
  const tokenOf = (framework: string, ref: string) =>
    input.requirementTokens.get(framework)?.get(ref) ?? oscalToken(ref);
  const cited = new Set<string>();
  const findings = input.coverage
    .filter((f) => f.applies)
    .flatMap((framework) =>
      framework.requirements
        .filter((r) => r.status !== 'not_applicable')
        .map((r) => {
          const evidenceIds = [...new Set(r.controls.flatMap((c) => c.evidence.map((e) => e.id)))].sort();
          evidenceIds.forEach((id) => cited.add(id));
          return {
            uuid: uuidV5(`finding:${system.id}:${r.requirementId}`),
            title: `${framework.name} ${r.ref}`,
            description: `${r.title}. ${r.reason}`,
            props: [...prop('framework', framework.framework), ...prop('coverage-status', r.status)],
            target: {
              type: 'objective-id',
              'target-id': tokenOf(framework.framework, r.ref),
              props: [...prop('label', r.ref, { ns: null })],
              links: [
                {
                  href: `${frameworkCatalogHref(framework.framework)}#${tokenOf(framework.framework, r.ref)}`,
                  rel: 'reference',
                },
              ],
              status: { state: r.status === 'covered' ? 'satisfied' : 'not-satisfied' },
            },
            'related-observations': evidenceIds.map((id) => ({ 'observation-uuid': uuidV5(`observation:${id}`) })),
            remarks: r.controls.length
              ? `Mapped controls: ${r.controls.map((c) => `${c.code} (${c.status}, ${c.relationship})`).join('; ')}`
              : 'No control in the library maps to this requirement.',
          };
        }),
    );
  const observations = input.evidence
    .filter((e) => cited.has(e.id))
    .map((e) => {
      const state = evidenceState(e, system, asOf, e.supersededAt);
      return {
        uuid: uuidV5(`observation:${e.id}`),
        title: e.title,
        description: `Evidence "${e.title}" (${e.kind}) for controls ${e.controlCodes.join(', ')}.`,
        props: [
          ...prop('review-status', state.reviewStatus),
          ...prop('current', state.current),
          ...prop('stale-reason', state.staleReason),
        ],
        methods: ['EXAMINE'],
        // OSCAL 1.2 deprecates the type "finding" for what an examination found; "discovery" replaces it.
        types: ['discovery'],
        'relevant-evidence': [
          {
            href: `/api/v1/evidence/${e.id}/content`,
            description: `${e.fileName} (${e.mediaType}, ${e.sizeBytes} bytes)`,
            props: [
              ...prop('sha256', e.sha256),
              ...prop('collected', e.collectedAt),
              ...prop('valid-until', e.validUntil),
              ...prop('model-version', e.modelVersion),
            ],
          },
        ],
        collected: e.collectedAt,
        expires: e.validUntil ?? undefined,
        remarks: state.current
          ? 'Accepted, current evidence.'
          : `Not counted towards coverage: ${state.staleReason ?? `review status ${state.reviewStatus}`}.`,
      };
    });
  return compact({
    'assessment-results': {
      uuid: uuidV5(`assessment-results:${system.id}:${asOf}`),
      metadata: metadata({
        title: `${system.name}: assessment results`,
        lastModified: asOf,
        version: asOf,
        props: [...prop('system-id', system.id)],
        actions: evidenceReviewActions(input.evidence.filter((e) => cited.has(e.id))),
      }),
      'import-ap': {
        href: `/api/v1/systems/${system.id}/coverage`,
        remarks:
          'There is no OSCAL assessment plan: the workbench assesses coverage continuously, and this result is that coverage as of its start.',
      },
      results: [
        {
          uuid: uuidV5(`result:${system.id}:${asOf}`),
          title: `Requirement coverage of ${system.name}`,
          description:
            'A requirement is satisfied when a control with a sufficient mapping (equal-to, equivalent-to or superset-of at the threshold strength), or every control of a declared jointly-sufficient set, is implemented with current accepted evidence relevant to it; partial coverage and gaps are not satisfied. Each finding states the controls, relationships, strengths and evidence that decided it.',
          start: asOf,
          props: input.coverage
            .filter((f) => f.applies)
            .flatMap((f) =>
              prop(`coverage-percent`, f.percent, { class: f.framework.replace(/[^A-Za-z0-9.-]/g, '-') }),
            ),
          'reviewed-controls': {
            'control-selections': [
              { description: 'Every applicable requirement of every applicable framework.', 'include-all': {} },
            ],
          },
          observations,
          findings,
        },
      ],
    },
  });
}

/**
 * OSCAL 1.2 metadata actions: each review decision on the cited evidence (accepted or rejected, by whom, when), in
 * the order of the observations.
 */
function evidenceReviewActions(evidence: EvidenceWithControls[]): OscalAction[] {
  return evidence
    .filter((e) => e.reviewedAt)
    .map((e) => ({
      uuid: uuidV5(`action:evidence-review:${e.id}:${e.reviewedAt}`),
      type: 'evidence-review',
      date: e.reviewedAt!,
      system: WORKBENCH_NS,
      props: [
        ...prop('evidence-id', e.id),
        ...prop('observation-uuid', uuidV5(`observation:${e.id}`)),
        ...prop('review-status', e.reviewStatus),
        ...prop('reviewed-by', e.reviewedBy),
      ],
      remarks: e.reviewComment ?? undefined,
    }));
}

/**
 * Open remediation tasks of the system as POA&M items. Each control with open tasks is one finding (OSCAL 1.2's
 * top-level POA&M findings): the library control is not satisfied on this system until its tasks are done; each item
 * names its finding.
 */
export function planOfActionAndMilestones(input: {
  system: AiSystemEntity;
  tasks: TaskEntity[];
  lastModified: string;
}) {
  const { system } = input;
  const controlCodes = [...new Set(input.tasks.map((t) => t.controlCode).filter((c): c is string => !!c))].sort();
  const tokens = oscalTokens(controlCodes);
  const findingUuid = (code: string) => uuidV5(`poam-finding:${system.id}:${code}`);
  return compact({
    'plan-of-action-and-milestones': {
      uuid: uuidV5(`poam:${system.id}:${input.lastModified}`),
      metadata: metadata({
        title: `${system.name}: plan of action and milestones`,
        lastModified: input.lastModified,
        version: input.lastModified,
      }),
      'system-id': { 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: system.id },
      findings: controlCodes.map((code) => ({
        uuid: findingUuid(code),
        title: `${code} not yet in place on ${system.name}`,
        description: `Open remediation tasks: ${input.tasks
          .filter((t) => t.controlCode === code)
          .map((t) => t.title)
          .join('; ')}.`,
        target: {
          type: 'objective-id',
          'target-id': tokens.get(code)!,
          props: [...prop('label', code, { ns: null })],
          links: [{ href: `${CONTROL_LIBRARY_HREF}#${tokens.get(code)!}`, rel: 'reference' }],
          status: { state: 'not-satisfied' },
        },
      })),
      'poam-items': input.tasks.map((task) => ({
        uuid: uuidV5(`poam-item:${task.id}`),
        title: task.title,
        description: task.description || task.title,
        props: [
          ...prop('task-id', task.id),
          ...prop('control', task.controlCode),
          ...prop('status', task.status),
          ...prop('priority', task.priority),
          ...prop('assignee-role', task.assigneeRole),
          ...prop('due-date', task.dueDate),
          ...prop('opened', task.createdAt),
        ],
        'related-findings': task.controlCode ? [{ 'finding-uuid': findingUuid(task.controlCode) }] : [],
      })),
    },
  });
}
