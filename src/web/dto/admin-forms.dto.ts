import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MULTI_LINE, SINGLE_LINE } from '../../common/validation';
import { asList } from './form-transforms';

/** A single-line text field of a form; what it must hold is the service's rule, checked there and shown in words. */
const Line = (max: number) =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(max),
    Matches(SINGLE_LINE, { message: '$property must be a single line of text without control characters' }),
  );
const Text = (max: number) =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(max),
    Matches(MULTI_LINE, { message: '$property contains control characters' }),
  );
const List = (max: number) =>
  applyDecorators(
    IsOptional(),
    Transform(asList),
    IsArray(),
    ArrayMaxSize(max),
    IsString({ each: true }),
    Matches(SINGLE_LINE, {
      each: true,
      message: '$property must hold single lines of text without control characters',
    }),
  );

/** The administration and audit forms: every field optional here, so a missing one is named by the page, not a 400. */
class AdminForm {
  @Line(100) _csrf?: string;
}

export class PasswordFormDto extends AdminForm {
  @Text(256) currentPassword?: string;
  @Text(256) newPassword?: string;
  @Text(256) confirmPassword?: string;
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
  @List(20) frameworks?: string[];
  @List(500) systemIds?: string[];
  @List(100) auditorIds?: string[];
}

export class AssertionFormDto extends AdminForm {
  @Text(20_000) assertion?: string;
}

/** The sign-off button: nothing but the CSRF token, which the whitelist must still check like any field. */
export class SignOffFormDto extends AdminForm {}
