import type { Request } from 'express';
import type { CsvExportSpec } from '../common/csv';
import type { CoverageResponseDto, SystemControlResponseDto } from './dto/control-response.dto';

type FrameworkCoverage = CoverageResponseDto['frameworks'][number];
type RequirementRow = { framework: FrameworkCoverage; requirement: FrameworkCoverage['requirements'][number] };

const systemPart = (request: Request) => String(request.params.id).slice(0, 8);

/** The control matrix of one system: a row per control of the library with its implementation and evidence counts. */
export const CONTROL_MATRIX_CSV: CsvExportSpec<SystemControlResponseDto[], SystemControlResponseDto> = {
  fileName: (request) => `controls-${systemPart(request)}`,
  rows: (body) => body,
  columns: [
    { header: 'control', value: (c) => c.controlCode },
    { header: 'title', value: (c) => c.title },
    { header: 'domain', value: (c) => c.domain },
    { header: 'status', value: (c) => c.status },
    { header: 'justification', value: (c) => c.justification },
    { header: 'owner', value: (c) => c.ownerName ?? c.owner },
    { header: 'frameworks', value: (c) => c.frameworks },
    { header: 'evidence', value: (c) => c.evidenceCount },
    { header: 'current evidence', value: (c) => c.currentEvidenceCount },
    { header: 'stale evidence', value: (c) => c.staleEvidenceCount },
    { header: 'last reviewed', value: (c) => c.lastReviewedAt },
    { header: 'next review due', value: (c) => c.nextReviewDue },
    { header: 'review overdue', value: (c) => c.reviewOverdue },
  ],
};

/**
 * Coverage of one system: a row per requirement of each framework (one framework with ?framework=), with the
 * status, the rule that decided it and the controls it rests on, so a spreadsheet carries the reason beside the verdict.
 */
export const COVERAGE_CSV: CsvExportSpec<CoverageResponseDto, RequirementRow> = {
  fileName: (request) => `coverage-${systemPart(request)}`,
  rows: (body) =>
    body.frameworks.flatMap((framework) => framework.requirements.map((requirement) => ({ framework, requirement }))),
  columns: [
    { header: 'framework', value: (r) => r.framework.framework },
    { header: 'requirement', value: (r) => r.requirement.ref },
    { header: 'title', value: (r) => r.requirement.title },
    { header: 'status', value: (r) => r.requirement.status },
    { header: 'rule', value: (r) => r.requirement.decidedBy.rule },
    { header: 'reason', value: (r) => r.requirement.reason },
    { header: 'applicability', value: (r) => r.requirement.applicabilityReason },
    {
      header: 'controls',
      value: (r) => r.requirement.controls.map((c) => `${c.code} (${c.relationship}, ${c.status})`),
    },
  ],
};
