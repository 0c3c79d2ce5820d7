import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CreateAiSystemDto, UpdateAiSystemDto } from '../ai-systems/dto/ai-system.dto';
import type { SystemView } from '../ai-systems/ai-system.view';
import {
  ANSWERABLE_FACTS,
  AnswerableFact,
  APPLICABILITY_QUESTIONS,
  GDPR_DUTY_FACTS,
  GDPR_SCOPE_FACTS,
  PROHIBITED_PRACTICE_QUESTIONS,
} from '../ai-systems/applicability-questions';
import { ANNEX_III_AREA_NAMES, DEROGATION_NAMES, PROHIBITED_PRACTICE_NAMES } from '../ai-systems/risk-tier';
import {
  AI_ACT_PUBLIC_SECTOR,
  AI_ACT_ROLES,
  ANNEX_III_AREAS,
  ANNEX_III_POINT_IDS,
  ART6_DEROGATIONS,
  AUTONOMY_LEVELS,
  GPAI_MODELS,
  PROHIBITED_PRACTICES,
  TRANSPARENCY_TRIGGERS,
  GDPR_ROLES,
  HIPAA_ROLES,
  LIFECYCLE_STAGES,
  MODEL_KINDS,
  RISK_TIERS,
  SOC2_CATEGORIES,
  USE_CASE_DOMAINS,
} from '../ai-systems/entities/ai-system.entity';
import type { SystemFormDto } from './dto/web-forms.dto';
import { constraintWords } from './field-labels';

export const CHECKBOXES = [
  'significantDecisions',
  'internetFacing',
  'usesRag',
  'agentTools',
  'personalData',
  'specialCategoryData',
  'phi',
  'childrensData',
] as const;

const GDPR_DUTY_YES_NO_FACTS = GDPR_DUTY_FACTS.filter((fact) => fact !== 'gdprRole');
const AI_ACT_YES_NO_FACTS = ['aiActEuNexus', 'aiActEstablishedInEu', 'annexIProduct', 'profilesPeople'] as const;
/** The yes/no applicability questions; the form sends "yes", "no" or "" (not answered yet). */
export const YES_NO_FACTS = [...GDPR_SCOPE_FACTS, ...GDPR_DUTY_YES_NO_FACTS, ...AI_ACT_YES_NO_FACTS];
/** One-of answers where "" means not answered yet. */
const CHOICE_FACTS = ['aiActRole', 'aiActPublicSector', 'gpaiModel'] as const;
/** One-of answers where "" means none (no Annex III area, point or derogation). */
const NONE_FACTS = ['annexIIIArea', 'annexIIIPoint', 'art6Derogation'] as const;
/** "none" among the Art. 50 boxes says none applies; no box at all leaves the question unanswered. */
const NO_TRIGGER = 'none';

const art5Field = (letter: (typeof PROHIBITED_PRACTICES)[number]) => `art5${letter}` as const;

/**
 * The eight screening answers as the fact: any yes names its point; all answered no is [] (screened clear); a
 * screening left incomplete without a yes is not answered yet (null).
 */
function screening(form: SystemFormDto): string[] | null {
  const answers = PROHIBITED_PRACTICES.map((letter) => [letter, form[art5Field(letter)]] as const);
  const yes = answers.filter(([, a]) => a === 'yes').map(([letter]) => letter);
  if (yes.length > 0) return yes;
  return answers.every(([, a]) => a === 'no') ? [] : null;
}

const yesNo = (answer: string | undefined) =>
  answer === 'yes' ? true : answer === 'no' ? false : answer ? answer : null;
const answerOf = (value: boolean | null) => (value === true ? 'yes' : value === false ? 'no' : '');

