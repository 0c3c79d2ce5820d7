import type { ErrorObject } from 'ajv';

/** The JSON pointer an ajv error is about: for a missing or unexpected property, the property itself. */
export function errorPath(error: ErrorObject, prefix = ''): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  return `${prefix}${error.instancePath}${child ? `/${child}` : ''}` || '/';
}

/** What is wrong at that pointer, in the words a 400 names the field with (OSCAL imports, evidence kinds). */
export function errorMessage(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not allowed here';
  return error.message ?? 'is not valid';
}
