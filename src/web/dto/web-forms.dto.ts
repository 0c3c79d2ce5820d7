import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  LIFECYCLE_STAGES,
  LifecycleStage,
  RISK_TIERS,
  RiskTier,
  SYSTEM_SORTS,
  SystemSort,
} from '../../ai-systems/entities/ai-system.entity';
import { FRAMEWORK_KEYS } from '../../catalog/policy-files';
import { IMPLEMENTATION_STATUSES, ImplementationStatus } from '../../controls/entities/control-implementation.entity';
import {
  TASK_PRIORITIES,
  TASK_SORTS,
  TASK_STATUSES,
  TaskPriority,
  TaskSort,
  TaskStatus,
} from '../../tasks/entities/task.entity';
import { MULTI_LINE, SINGLE_LINE } from '../../common/validation';
import { asList, emptyAsMissing } from './form-transforms';

/** Every form carries the session's CSRF token; the guard checks it, the DTO only has to allow it. */
class WebForm {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(SINGLE_LINE, { message: '_csrf must be a single line of text without control characters' })
  _csrf?: string;
}

/** A button's form (revoke, mark read): nothing but the CSRF token, which the whitelist still checks like any field. */
export class CsrfOnlyFormDto extends WebForm {}

export class LoginFormDto {
  @IsString() @MaxLength(254) @Matches(SINGLE_LINE, { message: 'email must be a single line of text' }) email: string;
  @IsString()
  @MaxLength(256)
  @Matches(MULTI_LINE, { message: 'password contains control characters' })
  password: string;
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: 'next must be a single line of text' })
  next?: string;
}

export class LogoutFormDto extends WebForm {}

export class SystemsFilterDto {
  @IsOptional()
  @Transform(emptyAsMissing)
  @IsString()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'q must be a single line of text' })
  q?: string;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(LIFECYCLE_STAGES) lifecycleStage?: LifecycleStage;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(RISK_TIERS) riskTier?: RiskTier;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(FRAMEWORK_KEYS) framework?: string;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(SYSTEM_SORTS) sort?: SystemSort;
  @IsOptional() @Transform(emptyAsMissing) @Matches(/^[1-9][0-9]{0,4}$/) page?: string;
}

/**
 * The AI system form as the browser sends it: text and checkboxes. It is only a carrier; the values are validated
 * with the API's own CreateAiSystemDto / UpdateAiSystemDto (see system-form.ts), so both paths accept the same data.
 */
export class SystemFormDto extends WebForm {
  @IsOptional() @IsString() @MaxLength(10000) name?: string;
  @IsOptional() @IsString() @MaxLength(10000) purpose?: string;
  @IsOptional() @IsString() @MaxLength(10000) owner?: string;
  @IsOptional() @IsString() @MaxLength(100) lifecycleStage?: string;
  @IsOptional() @IsString() @MaxLength(100) modelKind?: string;
  @IsOptional() @IsString() @MaxLength(100) useCaseDomain?: string;
  @IsOptional() @IsString() @MaxLength(10000) vendor?: string;
  @IsOptional() @IsString() @MaxLength(20000) thirdPartyModels?: string;
  @IsOptional() @IsString() @MaxLength(100) autonomy?: string;
  @IsOptional() @IsString() @MaxLength(10000) humanOversight?: string;
  @IsOptional() @IsString() @MaxLength(10) significantDecisions?: string;
  @IsOptional() @IsString() @MaxLength(10) internetFacing?: string;
  @IsOptional() @IsString() @MaxLength(10) usesRag?: string;
  @IsOptional() @IsString() @MaxLength(10) agentTools?: string;
  @IsOptional() @IsString() @MaxLength(10) personalData?: string;
  @IsOptional() @IsString() @MaxLength(10) specialCategoryData?: string;
  @IsOptional() @IsString() @MaxLength(10) phi?: string;
  @IsOptional() @IsString() @MaxLength(10) childrensData?: string;
  @IsOptional() @IsString() @MaxLength(1000) jurisdictions?: string;
  @IsOptional() @IsString() @MaxLength(100) hipaaRole?: string;
  @IsOptional() @IsString() @MaxLength(100) gdprRole?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprEstablishment?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprOffersToEu?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprMonitorsEu?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprConsentBasis?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprCriminalData?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprPublicBody?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprLargeScaleMonitoring?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprLargeScaleSensitiveData?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprThirdCountryTransfers?: string;
  @IsOptional() @IsString() @MaxLength(10) gdprArchivingOrResearch?: string;
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  soc2Categories?: string[];
  @IsOptional() @IsString() @MaxLength(10) aiActEuNexus?: string;
  @IsOptional() @IsString() @MaxLength(100) aiActRole?: string;
  @IsOptional() @IsString() @MaxLength(10) aiActEstablishedInEu?: string;
  @IsOptional() @IsString() @MaxLength(100) aiActPublicSector?: string;
  // The Art. 5(1) screening, one yes/no question per point.
  @IsOptional() @IsString() @MaxLength(10) art5a?: string;
  @IsOptional() @IsString() @MaxLength(10) art5b?: string;
  @IsOptional() @IsString() @MaxLength(10) art5c?: string;
  @IsOptional() @IsString() @MaxLength(10) art5d?: string;
  @IsOptional() @IsString() @MaxLength(10) art5e?: string;
  @IsOptional() @IsString() @MaxLength(10) art5f?: string;
  @IsOptional() @IsString() @MaxLength(10) art5g?: string;
  @IsOptional() @IsString() @MaxLength(10) art5h?: string;
  @IsOptional() @IsString() @MaxLength(10) annexIProduct?: string;
  @IsOptional() @IsString() @MaxLength(10) annexIIIArea?: string;
  @IsOptional() @IsString() @MaxLength(10) annexIIIPoint?: string;
  @IsOptional() @IsString() @MaxLength(10) art6Derogation?: string;
  @IsOptional() @IsString() @MaxLength(10) profilesPeople?: string;
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  transparencyTriggers?: string[];
  @IsOptional() @IsString() @MaxLength(100) gpaiModel?: string;
  @IsOptional() @IsString() @MaxLength(100) riskTierOverride?: string;
  @IsOptional() @IsString() @MaxLength(10000) riskTierOverrideJustification?: string;
  @IsOptional() @IsString() @MaxLength(1000) modelVersion?: string;
  @IsOptional() @IsString() @MaxLength(1000) trainingDataVersion?: string;
}