export type FieldErrors = Record<string, string[]>;

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's text and checkboxes as the API's DTO shape (lists from comma-separated text, checkboxes to booleans). */
function toPlain(form: SystemFormDto): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    name: form.name ?? '',
    purpose: form.purpose ?? '',
    owner: form.owner ?? '',
    lifecycleStage: form.lifecycleStage,
    modelKind: form.modelKind,
    useCaseDomain: form.useCaseDomain,
    vendor: form.vendor ?? '',
    thirdPartyModels: list(form.thirdPartyModels),
    autonomy: form.autonomy,
    humanOversight: form.humanOversight ?? '',
    // Country codes are upper case (ISO 3166-1); "de" means DE.
    jurisdictions: list(form.jurisdictions).map((code) => code.toUpperCase()),
    riskTierOverride: form.riskTierOverride ? form.riskTierOverride : null,
    modelVersion: form.modelVersion ?? '',
    trainingDataVersion: form.trainingDataVersion ?? '',
  };
  for (const box of CHECKBOXES) plain[box] = form[box] === 'on';
  // Unknown answers go to the DTO as given, so its validation names them instead of them turning into "not answered".
  for (const fact of YES_NO_FACTS) plain[fact] = yesNo(form[fact]);
  for (const fact of [...CHOICE_FACTS, ...NONE_FACTS]) plain[fact] = form[fact] ? form[fact] : null;
  plain.prohibitedPractices = screening(form);
  const triggers = form.transparencyTriggers ?? [];
  // "none" beside a trigger is a contradiction; it goes to the DTO as given so its validation names it.
  plain.transparencyTriggers =
    triggers.length === 0 ? null : triggers.length === 1 && triggers[0] === NO_TRIGGER ? [] : triggers;
  plain.hipaaRole = form.hipaaRole ? form.hipaaRole : null;
  plain.gdprRole = form.gdprRole ? form.gdprRole : null;
  plain.soc2Categories = form.soc2Categories ?? [];
  if (form.riskTierOverride) plain.riskTierOverrideJustification = form.riskTierOverrideJustification ?? '';
  return plain;
}

function fieldErrors(errors: ValidationError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) out[error.property] = constraintWords(error);
  return out;
}

/** The form's labels, for the error summary and for the service's messages that name a property. */
export const SYSTEM_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  purpose: 'Purpose',
  owner: 'Owner',
  lifecycleStage: 'Lifecycle stage',
  useCaseDomain: 'Use-case domain',
  modelKind: 'Model kind',
  vendor: 'Vendor',
  thirdPartyModels: 'Third-party models',
  modelVersion: 'Model version',
  trainingDataVersion: 'Training-data version',
  autonomy: 'Autonomy',
  humanOversight: 'Human oversight',
  jurisdictions: "Data subjects' jurisdictions",
  riskTierOverride: 'Override the computed tier',
  riskTierOverrideJustification: 'Justification for the override',
  prohibitedPractices: 'EU AI Act prohibited practices screening',
  transparencyTriggers: 'EU AI Act transparency',
  soc2Categories: 'SOC 2 categories',
};

/** The summary at the top of the form: one link per field with a message, in the form's order. */
export function errorSummary(errors: FieldErrors): Array<{ field: string; label: string; text: string }> {
  return Object.entries(errors).map(([field, messages]) => ({
    field,
    label: SYSTEM_FIELD_LABELS[field] ?? field,
    text: messages.join('; '),
  }));
}

/** A service message in the form's words: property names become the labels the person sees. */
export function withLabels(message: string): string {
  return Object.entries(SYSTEM_FIELD_LABELS)
    .sort(([a], [b]) => b.length - a.length)
    .reduce((text, [property, label]) => text.replace(new RegExp(`\\b${property}\\b`, 'g'), `"${label}"`), message);
}

/** Validates the form with the same DTO the API uses; either a DTO ready for the service or messages per field. */
export async function parseSystemForm<T extends CreateAiSystemDto | UpdateAiSystemDto>(
  form: SystemFormDto,
  dtoClass: new () => T,
): Promise<{ dto: T; errors: null } | { dto: null; errors: FieldErrors }> {
  const dto = plainToInstance(dtoClass, toPlain(form));
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? { dto: null, errors: fieldErrors(errors) } : { dto, errors: null };
}

