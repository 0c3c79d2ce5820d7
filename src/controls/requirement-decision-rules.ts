import type { RequirementDecision } from './entities/requirement-decision.entity';

/** The framework and attribute a decision depends on (a catalog requirement). */
export interface DecidableRequirement {
  frameworkKey: string;
  ref: string;
  attributes: Record<string, string>;
}

export interface DecisionRuleViolation {
  /** The rule that forbids the decision, as cited: `164.306(d)(2)`, `164.306(d)(3)`. */
  rule: string;
  message: string;
}

const HIPAA = 'hipaa-security';

/** HIPAA leaves without the attribute are standards that have no separate specifications: they bind like required ones. */
export function hipaaImplementation(requirement: DecidableRequirement): 'required' | 'addressable' | null {
  if (requirement.frameworkKey !== HIPAA) return null;
  return requirement.attributes.implementation === 'addressable' ? 'addressable' : 'required';
}

/**
 * Which per-system decisions a requirement admits (45 CFR 164.306(d)): a required HIPAA specification is implemented,
 * never excluded or replaced; an addressable one is implemented, met by a documented equivalent alternative measure,
 * or documented as not reasonable and appropriate, but never plainly excluded; a requirement of any other framework
 * may be excluded for a system with a recorded reason and takes no HIPAA decision. Null when the decision is allowed.
 */
export function decisionRuleViolation(
  requirement: DecidableRequirement,
  decision: RequirementDecision,
): DecisionRuleViolation | null {
  const implementation = hipaaImplementation(requirement);
  if (implementation === 'required') {
    return {
      rule: '164.306(d)(2)',
      message:
        `HIPAA ${requirement.ref} is a required implementation specification (or a standard without separate ones): ` +
        'it must be implemented and cannot be excluded, replaced by an alternative or documented away (45 CFR 164.306(d)(2))',
    };
  }
  if (implementation === 'addressable' && decision === 'excluded') {
    return {
      rule: '164.306(d)(3)',
      message:
        `HIPAA ${requirement.ref} is an addressable implementation specification: it is never simply not applicable. Implement it, ` +
        'record alternative_measure (a documented equivalent alternative measure) or not_reasonable_and_appropriate (with the ' +
        'documented reason) (45 CFR 164.306(d)(3))',
    };
  }
  if (implementation === null && decision !== 'excluded') {
    return {
      rule: '164.306(d)(3)',
      message: `${decision} applies only to HIPAA addressable implementation specifications (45 CFR 164.306(d)(3)); exclude ${requirement.ref} with a reason instead`,
    };
  }
  return null;
}
