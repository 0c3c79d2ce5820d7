/** Shared pieces of every OSCAL document the workbench writes. */
export const OSCAL_VERSION = '1.2.1';

/** Namespace of the workbench's own prop names (OSCAL requires one for names outside its vocabulary). */
export const WORKBENCH_NS = 'urn:ai-governance-workbench:oscal';

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

/**
 * A prop, or nothing when the value is empty. OSCAL prop values are single-line strings without surrounding
 * whitespace, so line breaks collapse to spaces.
 */
export function prop(
  name: string,
  value: string | number | boolean | null | undefined,
  options: { ns?: string | null; class?: string } = {},
): OscalProp[] {
  const text = value === null || value === undefined ? '' : String(value).replace(/\s+/g, ' ').trim();
  if (!text) return [];
  return [
    {
      name,
      ...(options.ns === null ? {} : { ns: options.ns ?? WORKBENCH_NS }),
      value: text,
      ...(options.class ? { class: options.class } : {}),
    },
  ];
}

/**
 * Drops undefined fields and empty arrays at every depth: OSCAL arrays have minItems 1, so an empty list must be
 * left out rather than written as [].
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (field === undefined || (Array.isArray(field) && field.length === 0)) continue;
      out[key] = compact(field);
    }
    return out as T;
  }
  return value;
}

/** The latest of a set of ISO-8601 UTC timestamps (they sort as strings); the data, not the clock, dates a document. */
export function latest(...timestamps: Array<string | null | undefined>): string {
  return timestamps.filter((t): t is string => !!t).reduce((a, b) => (b > a ? b : a), '1970-01-01T00:00:00.000Z');
}

/**
 * An OSCAL 1.2 metadata action: something a role did to the content (an approval, a review), dated from the data. Its
 * type is a workbench token, so `system` names the workbench namespace.
 */
export interface OscalAction {
  uuid: string;
  type: string;
  date?: string;
  system: string;
  props?: OscalProp[];
  'responsible-parties'?: Array<{ 'role-id': string; 'party-uuids': string[] }>;
  remarks?: string;
}

export interface OscalRole {
  id: string;
  title: string;
}

export interface OscalParty {
  uuid: string;
  type: 'person' | 'organization';
  name: string;
  'email-addresses'?: string[];
  props?: OscalProp[];
}

export function metadata(fields: {
  title: string;
  lastModified: string;
  version: string;
  props?: OscalProp[];
  roles?: OscalRole[];
  parties?: OscalParty[];
  actions?: OscalAction[];
  remarks?: string;
}) {
  return {
    title: fields.title,
    'last-modified': fields.lastModified,
    version: fields.version,
    'oscal-version': OSCAL_VERSION,
    props: fields.props ?? [],
    roles: fields.roles ?? [],
    parties: fields.parties ?? [],
    actions: fields.actions ?? [],
    remarks: fields.remarks,
  };
}
