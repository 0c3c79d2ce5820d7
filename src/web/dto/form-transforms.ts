// How browsers send form values, turned into what the DTOs validate.

/** A form's "any" choice arrives as an empty string; it means "no filter", not an invalid value. */
export const emptyAsMissing = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** A group of checkboxes arrives as a string when one box is ticked, an array when several are, nothing when none are. */
export const asList = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Array.isArray(value) ? value : [value];