export class ControlStatusFormDto extends WebForm {
  @IsIn(IMPLEMENTATION_STATUSES) status: ImplementationStatus;
  @IsOptional()
  @Transform(emptyAsMissing)
  @IsString()
  @MaxLength(2000)
  @Matches(MULTI_LINE, { message: 'justification contains control characters' })
  justification?: string;
}

export class EvidenceReviewFormDto extends WebForm {
  @IsIn(['accepted', 'rejected']) decision: 'accepted' | 'rejected';
  @IsOptional()
  @Transform(emptyAsMissing)
  @IsString()
  @MaxLength(2000)
  @Matches(MULTI_LINE, { message: 'comment contains control characters' })
  comment?: string;
  /** Where to go back to after the review (a path on this site; the task page reviews its submitted evidence). */
  @IsOptional() @IsString() @MaxLength(200) @Matches(SINGLE_LINE) back?: string;
}

/** The controls page's filter: by status, by domain, by owner (a named owner's name or the owning role). */
export class ControlsFilterDto {
  @IsOptional() @Transform(emptyAsMissing) @IsIn(IMPLEMENTATION_STATUSES) status?: ImplementationStatus;
  @IsOptional() @Transform(emptyAsMissing) @IsString() @MaxLength(100) @Matches(SINGLE_LINE) domain?: string;
  @IsOptional() @Transform(emptyAsMissing) @IsString() @MaxLength(200) @Matches(SINGLE_LINE) owner?: string;
}

export class TasksFilterDto {
  @IsOptional() @Transform(emptyAsMissing) @IsIn(TASK_STATUSES) status?: TaskStatus;
  @IsOptional() @Transform(emptyAsMissing) @IsUUID() systemId?: string;
  /** "me", or a user's id. */
  @IsOptional() @Transform(emptyAsMissing) @Matches(/^(me|[0-9a-f-]{36})$/) assignee?: string;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(TASK_PRIORITIES) priority?: TaskPriority;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(TASK_SORTS) sort?: TaskSort;
  @IsOptional() @Transform(emptyAsMissing) @Matches(/^[1-9][0-9]{0,4}$/) page?: string;
  @IsOptional()
  @Transform(({ value }) => (value === '' ? undefined : value === 'true' || value === true))
  @IsBoolean()
  overdue?: boolean;
}

export class TaskTransitionFormDto extends WebForm {
  @IsIn(TASK_STATUSES) to: TaskStatus;
  @IsOptional()
  @Transform(emptyAsMissing)
  @IsString()
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'comment contains control characters' })
  comment?: string;
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) evidenceIds?: string[];
  /** Closing a remediation task: the status its control moves to as well ("" keeps it). */
  @IsOptional() @Transform(emptyAsMissing) @IsIn(IMPLEMENTATION_STATUSES) controlStatus?: ImplementationStatus;
}

/** The pack form: one scope select whose value names its kind (`system:<id>` or `audit:<id>`), framework boxes, a day. */
export class PackFormDto extends WebForm {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(SINGLE_LINE, { message: 'scope must be a single line of text' })
  scope?: string;
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(SINGLE_LINE, { each: true, message: 'frameworks must be single lines of text' })
  frameworks?: string[];
  @IsOptional()
  @Transform(emptyAsMissing)
  @IsString()
  @MaxLength(20)
  @Matches(SINGLE_LINE, { message: 'asOf must be a single line of text' })
  asOf?: string;
}

/**
 * The evidence upload form posted without JavaScript (multipart): a carrier only; the values are validated with the
 * API's UploadEvidenceDto once blanks are dropped. The handler checks _csrf itself, after the body is parsed.
 */
export class EvidenceUploadFormDto extends WebForm {
  @IsOptional() @IsString() @MaxLength(1000) title?: string;
  @IsOptional() @IsString() @MaxLength(100) kind?: string;
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) controlCodes?: string[];
  @IsOptional() @IsString() @MaxLength(40) collectedAt?: string;
  @IsOptional() @IsString() @MaxLength(40) validUntil?: string;
  /** The page to go back to (a path on this site; the task page's upload returns to the task). */
  @IsOptional() @IsString() @MaxLength(200) @Matches(SINGLE_LINE) back?: string;
}
