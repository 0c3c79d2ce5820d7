import type { RequirementApplicability } from '../ai-systems/applicability.service';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { CatalogSnapshot, JointlySufficientSet } from '../catalog/catalog-index';
import { isSufficientMapping, SUFFICIENT_RELATIONSHIPS } from '../catalog/library-coverage';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { evidenceState } from '../evidence/staleness';
import type { ControlImplementationEntity } from './entities/control-implementation.entity';
import type { RequirementDecision, RequirementDecisionEntity } from './entities/requirement-decision.entity';
import { decisionRuleViolation, hipaaImplementation } from './requirement-decision-rules';

export type RequirementStatus = 'covered' | 'partial' | 'gap' | 'not_applicable';

/** Which part of the coverage rule (DESIGN, "Compliance semantics (v2)") decided a requirement's status. */
export type CoverageRule =
  | 'outside-applicability'
  | 'organisational'
  | 'excluded'
  | 'hipaa-alternative-measure'
  | 'hipaa-not-reasonable-and-appropriate'
  | 'controls-not-applicable'
  | 'sufficient-control'
  | 'jointly-sufficient-set'
  | 'no-sufficient-path'
  | 'nothing-in-place';

export interface CoverageEvidence {
  id: string;
  title: string;
  sha256: string;
  reviewStatus: string;
  current: boolean;
  staleReason: string | null;
}

/** A control mapped to the requirement, with the evidence that is relevant to this requirement. */
export interface CoverageControl {
  code: string;
  title: string;
  relationship: string;
  strength: number;
  /** Relationship and strength alone can cover the requirement (policies/coverage.yaml). */
  sufficient: boolean;
  status: string;
  evidence: CoverageEvidence[];
}

/** A control as the rule weighed it: the ids of its current accepted evidence relevant to the requirement. */
export interface DecidingControl {
  code: string;
  relationship: string;
  strength: number;
  sufficient: boolean;
  status: string;
  evidence: string[];
}

export interface CoverageDecisionView {
  id: string;
  decision: RequirementDecision;
  rationale: string;
  decidedBy: string;
  decidedAt: string;
  /** Set when the catalog changed after the decision and its rule now forbids it: the decision is then ignored. */
  void: string | null;
}

export interface CoverageDecidedBy {
  rule: CoverageRule;
  /** The strength a sufficient mapping needs. */
  threshold: number;
  /** The controls that decided it: the holding paths when covered, else the mapped controls and their state. */
  controls: DecidingControl[];
  /** The jointly-sufficient set that covered it, or the nearest one when none holds (missing = members that do not). */
  jointSet?: { controls: string[]; reason: string; missing: string[] };
  decision?: CoverageDecisionView;
}

export interface RequirementCoverage {
  requirementId: string;
  ref: string;
  title: string;
  status: RequirementStatus;
  /** One sentence naming the controls, relationships, strengths and evidence that decided the status. */
  reason: string;
  decidedBy: CoverageDecidedBy;
  /** Why the requirement applies to this system or not (the applicability rule). */
  applicabilityReason: string;
  /** HIPAA only: required or addressable (164.306(d)); null elsewhere. */
  hipaaImplementation: 'required' | 'addressable' | null;
  controls: CoverageControl[];
}

export interface FrameworkCoverage {
  framework: string;
  name: string;
  applies: boolean;
  applicable: number;
  covered: number;
  partial: number;
  gap: number;
  notApplicable: number;
  /** covered leaves / applicable leaves, 0-100 with one decimal; null when nothing applies. */
  percent: number | null;
  requirements: RequirementCoverage[];
}

export type CoverageDecisionInput = Pick<
  RequirementDecisionEntity,
  'id' | 'requirementId' | 'decision' | 'rationale' | 'decidedBy' | 'decidedAt'
>;

export interface CoverageInput {
  system: AiSystemEntity;
  requirements: RequirementApplicability[];
  frameworks: Array<{ framework: string; name: string; applies: boolean }>;
  catalog: CatalogSnapshot;
  implementations: ControlImplementationEntity[];
  evidence: EvidenceWithControls[];
  decisions: CoverageDecisionInput[];
  at: string;
}

interface LinkedEvidence {
  item: CoverageEvidence;
  /** The requirements the evidence names; null when it names none and so counts for every requirement of its controls. */
  requirementIds: ReadonlySet<string> | null;
}

const EVIDENCE_NAMED_IN_REASON = 3;