/** What the form shows: the values as typed, so nothing is lost when it comes back with messages. */
export function formValues(source: SystemFormDto | SystemView | null): Record<string, unknown> {
  if (!source)
    return { lifecycleStage: 'design', modelKind: 'generative', useCaseDomain: 'other', autonomy: 'human_in_the_loop' };
  if ('id' in source) {
    return {
      ...source,
      ...source.dataCategories,
      thirdPartyModels: source.thirdPartyModels.join(', '),
      jurisdictions: source.jurisdictions.join(', '),
      riskTierOverride: source.riskTierOverride ?? '',
      riskTierOverrideJustification: source.riskTierOverrideJustification ?? '',
      hipaaRole: source.hipaaRole ?? '',
      gdprRole: source.gdprRole ?? '',
      ...Object.fromEntries(YES_NO_FACTS.map((fact) => [fact, answerOf(source[fact])])),
      ...Object.fromEntries([...CHOICE_FACTS, ...NONE_FACTS].map((fact) => [fact, source[fact] ?? ''])),
      ...Object.fromEntries(
        PROHIBITED_PRACTICES.map((letter) => [
          art5Field(letter),
          source.prohibitedPractices === null ? '' : answerOf(source.prohibitedPractices.includes(letter)),
        ]),
      ),
      transparencyTriggers:
        source.transparencyTriggers === null
          ? []
          : source.transparencyTriggers.length === 0
            ? [NO_TRIGGER]
            : source.transparencyTriggers,
    };
  }
  const values: Record<string, unknown> = {
    ...source,
    soc2Categories: source.soc2Categories ?? [],
    transparencyTriggers: source.transparencyTriggers ?? [],
  };
  for (const box of CHECKBOXES) values[box] = source[box] === 'on';
  return values;
}

interface QuestionField {
  field: AnswerableFact;
  question: string;
  hint?: string;
  basis: string;
  options: Array<{ value: string; label: string; selected: boolean }>;
  needsReview: boolean;
  messages?: string[];
}

/**
 * The applicability questions of the form, grouped as the form shows them, with the current answers selected and
 * the facts to review marked.
 */
