import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { errorMessage, errorPath } from '../common/json-schema-errors';
import assessmentPlan from './schemas/1.2.1/oscal_assessment-plan_schema.json';
import assessmentResults from './schemas/1.2.1/oscal_assessment-results_schema.json';
import catalog from './schemas/1.2.1/oscal_catalog_schema.json';
import component from './schemas/1.2.1/oscal_component_schema.json';
import mapping from './schemas/1.2.1/oscal_mapping_schema.json';
import poam from './schemas/1.2.1/oscal_poam_schema.json';
import profile from './schemas/1.2.1/oscal_profile_schema.json';
import ssp from './schemas/1.2.1/oscal_ssp_schema.json';

/** The OSCAL 1.2.1 models, by the root key of their JSON documents, with the bundled NIST schema of each. */
export const OSCAL_MODELS = {
  catalog,
  profile,
  'component-definition': component,
  'system-security-plan': ssp,
  'assessment-plan': assessmentPlan,
  'assessment-results': assessmentResults,
  'plan-of-action-and-milestones': poam,
  'mapping-collection': mapping,
} as const;
export type OscalModel = keyof typeof OSCAL_MODELS;
export const OSCAL_MODEL_NAMES = Object.keys(OSCAL_MODELS) as OscalModel[];

export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * strictTypes off because the mapping schema has patterns without `type: "string"` beside them (see
 * schemas/1.2.1/SOURCE.md); the other strict checks stay on. Each model compiles on first use (0.3-1 s). Two ajv
 * instances: one lists every error (the CLI, the tests), one stops at the first, for requests, where a hostile
 * document could otherwise make ajv list errors for seconds of CPU.
 */
const instances = { all: newAjv(true), first: newAjv(false) };
const compiled = new Map<string, ValidateFunction>();

function newAjv(allErrors: boolean): Ajv {
  const ajv = new Ajv({ strict: true, strictTypes: false, allErrors });
  addFormats(ajv);
  return ajv;
}

export function oscalValidator(model: OscalModel, allErrors = true): ValidateFunction {
  const key = `${model}:${allErrors}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = instances[allErrors ? 'all' : 'first'].compile(OSCAL_MODELS[model]);
    compiled.set(key, validate);
  }
  return validate;
}

/** The model of a document from its one root key (`$schema` aside), or null when it names none of them. */
export function oscalModelOf(document: unknown): OscalModel | null {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
  const keys = Object.keys(document).filter((k) => k !== '$schema');
  return keys.length === 1 && (OSCAL_MODEL_NAMES as string[]).includes(keys[0]) ? (keys[0] as OscalModel) : null;
}

/**
 * Every schema problem of a document against the OSCAL 1.2.1 schema of its model, by JSON path (at most `limit`).
 * A document whose root names no model is one problem at "/".
 */
export function validateOscal(
  document: unknown,
  limit = 100,
  allErrors = true,
): { model: OscalModel | null; errors: SchemaProblem[] } {
  const model = oscalModelOf(document);
  if (!model)
    return {
      model,
      errors: [{ path: '/', message: `must have exactly one of the root keys ${OSCAL_MODEL_NAMES.join(', ')}` }],
    };
  const validate = oscalValidator(model, allErrors);
  if (validate(document)) return { model, errors: [] };
  const seen = new Set<string>();
  const errors: SchemaProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = { path: errorPath(error), message: errorMessage(error) };
    const key = `${problem.path} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(problem);
    if (errors.length >= limit) break;
  }
  return { model, errors };
}