/**
 * The coverage rule of DESIGN "Compliance semantics (v2)". A mapping is sufficient when its relationship is equal-to,
 * equivalent-to or superset-of and its strength reaches the threshold of policies/coverage.yaml. A control *holds*
 * for a requirement when it is implemented and has current accepted evidence linked to it that is relevant to the
 * requirement (evidence that names requirements counts only for those). A requirement is covered when a control
 * with a sufficient mapping holds, or every control of a declared jointly-sufficient set holds; partial when some
 * mapped control is implemented, in progress or has relevant current evidence; a gap otherwise. Not applicable:
 * outside applicability, organisational, excluded with a recorded reason, or (outside HIPAA) every mapped control
 * marked not applicable with a justification. HIPAA specifications are never not applicable because their controls
 * are (164.306(d)); an addressable one takes a recorded decision instead.
 */
export function computeCoverage(input: CoverageInput): FrameworkCoverage[] {
  const { catalog } = input;
  const threshold = catalog.coverage.threshold;
  const implementationByCode = new Map(input.implementations.map((i) => [i.controlCode, i]));
  const decisionByRequirement = new Map(input.decisions.map((d) => [d.requirementId, d]));
  const evidenceByControl = new Map<string, LinkedEvidence[]>();
  for (const e of input.evidence) {
    const state = evidenceState(e, input.system, input.at, e.supersededAt);
    if (!state.existed) continue;
    const linked: LinkedEvidence = {
      item: {
        id: e.id,
        title: e.title,
        sha256: e.sha256,
        reviewStatus: state.reviewStatus,
        current: state.current,
        staleReason: state.staleReason,
      },
      requirementIds: e.requirementIds.length > 0 ? new Set(e.requirementIds) : null,
    };
    for (const code of e.controlCodes) {
      const list = evidenceByControl.get(code);
      if (list) list.push(linked);
      else evidenceByControl.set(code, [linked]);
    }
  }

  return input.frameworks.map((framework) => {
    const result: FrameworkCoverage = {
      ...framework,
      applicable: 0,
      covered: 0,
      partial: 0,
      gap: 0,
      notApplicable: 0,
      percent: null,
      requirements: [],
    };
    for (const requirement of input.requirements) {
      if (requirement.framework !== framework.framework) continue;
      const controls: CoverageControl[] = (catalog.mappingsByRequirement.get(requirement.requirementId) ?? []).map(
        (m) => {
          const evidence: CoverageEvidence[] = [];
          for (const linked of evidenceByControl.get(m.controlCode) ?? []) {
            if (!linked.requirementIds || linked.requirementIds.has(requirement.requirementId))
              evidence.push(linked.item);
          }
          return {
            code: m.controlCode,
            title: catalog.controlByCode.get(m.controlCode)?.title ?? m.controlCode,
            relationship: m.relationship,
            strength: m.strength,
            sufficient: isSufficientMapping(m, threshold),
            status: implementationByCode.get(m.controlCode)?.status ?? 'not_started',
            evidence,
          };
        },
      );
      const entity = catalog.requirementById.get(requirement.requirementId);
      const decision = decisionByRequirement.get(requirement.requirementId);
      const judged = judge({
        requirement,
        organisational: entity?.organisationalReason ?? null,
        hipaa: entity ? hipaaImplementation(entity) : null,
        decision: decision && entity ? decisionView(decision, entity) : undefined,
        controls,
        jointSets: catalog.coverage.jointSetsByRequirement.get(requirement.requirementId) ?? [],
        justificationOf: (code) => implementationByCode.get(code)?.justification ?? null,
        threshold,
      });
      if (judged.status === 'not_applicable') result.notApplicable++;
      else {
        result.applicable++;
        result[judged.status]++;
      }
      result.requirements.push({
        requirementId: requirement.requirementId,
        ref: requirement.ref,
        title: requirement.title,
        status: judged.status,
        reason: judged.reason,
        decidedBy: judged.decidedBy,
        applicabilityReason: requirement.reason,
        hipaaImplementation: entity ? hipaaImplementation(entity) : null,
        controls,
      });
    }
    result.percent = result.applicable > 0 ? Math.round((result.covered / result.applicable) * 1000) / 10 : null;
    return result;
  });
}

function decisionView(
  decision: CoverageDecisionInput,
  requirement: { frameworkKey: string; ref: string; attributes: Record<string, string> },
): CoverageDecisionView {
  const violation = decisionRuleViolation(requirement, decision.decision);
  return {
    id: decision.id,
    decision: decision.decision,
    rationale: decision.rationale,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt,
    void: violation
      ? `${violation.rule}: the catalog changed after the decision was recorded and the rule no longer allows it`
      : null,
  };
}

