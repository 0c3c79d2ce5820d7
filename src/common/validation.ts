import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: unlike @IsOptional(), which also skips validation for null, a field sent as null is
 * still validated (and refused by the field's type check) instead of reaching a service as null.
 */
export const OptionalNotNull = () => ValidateIf((_: unknown, value: unknown) => value !== undefined);

/** Single-line text: no control characters (CR/LF included), so names cannot forge log lines or headers. */
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;

/** Multi-line text: line breaks and tabs allowed, other control characters not. */
export const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
