import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { AnswerableFact, APPLICABILITY_QUESTIONS } from '../applicability-questions';
import {
  AI_ACT_PUBLIC_SECTOR,
  AI_ACT_ROLES,
  AiActPublicSector,
  AiActRole,
  ANNEX_III_AREAS,
  ANNEX_III_POINT_IDS,
  AnnexIIIArea,
  ART6_DEROGATIONS,
  Art6Derogation,
  AUTONOMY_LEVELS,
  AutonomyLevel,
  GPAI_MODELS,
  GpaiModel,
  PROHIBITED_PRACTICES,
  ProhibitedPractice,
  TRANSPARENCY_TRIGGERS,
  TransparencyTrigger,
  GDPR_ROLES,
  GdprRole,
  HIPAA_ROLES,
  HipaaRole,
  LIFECYCLE_STAGES,
  LifecycleStage,
  MODEL_KINDS,
  ModelKind,
  RISK_TIERS,
  SYSTEM_SORTS,
  SystemSort,
  RiskTier,
  SOC2_CATEGORIES,
  Soc2Category,
  USE_CASE_DOMAINS,
  UseCaseDomain,
} from '../entities/ai-system.entity';
import { FRAMEWORK_KEYS } from '../../catalog/policy-files';
import { MULTI_LINE, OptionalNotNull, PageQueryDto, SINGLE_LINE } from '../../common/validation';

const describe = (fact: AnswerableFact) => {
  const { question, hint, basis } = APPLICABILITY_QUESTIONS[fact];
  return `${question}${hint ? ` ${hint}` : ''} (${basis})`;
};

/** A yes/no applicability question; null (or leaving it out on create) means not answered yet. */
const AnswerYesNo = (fact: AnswerableFact) =>
  applyDecorators(
    ApiPropertyOptional({ type: Boolean, nullable: true, description: describe(fact) }),
    IsOptional(),
    IsBoolean({ message: `${fact} must be true, false or null (not answered yet)` }),
  );

/** A one-of answer; null means not answered yet (or "none" where the fact says so). */
const AnswerOneOf = (fact: AnswerableFact, values: readonly string[], nullMeans = 'not answered yet') =>
  applyDecorators(
    ApiPropertyOptional({ enum: values, nullable: true, description: describe(fact) }),
    IsOptional(),
    IsIn(values, { message: `${fact} must be one of ${values.join(', ')} (or null: ${nullMeans})` }),
  );

/** A list of answers from a fixed vocabulary; null means not answered yet, [] none of them. */
const AnswerList = (fact: AnswerableFact, values: readonly string[], what: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: values, isArray: true, nullable: true, description: describe(fact) }),
    IsOptional(),
    IsArray({ message: `${fact} must be a list of ${what} (or null: not answered yet)` }),
    ArrayUnique({ message: `${fact} must not repeat a value` }),
    IsIn(values, { each: true, message: `each of ${fact} must be one of ${values.join(', ')} (${what})` }),
  );

// A JSON number for an Annex III area (4 for "4") is read as the area it names.
const areaText = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