interface JudgeInput {
  requirement: RequirementApplicability;
  organisational: string | null;
  hipaa: 'required' | 'addressable' | null;
  decision?: CoverageDecisionView;
  controls: CoverageControl[];
  jointSets: JointlySufficientSet[];
  justificationOf: (code: string) => string | null;
  threshold: number;
}

interface Judgement {
  status: RequirementStatus;
  reason: string;
  decidedBy: CoverageDecidedBy;
}

function holds(control: CoverageControl): boolean {
  return control.status === 'implemented' && control.evidence.some((e) => e.current);
}

function active(control: CoverageControl): boolean {
  return (
    control.status === 'implemented' || control.status === 'in_progress' || control.evidence.some((e) => e.current)
  );
}

function deciding(control: CoverageControl): DecidingControl {
  return {
    code: control.code,
    relationship: control.relationship,
    strength: control.strength,
    sufficient: control.sufficient,
    status: control.status,
    evidence: control.evidence.filter((e) => e.current).map((e) => e.id),
  };
}

function judge(input: JudgeInput): Judgement {
  const { requirement, controls, threshold, decision } = input;
  const outcome = (
    status: RequirementStatus,
    rule: CoverageRule,
    reason: string,
    extra: Partial<CoverageDecidedBy> = {},
  ): Judgement => ({
    status,
    reason,
    decidedBy: { rule, threshold, controls: [], ...(decision ? { decision } : {}), ...extra },
  });

  if (!requirement.applies) {
    return outcome(
      'not_applicable',
      input.organisational ? 'organisational' : 'outside-applicability',
      `not applicable: ${requirement.reason}`,
    );
  }
  const voidNote = decision?.void
    ? ` (the recorded ${words(decision.decision)} decision is void: ${decision.void})`
    : '';
  if (decision && !decision.void) {
    const recorded = `recorded ${decision.decidedAt.slice(0, 10)}: ${decision.rationale}`;
    if (decision.decision === 'excluded')
      return outcome(
        'not_applicable',
        'excluded',
        `not applicable: excluded for this system with a recorded reason (${recorded})`,
      );
    if (decision.decision === 'alternative_measure') {
      return outcome(
        'covered',
        'hipaa-alternative-measure',
        `covered: addressable specification met by a documented equivalent alternative measure, 45 CFR 164.306(d)(3)(ii)(B)(2) (${recorded})`,
      );
    }
    return outcome(
      'not_applicable',
      'hipaa-not-reasonable-and-appropriate',
      `not applicable: addressable specification documented as not reasonable and appropriate for this system, with no reasonable ` +
        `and appropriate equivalent alternative, 45 CFR 164.306(d)(3)(ii)(B) (${recorded})`,
    );
  }

  const sufficientHolding = controls.filter((c) => c.sufficient && holds(c));
  if (sufficientHolding.length > 0) {
    return outcome(
      'covered',
      'sufficient-control',
      `covered: ${sufficientHolding.map(describe).join('; ')}${voidNote}`,
      {
        controls: sufficientHolding.map(deciding),
      },
    );
  }
  const byCode = new Map(controls.map((c) => [c.code, c]));
  const sets = input.jointSets.map((set) => ({
    set,
    members: set.controls.map((code) => byCode.get(code)).filter((c): c is CoverageControl => c !== undefined),
    missing: set.controls.filter((code) => !byCode.get(code) || !holds(byCode.get(code)!)),
  }));
  const heldSet = sets.find((s) => s.missing.length === 0);
  if (heldSet) {
    return outcome(
      'covered',
      'jointly-sufficient-set',
      `covered by the jointly-sufficient set ${heldSet.set.controls.join(' + ')} (${heldSet.set.reason}): ${heldSet.members.map(describe).join('; ')}${voidNote}`,
      {
        controls: heldSet.members.map(deciding),
        jointSet: { controls: heldSet.set.controls, reason: heldSet.set.reason, missing: [] },
      },
    );
  }
  const nearestSet = [...sets].sort((a, b) => a.missing.length - b.missing.length)[0];
  const jointSet = nearestSet
    ? { jointSet: { controls: nearestSet.set.controls, reason: nearestSet.set.reason, missing: nearestSet.missing } }
    : {};
  const setNote = nearestSet
    ? `; the jointly-sufficient set ${nearestSet.set.controls.join(' + ')} lacks ${nearestSet.missing.join(', ')}`
    : '';

  if (controls.length > 0 && controls.every((c) => c.status === 'not_applicable')) {
    if (input.hipaa === null) {
      const why = controls.map((c) => `${c.code}: ${input.justificationOf(c.code) ?? 'no justification'}`).join('; ');
      return outcome(
        'not_applicable',
        'controls-not-applicable',
        `not applicable: every mapped control is marked not applicable (${why})`,
        {
          controls: controls.map(deciding),
        },
      );
    }
  }
  const hipaaNote =
    input.hipaa !== null && controls.some((c) => c.status === 'not_applicable')
      ? input.hipaa === 'required'
        ? '; a required HIPAA specification is not made not applicable by its controls (45 CFR 164.306(d)(2))'
        : '; an addressable HIPAA specification is implemented, met by a documented alternative or documented as not reasonable and appropriate, never not applicable (45 CFR 164.306(d)(3))'
      : '';

  const activeControls = controls.filter(active);
  if (activeControls.length > 0) {
    const sufficientIdle = controls.filter((c) => c.sufficient && !active(c));
    const shown = [...activeControls, ...sufficientIdle];
    return outcome(
      'partial',
      'no-sufficient-path',
      `partial: ${activeControls.map(describe).join('; ')}; but no sufficient path holds` +
        `${sufficientIdle.length > 0 ? ` (sufficient: ${sufficientIdle.map(describe).join('; ')})` : noSufficientNote(controls, threshold)}` +
        `${setNote}${hipaaNote}${voidNote}`,
      { controls: shown.map(deciding), ...jointSet },
    );
  }
  if (controls.length === 0)
    return outcome('gap', 'nothing-in-place', `gap: no control in the library maps to this requirement${voidNote}`);
  const sufficient = controls.filter((c) => c.sufficient);
  return outcome(
    'gap',
    'nothing-in-place',
    `gap: no mapped control is implemented, in progress or has current accepted evidence for this requirement` +
      `${sufficient.length > 0 ? `; it would be covered by ${sufficient.map((c) => `${mappingText(c)} once implemented with current accepted evidence`).join(', or ')}` : noSufficientNote(controls, threshold)}` +
      `${setNote}${hipaaNote}${voidNote}`,
    { controls: controls.map(deciding), ...jointSet },
  );
}