export function applicabilityQuestions(
  values: Record<string, unknown>,
  reviewFacts: readonly string[],
  errors: FieldErrors,
) {
  const field = (fact: AnswerableFact, options: Array<{ value: string; label: string }>): QuestionField => ({
    field: fact,
    ...APPLICABILITY_QUESTIONS[fact],
    options: options.map((o) => ({ ...o, selected: values[fact] === o.value })),
    needsReview: reviewFacts.includes(fact),
    messages: errors[fact],
  });
  const yesNoOptions = [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ];
  const words = (list: readonly string[]) => list.map((value) => ({ value, label: value.replace(/_/g, ' ') }));
  const chosen = Array.isArray(values.soc2Categories) ? (values.soc2Categories as string[]) : [];
  const triggers = Array.isArray(values.transparencyTriggers) ? (values.transparencyTriggers as string[]) : [];
  const none = (fact: AnswerableFact, label: string, options: Array<{ value: string; label: string }>) => ({
    ...field(fact, options),
    blankLabel: label,
  });
  return {
    hipaa: [field('hipaaRole', words(HIPAA_ROLES))],
    gdprScope: GDPR_SCOPE_FACTS.map((fact) => field(fact, yesNoOptions)),
    gdprDuties: [
      field('gdprRole', words(GDPR_ROLES)),
      ...GDPR_DUTY_YES_NO_FACTS.map((fact) => field(fact, yesNoOptions)),
    ],
    aiActScope: [
      field('aiActEuNexus', yesNoOptions),
      field('aiActRole', words(AI_ACT_ROLES)),
      field('aiActEstablishedInEu', yesNoOptions),
      field('aiActPublicSector', words(AI_ACT_PUBLIC_SECTOR)),
    ],
    aiActScreening: {
      ...APPLICABILITY_QUESTIONS.prohibitedPractices,
      needsReview: reviewFacts.includes('prohibitedPractices'),
      messages: errors.prohibitedPractices,
      questions: PROHIBITED_PRACTICES.map((letter) => ({
        field: art5Field(letter),
        question: PROHIBITED_PRACTICE_QUESTIONS[letter],
        basis: `AI Act Art. 5(1)(${letter}): ${PROHIBITED_PRACTICE_NAMES[letter]}`,
        options: yesNoOptions.map((o) => ({ ...o, selected: values[art5Field(letter)] === o.value })),
      })),
    },
    aiActClassification: [
      field('annexIProduct', yesNoOptions),
      none(
        'annexIIIArea',
        'None of the Annex III areas',
        ANNEX_III_AREAS.map((area) => ({ value: area, label: `${area}. ${ANNEX_III_AREA_NAMES[area]}` })),
      ),
      none(
        'annexIIIPoint',
        'No point (or area 2, which has none)',
        ANNEX_III_POINT_IDS.map((value) => ({ value, label: value })),
      ),
      none(
        'art6Derogation',
        'No derogation relied on',
        ART6_DEROGATIONS.map((value) => ({ value, label: `(${value}) ${DEROGATION_NAMES[value]}` })),
      ),
      field('profilesPeople', yesNoOptions),
      field('gpaiModel', words(GPAI_MODELS)),
    ],
    aiActTransparency: {
      ...APPLICABILITY_QUESTIONS.transparencyTriggers,
      needsReview: reviewFacts.includes('transparencyTriggers'),
      messages: errors.transparencyTriggers,
      triggers: [...TRANSPARENCY_TRIGGERS, NO_TRIGGER].map((value) => ({
        value,
        label: value === NO_TRIGGER ? 'none of these' : value.replace(/_/g, ' '),
        checked: triggers.includes(value),
      })),
    },
    soc2: {
      ...APPLICABILITY_QUESTIONS.soc2Categories,
      needsReview: reviewFacts.includes('soc2Categories'),
      messages: errors.soc2Categories,
      categories: SOC2_CATEGORIES.map((value) => ({
        value,
        label: value.replace(/_/g, ' '),
        checked: chosen.includes(value),
      })),
    },
  };
}

export const SYSTEM_FORM_CHOICES = {
  lifecycleStages: LIFECYCLE_STAGES,
  modelKinds: MODEL_KINDS,
  useCaseDomains: USE_CASE_DOMAINS,
  autonomyLevels: AUTONOMY_LEVELS,
  riskTiers: RISK_TIERS,
};

/** The system's applicability answers in words, for the system page. */
export function applicabilityAnswers(system: SystemView) {
  const empty: Partial<Record<AnswerableFact, string>> = {
    prohibitedPractices: 'none (screened clear)',
    transparencyTriggers: 'none',
  };
  const noneWhenNull: Partial<Record<AnswerableFact, string>> = {
    annexIIIArea: 'none',
    annexIIIPoint: 'none',
    art6Derogation: 'none relied on',
  };
  const words = (fact: AnswerableFact, value: unknown) =>
    value === true
      ? 'yes'
      : value === false
        ? 'no'
        : Array.isArray(value)
          ? value.length
            ? fact === 'prohibitedPractices'
              ? value.map((p) => `Art. 5(1)(${p})`).join(', ')
              : value.join(', ').replace(/_/g, ' ')
            : (empty[fact] ?? 'none (outside the SOC 2 report)')
          : typeof value === 'string'
            ? value.replace(/_/g, ' ')
            : (noneWhenNull[fact] ?? 'not answered yet');
  return ANSWERABLE_FACTS.map((fact) => ({
    fact,
    label: APPLICABILITY_QUESTIONS[fact].label,
    answer: words(fact, system[fact]),
    needsReview: system.applicabilityReviewFacts.includes(fact),
  }));
}
