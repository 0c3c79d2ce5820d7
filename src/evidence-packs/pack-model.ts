import type { CoverageControl, CoverageEvidence, DecidingControl, RequirementCoverage } from '../controls/coverage';

/**
 * Everything an evidence pack shows, assembled from the database as of one instant (EvidencePackAssembler) and
 * rendered by the Handlebars templates in templates/evidence-pack/. Plain data: no entity leaks into a template.
 */
export interface PackModel {
  packId: string;
  generatedAt: string;
  asOf: string;
  /** Generated before the audit period ended: the cover and every footer say INTERIM. */
  interim: boolean;
  title: string;
  /** The installation's signing key (manifest.sig); null where none is configured. */
  signingKey: PackSigningKey | null;
  scope: {
    kind: 'system' | 'audit';
    audit?: PackAudit;
    systems: PackSystem[];
    frameworks: Array<{ key: string; name: string; version: string }>;
  };
  /** One entry per system x framework. */
  coverage: PackCoverage[];
  controlMatrix: PackControlRow[];
  evidenceIndex: PackEvidence[];
  /** Failed or exception tests, evidence expired, missing or rejected, missed reviews, overdue remediation. */
  exceptions: PackException[];
  /** Open tasks of kind remediation; the other task kinds are counted in `otherOpenTasks`. */
  openRemediation: PackTask[];
  otherOpenTasks: Record<string, number>;
  /** Per system, the threat model GET /systems/:id/threats gives. */
  threatCoverage: PackThreatModel[];
  /** Incidents touching the systems in the pack's window. */
  incidents: PackIncidents;
  auditLog: {
    headSeq: number;
    headHash: string;
    chainValid: boolean;
    entries: number;
    problem: string | null;
    checkedAt: string;
  };
  requestedBy: string;
}

export interface PackSigningKey {
  algorithm: string;
  /** SHA-256 of the public key, as GET /api/v1/signing-key gives it. */
  fingerprint: string;
}

export interface PackAudit {
  id: string;
  name: string;
  type: 'point_in_time' | 'period';
  periodStart: string;
  periodEnd: string;
  auditors: string[];
  /** The management assertion; null when none was entered. */
  assertion: { text: string; signedBy: string | null; signedAt: string | null } | null;
}

export interface PackSystem {
  id: string;
  name: string;
  purpose: string;
  owner: string;
  lifecycleStage: string;
  modelKind: string;
  modelVersion: string;
  useCaseDomain: string;
  vendor: string;
  thirdPartyModels: string[];
  autonomy: string;
  humanOversight: string;
  significantDecisions: boolean;
  /** The kinds of data it processes (personal, special category, PHI, children's) and where. */
  data: string[];
  jurisdictions: string[];
  trainingDataVersion: string;
  riskTier: string;
  riskTierReason: string;
  /** Frameworks that apply and why (the rule that fired). */
  applicability: Array<{ framework: string; applies: boolean; reasons: string[] }>;
  /** The EU AI Act articles that bind the system as of the pack (absent in packs built before they were tracked). */
  aiAct?: PackAiAct;
}

export interface PackAiAct {
  applies: boolean;
  role: string | null;
  obligations: Array<{
    article: string;
    title: string;
    appliesFrom: string;
    appliesAsOf: boolean;
    status: string;
    basis: string;
    rule: string;
  }>;
}

export interface PackCoverage {
  systemId: string;
  systemName: string;
  framework: string;
  frameworkName: string;
  applicable: number;
  covered: number;
  partial: number;
  gap: number;
  notApplicable: number;
  percent: number;
  requirements: PackRequirement[];
}

/** A requirement as CoverageService judged it, without the entity ids and the decision record. */
export interface PackRequirement extends Pick<RequirementCoverage, 'ref' | 'title' | 'status' | 'reason'> {
  /** What decided the status, structured, so the pack can cite evidence by its pack reference. */
  decidedBy: PackDecidedBy;
  controls: PackMappedControl[];
}

export interface PackDecidedBy {
  rule: string;
  threshold: number;
  controls: DecidingControl[];
  jointSet?: { controls: string[]; reason: string; missing: string[] };
}

