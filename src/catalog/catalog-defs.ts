// What the policy files define (frameworks, requirements, controls, mappings, exclusions, coverage sets), apart from
// the loader in policy-files.ts, so the per-file parsers and the coverage rules can name these types without
// importing the loader that imports them.

/**
 * What a catalog entry is. A `threat` (an ATLAS tactic, technique or sub-technique) is what an adversary does, not a
 * duty: it is never a coverage leaf and never mapped; controls map the mitigations that counter it.
 */
export const REQUIREMENT_KINDS = ['requirement', 'threat'] as const;
export const RELATIONSHIPS = ['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with'] as const;

export interface RequirementDef {
  ref: string;
  parent: string | null;
  level: string;
  title: string;
  description: string;
  attributes: Record<string, string>;
  kind: (typeof REQUIREMENT_KINDS)[number];
  isLeaf: boolean;
  position: number;
}

export interface FrameworkDef {
  key: string;
  name: string;
  version: string;
  publisher: string;
  source: string;
  licence: string;
  contentHash: string;
  file: string;
  requirements: RequirementDef[];
}

export interface MappingDef {
  framework: string;
  ref: string;
  relationship: (typeof RELATIONSHIPS)[number];
  strength: number;
  rationale: string;
}

export interface ControlDef {
  code: string;
  title: string;
  objective: string;
  domain: string;
  ownerRole: string;
  typicalEvidence: string[];
  testProcedure: string;
  reviewFrequency: string;
  mappings: MappingDef[];
  position: number;
  file: string;
}

export interface ExclusionDef {
  framework: string;
  ref: string;
  reason: string;
}

/** Controls that only together cover a requirement no single control covers (policies/coverage.yaml). */
export interface JointlySufficientSetDef {
  framework: string;
  ref: string;
  controls: string[];
  reason: string;
}

export interface CoveragePolicyDef {
  /** Minimum strength of a sufficient mapping. */
  threshold: number;
  jointlySufficient: JointlySufficientSetDef[];
}
