import type { ControlEntity } from '../../catalog/entities/catalog.entities';
import type { CatalogSnapshot } from '../../catalog/catalog-index';
import { invalid } from '../../common/domain-errors';
import { iso } from '../../common/time';
import { REVIEW_INTERVAL_DAYS } from '../../catalog/review-frequency';
import type { UploadEvidenceDto } from '../dto/evidence.dto';
import type { EvidenceKind, MetricDirection, RedTeamOutcome } from '../entities/evidence.entity';
import { atlasTechniqueIds } from '../red-team';
import type { EvidenceKindPolicy } from './evidence-kind-policy';

const DAY_MS = 86_400_000;

export interface EvaluationMetric {
  name: string;
  value: number;
  threshold: number;
  direction: MetricDirection;
  unit?: string;
}

/** An evaluation file as its schema (policies/evidence-kinds/evaluation.schema.json) guarantees it. */
export interface Evaluation {
  model: { name: string; version: string };
  dataset: { name: string; version: string };
  metrics: EvaluationMetric[];
}

export interface RedTeamFields {
  atlasTechniqueIds: string[];
  redTeamOutcome: RedTeamOutcome;
}

/** What a structured file says that the server acts on; both null for a kind without structure or a document. */
export interface StructuredContent {
  evaluation: Evaluation | null;
  redTeam: RedTeamFields | null;
}

/** higher_is_better passes at or above the threshold, lower_is_better at or below it. */
export function metricPasses(metric: Pick<EvaluationMetric, 'value' | 'threshold' | 'direction'>): boolean {
  return metric.direction === 'higher_is_better' ? metric.value >= metric.threshold : metric.value <= metric.threshold;
}

/**
 * Holds the file of a structured kind to its schema (policies/evidence-kinds/): a file that is not JSON, or breaks
 * the schema, is refused with 400 naming the JSON path, before anything is stored. A red-team report's technique ids
 * must also be ATLAS techniques of the loaded catalog.
 */
export async function readStructuredContent(
  kind: EvidenceKind,
  text: string | null,
  policy: EvidenceKindPolicy,
  catalog: CatalogSnapshot,
): Promise<StructuredContent> {
  const none: StructuredContent = { evaluation: null, redTeam: null };
  const rule = policy.kinds.get(kind);
  if (!rule || rule.checks.length === 0) return none;
  const schema = `policies/evidence-kinds/${rule.schemaFile ?? `${kind}.schema.json`}`;
  if (text === null) {
    if (!rule.jsonOnly) return none;
    throw invalid(`Evidence of kind ${kind} is a JSON file of the schema ${schema}`, { field: 'file', schema });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(`The ${kind} file is not valid JSON: ${(error as Error).message}`, { field: 'file', schema });
  }
  for (const check of rule.checks) {
    const problem = await check(data, text);
    if (problem)
      throw invalid(`The ${kind} file does not match ${schema}: ${problem.path} ${problem.message}`, {
        field: 'file',
        path: problem.path,
        schema,
      });
  }
  if (kind === 'evaluation') return { ...none, evaluation: distinctMetrics(data as Evaluation) };
  if (kind === 'red_team_report') return { ...none, redTeam: redTeamOf(data as RedTeamFile, catalog) };
  return none;
}

/** A metric named twice would draw two series as one and record two tests of one threshold. */
function distinctMetrics(evaluation: Evaluation): Evaluation {
  const seen = new Set<string>();
  evaluation.metrics.forEach((metric, i) => {
    if (seen.has(metric.name))
      throw invalid(`The evaluation file names metric "${metric.name}" twice, again at /metrics/${i}/name`, {
        field: 'file',
        path: `/metrics/${i}/name`,
      });
    seen.add(metric.name);
  });
  return evaluation;
}

interface RedTeamFile {
  techniques: Array<{ id: string; outcome: RedTeamOutcome }>;
}

function redTeamOf(file: RedTeamFile, catalog: CatalogSnapshot): RedTeamFields {
  const known = atlasTechniqueIds(catalog);
  const unknown = file.techniques.findIndex((t) => !known.has(t.id));
  if (unknown >= 0) {
    const path = `/techniques/${unknown}/id`;
    throw invalid(
      `The red_team_report file names ${file.techniques[unknown].id} at ${path}: not a technique of MITRE ATLAS`,
      {
        field: 'file',
        path,
      },
    );
  }
  return {
    atlasTechniqueIds: [...new Set(file.techniques.map((t) => t.id))].sort(),
    // One technique that succeeded is a finding: the exercise as a whole fails.
    redTeamOutcome: file.techniques.some((t) => t.outcome === 'fail') ? 'fail' : 'pass',
  };
}

/** Form fields sent beside a structured red-team file must say what the file says. */
export function assertFormAgrees(
  dto: Pick<UploadEvidenceDto, 'atlasTechniqueIds' | 'redTeamOutcome'>,
  fromFile: RedTeamFields,
): void {
  const sent = [...new Set((dto.atlasTechniqueIds ?? []).map((id) => id.trim()))].sort();
  if (sent.length > 0 && sent.join(',') !== fromFile.atlasTechniqueIds.join(','))
    throw invalid('atlasTechniqueIds differ from the techniques of the red_team_report file; send one or the other', {
      field: 'atlasTechniqueIds',
    });
  if (dto.redTeamOutcome && dto.redTeamOutcome !== fromFile.redTeamOutcome)
    throw invalid(`redTeamOutcome ${dto.redTeamOutcome} differs from the file's outcome ${fromFile.redTeamOutcome}`, {
      field: 'redTeamOutcome',
    });
}

export interface DefaultValidity {
  validUntil: string;
  /** `kind:<kind>:<days>` or `control:<code>:<frequency>:<days>` (EvidenceEntity.validUntilBasis). */
  basis: string;
}

/**
 * The valid-until of evidence whose uploader gave none: collectedAt plus the shorter of the kind's validity in
 * policy and the review interval of each of its controls (evidence should last until the next review, no longer
 * than its kind stays true). Null when neither names a period.
 */
export function defaultValidity(
  kind: EvidenceKind,
  controls: ControlEntity[],
  collectedAt: string,
  policy: EvidenceKindPolicy,
): DefaultValidity | null {
  const candidates: Array<{ days: number; basis: string }> = [];
  const kindDays = policy.kinds.get(kind)?.validityDays;
  if (kindDays) candidates.push({ days: kindDays, basis: `kind:${kind}:${kindDays}` });
  for (const control of [...controls].sort((a, b) => a.code.localeCompare(b.code))) {
    const days = REVIEW_INTERVAL_DAYS[control.reviewFrequency];
    if (days) candidates.push({ days, basis: `control:${control.code}:${control.reviewFrequency}:${days}` });
  }
  if (candidates.length === 0) return null;
  // The shortest wins; on a tie the kind's (listed first) names it.
  const chosen = candidates.reduce((best, c) => (c.days < best.days ? c : best));
  return { validUntil: iso(new Date(Date.parse(collectedAt) + chosen.days * DAY_MS)), basis: chosen.basis };
}

/** The words for a stored basis: "policy: evaluation evidence 90 days", "policy: AIG-EVL-03 reviewed quarterly, 91 days". */
export function validityBasisText(basis: string | null): string | null {
  if (!basis) return null;
  const parts = basis.split(':');
  if (parts[0] === 'kind' && parts.length === 3)
    return `policy: ${parts[1].replace(/_/g, ' ')} evidence ${parts[2]} days`;
  if (parts[0] === 'control' && parts.length === 4) return `policy: ${parts[1]} reviewed ${parts[2]}, ${parts[3]} days`;
  return `policy: ${basis}`;
}
