import { ApplicabilityPolicy, parseApplicability } from '../catalog/applicability-rules';
import type { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import type { FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import type { FrameworkDef } from '../catalog/catalog-defs';
import { loadPolicySet } from '../catalog/policy-files';
import type { PolicyLoader } from '../catalog/policy-loader.service';
import { PolicyError } from '../common/policy-error';
import { ApplicabilityService } from './applicability.service';
import { AiSystemEntity } from './entities/ai-system.entity';

// A small GDPR-shaped catalog: Art. 33 with paragraphs, Art. 35 with a paragraph that has points, Art. 27 a leaf.
const TREE: Array<[ref: string, parent: string | null, organisational?: string]> = [
  ['Ch.IV', null],
  ['Art. 27', 'Ch.IV'],
  ['Art. 33', 'Ch.IV'],
  ['Art. 33(1)', 'Art. 33'],
  ['Art. 33(2)', 'Art. 33'],
  ['Art. 35', 'Ch.IV'],
  ['Art. 35(1)', 'Art. 35'],
  ['Art. 35(7)', 'Art. 35'],
  ['Art. 35(7)(a)', 'Art. 35(7)'],
  ['Art. 35(7)(b)', 'Art. 35(7)'],
  ['Art. 35(10)', 'Art. 35', 'Addressed to member-state law.'],
];

function catalog(): CatalogSnapshot {
  const requirements = TREE.map(([ref, parentRef, organisationalReason], position) => ({
    id: `id-${ref}`,
    frameworkKey: 'gdpr',
    ref,
    parentRef,
    title: ref,
    isLeaf: !TREE.some(([, parent]) => parent === ref),
    position,
    organisationalReason: organisationalReason ?? null,
  })) as unknown as RequirementEntity[];
  const frameworks = [{ key: 'gdpr', name: 'GDPR' }] as FrameworkEntity[];
  return {
    frameworks,
    requirements,
    leavesByFramework: new Map([['gdpr', requirements.filter((r) => r.isLeaf)]]),
  } as unknown as CatalogSnapshot;
}

function policy(requirements: unknown[]): ApplicabilityPolicy {
  const problems: PolicyError[] = [];
  const defs = [{ key: 'gdpr', requirements: TREE.map(([ref]) => ({ ref })) }] as unknown as FrameworkDef[];
  const frameworks = [
    { id: 'gdpr-in', framework: 'gdpr', when: { personalData: true }, reason: 'In scope.', basis: 'Art. 3(1)' },
  ];
  const parsed = parseApplicability({ frameworks, requirements }, 'policies/applicability.yaml', defs, problems);
  expect(problems).toEqual([]);
  return parsed;
}

function system(over: Partial<AiSystemEntity>): AiSystemEntity {
  return Object.assign(new AiSystemEntity(), {
    personalData: true,
    specialCategoryData: false,
    phi: false,
    childrensData: false,
    significantDecisions: false,
    thirdPartyModels: [],
    vendor: '',
    jurisdictions: [],
    soc2Categories: [],
    hipaaRole: null,
    gdprEstablishment: true,
    gdprOffersToEu: null,
    gdprMonitorsEu: null,
    gdprRole: null,
    gdprConsentBasis: null,
    gdprCriminalData: null,
    gdprPublicBody: null,
    gdprLargeScaleMonitoring: null,
    gdprLargeScaleSensitiveData: null,
    gdprThirdCountryTransfers: null,
    gdprArchivingOrResearch: null,
    computedRiskTier: 'minimal',
    riskTierOverride: null,
    ...over,
  });
}

async function applicability(rules: unknown[], over: Partial<AiSystemEntity>) {
  const snapshot = catalog();
  const service = new ApplicabilityService(
    {
      policies: { applicability: policy(rules), obligations: { framework: 'eu-ai-act', rules: [] } },
    } as unknown as PolicyLoader,
    { get: () => Promise.resolve(snapshot) } as unknown as CatalogIndex,
  );
  const result = await service.evaluate(system(over));
  return new Map(result.requirements.map((r) => [r.ref, r]));
}

const controllerDuties = {
  id: 'controller-duties',
  framework: 'gdpr',
  refs: ['Art. 35'],
  when: { gdprRole: ['controller', null] },
  reason: 'Controller duty.',
  basis: 'Art. 35(1)',
};
const dpiaNeeded = {
  id: 'dpia',
  framework: 'gdpr',
  refs: ['Art. 35(7)'],
  when: { significantDecisions: true },
  reason: 'High risk.',
  basis: 'Art. 35(3)(a)',
};
const processorNotice = {
  id: 'processor-notice',
  framework: 'gdpr',
  refs: ['Art. 33(2)'],
  when: { gdprRole: ['processor', null] },
  reason: 'Processor tells the controller.',
  basis: 'Art. 33(2)',
};
const controllerNotice = {
  id: 'controller-notice',
  framework: 'gdpr',
  refs: ['Art. 33(1)'],
  when: { gdprRole: ['controller', null] },
  reason: 'Controller notifies the authority.',
  basis: 'Art. 33(1)',
};

describe('ApplicabilityService: requirement rules over the catalog tree', () => {
  it('a rule on a parent ref reaches every leaf below it, however deep', async () => {
    const processor = await applicability([controllerDuties], { gdprRole: 'processor' });
    for (const ref of ['Art. 35(1)', 'Art. 35(7)(a)', 'Art. 35(7)(b)']) {
      expect(processor.get(ref)).toMatchObject({ applies: false, rule: 'controller-duties', basis: 'Art. 35(1)' });
    }
    expect(processor.get('Art. 27')).toMatchObject({ applies: true, rule: 'gdpr-in', basis: 'Art. 3(1)' });
    const controller = await applicability([controllerDuties], { gdprRole: 'controller' });
    expect(controller.get('Art. 35(7)(a)')).toMatchObject({ applies: true, rule: 'controller-duties', assumed: [] });
  });

  it('every rule reaching a leaf must fire, and the most specific one is named', async () => {
    const rules = [controllerDuties, dpiaNeeded];
    const lowRisk = await applicability(rules, { gdprRole: 'controller' });
    expect(lowRisk.get('Art. 35(7)(a)')).toMatchObject({
      applies: false,
      rule: 'dpia',
      reason: 'Condition not met (Art. 35(3)(a)): High risk.',
    });
    expect(lowRisk.get('Art. 35(1)')).toMatchObject({ applies: true, rule: 'controller-duties' });
    const highRisk = await applicability(rules, { gdprRole: 'controller', significantDecisions: true });
    expect(highRisk.get('Art. 35(7)(b)')).toMatchObject({
      applies: true,
      rule: 'dpia',
      basis: 'Art. 35(3)(a)',
      reason: 'High risk. Controller duty.',
    });
    const processor = await applicability(rules, { gdprRole: 'processor', significantDecisions: true });
    expect(processor.get('Art. 35(7)(b)')).toMatchObject({ applies: false, rule: 'controller-duties' });
  });

  it('paragraph rules split duties by role, and an unanswered role is assumed with the fact named', async () => {
    const rules = [processorNotice, controllerNotice];
    const processor = await applicability(rules, { gdprRole: 'processor' });
    expect([processor.get('Art. 33(1)')!.applies, processor.get('Art. 33(2)')!.applies]).toEqual([false, true]);
    const controller = await applicability(rules, { gdprRole: 'controller' });
    expect([controller.get('Art. 33(1)')!.applies, controller.get('Art. 33(2)')!.applies]).toEqual([true, false]);
    const unanswered = await applicability(rules, {});
    expect(unanswered.get('Art. 33(2)')).toMatchObject({ applies: true, assumed: ['gdprRole'] });
  });

  it('organisational leaves stay organisational whatever the rules say', async () => {
    const result = await applicability([controllerDuties], { gdprRole: 'controller' });
    expect(result.get('Art. 35(10)')).toMatchObject({
      applies: false,
      rule: null,
      reason: 'Organisational, not per system: Addressed to member-state law.',
    });
  });
});

/**
 * The framework rules of the shipped policies/applicability.yaml, one framework at a time: which facts bring each
 * framework in (with the rule and the provision named), which leave it out, and which unanswered fact it is assumed
 * on. Read from the real policy set, so a change of a rule there that changes behaviour shows here.
 */
describe('ApplicabilityService: the framework rules of policies/applicability.yaml', () => {
  const policies = loadPolicySet();
  const snapshot = {
    frameworks: policies.frameworks.map((f) => ({ key: f.key, name: f.name })),
    requirements: [],
    leavesByFramework: new Map(),
  } as unknown as CatalogSnapshot;
  const service = new ApplicabilityService(
    { policies } as unknown as PolicyLoader,
    { get: () => Promise.resolve(snapshot) } as unknown as CatalogIndex,
  );
  /** A predictive model with no personal data, no PHI, no SOC 2 scope and no EU nexus; `over` adds facts. */
  const facts = (over: Partial<AiSystemEntity>) =>
    system({
      personalData: false,
      gdprEstablishment: false,
      gdprOffersToEu: false,
      gdprMonitorsEu: false,
      modelKind: 'predictive',
      internetFacing: false,
      usesRag: false,
      agentTools: false,
      aiActEuNexus: false,
      aiActRole: null,
      prohibitedPractices: [],
      transparencyTriggers: [],
      annexIIIArea: null,
      annexIIIPoint: null,
      annexIProduct: false,
      gpaiModel: 'none',
      ...over,
    });
  const framework = async (key: string, over: Partial<AiSystemEntity> = {}) => {
    const result = await service.evaluate(facts(over), snapshot);
    const found = result.frameworks.find((f) => f.framework === key);
    if (!found) throw new Error(`no framework ${key} in policies/`);
    return {
      applies: found.applies,
      rules: found.rules.map((r) => r.id),
      assumed: found.rules.flatMap((r) => r.assumed),
    };
  };

  it('applies the AI management frameworks to every AI system', async () => {
    for (const key of ['nist-ai-rmf-1.0', 'iso-iec-42001', 'mitre-atlas'])
      expect(await framework(key)).toMatchObject({ applies: true, assumed: [] });
  });

  it('applies the generative-AI profiles only to generative models', async () => {
    for (const key of ['nist-ai-600-1', 'owasp-llm-top10-2025']) {
      expect((await framework(key)).applies).toBe(false);
      expect((await framework(key, { modelKind: 'generative' })).applies).toBe(true);
    }
  });

  it('applies the HIPAA Security Rule to PHI of a covered entity or business associate, assuming an unanswered role', async () => {
    expect((await framework('hipaa-security', { hipaaRole: 'covered_entity' })).applies).toBe(false);
    expect(await framework('hipaa-security', { phi: true, hipaaRole: 'covered_entity' })).toMatchObject({
      applies: true,
      rules: ['hipaa-covered-entity'],
    });
    expect(await framework('hipaa-security', { phi: true, hipaaRole: 'business_associate' })).toMatchObject({
      rules: ['hipaa-business-associate'],
    });
    expect(await framework('hipaa-security', { phi: true, hipaaRole: null })).toMatchObject({
      applies: true,
      assumed: ['hipaaRole'],
    });
  });

  it('applies the GDPR by each route of Art. 3, to personal data only, and assumes it while Art. 3 is unanswered for people in the EU', async () => {
    expect((await framework('gdpr', { gdprEstablishment: true })).applies).toBe(false);
    expect((await framework('gdpr', { personalData: true })).applies).toBe(false);
    expect((await framework('gdpr', { personalData: true, gdprEstablishment: true })).rules).toEqual([
      'gdpr-art-3-1-establishment',
    ]);
    expect((await framework('gdpr', { personalData: true, gdprOffersToEu: true })).rules).toEqual([
      'gdpr-art-3-2-a-offering',
    ]);
    expect((await framework('gdpr', { personalData: true, gdprMonitorsEu: true })).rules).toEqual([
      'gdpr-art-3-2-b-monitoring',
    ]);
    const unanswered = { personalData: true, gdprEstablishment: null, gdprOffersToEu: null, gdprMonitorsEu: null };
    expect((await framework('gdpr', { ...unanswered, jurisdictions: ['US'] })).applies).toBe(false);
    expect(await framework('gdpr', { ...unanswered, jurisdictions: ['DE'] })).toMatchObject({
      applies: true,
      rules: ['gdpr-art-3-unanswered'],
    });
  });

  it('applies the AI Act on an EU nexus (Art. 2(1)), and assumes it while the nexus is unanswered for the Union only', async () => {
    expect((await framework('eu-ai-act')).applies).toBe(false);
    expect(await framework('eu-ai-act', { aiActEuNexus: true })).toMatchObject({
      applies: true,
      rules: ['ai-act-eu-nexus'],
    });
    const unanswered = { aiActEuNexus: null } as Partial<AiSystemEntity>;
    expect((await framework('eu-ai-act', { ...unanswered, jurisdictions: ['NO'] })).applies).toBe(false);
    expect(await framework('eu-ai-act', { ...unanswered, jurisdictions: ['FR'] })).toMatchObject({
      applies: true,
      rules: ['ai-act-eu-nexus-unanswered'],
    });
  });

  it('applies SOC 2 only to a system inside the report, through the security category', async () => {
    expect((await framework('soc2-tsc-2017')).applies).toBe(false);
    expect((await framework('soc2-tsc-2017', { soc2Categories: ['availability'] })).applies).toBe(false);
    expect(await framework('soc2-tsc-2017', { soc2Categories: ['security', 'availability'] })).toMatchObject({
      applies: true,
      rules: ['soc2-security-common-criteria'],
    });
  });
});
