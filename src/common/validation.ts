import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, ValidateIf } from 'class-validator';
import { invalid } from './domain-errors';

/**
 * Optional, but not nullable: unlike @IsOptional(), which also skips validation for null, a field sent as null is
 * still validated (and refused by the field's type check) instead of reaching a service as null.
 */
export const OptionalNotNull = () => ValidateIf((_: unknown, value: unknown) => value !== undefined);

/** Single-line text: no control characters (CR/LF included), so names cannot forge log lines or headers. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;

/** Multi-line text: line breaks and tabs allowed, other control characters not. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
export const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/**
 * The largest integer a query may carry (offset, a sequence number): 2^31-1 fits every database's plain integer
 * (a larger OFFSET is SQLITE_MISMATCH or "bigint out of range", an int4 comparison "out of range") and lies far
 * beyond any list we keep.
 */
export const MAX_QUERY_INTEGER = 2_147_483_647;

/** Largest page any list serves. */
export const MAX_PAGE_SIZE = 500;

/**
 * An optional integer query parameter within [min, max]. Only plain decimal digits count ("1e3", "0x10", "1.5" and
 * "" are refused rather than read as numbers), and every way of being wrong gives one message naming the bounds.
 */
export function QueryInteger(min: number, max: number, description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: min, maximum: max, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value,
    ),
    ValidateBy(
      {
        name: 'queryInteger',
        validator: {
          validate: (value: unknown) =>
            Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
        },
      },
      { message: ({ property }) => `${property} must be an integer from ${min} to ${max}` },
    ),
  );
}

/** limit/offset paging, shared by every list that pages so each refuses out-of-range values the same way. */
export class PageQueryDto {
  @QueryInteger(1, MAX_PAGE_SIZE, 'page size (default 100)') limit?: number;
  @QueryInteger(0, MAX_QUERY_INTEGER, 'items to skip (default 0)') offset?: number;
}

/**
 * A PATCH must change something. Validated DTO instances carry every declared field as an own key (undefined when
 * not sent), so the test is on values, not Object.keys.
 */
export function assertSomethingToChange(dto: object, message = 'Nothing to change'): void {
  if (Object.values(dto).every((value) => value === undefined)) throw invalid(message);
}