export class CreateAiSystemDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'name must be a single line of text' })
  name: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'purpose contains control characters' })
  purpose: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'owner must be a single line of text' })
  owner: string;

  @ApiProperty({ enum: LIFECYCLE_STAGES }) @IsIn(LIFECYCLE_STAGES) lifecycleStage: LifecycleStage;
  @ApiProperty({ enum: MODEL_KINDS }) @IsIn(MODEL_KINDS) modelKind: ModelKind;
  @ApiProperty({ enum: USE_CASE_DOMAINS }) @IsIn(USE_CASE_DOMAINS) useCaseDomain: UseCaseDomain;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) @Matches(SINGLE_LINE) vendor?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @Matches(SINGLE_LINE, { each: true })
  thirdPartyModels?: string[];

  @ApiProperty({ enum: AUTONOMY_LEVELS }) @IsIn(AUTONOMY_LEVELS) autonomy: AutonomyLevel;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) @Matches(MULTI_LINE) humanOversight?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() significantDecisions?: boolean;
  @ApiPropertyOptional({
    description: 'people or systems outside the organisation reach it over the internet (threat model)',
  })
  @IsOptional()
  @IsBoolean()
  internetFacing?: boolean;
  @ApiPropertyOptional({ description: 'it retrieves documents or records to ground its answers (RAG; threat model)' })
  @IsOptional()
  @IsBoolean()
  usesRag?: boolean;
  @ApiPropertyOptional({
    description: 'it acts through tools, plugins or agents (calls APIs, runs code, sends messages; threat model)',
  })
  @IsOptional()
  @IsBoolean()
  agentTools?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() personalData?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() specialCategoryData?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() phi?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() childrensData?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'ISO 3166 alpha-2 codes, plus EU / EEA' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v)) : value,
  )
  @Matches(/^[A-Z]{2,3}$/, {
    each: true,
    message: 'jurisdictions must be ISO 3166 alpha-2 codes such as DE, US, or EU',
  })
  jurisdictions?: string[];

  @ApiPropertyOptional({ enum: HIPAA_ROLES, nullable: true, description: describe('hipaaRole') })
  @IsOptional()
  @IsIn(HIPAA_ROLES, { message: `hipaaRole must be one of ${HIPAA_ROLES.join(', ')} (or null: not answered yet)` })
  hipaaRole?: HipaaRole | null;

  @AnswerYesNo('gdprEstablishment') gdprEstablishment?: boolean | null;
  @AnswerYesNo('gdprOffersToEu') gdprOffersToEu?: boolean | null;
  @AnswerYesNo('gdprMonitorsEu') gdprMonitorsEu?: boolean | null;

  @ApiPropertyOptional({ enum: GDPR_ROLES, nullable: true, description: describe('gdprRole') })
  @IsOptional()
  @IsIn(GDPR_ROLES, { message: `gdprRole must be one of ${GDPR_ROLES.join(', ')} (or null: not answered yet)` })
  gdprRole?: GdprRole | null;

  @AnswerYesNo('gdprConsentBasis') gdprConsentBasis?: boolean | null;
  @AnswerYesNo('gdprCriminalData') gdprCriminalData?: boolean | null;
  @AnswerYesNo('gdprPublicBody') gdprPublicBody?: boolean | null;
  @AnswerYesNo('gdprLargeScaleMonitoring') gdprLargeScaleMonitoring?: boolean | null;
  @AnswerYesNo('gdprLargeScaleSensitiveData') gdprLargeScaleSensitiveData?: boolean | null;
  @AnswerYesNo('gdprThirdCountryTransfers') gdprThirdCountryTransfers?: boolean | null;
  @AnswerYesNo('gdprArchivingOrResearch') gdprArchivingOrResearch?: boolean | null;

  @ApiPropertyOptional({ enum: SOC2_CATEGORIES, isArray: true, description: describe('soc2Categories') })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique({ message: 'soc2Categories must not repeat a category' })
  @IsIn(SOC2_CATEGORIES, { each: true, message: `each of soc2Categories must be one of ${SOC2_CATEGORIES.join(', ')}` })
  @ValidateBy(
    {
      name: 'soc2SecurityIncluded',
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || value.length === 0 || value.includes('security'),
      },
    },
    {
      message:
        'soc2Categories must include security whenever it names a category: the common criteria (CC1-CC9) are part of every SOC 2 report',
    },
  )
  soc2Categories?: Soc2Category[];

  @AnswerYesNo('aiActEuNexus') aiActEuNexus?: boolean | null;
  @AnswerOneOf('aiActRole', AI_ACT_ROLES) aiActRole?: AiActRole | null;
  @AnswerYesNo('aiActEstablishedInEu') aiActEstablishedInEu?: boolean | null;
  @AnswerOneOf('aiActPublicSector', AI_ACT_PUBLIC_SECTOR) aiActPublicSector?: AiActPublicSector | null;
  @AnswerList('prohibitedPractices', PROHIBITED_PRACTICES, 'letters of the points of Art. 5(1)') prohibitedPractices?:
    ProhibitedPractice[] | null;
  @AnswerYesNo('annexIProduct') annexIProduct?: boolean | null;
  @Transform(areaText)
  @AnswerOneOf('annexIIIArea', ANNEX_III_AREAS, 'no Annex III area')
  annexIIIArea?: AnnexIIIArea | null;
  @AnswerOneOf('annexIIIPoint', ANNEX_III_POINT_IDS, 'no point') annexIIIPoint?: string | null;
  @AnswerOneOf('art6Derogation', ART6_DEROGATIONS, 'no derogation relied on') art6Derogation?: Art6Derogation | null;
  @AnswerYesNo('profilesPeople') profilesPeople?: boolean | null;
  @AnswerList('transparencyTriggers', TRANSPARENCY_TRIGGERS, 'Art. 50 triggers') transparencyTriggers?:
    TransparencyTrigger[] | null;
  @AnswerOneOf('gpaiModel', GPAI_MODELS) gpaiModel?: GpaiModel | null;

  @ApiPropertyOptional({
    deprecated: true,
    description:
      'Deprecated: use soc2Categories. false means no categories; true on a system without categories presumes every category (privacy only with personal data) and flags soc2Categories for review.',
  })
  @OptionalNotNull()
  @IsBoolean()
  soc2InScope?: boolean;

  @ApiPropertyOptional({ enum: RISK_TIERS, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(RISK_TIERS)
  riskTierOverride?: RiskTier | null;

  @ApiPropertyOptional()
  @ValidateIf((o: CreateAiSystemDto) => o.riskTierOverride !== undefined && o.riskTierOverride !== null)
  @IsString()
  @MinLength(10, { message: 'riskTierOverrideJustification must explain the override (at least 10 characters)' })
  @MaxLength(2000)
  riskTierOverrideJustification?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(80) @Matches(SINGLE_LINE) modelVersion?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(80) @Matches(SINGLE_LINE) trainingDataVersion?: string;
}

export class UpdateAiSystemDto extends PartialType(CreateAiSystemDto) {
  @ApiPropertyOptional({ description: 'true archives the system (it is never deleted); false restores it' })
  @IsOptional()
  @IsBoolean()
  archived?: boolean;
}

export class ListAiSystemsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'q must be a single line of text' })
  q?: string;
  @IsOptional() @IsIn(LIFECYCLE_STAGES) lifecycleStage?: LifecycleStage;
  @IsOptional() @IsIn(RISK_TIERS) riskTier?: RiskTier;
  @IsOptional() @IsIn(FRAMEWORK_KEYS) framework?: string;
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() includeArchived?: boolean;
  @IsOptional() @IsIn(SYSTEM_SORTS) sort?: SystemSort;
}
