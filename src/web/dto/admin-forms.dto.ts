import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MULTI_LINE, SINGLE_LINE } from '../../common/validation';

// A group of checkboxes arrives as a string when one box is ticked, an array when several are, nothing when none are.
const asList = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Array.isArray(value) ? value : [value];

/** A single-line text field of a form; what it must hold is the service's rule, checked there and shown in words. */
const Line = (max: number) => applyDecorators(IsOptional(), IsString(), MaxLength(max), Matches(SINGLE_LINE));

/** The administration and audit forms: every field optional here, so a missing one is named by the page, not a 400. */
class AdminForm {
  @Line(100) _csrf?: string;
}

export class PasswordFormDto extends AdminForm {
  @IsOptional() @IsString() @MaxLength(256) @Matches(MULTI_LINE) currentPassword?: string;
  @IsOptional() @IsString() @MaxLength(256) @Matches(MULTI_LINE) newPassword?: string;
  @IsOptional() @IsString() @MaxLength(256) @Matches(MULTI_LINE) confirmPassword?: string;
}

export class UserFormDto extends AdminForm {
  @Line(254) email?: string;
  @Line(120) displayName?: string;
  @Line(40) role?: string;
}

export class UserChangeFormDto extends AdminForm {
  @Line(40) role?: string;
  @IsOptional() @IsIn(['role', 'disable', 'enable', 'reset-password']) action?: string;
}

export class AuditFormDto extends AdminForm {
  @Line(200) name?: string;
  @Line(20) type?: string;
  @Line(10) periodStart?: string;
  @Line(10) periodEnd?: string;
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) frameworks?: string[];
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) systemIds?: string[];
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) auditorIds?: string[];
}

export class AssertionFormDto extends AdminForm {
  @IsOptional() @IsString() @MaxLength(20_000) @Matches(MULTI_LINE) assertion?: string;
}
