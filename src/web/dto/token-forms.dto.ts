import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SINGLE_LINE } from '../../common/validation';
import { asList } from './form-transforms';

const CONTROL = '$property must be single-line text without control characters';

/** The token form: every field optional here, so what is missing or wrong is said on the page by the service's rules. */
export class TokenFormDto {
  @IsOptional() @IsString() @MaxLength(100) @Matches(SINGLE_LINE, { message: CONTROL }) _csrf?: string;
  @IsOptional() @IsString() @MaxLength(200) @Matches(SINGLE_LINE, { message: CONTROL }) name?: string;
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(SINGLE_LINE, { each: true, message: CONTROL })
  permissions?: string[];
  @IsOptional()
  @Transform(asList)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(SINGLE_LINE, { each: true, message: CONTROL })
  systemIds?: string[];
  @IsOptional() @IsString() @MaxLength(10) @Matches(SINGLE_LINE, { message: CONTROL }) expiresInDays?: string;
}
