import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SINGLE_LINE } from '../../common/validation';

// A group of checkboxes arrives as a string when one box is ticked, an array when several are, nothing when none are.
const asList = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Array.isArray(value) ? value : [value];

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
