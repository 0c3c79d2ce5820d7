import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SINGLE_LINE } from '../../common/validation';
import { asList } from './form-transforms';

/** The form's fields as the browser sends them: text only. They are parsed and then validated with the API's own DTOs. */
class WebForm {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(SINGLE_LINE, { message: '_csrf must be a single line of text' })
  _csrf?: string;
}

export class IncidentFormDto extends WebForm {
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  systemIds?: string[];
  @IsOptional() @IsString() @MaxLength(10000) title?: string;
  @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @IsOptional() @IsString() @MaxLength(100) detectedAt?: string;
  @IsOptional() @IsString() @MaxLength(100) becameAwareAt?: string;
  @IsOptional() @IsString() @MaxLength(1000) reporter?: string;
  @IsOptional() @IsString() @MaxLength(100) severity?: string;
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  categories?: string[];
  @IsOptional() @IsString() @MaxLength(100) aiActKind?: string;
  @IsOptional() @IsString() @MaxLength(10) aiActDeath?: string;
  @IsOptional() @IsString() @MaxLength(100) aiActRole?: string;
  @IsOptional() @IsString() @MaxLength(100) gdprRisk?: string;
  @IsOptional() @IsString() @MaxLength(100) affectedCount?: string;
  @IsOptional() @IsString() @MaxLength(2000) affectedByState?: string;
  @IsOptional() @IsString() @MaxLength(2000) atlasTechniques?: string;
}

export class NotificationFormDto extends WebForm {
  @IsOptional() @IsString() @MaxLength(100) obligationId?: string;
  @IsOptional() @IsString() @MaxLength(2000) recipient?: string;
  @IsOptional() @IsString() @MaxLength(100) sentAt?: string;
  @IsOptional() @IsString() @MaxLength(100) channel?: string;
  @IsOptional() @IsString() @MaxLength(1000) reference?: string;
  @IsOptional() @IsString() @MaxLength(1000) sender?: string;
  @IsOptional() @IsString() @MaxLength(100) evidenceId?: string;
  @IsOptional() @IsString() @MaxLength(8000) lateReason?: string;
}

export class IncidentMoveFormDto extends WebForm {
  @IsOptional() @IsString() @MaxLength(100) status?: string;
  @IsOptional() @IsString() @MaxLength(10) recompute?: string;
  @IsOptional() @IsString() @MaxLength(20000) reviewSummary?: string;
  @IsOptional() @IsString() @MaxLength(2000) reviewControls?: string;
}
