import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: unlike @IsOptional(), which also skips validation for null, a field sent as null is
 * still validated (and refused by the field's type check) instead of reaching a service as null.
 */
export const OptionalNotNull = () => ValidateIf((_: unknown, value: unknown) => value !== undefined);
