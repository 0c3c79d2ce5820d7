import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIFECYCLE_STAGES, LifecycleStage, RISK_TIERS, RiskTier } from '../../ai-systems/entities/ai-system.entity';
import { IMPLEMENTATION_STATUSES, ImplementationStatus } from '../../controls/entities/control-implementation.entity';

// A form's "any" choice arrives as an empty string; it means "no filter", not an invalid value.
const emptyAsMissing = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Every form carries the session's CSRF token; the guard checks it, the DTO only has to allow it. */
class WebForm {
  @IsOptional() @IsString() @MaxLength(100) _csrf?: string;
}

export class LoginFormDto {
  @IsString() @MaxLength(254) email: string;
  @IsString() @MaxLength(256) password: string;
  @IsOptional() @IsString() @MaxLength(500) next?: string;
}

export class LogoutFormDto extends WebForm {}

export class SystemsFilterDto {
  @IsOptional() @Transform(emptyAsMissing) @IsString() @MaxLength(200) q?: string;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(LIFECYCLE_STAGES) lifecycleStage?: LifecycleStage;
  @IsOptional() @Transform(emptyAsMissing) @IsIn(RISK_TIERS) riskTier?: RiskTier;
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
  @IsOptional() @IsString() @MaxLength(10) personalData?: string;
  @IsOptional() @IsString() @MaxLength(10) specialCategoryData?: string;
  @IsOptional() @IsString() @MaxLength(10) phi?: string;
  @IsOptional() @IsString() @MaxLength(10) childrensData?: string;
  @IsOptional() @IsString() @MaxLength(1000) jurisdictions?: string;
  @IsOptional() @IsString() @MaxLength(10) soc2InScope?: string;
  @IsOptional() @IsString() @MaxLength(100) riskTierOverride?: string;
  @IsOptional() @IsString() @MaxLength(10000) riskTierOverrideJustification?: string;
  @IsOptional() @IsString() @MaxLength(1000) modelVersion?: string;
  @IsOptional() @IsString() @MaxLength(1000) trainingDataVersion?: string;
}

export class ControlStatusFormDto extends WebForm {
  @IsIn(IMPLEMENTATION_STATUSES) status: ImplementationStatus;
  @IsOptional() @Transform(emptyAsMissing) @IsString() @MaxLength(2000) justification?: string;
}

export class EvidenceReviewFormDto extends WebForm {
  @IsIn(['accepted', 'rejected']) decision: 'accepted' | 'rejected';
  @IsOptional() @Transform(emptyAsMissing) @IsString() @MaxLength(2000) comment?: string;
}
