import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONTROL_DOMAINS, FRAMEWORK_KEYS } from '../policy-files';

export class CrosswalkQueryDto {
  @IsString() @MaxLength(64) from: string;
  @IsString() @MaxLength(64) to: string;
}

export class RequirementsQueryDto {
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() flat?: boolean;
}

export class ControlsQueryDto {
  @IsOptional() @IsIn(CONTROL_DOMAINS) domain?: string;
  @IsOptional() @IsIn(FRAMEWORK_KEYS) framework?: string;
}
