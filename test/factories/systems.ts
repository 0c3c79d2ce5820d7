import type { CreateAiSystemDto } from '../../src/ai-systems/dto/ai-system.dto';

/** A system that brings in all four frameworks: PHI of a covered entity (HIPAA), an EU establishment (GDPR), SOC 2 scope, NIST always. */
export function allFrameworksSystem(overrides: Partial<CreateAiSystemDto> = {}): CreateAiSystemDto {
  return {
    name: 'Clinical triage assistant',
    purpose: 'Suggests triage levels to nurses from symptom descriptions.',
    owner: 'Clinical AI team',
    lifecycleStage: 'deployed',
    modelKind: 'generative',
    useCaseDomain: 'healthcare',
    vendor: 'Example LLM Vendor',
    thirdPartyModels: ['vendor-llm-2026'],
    autonomy: 'human_in_the_loop',
    humanOversight: 'A nurse confirms every suggestion.',
    significantDecisions: true,
    personalData: true,
    specialCategoryData: true,
    phi: true,
    childrensData: false,
    jurisdictions: ['US', 'DE'],
    // A German hospital group's system also used for US patients: a covered entity, established in the EU, the
    // controller; every SOC 2 category. The article-level GDPR questions stay unanswered (assumed to apply).
    hipaaRole: 'covered_entity',
    gdprEstablishment: true,
    gdprRole: 'controller',
    soc2Categories: ['security', 'availability', 'confidentiality', 'processing_integrity', 'privacy'],
    // The hospital group deploys the vendor's assistant in the EU for emergency triage (AI Act Art. 2(1)(b), Annex
    // III.5(d)), as a provider of public healthcare services (Art. 27); no banned practice, no Annex I device claim.
    aiActEuNexus: true,
    aiActRole: 'deployer',
    aiActPublicSector: 'public_service',
    prohibitedPractices: [],
    annexIProduct: false,
    annexIIIArea: '5',
    annexIIIPoint: '5(d)',
    transparencyTriggers: [],
    gpaiModel: 'none',
    modelVersion: '1.0.0',
    trainingDataVersion: '2026-10',
    ...overrides,
  };
}

export function minimalSystem(overrides: Partial<CreateAiSystemDto> = {}): CreateAiSystemDto {
  return {
    name: 'Internal code helper',
    purpose: 'Suggests code completions to engineers.',
    owner: 'Platform team',
    lifecycleStage: 'development',
    modelKind: 'rules',
    useCaseDomain: 'software_engineering',
    autonomy: 'human_in_the_loop',
    // Used only outside the Union: the AI Act's questions do not arise (Art. 2(1)).
    aiActEuNexus: false,
    ...overrides,
  };
}