/** A control mapped to a requirement (CoverageControl), its evidence cited by id, hash and currency. */
export interface PackMappedControl extends Omit<CoverageControl, 'evidence'> {
  evidence: PackCitedEvidence[];
}

export type PackCitedEvidence = Pick<CoverageEvidence, 'id' | 'title' | 'sha256' | 'current'>;

export interface PackControlRow {
  systemName: string;
  code: string;
  title: string;
  objective: string;
  testProcedure: string;
  reviewFrequency: string;
  /** The status as of the pack, and since when (null when the history does not say). */
  status: string;
  statusSince: string | null;
  /** The named owner (display name and e-mail), else the owner text recorded on the implementation. */
  owner: string;
  /** Tests of the control on this system performed in the period (or up to as-of for a system pack). */
  tests: PackControlTest[];
  lastReviewedAt: string | null;
  nextReviewDue: string | null;
  currentEvidence: number;
  frameworks: string[];
}

export interface PackEvidence {
  id: string;
  systemName: string;
  title: string;
  kind: string;
  controls: string[];
  sha256: string;
  sizeBytes: number;
  fileName: string;
  collectedAt: string;
  validUntil: string | null;
  reviewStatus: string;
  reviewer: string | null;
  current: boolean;
  staleReason: string | null;
  /** Collected within the audit period (always true for a system pack). */
  withinPeriod: boolean;
  /** What an auditor reads: rejected evidence is rejected, not stale. */
  currency: 'current' | 'stale' | 'rejected' | 'awaiting review';
}

export interface PackControlTest {
  testedAt: string;
  procedure: string;
  populationSize: number | null;
  sampleSize: number | null;
  result: string;
  tester: string;
  notes: string;
  evidenceIds: string[];
}

export type PackExceptionKind =
  | 'test_failed'
  | 'test_exception'
  | 'evidence_expired'
  | 'evidence_missing'
  | 'evidence_rejected'
  | 'review_missed'
  | 'remediation_overdue';

export interface PackException {
  kind: PackExceptionKind;
  systemName: string;
  controlCode: string | null;
  /** When it happened or became due. */
  at: string | null;
  detail: string;
}

export interface PackTask {
  id: string;
  systemName: string;
  controlCode: string | null;
  kind: string;
  title: string;
  status: string;
  priority: string;
  assignee: string | null;
  dueDate: string | null;
  overdue: boolean;
}

/** ThreatModelService's model of one system; red-team reports as of the pack, facts and control status current. */
export interface PackThreatModel {
  systemName: string;
  facts: { modelKind: string; internetFacing: boolean; usesRag: boolean; agentTools: boolean; thirdParty: boolean };
  summary: { relevant: number; mitigated: number; partial: number; gap: number };
  threats: PackThreat[];
}

export interface PackThreat {
  framework: string;
  ref: string;
  title: string;
  status: string;
  reason: string;
  rules: Array<{ id: string; reason: string }>;
  mitigations: Array<{
    ref: string;
    title: string;
    controls: Array<{ code: string; relationship: string; strength: number; sufficient: boolean; status: string }>;
  }>;
  latestRedTeam: { title: string; collectedAt: string; outcome: string; reviewStatus: string } | null;
}

export interface PackIncidents {
  /** The window becameAwareAt (or detectedAt) falls in: the audit period, or everything up to as-of. */
  from: string | null;
  to: string;
  timeZone: string;
  items: PackIncident[];
}

export interface PackIncident {
  id: string;
  title: string;
  systems: string[];
  severity: string;
  categories: string[];
  /** The status now: the pack does not rebuild the lifecycle. */
  status: string;
  detectedAt: string;
  becameAwareAt: string;
  /** Obligations as last computed; state and notifications as of the pack's as-of. */
  obligations: Array<{
    legalBasis: string;
    title: string;
    recipient: string;
    dueAt: string | null;
    dueAtLocal: string | null;
    state: string;
    notifications: Array<{ sentAt: string; recipient: string; channel: string; late: boolean }>;
  }>;
}
