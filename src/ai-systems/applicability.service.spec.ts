import { ApplicabilityPolicy, parseApplicability } from '../catalog/applicability-rules';
import type { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import type { FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import type { FrameworkDef } from '../catalog/catalog-defs';
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
