import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { invalid } from '../common/domain-errors';
import { WORKBENCH_NS } from './oscal-document';
import catalogSchema from './schemas/oscal_catalog_schema.json';

interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}
interface OscalPart {
  name: string;
  prose?: string;
  parts?: OscalPart[];
}
interface OscalNode {
  id?: string;
  title: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  groups?: OscalNode[];
  controls?: OscalNode[];
}
export interface OscalCatalogDocument {
  catalog: OscalNode & { uuid: string; metadata: { title: string; version: string; props?: OscalProp[]; parties?: Array<{ name?: string }> } };
}

export interface ImportedRequirement {
  ref: string;
  parentRef: string | null;
  level: string;
  title: string;
  description: string;
  attributes: Record<string, string>;
  isLeaf: boolean;
  position: number;
}

export interface ImportedCatalog {
  uuid: string;
  name: string;
  version: string;
  publisher: string;
  source: string;
  licence: string;
  requirements: ImportedRequirement[];
}

/** Column widths of the catalog tables, checked here so an oversized value is a 400 naming its path, not a 500. */
const LIMITS = { ref: 64, title: 200, level: 32, name: 200, version: 120, publisher: 200, source: 300 };

let validator: ValidateFunction | undefined;

/** Compiled once: the OSCAL 1.0.6 catalog schema takes a noticeable fraction of a second to compile. */
function validateSchema(document: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(catalogSchema);
  }
  return validator(document) ? [] : (validator.errors ?? []);
}

/** The JSON pointer an ajv error is about: for a missing or unexpected property, the property itself. */
function errorPath(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  return (child ? `${error.instancePath}/${child}` : error.instancePath) || '/';
}

function errorMessage(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not allowed here';
  return error.message ?? 'is not valid';
}

/**
 * Validates an OSCAL catalog against the OSCAL 1.0.6 schema and turns its tree into requirements: groups and controls
 * with sub-controls are parents, controls without sub-controls are leaves. A node's ref is its `label` prop when it
 * has one (the workbench's own exports keep the original ref there), else its id.
 */
export function parseOscalCatalog(document: unknown): ImportedCatalog {
  const errors = validateSchema(document);
  if (errors.length > 0) {
    const first = errors[0];
    throw invalid(`The OSCAL catalog is not valid: ${errorPath(first)} ${errorMessage(first)}`, {
      errors: errors.slice(0, 20).map((e) => ({ path: errorPath(e), message: errorMessage(e) })),
    });
  }
  const catalog = (document as OscalCatalogDocument).catalog;
  const meta = catalog.metadata;
  const own = (props: OscalProp[] | undefined, name: string) => props?.find((p) => p.ns === WORKBENCH_NS && p.name === name)?.value;
  const requirements: ImportedRequirement[] = [];
  const seen = new Map<string, string>();
  let anonymousGroups = 0;

  const checkLength = (value: string, limit: number, path: string) => {
    if (value.length > limit) throw invalid(`The OSCAL catalog is not valid: ${path} is longer than ${limit} characters`, { errors: [{ path, message: `longer than ${limit} characters` }] });
  };

  const visit = (node: OscalNode, path: string, parentRef: string | null, kind: 'group' | 'control') => {
    const label = node.props?.find((p) => p.name === 'label')?.value;
    const ref = label ?? node.id ?? `group-${++anonymousGroups}`;
    const refPath = label ? `${path}/props` : `${path}/id`;
    checkLength(ref, LIMITS.ref, refPath);
    checkLength(node.title, LIMITS.title, `${path}/title`);
    if (seen.has(ref)) {
      throw invalid(`The OSCAL catalog is not valid: ${refPath} repeats "${ref}" (first at ${seen.get(ref)})`, { errors: [{ path: refPath, message: `duplicate ref ${ref}` }] });
    }
    seen.set(ref, refPath);
    const isLeaf = kind === 'control' && !node.controls?.length;
    const level = own(node.props, 'level') ?? kind;
    checkLength(level, LIMITS.level, `${path}/props`);
    requirements.push({
      ref,
      parentRef,
      level,
      title: node.title,
      description: prose(node.parts),
      attributes: Object.fromEntries((node.props ?? []).filter((p) => p.ns === WORKBENCH_NS && p.class === 'attribute').map((p) => [p.name, p.value])),
      isLeaf,
      position: requirements.length,
    });
    node.groups?.forEach((child, i) => visit(child, `${path}/groups/${i}`, ref, 'group'));
    node.controls?.forEach((child, i) => visit(child, `${path}/controls/${i}`, ref, 'control'));
  };
  catalog.groups?.forEach((group, i) => visit(group, `/catalog/groups/${i}`, null, 'group'));
  catalog.controls?.forEach((control, i) => visit(control, `/catalog/controls/${i}`, null, 'control'));
  if (!requirements.some((r) => r.isLeaf)) {
    throw invalid('The OSCAL catalog is not valid: /catalog has no controls, so there is nothing to assess', { errors: [{ path: '/catalog', message: 'no controls' }] });
  }

  const imported: ImportedCatalog = {
    uuid: catalog.uuid,
    name: meta.title,
    version: meta.version,
    publisher: own(meta.props, 'publisher') ?? meta.parties?.find((p) => p.name)?.name ?? 'Not stated in the OSCAL catalog',
    source: own(meta.props, 'source') ?? `OSCAL catalog ${catalog.uuid}`,
    licence: own(meta.props, 'licence') ?? 'Not stated in the imported OSCAL catalog.',
    requirements,
  };
  checkLength(imported.name, LIMITS.name, '/catalog/metadata/title');
  checkLength(imported.version, LIMITS.version, '/catalog/metadata/version');
  checkLength(imported.publisher, LIMITS.publisher, '/catalog/metadata');
  checkLength(imported.source, LIMITS.source, '/catalog/metadata/props');
  return imported;
}

/** The prose of a node's statement (controls) or overview (groups) part, sub-parts included, in document order. */
function prose(parts: OscalPart[] | undefined): string {
  const main = parts?.find((p) => p.name === 'statement' || p.name === 'overview');
  if (!main) return '';
  const texts: string[] = [];
  const walk = (part: OscalPart) => {
    if (part.prose) texts.push(part.prose);
    part.parts?.forEach(walk);
  };
  walk(main);
  return texts.join('\n\n');
}
