import type { ControlDef, CoveragePolicyDef, ExclusionDef, FrameworkDef } from './catalog-defs';

/** Same scope as the requirement: a control can have that with at most one requirement of a framework. */
export const EQUIVALENCE_RELATIONSHIPS: readonly string[] = ['equal-to', 'equivalent-to'];
/** The relationships that let one control alone cover a requirement (DESIGN, "Coverage rule"). */
export const SUFFICIENT_RELATIONSHIPS: readonly string[] = ['equal-to', 'equivalent-to', 'superset-of'];
/** Attributes whose values policies:check counts (HIPAA, GDPR, the AI Act's addressees, the 600-1 GAI risks, ATLAS maturity); ';' separates several. */
const COUNTED_ATTRIBUTES: readonly string[] = ['implementation', 'aiRelevance', 'applies_to', 'gaiRisks', 'maturity'];
/** Used when policies/coverage.yaml does not set a threshold. */
export const DEFAULT_SUFFICIENCY_THRESHOLD = 7;

/** A mapping that alone can make its requirement covered: a sufficient relationship at or above the threshold. */
export function isSufficientMapping(mapping: { relationship: string; strength: number }, threshold: number): boolean {
  return SUFFICIENT_RELATIONSHIPS.includes(mapping.relationship) && mapping.strength >= threshold;
}

/** A control that claims the scope of a second requirement of one framework (it can have that of at most one). */
export interface ImpossibleEquivalence {
  control: ControlDef;
  /** The later of the two claims, and where it sits in the control's mappings. */
  mapping: ControlDef['mappings'][number];
  index: number;
  /** The control's first equal-to/equivalent-to claim in that framework. */
  first: ControlDef['mappings'][number];
  firstIndex: number;
}

/** Two distinct requirements of one catalog cannot both equal one control (DESIGN, "Mapping direction and meaning"). */
export function impossibleEquivalences(controls: ControlDef[]): ImpossibleEquivalence[] {
  const found: ImpossibleEquivalence[] = [];
  for (const control of controls) {
    const firstByFramework = new Map<string, number>();
    control.mappings.forEach((mapping, index) => {
      if (!EQUIVALENCE_RELATIONSHIPS.includes(mapping.relationship)) return;
      const firstIndex = firstByFramework.get(mapping.framework);
      if (firstIndex === undefined) firstByFramework.set(mapping.framework, index);
      else if (control.mappings[firstIndex].ref !== mapping.ref)
        found.push({ control, mapping, index, first: control.mappings[firstIndex], firstIndex });
    });
  }
  return found;
}

export interface FrameworkLibraryCoverage {
  key: string;
  version: string;
  levels: Record<string, number>;
  attributes: Record<string, number>;
  /** Leaves per top-level group where the framework's criteria are grouped by letter (SOC 2: CC, A, C, PI, P). */
  groups: Array<[string, number]>;
  leaves: number;
  /** Leaves some control maps, with any relationship. */
  mapped: number;
  organisational: number;
  /** Leaves no control maps and not organisational. */
  unmapped: string[];
  /** Leaves with a single sufficient mapping. */
  sufficientSingle: number;
  /** Leaves without a single sufficient mapping but with a jointly-sufficient set. */
  sufficientJoint: number;
  /** Leaves with no sufficient path that are not organisational: what the library cannot yet cover. */
  withoutPath: string[];
}

export interface LeafWithoutPath {
  framework: string;
  ref: string;
  /** Every mapping to the leaf, strongest first, so the message shows what there is. */
  mappings: Array<{ controlCode: string; relationship: string; strength: number }>;
}

interface LibraryInput {
  frameworks: FrameworkDef[];
  controls: ControlDef[];
  exclusions: ExclusionDef[];
  coverage: CoveragePolicyDef;
}

function mappingsByRequirement(controls: ControlDef[]): Map<string, LeafWithoutPath['mappings']> {
  const result = new Map<string, LeafWithoutPath['mappings']>();
  for (const control of controls) {
    for (const m of control.mappings) {
      const key = `${m.framework}|${m.ref}`;
      if (!result.has(key)) result.set(key, []);
      result.get(key)!.push({ controlCode: control.code, relationship: m.relationship, strength: m.strength });
    }
  }
  for (const list of result.values())
    list.sort((a, b) => b.strength - a.strength || a.controlCode.localeCompare(b.controlCode));
  return result;
}

