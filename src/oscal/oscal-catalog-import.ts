import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError, invalid } from '../common/domain-errors';
import { WORKBENCH_NS } from './oscal-document';
import { errorMessage, errorPath } from '../common/json-schema-errors';
import catalogSchema106 from './schemas/1.0.6/oscal_catalog_schema.json';
import catalogSchema121 from './schemas/1.2.1/oscal_catalog_schema.json';

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
  catalog: OscalNode & {
    uuid: string;
    metadata: { title: string; version: string; props?: OscalProp[]; parties?: Array<{ name?: string }> };
  };
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

/**
 * Most groups and controls a catalog may hold: several times the largest real catalog that fits the 1 MB body limit
 * (NIST SP 800-53 rev 5 has about 1,200), and a bound on the rows one import writes in its transaction.
 */
export const MAX_CATALOG_NODES = 5_000;

/** Most schema errors one answer lists; the first is also in the message. */
export const MAX_REPORTED_ERRORS = 20;

/** Collecting errors yields to the event loop after this long, so other requests are served meanwhile. */
const SLICE_MS = 10;

type CatalogValidators = ReturnType<typeof catalogValidators>;

function catalogValidators(schema: { $id: string }) {
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv);
  const document = ajv.compile(schema);
  const node = (definition: string) =>
    ajv.getSchema(`${schema.$id}#/definitions/oscal-catalog-oscal-catalog:${definition}`)!;
  return { document, group: node('group'), control: node('control') };
}

/**
 * Compiled when this module loads (at start-up, about 0.2 s each), not on the first import request. Without
 * allErrors, ajv stops at the first error: with it, a 60 KB catalog of 20,000 empty props produced 40,000 errors in
 * 4.6 s of CPU on the request thread. Validation is then linear in the document, which the body limit bounds.
 * A catalog that says it is OSCAL 1.0.x is checked against the 1.0.6 schema; every other (1.1.x, 1.2.x, or none)
 * against 1.2.1, which reads 1.1 catalogs too (1.2 added no required catalog field).
 */
const VALIDATORS = { '1.0.6': catalogValidators(catalogSchema106), '1.2.1': catalogValidators(catalogSchema121) };

function validatorsFor(document: unknown): CatalogValidators {
  const version = (document as { catalog?: { metadata?: { 'oscal-version'?: unknown } } } | null)?.catalog?.metadata?.[
    'oscal-version'
  ];
  return typeof version === 'string' && /^1\.0(\.|$)/.test(version) ? VALIDATORS['1.0.6'] : VALIDATORS['1.2.1'];
}

interface CatalogNode {
  kind: 'group' | 'control';
  path: string;
  value: unknown;
}

/** A node's sub-controls and sub-groups, in the order the schema checks them. */
function childArrays(value: unknown): Array<[kind: 'group' | 'control', key: string, items: unknown[]]> {
  if (!value || typeof value !== 'object') return [];
  const node = value as { controls?: unknown; groups?: unknown };
  return [
    ['control', 'controls', Array.isArray(node.controls) ? node.controls : []],
    ['group', 'groups', Array.isArray(node.groups) ? node.groups : []],
  ];
}

