import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CreateAiSystemDto, UpdateAiSystemDto } from '../ai-systems/dto/ai-system.dto';
import type { SystemView } from '../ai-systems/ai-system.view';
import { AUTONOMY_LEVELS, LIFECYCLE_STAGES, MODEL_KINDS, RISK_TIERS, USE_CASE_DOMAINS } from '../ai-systems/entities/ai-system.entity';
import type { SystemFormDto } from './dto/web-forms.dto';

export const CHECKBOXES = ['significantDecisions', 'personalData', 'specialCategoryData', 'phi', 'childrensData', 'soc2InScope'] as const;

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
    };
  }
  const values: Record<string, unknown> = { ...source };
  for (const box of CHECKBOXES) values[box] = source[box] === 'on';
  return values;
}

export const SYSTEM_FORM_CHOICES = {
  lifecycleStages: LIFECYCLE_STAGES,
  modelKinds: MODEL_KINDS,
  useCaseDomains: USE_CASE_DOMAINS,
  autonomyLevels: AUTONOMY_LEVELS,
  riskTiers: RISK_TIERS,
};
