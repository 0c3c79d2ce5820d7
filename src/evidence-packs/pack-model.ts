/**
 * Everything an evidence pack shows, assembled from the database as of one instant (EvidencePackAssembler) and
 * rendered by the Handlebars templates in templates/evidence-pack/. Plain data: no entity leaks into a template.
 */
export interface PackModel {
  packId: string;
  generatedAt: string;
  asOf: string;
  title: string;
  scope: {
    kind: 'system' | 'audit';
    audit?: { id: string; name: string; periodStart: string; periodEnd: string; auditors: string[] };
    systems: PackSystem[];
    frameworks: Array<{ key: string; name: string; version: string }>;
  };
  /** One entry per system x framework. */
  coverage: PackCoverage[];
  controlMatrix: PackControlRow[];
  evidenceIndex: PackEvidence[];
  openRemediation: PackTask[];
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

export interface PackSystem {
  id: string;
  name: string;
  purpose: string;
  owner: string;
  lifecycleStage: string;
  modelKind: string;
  modelVersion: string;
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

export interface PackRequirement {
  ref: string;
  title: string;
  status: 'covered' | 'partial' | 'gap' | 'not_applicable';
  /** The coverage rule's reason as the API gives it (evidence cited by id). */
  reason: string;
  /** What decided the status, structured, so the pack can cite evidence by its pack reference. */
  decidedBy: PackDecidedBy;
  controls: PackMappedControl[];
}

export interface PackDecidedBy {
  rule: string;
  threshold: number;
  controls: Array<{
    code: string;
    relationship: string;
    strength: number;
    sufficient: boolean;
    status: string;
    evidence: string[];
  }>;
  jointSet?: { controls: string[]; reason: string; missing: string[] };
}

/** A control mapped to a requirement, with the evidence behind it (relevant to that requirement). */
export interface PackMappedControl {
  code: string;
  title: string;
  relationship: string;
  strength: number;
  /** Relationship and strength alone can cover the requirement (policies/coverage.yaml). */
  sufficient: boolean;
  status: string;
  evidence: PackCitedEvidence[];
}

export interface PackCitedEvidence {
  id: string;
  title: string;
  sha256: string;
  current: boolean;
}

export interface PackControlRow {
  systemName: string;
  code: string;
  title: string;
  status: string;
  owner: string;
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
