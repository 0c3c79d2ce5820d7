import type { RequirementApplicability } from '../ai-systems/applicability.service';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { CatalogSnapshot } from '../catalog/catalog-index';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { evidenceState } from '../evidence/staleness';
import type { ControlImplementationEntity } from './entities/control-implementation.entity';

export type RequirementStatus = 'covered' | 'partial' | 'gap' | 'not_applicable';

export interface CoverageEvidence {
  id: string;
  title: string;
  sha256: string;
  reviewStatus: string;
  current: boolean;
  staleReason: string | null;
}

export interface CoverageControl {
  code: string;
  title: string;
  relationship: string;
  strength: number;
  status: string;
  evidence: CoverageEvidence[];
}

export interface RequirementCoverage {
  requirementId: string;
  ref: string;
  title: string;
  status: RequirementStatus;
  reason: string;
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

export interface CoverageInput {
  system: AiSystemEntity;
  requirements: RequirementApplicability[];
  frameworks: Array<{ framework: string; name: string; applies: boolean }>;
  catalog: CatalogSnapshot;
  implementations: ControlImplementationEntity[];
  evidence: EvidenceWithControls[];
  at: string;
}

/**
 * "Test once, comply many": a requirement is covered when any control mapped to it is implemented and has current
 * accepted evidence; partial when a mapped control is implemented without current evidence, in progress, or has
 * current evidence but is not yet implemented; a gap otherwise. Not applicable: outside the system's applicability,
 * organisational, or every mapped control was marked not applicable with a justification.
 */
export function computeCoverage(input: CoverageInput): FrameworkCoverage[] {
  const implementationByCode = new Map(input.implementations.map((i) => [i.controlCode, i]));
  const evidenceByControl = new Map<string, CoverageEvidence[]>();
  for (const e of input.evidence) {
    const state = evidenceState(e, input.system, input.at, e.supersededAt);
    if (!state.existed) continue;
    const item = { id: e.id, title: e.title, sha256: e.sha256, reviewStatus: state.reviewStatus, current: state.current, staleReason: state.staleReason };
    for (const code of e.controlCodes) evidenceByControl.set(code, [...(evidenceByControl.get(code) ?? []), item]);
  }
  return input.frameworks.map((framework) => {
    const result: FrameworkCoverage = { ...framework, applicable: 0, covered: 0, partial: 0, gap: 0, notApplicable: 0, percent: null, requirements: [] };
    for (const requirement of input.requirements.filter((r) => r.framework === framework.framework)) {
      const controls: CoverageControl[] = (input.catalog.mappingsByRequirement.get(requirement.requirementId) ?? []).map((m) => ({
        code: m.controlCode,
        title: input.catalog.controlByCode.get(m.controlCode)?.title ?? m.controlCode,
        relationship: m.relationship,
        strength: m.strength,
        status: implementationByCode.get(m.controlCode)?.status ?? 'not_started',
        evidence: evidenceByControl.get(m.controlCode) ?? [],
      }));
      let status: RequirementStatus;
      let reason = requirement.reason;
      if (!requirement.applies) status = 'not_applicable';
      else if (controls.length > 0 && controls.every((c) => c.status === 'not_applicable')) {
        status = 'not_applicable';
        reason = `Every mapped control is marked not applicable: ${controls.map((c) => implementationByCode.get(c.code)?.justification ?? '').filter(Boolean).join('; ')}`;
      } else if (controls.some((c) => c.status === 'implemented' && c.evidence.some((e) => e.current))) status = 'covered';
      else if (controls.some((c) => c.status === 'implemented' || c.status === 'in_progress' || c.evidence.some((e) => e.current))) status = 'partial';
      else status = 'gap';
      if (status === 'not_applicable') result.notApplicable++;
      else {
        result.applicable++;
        result[status]++;
      }
      result.requirements.push({ requirementId: requirement.requirementId, ref: requirement.ref, title: requirement.title, status, reason, controls });
    }
    result.percent = result.applicable > 0 ? Math.round((result.covered / result.applicable) * 1000) / 10 : null;
    return result;
  });
}