/** Every group and control in document order, with its JSON pointer; 413 past MAX_CATALOG_NODES. */
function catalogNodes(document: unknown): CatalogNode[] {
  const root: CatalogNode = {
    kind: 'group',
    path: '/catalog',
    value: (document as { catalog?: unknown } | null)?.catalog,
  };
  const nodes: CatalogNode[] = [];
  const pending = [root];
  let count = 0;
  while (pending.length) {
    const node = pending.pop()!;
    if (node !== root) nodes.push(node);
    const children: CatalogNode[] = [];
    for (const [kind, key, items] of childArrays(node.value))
      items.forEach((value, i) => children.push({ kind, path: `${node.path}/${key}/${i}`, value }));
    count += children.length;
    if (count > MAX_CATALOG_NODES)
      throw new DomainError(
        'too_large',
        `The OSCAL catalog is too large: more than ${MAX_CATALOG_NODES} groups and controls`,
      );
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return nodes;
}

const isBranchMismatch = (e: ErrorObject) =>
  e.keyword === 'additionalProperties' &&
  ['groups', 'controls'].includes((e.params as { additionalProperty: string }).additionalProperty);

/**
 * The first error that says what is wrong. OSCAL 1.2.1 writes a group as anyOf(with groups, with controls), so ajv
 * first reports the branch the group did not take ("controls is not allowed here"); those are skipped, and a group that
 * holds both is named as such.
 */
function firstError(errors: ErrorObject[], prefix = ''): { path: string; message: string } {
  const real = errors.find((e) => e.keyword !== 'anyOf' && !isBranchMismatch(e));
  if (real) return { path: errorPath(real, prefix), message: errorMessage(real) };
  const both = errors.find(isBranchMismatch);
  if (both)
    return {
      path: `${prefix}${both.instancePath}` || '/',
      message: 'holds both groups and controls (OSCAL 1.2: one of them)',
    };
  return { path: errorPath(errors[0], prefix), message: errorMessage(errors[0]) };
}

/**
 * The document's first schema error, then the first error of each group and control checked on its own (one that
 * lies inside a nested group or control is left to that node), up to MAX_REPORTED_ERRORS, in bounded time slices.
 */
async function schemaErrors(
  document: unknown,
  nodes: CatalogNode[],
): Promise<Array<{ path: string; message: string }>> {
  const validators = validatorsFor(document);
  if (validators.document(document)) return [];
  const errors = [firstError(validators.document.errors!)];
  const seen = new Set([`${errors[0].path} ${errors[0].message}`]);
  let sliceStart = performance.now();
  for (const node of nodes) {
    if (errors.length >= MAX_REPORTED_ERRORS) break;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const validate = validators[node.kind];
    if (validate(node.value)) continue;
    const found = firstError(validate.errors!, node.path);
    // An error inside a nested group or control: that node reports it itself.
    if (/^\/(controls|groups)\/\d+/.test(found.path.slice(node.path.length))) continue;
    const key = `${found.path} ${found.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(found);
  }
  return errors;
}

/**
 * Validates an OSCAL catalog against the OSCAL schema of its version (1.0.6 for 1.0.x, else 1.2.1) and turns its tree into requirements: groups and controls
 * with sub-controls are parents, controls without sub-controls are leaves. A node's ref is its `label` prop when it
 * has one (the workbench's own exports keep the original ref there), else its id.
 */
export async function parseOscalCatalog(document: unknown): Promise<ImportedCatalog> {
  const errors = await schemaErrors(document, catalogNodes(document));
  if (errors.length > 0)
    throw invalid(`The OSCAL catalog is not valid: ${errors[0].path} ${errors[0].message}`, { errors });
  const catalog = (document as OscalCatalogDocument).catalog;
  const meta = catalog.metadata;
  const own = (props: OscalProp[] | undefined, name: string) =>
    props?.find((p) => p.ns === WORKBENCH_NS && p.name === name)?.value;
  const requirements: ImportedRequirement[] = [];
  const seen = new Map<string, string>();
  let anonymousGroups = 0;

  const checkLength = (value: string, limit: number, path: string) => {
    if (value.length > limit)
      throw invalid(`The OSCAL catalog is not valid: ${path} is longer than ${limit} characters`, {
        errors: [{ path, message: `longer than ${limit} characters` }],
      });
  };

  const visit = (node: OscalNode, path: string, parentRef: string | null, kind: 'group' | 'control') => {
    const label = node.props?.find((p) => p.name === 'label')?.value;
    const ref = label ?? node.id ?? `group-${++anonymousGroups}`;
    const refPath = label ? `${path}/props` : `${path}/id`;
    checkLength(ref, LIMITS.ref, refPath);
    checkLength(node.title, LIMITS.title, `${path}/title`);
    if (seen.has(ref)) {
      throw invalid(`The OSCAL catalog is not valid: ${refPath} repeats "${ref}" (first at ${seen.get(ref)})`, {
        errors: [{ path: refPath, message: `duplicate ref ${ref}` }],
      });
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
      attributes: Object.fromEntries(
        (node.props ?? [])
          .filter((p) => p.ns === WORKBENCH_NS && p.class === 'attribute')
          .map((p) => [p.name, p.value]),
      ),
      isLeaf,
      position: requirements.length,
    });
    node.groups?.forEach((child, i) => visit(child, `${path}/groups/${i}`, ref, 'group'));
    node.controls?.forEach((child, i) => visit(child, `${path}/controls/${i}`, ref, 'control'));
  };
  catalog.groups?.forEach((group, i) => visit(group, `/catalog/groups/${i}`, null, 'group'));
  catalog.controls?.forEach((control, i) => visit(control, `/catalog/controls/${i}`, null, 'control'));
  if (!requirements.some((r) => r.isLeaf)) {
    throw invalid('The OSCAL catalog is not valid: /catalog has no controls, so there is nothing to assess', {
      errors: [{ path: '/catalog', message: 'no controls' }],
    });
  }

  const imported: ImportedCatalog = {
    uuid: catalog.uuid,
    name: meta.title,
    version: meta.version,
    publisher:
      own(meta.props, 'publisher') ?? meta.parties?.find((p) => p.name)?.name ?? 'Not stated in the OSCAL catalog',
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