type PathKind = 'single' | 'joint' | 'organisational' | 'none';

function pathKinds(input: LibraryInput): {
  kinds: Map<string, PathKind>;
  mappings: Map<string, LeafWithoutPath['mappings']>;
} {
  const mappings = mappingsByRequirement(input.controls);
  const excluded = new Set(input.exclusions.map((e) => `${e.framework}|${e.ref}`));
  const joint = new Set(input.coverage.jointlySufficient.map((j) => `${j.framework}|${j.ref}`));
  const kinds = new Map<string, PathKind>();
  for (const framework of input.frameworks) {
    for (const requirement of framework.requirements) {
      if (!requirement.isLeaf) continue;
      const key = `${framework.key}|${requirement.ref}`;
      if ((mappings.get(key) ?? []).some((m) => isSufficientMapping(m, input.coverage.threshold)))
        kinds.set(key, 'single');
      else if (joint.has(key)) kinds.set(key, 'joint');
      else if (excluded.has(key)) kinds.set(key, 'organisational');
      else kinds.set(key, 'none');
    }
  }
  return { kinds, mappings };
}

/** Leaves that neither a sufficient mapping, a jointly-sufficient set nor an organisational listing accounts for. */
export function leavesWithoutSufficientPath(input: LibraryInput): LeafWithoutPath[] {
  const { kinds, mappings } = pathKinds(input);
  return [...kinds.entries()]
    .filter(([, kind]) => kind === 'none')
    .map(([key]) => {
      const [framework, ref] = key.split('|');
      return { framework, ref, mappings: mappings.get(key) ?? [] };
    });
}

/** How completely the control library (plus the organisational exclusions) covers each framework's leaves. */
export function coverageOfLibrary(policies: LibraryInput): {
  frameworks: FrameworkLibraryCoverage[];
  mappingCount: number;
} {
  const { kinds, mappings } = pathKinds(policies);
  const excluded = new Set(policies.exclusions.map((e) => `${e.framework}|${e.ref}`));
  const frameworks = policies.frameworks.map((framework) => {
    const levels: Record<string, number> = {};
    const attributes: Record<string, number> = {};
    const groups = new Map<string, number>();
    const byRef = new Map(framework.requirements.map((r) => [r.ref, r]));
    const rootOf = (ref: string): string => {
      let node = byRef.get(ref);
      while (node?.parent) node = byRef.get(node.parent);
      return node?.ref ?? ref;
    };
    const report: FrameworkLibraryCoverage = {
      key: framework.key,
      version: framework.version,
      levels,
      attributes,
      groups: [],
      leaves: 0,
      mapped: 0,
      organisational: 0,
      unmapped: [],
      sufficientSingle: 0,
      sufficientJoint: 0,
      withoutPath: [],
    };
    for (const requirement of framework.requirements) {
      levels[requirement.level] = (levels[requirement.level] ?? 0) + 1;
      for (const [name, value] of Object.entries(requirement.attributes)) {
        if (!COUNTED_ATTRIBUTES.includes(name)) continue;
        for (const part of value.split(';')) attributes[part] = (attributes[part] ?? 0) + 1;
      }
      if (requirement.kind === 'threat') attributes.threat = (attributes.threat ?? 0) + 1;
      if (!requirement.isLeaf) continue;
      report.leaves++;
      if (framework.key === 'soc2-tsc-2017')
        groups.set(rootOf(requirement.ref), (groups.get(rootOf(requirement.ref)) ?? 0) + 1);
      const key = `${framework.key}|${requirement.ref}`;
      if (mappings.has(key)) report.mapped++;
      else if (excluded.has(key)) report.organisational++;
      else report.unmapped.push(requirement.ref);
      const kind = kinds.get(key);
      if (kind === 'single') report.sufficientSingle++;
      else if (kind === 'joint') report.sufficientJoint++;
      else if (kind === 'none') report.withoutPath.push(requirement.ref);
    }
    report.groups = [...groups.entries()];
    return report;
  });
  return { frameworks, mappingCount: policies.controls.reduce((sum, c) => sum + c.mappings.length, 0) };
}
