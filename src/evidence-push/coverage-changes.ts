import type { FrameworkCoverage, RequirementStatus } from '../controls/coverage';

export interface RequirementCoverageChange {
  framework: string;
  /** framework:ref, as evidence names requirements. */
  requirement: string;
  title: string;
  before: RequirementStatus;
  after: RequirementStatus;
  /** The coverage rule's reason for the new status. */
  reason: string;
}

export interface FrameworkCoverageChange {
  framework: string;
  percentBefore: number | null;
  percentAfter: number | null;
  coveredBefore: number;
  coveredAfter: number;
}

export interface CoverageChanges {
  frameworks: FrameworkCoverageChange[];
  requirements: RequirementCoverageChange[];
}

/** What differs between two coverage computations of one system: the requirements whose status moved, and their frameworks. */
export function coverageChanges(before: FrameworkCoverage[], after: FrameworkCoverage[]): CoverageChanges {
  const previous = new Map(
    before.flatMap((f) => f.requirements.map((r) => [`${f.framework}\u0000${r.requirementId}`, r.status] as const)),
  );
  const frameworksBefore = new Map(before.map((f) => [f.framework, f]));
  const changes: CoverageChanges = { frameworks: [], requirements: [] };
  for (const framework of after) {
    const moved = framework.requirements.filter(
      (r) => (previous.get(`${framework.framework}\u0000${r.requirementId}`) ?? r.status) !== r.status,
    );
    if (!moved.length) continue;
    const was = frameworksBefore.get(framework.framework);
    changes.frameworks.push({
      framework: framework.framework,
      percentBefore: was?.percent ?? null,
      percentAfter: framework.percent,
      coveredBefore: was?.covered ?? 0,
      coveredAfter: framework.covered,
    });
    for (const r of moved)
      changes.requirements.push({
        framework: framework.framework,
        requirement: `${framework.framework}:${r.ref}`,
        title: r.title,
        before: previous.get(`${framework.framework}\u0000${r.requirementId}`)!,
        after: r.status,
        reason: r.reason,
      });
  }
  return changes;
}
