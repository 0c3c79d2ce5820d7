import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CatalogSnapshot } from '../../catalog/catalog-index';
import type { ControlEntity } from '../../catalog/entities/catalog.entities';
import { DomainError } from '../../common/domain-errors';
import {
  defaultEvidenceKindsDir,
  EvidenceKindPolicy,
  EvidenceKindPolicyError,
  loadEvidenceKindPolicy,
} from './evidence-kind-policy';
import {
  assertFormAgrees,
  defaultValidity,
  metricPasses,
  readStructuredContent,
  validityBasisText,
} from './structured-evidence';

const catalog = {
  requirements: [
    { frameworkKey: 'mitre-atlas', retiredAt: null, level: 'technique', ref: 'AML.T0051' },
    { frameworkKey: 'mitre-atlas', retiredAt: null, level: 'sub-technique', ref: 'AML.T0051.000' },
    { frameworkKey: 'mitre-atlas', retiredAt: null, level: 'tactic', ref: 'AML.TA0000' },
  ],
  frameworkByKey: new Map(),
} as unknown as CatalogSnapshot;

const evaluation = {
  model: { name: 'cv-rank', version: '0.9' },
  dataset: { name: 'holdout', version: '2026-11' },
  metrics: [
    { name: 'accuracy', value: 0.93, threshold: 0.9, direction: 'higher_is_better' },
    { name: 'false positive rate', value: 0.08, threshold: 0.05, direction: 'lower_is_better', unit: '' },
  ],
};
const modelCard = {
  model: { name: 'cv-rank', version: '0.9' },
  intendedUse: { primaryUses: ['ranking support for recruiters'], outOfScopeUses: ['automatic rejection'] },
  limitations: ['weaker on CVs that are not in English'],
  trainingData: { description: 'anonymised CVs 2019-2024', personalData: true },
  evaluation: { summary: 'holdout accuracy 0.93', metrics: [{ name: 'accuracy', value: 0.93 }] },
  ethicalConsiderations: ['indirect discrimination by proxy features'],
};
const aiBom = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  components: [
    { type: 'library', name: 'torch', version: '2.4.0' },
    { type: 'machine-learning-model', name: 'cv-rank', version: '0.9', 'bom-ref': 'model-cv-rank' },
  ],
};
const redTeam = {
  exercise: 'prompt injection, November',
  techniques: [
    { id: 'AML.T0051.000', outcome: 'pass' },
    { id: 'AML.T0051', outcome: 'fail' },
  ],
};

