import type { PolicySet } from './policy-files';

export interface FrameworkLibraryCoverage {
  key: string;
  version: string;
  levels: Record<string, number>;
  attributes: Record<string, number>;
  /** Leaves per top-level group where the framework's criteria are grouped by letter (SOC 2: CC, A, C, PI, P). */
  groups: Array<[string, number]>;
  leaves: number;
  mapped: number;
  organisational: number;
  unmapped: string[];
}

/** How completely the control library (plus the organisational exclusions) covers each framework's leaves. */
export function coverageOfLibrary(policies: PolicySet): { frameworks: FrameworkLibraryCoverage[]; mappingCount: number } {
  const mapped = new Set(policies.controls.flatMap((c) => c.mappings.map((m) => `${m.framework}|${m.ref}`)));
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
    let mappedCount = 0;
    let organisational = 0;
    const unmapped: string[] = [];
    for (const requirement of framework.requirements) {
      levels[requirement.level] = (levels[requirement.level] ?? 0) + 1;
      for (const value of Object.values(requirement.attributes)) attributes[value] = (attributes[value] ?? 0) + 1;
      if (!requirement.isLeaf) continue;
      if (framework.key === 'soc2-tsc-2017') groups.set(rootOf(requirement.ref), (groups.get(rootOf(requirement.ref)) ?? 0) + 1);
      const key = `${framework.key}|${requirement.ref}`;
      if (mapped.has(key)) mappedCount++;
      else if (excluded.has(key)) organisational++;
      else unmapped.push(requirement.ref);
    }
    return {
      key: framework.key,
      version: framework.version,
      levels,
      attributes,
      groups: [...groups.entries()],
      leaves: framework.requirements.filter((r) => r.isLeaf).length,
      mapped: mappedCount,
      organisational,
      unmapped,
    };
  });
  return { frameworks, mappingCount: policies.controls.reduce((sum, c) => sum + c.mappings.length, 0) };
}
