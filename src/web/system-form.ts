import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CreateAiSystemDto, UpdateAiSystemDto } from '../ai-systems/dto/ai-system.dto';
import type { SystemView } from '../ai-systems/ai-system.view';
import { ANSWERABLE_FACTS, AnswerableFact, APPLICABILITY_QUESTIONS } from '../ai-systems/applicability-questions';
import {
  AUTONOMY_LEVELS,
  GDPR_ROLES,
  HIPAA_ROLES,
  LIFECYCLE_STAGES,
  MODEL_KINDS,
  RISK_TIERS,
  SOC2_CATEGORIES,
  USE_CASE_DOMAINS,
} from '../ai-systems/entities/ai-system.entity';
import type { SystemFormDto } from './dto/web-forms.dto';

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

const GDPR_SCOPE_FACTS = ['gdprEstablishment', 'gdprOffersToEu', 'gdprMonitorsEu'] as const;
const GDPR_DUTY_YES_NO_FACTS = [
  'gdprConsentBasis',
  'gdprCriminalData',
  'gdprPublicBody',
  'gdprLargeScaleMonitoring',
  'gdprLargeScaleSensitiveData',
  'gdprThirdCountryTransfers',
  'gdprArchivingOrResearch',
] as const;
/** The yes/no applicability questions; the form sends "yes", "no" or "" (not answered yet). */
export const YES_NO_FACTS = [...GDPR_SCOPE_FACTS, ...GDPR_DUTY_YES_NO_FACTS];

const yesNo = (answer: string | undefined) => (answer === 'yes' ? true : answer === 'no' ? false : answer ? answer : null);
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
    jurisdictions: list(form.jurisdictions),
    riskTierOverride: form.riskTierOverride ? form.riskTierOverride : null,
    modelVersion: form.modelVersion ?? '',
    trainingDataVersion: form.trainingDataVersion ?? '',
  };
  for (const box of CHECKBOXES) plain[box] = form[box] === 'on';
  // Unknown answers go to the DTO as given, so its validation names them instead of them turning into "not answered".
  for (const fact of YES_NO_FACTS) plain[fact] = yesNo(form[fact]);
  plain.hipaaRole = form.hipaaRole ? form.hipaaRole : null;
  plain.gdprRole = form.gdprRole ? form.gdprRole : null;
  plain.soc2Categories = form.soc2Categories ?? [];
  if (form.riskTierOverride) plain.riskTierOverrideJustification = form.riskTierOverrideJustification ?? '';
  return plain;
}

function fieldErrors(errors: ValidationError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) out[error.property] = Object.values(error.constraints ?? {});
  return out;
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
  if (!source) return { lifecycleStage: 'design', modelKind: 'generative', useCaseDomain: 'other', autonomy: 'human_in_the_loop' };
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
    };
  }
  const values: Record<string, unknown> = { ...source, soc2Categories: source.soc2Categories ?? [] };
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
export function applicabilityQuestions(values: Record<string, unknown>, reviewFacts: readonly string[], errors: FieldErrors) {
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
  return {
    hipaa: [field('hipaaRole', words(HIPAA_ROLES))],
    gdprScope: GDPR_SCOPE_FACTS.map((fact) => field(fact, yesNoOptions)),
    gdprDuties: [field('gdprRole', words(GDPR_ROLES)), ...GDPR_DUTY_YES_NO_FACTS.map((fact) => field(fact, yesNoOptions))],
    soc2: {
      ...APPLICABILITY_QUESTIONS.soc2Categories,
      needsReview: reviewFacts.includes('soc2Categories'),
      messages: errors.soc2Categories,
      categories: SOC2_CATEGORIES.map((value) => ({ value, label: value.replace(/_/g, ' '), checked: chosen.includes(value) })),
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
  const words = (value: unknown) =>
    value === true ? 'yes' : value === false ? 'no' : Array.isArray(value) ? (value.length ? value.join(', ').replace(/_/g, ' ') : 'none (outside the SOC 2 report)') : typeof value === 'string' ? value.replace(/_/g, ' ') : 'not answered yet';
  return ANSWERABLE_FACTS.map((fact) => ({
    fact,
    label: APPLICABILITY_QUESTIONS[fact].label,
    answer: words(system[fact]),
    needsReview: system.applicabilityReviewFacts.includes(fact),
  }));
}
