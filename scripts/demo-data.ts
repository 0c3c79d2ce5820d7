import type { CreateAiSystemDto } from '../src/ai-systems/dto/ai-system.dto';
import type { EvidenceKind } from '../src/evidence/entities/evidence.entity';

export interface DemoControlStep {
  code: string;
  status: 'in_progress' | 'implemented' | 'not_applicable' | 'evidence_only';
  statement?: string;
  owner?: string;
  justification?: string;
  evidence?: {
    title: string;
    kind: EvidenceKind;
    fileName: string;
    content: string;
    collectedDaysAgo?: number;
    validDays?: number;
    review?: 'accepted' | 'rejected';
  };
}

export interface DemoSystem {
  system: CreateAiSystemDto;
  controls: DemoControlStep[];
  /** Per-system requirement decisions (PUT /systems/:id/requirements/decision). */
  decisions?: Array<{
    framework: string;
    ref: string;
    decision: 'excluded' | 'alternative_measure' | 'not_reasonable_and_appropriate';
    rationale: string;
  }>;
}

const doc = (title: string, body: string) => `${title}\n${'='.repeat(title.length)}\n\n${body}\n`;

export const DEMO_SYSTEMS: DemoSystem[] = [
  {
    system: {
      name: 'Clinical triage assistant',
      purpose:
        "An LLM assistant that suggests an urgency level and next steps to triage nurses from the patient's symptoms and history.",
      owner: 'Clinical AI team',
      lifecycleStage: 'deployed',
      modelKind: 'generative',
      useCaseDomain: 'healthcare',
      vendor: 'Hosted LLM provider (BAA signed)',
      thirdPartyModels: ['hosted-llm-2026-06'],
      autonomy: 'human_in_the_loop',
      humanOversight: 'A registered nurse confirms or overrides every suggestion before it reaches the patient record.',
      significantDecisions: true,
      // Threat model (policies/threats.yaml): an internal tool that retrieves the patient's history to ground answers.
      internetFacing: false,
      usesRag: true,
      agentTools: false,
      personalData: true,
      specialCategoryData: true,
      phi: true,
      jurisdictions: ['US'],
      // A US hospital: a covered entity (45 CFR 160.103); no EU establishment, offering or monitoring (GDPR Art. 3).
      hipaaRole: 'covered_entity',
      gdprEstablishment: false,
      gdprOffersToEu: false,
      gdprMonitorsEu: false,
      soc2Categories: ['security', 'availability', 'confidentiality'],
      // The hospital also licenses the assistant it built to a partner hospital in Ireland: it places the system on
      // the EU market as its provider (AI Act Art. 2(1)(a), 3(3)) from outside the Union (Art. 22), for emergency
      // patient triage (Annex III.5(d)); nurses talk to it and it writes text (Art. 50(1), (2)). The patients' data
      // stay with the Irish hospital, the deployer, so GDPR Art. 3 does not reach the US hospital for it.
      aiActEuNexus: true,
      aiActRole: 'provider',
      aiActEstablishedInEu: false,
      prohibitedPractices: [],
      annexIProduct: false,
      annexIIIArea: '5',
      annexIIIPoint: '5(d)',
      art6Derogation: null,
      transparencyTriggers: ['interacts_with_people', 'synthetic_content'],
      gpaiModel: 'none',
      modelVersion: 'triage-llm 3.2',
      trainingDataVersion: 'ehr-extract-2026-09',
    },
    controls: [
      {
        code: 'AIG-SEC-05',
        status: 'implemented',
        statement: 'SSO with role-based access; quarterly access reviews.',
        owner: 'Platform security',
        evidence: {
          title: 'Q3 access review for the triage platform',
          kind: 'assessment',
          fileName: 'access-review-q3.txt',
          content: doc('Access review Q3', 'All 41 accounts reviewed; 3 removed.'),
          validDays: 120,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-SEC-07',
        status: 'implemented',
        statement: 'ePHI encrypted at rest (AES-256) and in transit (TLS 1.3).',
        owner: 'Platform security',
        evidence: {
          title: 'Encryption configuration export',
          kind: 'configuration',
          fileName: 'encryption-config.json',
          content: '{"atRest":"AES-256-GCM","inTransit":"TLS1.3"}',
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-SEC-08',
        status: 'implemented',
        statement: 'Prompts and outputs logged to the SIEM with 6-year retention.',
        owner: 'Platform security',
        evidence: {
          title: 'SIEM retention policy screenshot',
          kind: 'screenshot',
          fileName: 'siem-retention.txt',
          content: doc('SIEM retention', 'Retention: 2190 days'),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-OPS-04',
        status: 'implemented',
        statement: 'Nurses confirm every suggestion; override rate is monitored weekly.',
        owner: 'Clinical AI team',
        evidence: {
          title: 'Human oversight procedure v2',
          kind: 'document',
          fileName: 'oversight-procedure.md',
          content: doc('Oversight procedure', 'Every suggestion needs nurse confirmation.'),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-SEC-15',
        status: 'implemented',
        statement: 'BAA signed with the LLM provider.',
        owner: 'Legal',
        evidence: {
          title: 'Business associate agreement (signed)',
          kind: 'attestation',
          fileName: 'baa-signed.txt',
          content: doc('BAA', 'Signed 2026-02-01 by both parties.'),
          collectedDaysAgo: 400,
          validDays: 380,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-EVL-07',
        status: 'in_progress',
        statement: 'Red-team exercise on unsafe advice scheduled for next sprint.',
        owner: 'ML engineering',
      },
      {
        code: 'AIG-ACT-01',
        status: 'implemented',
        statement: 'Screened against every point of Art. 5(1): none applies.',
        owner: 'Compliance',
        evidence: {
          title: 'Art. 5 screening for the triage assistant',
          kind: 'assessment',
          fileName: 'art5-screening-triage.txt',
          content: doc('Art. 5(1) screening', 'Points (a)-(h) answered no, with reasons; signed off by compliance.'),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-ACT-13',
        status: 'in_progress',
        statement: 'Mandate for an EU authorised representative in Dublin being negotiated.',
        owner: 'Legal',
      },
      {
        code: 'AIG-EVL-02',
        status: 'evidence_only',
        evidence: {
          title: 'Validation study draft',
          kind: 'test_report',
          fileName: 'validation-draft.txt',
          content: doc('Validation study (draft)', 'Sensitivity 0.91, specificity 0.84 on 2,000 cases.'),
          validDays: 180,
        },
      },
    ],
    decisions: [
      {
        framework: 'hipaa-security',
        ref: '164.312(a)(2)(iii)',
        decision: 'alternative_measure',
        rationale:
          "Triage workstations are shared at the nurses' station, where a timed logoff would interrupt care: sessions are tied to a proximity badge and lock the moment the badge leaves the reader, which ends an unattended session at least as reliably (risk analysis RA-2026-04, section 3.2).",
      },
    ],
  },
  {
    system: {
      name: 'CV screening model',
      purpose: 'Scores job applications from EU candidates against the role profile and ranks them for recruiters.',
      owner: 'People analytics',
      lifecycleStage: 'validation',
      modelKind: 'predictive',
      useCaseDomain: 'employment',
      autonomy: 'human_on_the_loop',
      humanOversight: 'Recruiters see the ranking; rejections below the threshold are sampled weekly.',
      significantDecisions: true,
      // Candidates upload their CVs through the public careers site, so the model takes input from the internet.
      internetFacing: true,
      usesRag: false,
      agentTools: false,
      personalData: true,
      jurisdictions: ['DE', 'FR', 'NL'],
      // The employer's EU entity runs the screening as controller (GDPR Art. 3(1), 4(7)) on the basis of steps prior
      // to a contract, not consent; no criminal records, no transfers out of the EU; outside the SOC 2 report.
      gdprEstablishment: true,
      gdprRole: 'controller',
      gdprConsentBasis: false,
      gdprCriminalData: false,
      gdprPublicBody: false,
      gdprLargeScaleMonitoring: false,
      gdprLargeScaleSensitiveData: false,
      gdprThirdCountryTransfers: false,
      gdprArchivingOrResearch: false,
      soc2Categories: [],
      // Built in-house and put into service for the employer's own recruitment in the EU: its provider (AI Act Art.
      // 3(3), 2(1)(a)); ranking candidates is Annex III.4(a), and scoring them is profiling, so no Art. 6(3)
      // derogation is relied on. Not an Annex I product, no Art. 50 trigger (recruiters use it, candidates never see
      // it), no general-purpose model.
      aiActEuNexus: true,
      aiActRole: 'provider',
      aiActEstablishedInEu: true,
      prohibitedPractices: [],
      annexIProduct: false,
      annexIIIArea: '4',
      annexIIIPoint: '4(a)',
      art6Derogation: null,
      profilesPeople: true,
      transparencyTriggers: [],
      gpaiModel: 'none',
      modelVersion: 'cv-rank 0.9',
      trainingDataVersion: 'applications-2019-2025',
    },
    controls: [
      {
        code: 'AIG-PRV-02',
        status: 'implemented',
        statement: 'DPIA completed and signed off by the DPO.',
        owner: 'Privacy office',
        evidence: {
          title: 'DPIA for CV screening',
          kind: 'assessment',
          fileName: 'dpia-cv-screening.txt',
          content: doc('DPIA', 'High risk identified: automated ranking. Mitigations: human review, bias testing.'),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-EVL-03',
        status: 'in_progress',
        statement: 'Bias testing across gender and age bands in progress.',
        owner: 'People analytics',
        evidence: {
          title: 'Bias test run (rejected: wrong dataset)',
          kind: 'test_report',
          fileName: 'bias-run-1.csv',
          content: 'group,selection_rate\nA,0.31\nB,0.22\n',
          validDays: 90,
          review: 'rejected',
        },
      },
      {
        code: 'AIG-PRV-03',
        status: 'implemented',
        statement: 'Candidates are told about the scoring and its logic in the privacy notice.',
        owner: 'Privacy office',
        evidence: {
          title: 'Candidate privacy notice',
          kind: 'document',
          fileName: 'candidate-notice.md',
          content: doc('Candidate notice', 'We use an automated model to rank applications...'),
          collectedDaysAgo: 200,
          validDays: 180,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-PRV-05',
        status: 'in_progress',
        statement: 'Appeal route for candidates being designed.',
        owner: 'People analytics',
      },
      {
        code: 'AIG-ACT-01',
        status: 'implemented',
        statement: 'Art. 5(1) screening done: no banned practice; emotion recognition in interviews ruled out.',
        owner: 'People analytics',
        evidence: {
          title: 'Art. 5 screening for CV ranking',
          kind: 'assessment',
          fileName: 'art5-screening-cv.txt',
          content: doc(
            'Art. 5(1) screening',
            'Points (a)-(h) answered no; (f) emotion recognition explicitly excluded from the interview tooling.',
          ),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-ACT-07',
        status: 'in_progress',
        statement: 'Quality management system for high-risk AI drafted against Art. 17(1).',
        owner: 'People analytics',
      },
      {
        code: 'AIG-ACT-08',
        status: 'in_progress',
        statement: 'Annex IV technical documentation being written for cv-rank 0.9.',
        owner: 'People analytics',
      },
      {
        code: 'AIG-MDL-04',
        status: 'implemented',
        statement: 'Model card for recruiters: intended use, limits, known failure modes and the human review step.',
        owner: 'People analytics',
        evidence: {
          title: 'CV ranking model card v0.9',
          kind: 'model_card',
          fileName: 'cv-rank-model-card.md',
          content: doc(
            'Model card: cv-rank 0.9',
            'Intended use: ranking support for recruiters. Not for automatic rejection.',
          ),
          validDays: 180,
          review: 'accepted',
        },
      },
    ],
  },
  {
    system: {
      name: 'Customer support chatbot',
      purpose: 'Answers customer questions about orders and returns and hands over to an agent on request.',
      owner: 'Customer operations',
      lifecycleStage: 'deployed',
      modelKind: 'generative',
      useCaseDomain: 'customer_service',
      vendor: 'Chat platform vendor',
      thirdPartyModels: ['vendor-chat-model'],
      autonomy: 'autonomous',
      humanOversight: 'Conversations can be escalated to an agent at any time; transcripts are sampled daily.',
      significantDecisions: false,
      // Public chat that answers from the help-centre index and opens and updates tickets through tools.
      internetFacing: true,
      usesRag: true,
      agentTools: true,
      personalData: true,
      jurisdictions: ['US', 'GB', 'IE'],
      // A US retailer serving the US, the UK and, through its Irish shop, customers in Ireland: it offers services to
      // people in the EU (GDPR Art. 3(2)(a)) as controller, and passes the chats to its US chat vendor (a transfer,
      // Chapter V); no ePHI, so no HIPAA role.
      gdprEstablishment: false,
      gdprOffersToEu: true,
      gdprMonitorsEu: false,
      gdprRole: 'controller',
      gdprConsentBasis: false,
      gdprCriminalData: false,
      gdprPublicBody: false,
      gdprLargeScaleMonitoring: false,
      gdprLargeScaleSensitiveData: false,
      gdprThirdCountryTransfers: true,
      gdprArchivingOrResearch: false,
      soc2Categories: ['security', 'availability', 'confidentiality', 'privacy'],
      // The chatbot is the retailer's own AI system built on the vendor's model and offered to EU customers: its
      // provider (AI Act Art. 2(1)(a)); it talks to customers and writes its answers (Art. 50(1), (2)); limited risk.
      aiActEuNexus: true,
      aiActRole: 'provider',
      prohibitedPractices: [],
      annexIProduct: false,
      annexIIIArea: null,
      transparencyTriggers: ['interacts_with_people', 'synthetic_content'],
      gpaiModel: 'none',
      modelVersion: 'support-bot 5.1',
      trainingDataVersion: 'faq-2026-10',
    },
    controls: [
      {
        code: 'AIG-SEC-11',
        status: 'implemented',
        statement: 'Input filtering and output moderation against prompt injection.',
        owner: 'Platform security',
        evidence: {
          title: 'Prompt-injection test results',
          kind: 'test_report',
          fileName: 'prompt-injection-tests.txt',
          content: doc('Prompt-injection suite', '212 attacks, 0 successful.'),
          validDays: 90,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-OPS-01',
        status: 'implemented',
        statement: 'Dashboards for deflection rate, escalations and harmful-output flags.',
        owner: 'Customer operations',
        evidence: {
          title: 'Monitoring dashboard export',
          kind: 'screenshot',
          fileName: 'monitoring.txt',
          content: doc('Monitoring', 'Deflection 64%, escalations 12%.'),
          validDays: 90,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-SEC-13',
        status: 'implemented',
        statement: 'Failover to a static FAQ when the model is unavailable.',
        owner: 'Platform engineering',
      },
      {
        code: 'AIG-SEC-12',
        status: 'implemented',
        statement:
          'Security incidents of the bot (data leaks, abuse) follow the company incident runbook with a bot-specific playbook.',
        owner: 'Platform security',
        evidence: {
          title: 'Incident response tabletop: prompt-leak scenario',
          kind: 'test_report',
          fileName: 'tabletop-prompt-leak.txt',
          content: doc(
            'Tabletop exercise',
            'Scenario: system prompt and order data leaked. Contained in 40 min; lessons recorded.',
          ),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-TPR-01',
        status: 'in_progress',
        statement: 'Vendor due-diligence questionnaire sent.',
        owner: 'Procurement',
      },
      {
        code: 'AIG-PRV-03',
        status: 'implemented',
        statement:
          'The chat links the privacy notice, which says an AI answers and what it does with the conversation.',
        owner: 'Privacy office',
        evidence: {
          title: 'Chat privacy notice (EU customers)',
          kind: 'document',
          fileName: 'chat-privacy-notice.md',
          content: doc(
            'Chat privacy notice',
            'An AI assistant answers your questions; transcripts are kept 90 days and processed by our US chat vendor under SCCs.',
          ),
          validDays: 365,
          review: 'accepted',
        },
      },
      {
        code: 'AIG-ACT-03',
        status: 'implemented',
        statement: 'The chat opens with "You are chatting with an AI assistant"; answers carry C2PA-style metadata.',
        owner: 'Customer operations',
        evidence: {
          title: 'AI disclosure screenshot and marking test',
          kind: 'screenshot',
          fileName: 'ai-disclosure.txt',
          content: doc(
            'Art. 50 disclosure',
            'First message discloses the AI; 50 sampled answers carry the machine-readable marker.',
          ),
          validDays: 180,
          review: 'accepted',
        },
      },
    ],
  },
];

export interface DemoControlTest {
  system: string;
  code: string;
  result: 'pass' | 'fail' | 'exception';
  procedure: string;
  populationSize?: number;
  sampleSize?: number;
  daysAgo: number;
  notes: string;
}

/** Tests of the demo audit's controls: passes, one failure and one exception, each by someone other than the owner. */
export const DEMO_CONTROL_TESTS: DemoControlTest[] = [
  {
    system: 'CV screening model',
    code: 'AIG-PRV-02',
    result: 'pass',
    procedure:
      'Inspected the records of processing entry for the screening model and traced its purposes, categories and recipients to the data flow diagram.',
    daysAgo: 40,
    notes: 'Entry complete and current; reviewed by the DPO within the last quarter.',
  },
  {
    system: 'CV screening model',
    code: 'AIG-PRV-03',
    result: 'pass',
    procedure:
      'Selected a sample of candidate privacy notices served by the application portal and compared them with the approved notice text.',
    populationSize: 1200,
    sampleSize: 25,
    daysAgo: 35,
    notes: 'All 25 sampled notices matched the approved version.',
  },
  {
    system: 'CV screening model',
    code: 'AIG-MDL-04',
    result: 'pass',
    procedure:
      'Re-performed the model release checklist for the latest release and inspected the sign-offs of the model registry entry.',
    daysAgo: 30,
    notes: 'Checklist complete; sign-offs present before deployment.',
  },
  {
    system: 'CV screening model',
    code: 'AIG-ACT-01',
    result: 'fail',
    procedure:
      'Selected rejected applications and inspected whether a recruiter reviewed the model score before the rejection was sent.',
    populationSize: 640,
    sampleSize: 40,
    daysAgo: 21,
    notes:
      '6 of 40 sampled rejections were sent without a recorded recruiter review (batch job of 14 March). Remediation task opened.',
  },
  {
    system: 'Customer support chatbot',
    code: 'AIG-SEC-11',
    result: 'pass',
    procedure:
      'Inspected the prompt-injection test suite results of the last four releases and re-ran the suite against production.',
    populationSize: 4,
    sampleSize: 4,
    daysAgo: 28,
    notes: 'All releases passed; the re-run matched the recorded results.',
  },
  {
    system: 'Customer support chatbot',
    code: 'AIG-OPS-01',
    result: 'pass',
    procedure: 'Observed the on-call monitoring dashboard and inspected the alert routing configuration.',
    daysAgo: 26,
    notes: 'Alerts route to the on-call rota; thresholds match the runbook.',
  },
  {
    system: 'Customer support chatbot',
    code: 'AIG-SEC-12',
    result: 'pass',
    procedure: 'Inspected the secrets store access policy and the rotation log of the model API keys.',
    daysAgo: 24,
    notes: 'Keys rotated every 90 days; access limited to the service account.',
  },
  {
    system: 'Customer support chatbot',
    code: 'AIG-PRV-03',
    result: 'exception',
    procedure:
      'Selected transparency notices shown at the start of chat sessions and checked that users are told they are talking to an AI system.',
    populationSize: 50000,
    sampleSize: 60,
    daysAgo: 18,
    notes:
      'One sampled session (embedded widget on the partner site) showed the notice only after the first answer; fixed in release 2.4.1, accepted by management as an isolated exception.',
  },
];

export interface DemoEvaluationRun {
  daysAgo: number;
  modelVersion: string;
  commitSha: string;
  accuracy: number;
  falsePositiveRate: number;
}

/**
 * Evaluation runs of the CV screening model on AIG-EVL-02 (performance testing), oldest first, each superseding the
 * one before: every threshold becomes an automated control test and the system page draws their history. Pushed
 * through an API token scoped to the system, with the pipeline's provenance.
 */
export const DEMO_EVALUATIONS = {
  system: 'CV screening model',
  tokenName: 'CI evaluations of cv-rank',
  control: 'AIG-EVL-02',
  dataset: { name: 'cv-holdout', version: '2026-10' },
  runs: [
    { daysAgo: 120, modelVersion: 'cv-rank 0.7', commitSha: '4e1f0c2', accuracy: 0.86, falsePositiveRate: 0.07 },
    { daysAgo: 60, modelVersion: 'cv-rank 0.8', commitSha: '9b27d5a', accuracy: 0.9, falsePositiveRate: 0.05 },
    { daysAgo: 6, modelVersion: 'cv-rank 0.9', commitSha: 'c03a8e1', accuracy: 0.93, falsePositiveRate: 0.04 },
  ] satisfies DemoEvaluationRun[],
};

export const DEMO_ASSERTION = [
  'Management of the organisation is responsible for the design and operating effectiveness of the AI governance controls',
  'of the CV screening model and the customer support chatbot described in this pack, throughout the period from',
  '1 January to 31 December.',
  '',
  'Management asserts that, throughout that period, the controls stated as implemented were suitably designed and operated',
  'effectively to meet the requirements of the NIST AI RMF 1.0, the GDPR and the SOC 2 Trust Services Criteria that apply',
  'to these systems, except for the deviations recorded as failed tests or exceptions, which are disclosed in this pack',
  'together with their remediation.',
].join('\n');