function noSufficientNote(controls: CoverageControl[], threshold: number): string {
  if (controls.some((c) => c.sufficient)) return '';
  return `; no mapping is sufficient (${SUFFICIENT_RELATIONSHIPS.join(', ')} with strength >= ${threshold})`;
}

function mappingText(control: CoverageControl): string {
  return `${control.code} ${control.relationship} (strength ${control.strength}${control.sufficient ? ', sufficient' : ''})`;
}

/** "AIG-SEC-03 superset-of (strength 8, sufficient) is implemented with current accepted evidence 1a2b3c4d "Title"". */
function describe(control: CoverageControl): string {
  const current = control.evidence.filter((e) => e.current);
  const cited = current
    .slice(0, EVIDENCE_NAMED_IN_REASON)
    .map((e) => `${e.id.slice(0, 8)} "${e.title}"`)
    .join(', ');
  const more =
    current.length > EVIDENCE_NAMED_IN_REASON ? ` and ${current.length - EVIDENCE_NAMED_IN_REASON} more` : '';
  const evidence = current.length > 0 ? `current accepted evidence ${cited}${more}` : '';
  const stale =
    control.evidence.length > 0 && current.length === 0
      ? `no current accepted evidence (${staleSummary(control.evidence)})`
      : 'no current accepted evidence';
  let state: string;
  if (control.status === 'implemented')
    state = current.length > 0 ? `is implemented with ${evidence}` : `is implemented, but has ${stale}`;
  else if (current.length > 0) state = `has ${evidence}, but is ${words(control.status)}`;
  else state = `is ${words(control.status)}`;
  return `${mappingText(control)} ${state}`;
}

function staleSummary(evidence: CoverageEvidence[]): string {
  return evidence
    .slice(0, EVIDENCE_NAMED_IN_REASON)
    .map((e) => `${e.id.slice(0, 8)} ${e.staleReason ?? e.reviewStatus}`)
    .join(', ');
}

function words(value: string): string {
  return value.replace(/_/g, ' ');
}
