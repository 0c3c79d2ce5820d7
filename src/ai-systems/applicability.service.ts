import { Injectable } from '@nestjs/common';
import { ApplicabilityFacts, evaluate } from '../catalog/applicability-rules';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { AiSystemEntity } from './entities/ai-system.entity';

export interface FrameworkApplicability {
  framework: string;
  name: string;
  applies: boolean;
  /** Each rule that fired, by id and reason; empty when the framework does not apply. */
  rules: Array<{ id: string; reason: string }>;
}

export interface RequirementApplicability {
  requirementId: string;
  framework: string;
  ref: string;
  title: string;
  applies: boolean;
  /** Why it applies (the framework or requirement rule) or why not (organisational, a condition not met). */
  reason: string;
  rule: string | null;
}

export interface SystemApplicability {
  frameworks: FrameworkApplicability[];
  requirements: RequirementApplicability[];
}

export function effectiveRiskTier(system: AiSystemEntity): string {
  return system.riskTierOverride ?? system.computedRiskTier;
}

export function factsOf(system: AiSystemEntity): ApplicabilityFacts {
  return {
    personalData: system.personalData,
    specialCategoryData: system.specialCategoryData,
    phi: system.phi,
    childrensData: system.childrensData,
    soc2InScope: system.soc2InScope,
    significantDecisions: system.significantDecisions,
    thirdParty: system.thirdPartyModels.length > 0 || system.vendor.trim() !== '',
    modelKind: system.modelKind,
    lifecycleStage: system.lifecycleStage,
    autonomy: system.autonomy,
    useCaseDomain: system.useCaseDomain,
    riskTier: effectiveRiskTier(system),
    jurisdictions: system.jurisdictions,
  };
}

/** Evaluates policies/applicability.yaml for one system; every answer names the rule that decided it. */
@Injectable()
export class ApplicabilityService {
  constructor(
    private readonly policies: PolicyLoader,
    private readonly index: CatalogIndex,
  ) {}

  async evaluate(system: AiSystemEntity, snapshot?: CatalogSnapshot): Promise<SystemApplicability> {
    const catalog = snapshot ?? (await this.index.get());
    const { frameworkRules, requirementRules } = this.policies.policies.applicability;
    const facts = factsOf(system);
    const frameworks: FrameworkApplicability[] = catalog.frameworks.map((f) => {
      const rules = frameworkRules.filter((r) => r.framework === f.key && evaluate(r.when, facts)).map((r) => ({ id: r.id, reason: r.reason }));
      return { framework: f.key, name: f.name, applies: rules.length > 0, rules };
    });
    const applies = new Map(frameworks.map((f) => [f.framework, f]));
    const requirements: RequirementApplicability[] = [];
    for (const framework of catalog.frameworks) {
      const frameworkResult = applies.get(framework.key)!;
      for (const leaf of catalog.leavesByFramework.get(framework.key) ?? []) {
        const base = { requirementId: leaf.id, framework: framework.key, ref: leaf.ref, title: leaf.title };
        if (!frameworkResult.applies) {
          requirements.push({ ...base, applies: false, reason: `${framework.name} does not apply to this system`, rule: null });
          continue;
        }
        if (leaf.organisationalReason) {
          requirements.push({ ...base, applies: false, reason: `Organisational, not per system: ${leaf.organisationalReason}`, rule: null });
          continue;
        }
        const targeting = requirementRules.filter((r) => r.framework === framework.key && r.refs.includes(leaf.ref));
        if (targeting.length === 0) {
          const first = frameworkResult.rules[0];
          requirements.push({ ...base, applies: true, reason: first.reason, rule: first.id });
          continue;
        }
        const fired = targeting.find((r) => evaluate(r.when, facts));
        requirements.push(
          fired
            ? { ...base, applies: true, reason: fired.reason, rule: fired.id }
            : { ...base, applies: false, reason: `Condition not met: ${targeting[0].reason}`, rule: targeting[0].id },
        );
      }
    }
    return { frameworks, requirements };
  }
}