describe('structured evidence kinds (policies/evidence-kinds)', () => {
  let policy: EvidenceKindPolicy;
  beforeAll(async () => {
    policy = await loadEvidenceKindPolicy();
  });

  const read = (kind: Parameters<typeof readStructuredContent>[0], data: unknown) =>
    readStructuredContent(kind, typeof data === 'string' ? data : JSON.stringify(data), policy, catalog);
  /** The 400 a file gets: its message and the JSON path it names. */
  async function refusal(kind: Parameters<typeof readStructuredContent>[0], data: unknown) {
    try {
      await read(kind, data);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const e = error as DomainError;
      expect(e.kind).toBe('invalid');
      return { message: e.message, path: (e.details as { path?: string }).path };
    }
    throw new Error('expected a refusal');
  }

  it('loads the four structured kinds, the notice period, and the validity of each', () => {
    expect([...policy.kinds.keys()].sort()).toEqual(['ai_bom', 'evaluation', 'model_card', 'red_team_report']);
    expect(policy.expiryNoticeDays).toBe(14);
    expect(policy.kinds.get('evaluation')).toMatchObject({ jsonOnly: true, validityDays: 90 });
    expect(policy.kinds.get('model_card')).toMatchObject({ jsonOnly: false });
  });

  it('evaluation: a valid file is read; a wrong type, a missing field or a bad direction names its path', async () => {
    expect((await read('evaluation', evaluation)).evaluation?.metrics).toHaveLength(2);
    const wrongType = structuredClone(evaluation) as Record<string, unknown> & typeof evaluation;
    (wrongType.metrics[0] as Record<string, unknown>).threshold = '0.9';
    expect(await refusal('evaluation', wrongType)).toEqual({
      path: '/metrics/0/threshold',
      message: expect.stringContaining('/metrics/0/threshold must be number'),
    });
    const missing = structuredClone(evaluation);
    delete (missing.dataset as Partial<typeof missing.dataset>).version;
    expect((await refusal('evaluation', missing)).path).toBe('/dataset/version');
    const direction = structuredClone(evaluation);
    direction.metrics[1].direction = 'smaller';
    expect((await refusal('evaluation', direction)).path).toBe('/metrics/1/direction');
    expect((await refusal('evaluation', { ...evaluation, metrics: [] })).path).toBe('/metrics');
    const twice = { ...evaluation, metrics: [evaluation.metrics[0], evaluation.metrics[1], evaluation.metrics[0]] };
    expect(await refusal('evaluation', twice)).toEqual({
      path: '/metrics/2/name',
      message: expect.stringContaining('"accuracy" twice'),
    });
  });

  it('evaluation and ai_bom must be JSON; a model card or red-team report may stay a document', async () => {
    await expect(readStructuredContent('evaluation', null, policy, catalog)).rejects.toThrow(/is a JSON file/);
    await expect(readStructuredContent('ai_bom', null, policy, catalog)).rejects.toThrow(/is a JSON file/);
    await expect(readStructuredContent('model_card', null, policy, catalog)).resolves.toEqual({
      evaluation: null,
      redTeam: null,
    });
    await expect(readStructuredContent('document', '{"any":1}', policy, catalog)).resolves.toEqual({
      evaluation: null,
      redTeam: null,
    });
    expect((await refusal('evaluation', '{"model": ')).message).toMatch(/not valid JSON/);
  });

  it('model_card: the structured fields are required', async () => {
    await expect(read('model_card', modelCard)).resolves.toBeDefined();
    const { ethicalConsiderations: _dropped, ...withoutEthics } = modelCard;
    expect((await refusal('model_card', withoutEthics)).path).toBe('/ethicalConsiderations');
    expect((await refusal('model_card', { ...modelCard, limitations: [] })).path).toBe('/limitations');
  });

  it('ai_bom: CycloneDX 1.6 by the library schema, and at least one machine-learning-model component', async () => {
    await expect(read('ai_bom', aiBom)).resolves.toBeDefined();
    const badVersion = await refusal('ai_bom', { ...aiBom, version: 'one' });
    expect(badVersion).toMatchObject({ path: '/version' });
    expect(badVersion.message).toMatch(/CycloneDX 1\.6/);
    expect((await refusal('ai_bom', { ...aiBom, components: [aiBom.components[0]] })).path).toBe('/components');
    expect((await refusal('ai_bom', { ...aiBom, specVersion: '1.5' })).path).toBe('/specVersion');
  });

  it('red_team_report: technique ids of the catalog with their outcome; one success fails the exercise', async () => {
    expect((await read('red_team_report', redTeam)).redTeam).toEqual({
      atlasTechniqueIds: ['AML.T0051', 'AML.T0051.000'],
      redTeamOutcome: 'fail',
    });
    const passed = { techniques: [{ id: 'AML.T0051', outcome: 'pass' }] };
    expect((await read('red_team_report', passed)).redTeam?.redTeamOutcome).toBe('pass');
    const unknown = { techniques: [passed.techniques[0], { id: 'AML.T9999', outcome: 'pass' }] };
    expect(await refusal('red_team_report', unknown)).toEqual({
      path: '/techniques/1/id',
      message: expect.stringContaining('AML.T9999'),
    });
    // A tactic is not a technique.
    expect((await refusal('red_team_report', { techniques: [{ id: 'AML.TA0000', outcome: 'pass' }] })).path).toBe(
      '/techniques/0/id',
    );
    expect((await refusal('red_team_report', { techniques: [{ id: 'AML.T0051', outcome: 'ok' }] })).path).toBe(
      '/techniques/0/outcome',
    );
  });

  it('form fields beside a red-team file must say what the file says', () => {
    const fromFile = { atlasTechniqueIds: ['AML.T0051'], redTeamOutcome: 'pass' as const };
    expect(() => assertFormAgrees({}, fromFile)).not.toThrow();
    expect(() =>
      assertFormAgrees({ atlasTechniqueIds: [' AML.T0051'], redTeamOutcome: 'pass' }, fromFile),
    ).not.toThrow();
    expect(() => assertFormAgrees({ atlasTechniqueIds: ['AML.T0043'] }, fromFile)).toThrow(/atlasTechniqueIds differ/);
    expect(() => assertFormAgrees({ redTeamOutcome: 'fail' }, fromFile)).toThrow(/redTeamOutcome fail differs/);
  });

  it('a metric passes at or beyond its threshold in its direction', () => {
    expect(metricPasses({ value: 0.9, threshold: 0.9, direction: 'higher_is_better' })).toBe(true);
    expect(metricPasses({ value: 0.89, threshold: 0.9, direction: 'higher_is_better' })).toBe(false);
    expect(metricPasses({ value: 0.05, threshold: 0.05, direction: 'lower_is_better' })).toBe(true);
    expect(metricPasses({ value: 0.08, threshold: 0.05, direction: 'lower_is_better' })).toBe(false);
  });

  describe('default validity', () => {
    const control = (code: string, reviewFrequency: string) => ({ code, reviewFrequency }) as ControlEntity;
    const collected = '2026-12-01T00:00:00.000Z';

    it('the kind in policy, counted from collectedAt', () => {
      expect(defaultValidity('evaluation', [control('AIG-EVL-03', 'annual')], collected, policy)).toEqual({
        validUntil: '2027-03-01T00:00:00.000Z',
        basis: 'kind:evaluation:90',
      });
    });

    it('a control reviewed more often than the kind lasts wins, and says so', () => {
      const validity = defaultValidity(
        'model_card',
        [control('AIG-MDL-04', 'annual'), control('AIG-EVL-03', 'quarterly')],
        collected,
        policy,
      );
      expect(validity).toEqual({ validUntil: '2027-03-02T00:00:00.000Z', basis: 'control:AIG-EVL-03:quarterly:91' });
    });

    it('a kind without a validity takes its controls review interval; none at all gives none', () => {
      expect(defaultValidity('document', [control('AIG-GOV-01', 'monthly')], collected, policy)?.basis).toBe(
        'control:AIG-GOV-01:monthly:30',
      );
      expect(defaultValidity('document', [control('AIG-GOV-01', 'when-needed')], collected, policy)).toBeNull();
    });

    it('the basis in words', () => {
      expect(validityBasisText('kind:evaluation:90')).toBe('policy: evaluation evidence 90 days');
      expect(validityBasisText('kind:red_team_report:180')).toBe('policy: red team report evidence 180 days');
      expect(validityBasisText('control:AIG-EVL-03:quarterly:91')).toBe(
        'policy: AIG-EVL-03 reviewed quarterly, 91 days',
      );
      expect(validityBasisText(null)).toBeNull();
    });
  });

  describe('a broken policy stops the load naming file, entry and field', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-kinds-'));
      fs.copyFileSync(
        path.join(defaultEvidenceKindsDir(), 'evaluation.schema.json'),
        path.join(dir, 'evaluation.schema.json'),
      );
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function problems(yaml: string): Promise<string[]> {
      fs.writeFileSync(path.join(dir, 'kinds.yaml'), yaml);
      try {
        await loadEvidenceKindPolicy(dir);
      } catch (error) {
        expect(error).toBeInstanceOf(EvidenceKindPolicyError);
        return (error as EvidenceKindPolicyError).problems.map((p) => p.message);
      }
      throw new Error('expected the load to fail');
    }

    it('lists every problem', async () => {
      const found = await problems(
        [
          'expiryNoticeDays: 0',
          'kinds:',
          '  evaluations: { validityDays: 90, basis: "a typo of a kind" }',
          '  evaluation: { schema: missing.schema.json, jsonOnly: true, validityDays: -1, basis: "" }',
          '  ai_bom: { cyclonedx: "9.9", basis: "no such CycloneDX version", colour: red }',
        ].join('\n'),
      );
      expect(found).toEqual([
        expect.stringMatching(/entry "\(top\)", field "expiryNoticeDays"/),
        expect.stringMatching(/entry "evaluations", field "\(key\)": is not an evidence kind/),
        expect.stringMatching(/entry "evaluation", field "validityDays"/),
        expect.stringMatching(/entry "evaluation", field "basis"/),
        expect.stringMatching(/entry "evaluation", field "schema": missing\.schema\.json cannot be used/),
        expect.stringMatching(/entry "evaluation", field "jsonOnly": needs a schema/),
        expect.stringMatching(/entry "ai_bom", field "colour": is not a known field/),
        expect.stringMatching(/entry "ai_bom", field "cyclonedx"/),
      ]);
      expect(found[0]).toContain(path.relative(process.cwd(), path.join(dir, 'kinds.yaml')));
    });

    it('an unreadable file', async () => {
      expect(await problems('kinds: [unclosed')).toEqual([expect.stringMatching(/cannot be read or parsed/)]);
    });
  });
});
