import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CatalogRepository, MappingRow } from './catalog.repository';
import { ControlEntity, FrameworkEntity, RequirementEntity } from './entities/catalog.entities';
import type { CoveragePolicyDef } from './catalog-defs';

/** Controls that only together cover one requirement (policies/coverage.yaml). */
export interface JointlySufficientSet {
  controls: string[];
  reason: string;
}

/** The coverage rule's parameters, resolved against the catalog: sets keyed by requirement id. */
export interface CoverageRulePolicy {
  threshold: number;
  jointSetsByRequirement: Map<string, JointlySufficientSet[]>;
}

export interface CatalogSnapshot {
  frameworks: FrameworkEntity[];
  frameworkByKey: Map<string, FrameworkEntity>;
  requirements: RequirementEntity[];
  requirementById: Map<string, RequirementEntity>;
  leavesByFramework: Map<string, RequirementEntity[]>;
  controls: ControlEntity[];
  controlByCode: Map<string, ControlEntity>;
  mappingsByRequirement: Map<string, MappingRow[]>;
  mappingsByControl: Map<string, MappingRow[]>;
  coverage: CoverageRulePolicy;
}

// How often each instance compares the catalog version row with the version its snapshot was built from.
const VERSION_CHECK_MS = 1000;

/**
 * The catalog changes only when policies are loaded or a catalog is imported, so coverage and applicability read it
 * from memory instead of joining four tables per request. Every catalog write bumps the catalog version row in its
 * transaction; each instance compares that row with its snapshot's version every second and drops a stale snapshot,
 * so a write on any instance is used by all within a second (invalidate() drops this process's snapshot at once).
 * Not checked on each read: get() runs inside transactions, and a check there would wait for a second pool
 * connection, which under load is a pool deadlock.
 */
@Injectable()
export class CatalogIndex implements OnApplicationBootstrap, OnModuleDestroy {
  private snapshot?: { version: Promise<number>; built: Promise<CatalogSnapshot> };
  private coveragePolicy?: () => CoveragePolicyDef;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(private readonly catalog: CatalogRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.checkVersion(), VERSION_CHECK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  /** PolicyLoader hands over the coverage rule of the policy set it holds (the catalog tables do not keep it). */
  useCoveragePolicy(source: () => CoveragePolicyDef): void {
    this.coveragePolicy = source;
    this.invalidate();
  }

  get(): Promise<CatalogSnapshot> {
    if (!this.snapshot) {
      // The version is read before the catalog: a write that lands during the build shows as a newer version.
      const version = this.catalog.findCatalogVersion();
      const entry = { version, built: version.then(() => this.build()) };
      this.snapshot = entry;
      entry.built.catch(() => {
        if (this.snapshot === entry) this.snapshot = undefined;
      });
    }
    return this.snapshot.built;
  }

  private checkVersion(): void {
    const entry = this.snapshot;
    if (!entry || this.checking) return;
    this.checking = Promise.all([entry.version, this.catalog.findCatalogVersion()])
      .then(([built, latest]) => {
        if (built !== latest && this.snapshot === entry) this.snapshot = undefined;
      })
      // Database unreachable: keep the snapshot; the next check tries again.
      .catch(() => undefined)
      .finally(() => (this.checking = undefined));
  }

  invalidate(): void {
    this.snapshot = undefined;
  }

  private async build(): Promise<CatalogSnapshot> {
    const [frameworks, requirements, controls, mappings] = await Promise.all([
      this.catalog.findFrameworks(),
      this.catalog.findActiveRequirements(),
      this.catalog.findActiveControls(),
      this.catalog.findMappingRows(),
    ]);
    const leavesByFramework = new Map<string, RequirementEntity[]>();
    for (const r of requirements) {
      if (!r.isLeaf) continue;
      const leaves = leavesByFramework.get(r.frameworkKey);
      if (leaves) leaves.push(r);
      else leavesByFramework.set(r.frameworkKey, [r]);
    }
    const mappingsByRequirement = new Map<string, MappingRow[]>();
    const mappingsByControl = new Map<string, MappingRow[]>();
    for (const m of mappings) {
      append(mappingsByRequirement, m.requirementId, m);
      append(mappingsByControl, m.controlCode, m);
    }
    if (!this.coveragePolicy) throw new Error('CatalogIndex: no coverage policy; PolicyLoader provides it');
    const policy = this.coveragePolicy();
    const leafIds = new Map(requirements.filter((r) => r.isLeaf).map((r) => [`${r.frameworkKey}|${r.ref}`, r.id]));
    const jointSetsByRequirement = new Map<string, JointlySufficientSet[]>();
    for (const set of policy.jointlySufficient) {
      // The loader validated every set against the same policy files; a set of a framework replaced since (an OSCAL
      // import under that key) has no requirement to attach to and so covers nothing.
      const id = leafIds.get(`${set.framework}|${set.ref}`);
      if (id) append(jointSetsByRequirement, id, { controls: set.controls, reason: set.reason });
    }
    return {
      frameworks,
      frameworkByKey: new Map(frameworks.map((f) => [f.key, f])),
      requirements,
      requirementById: new Map(requirements.map((r) => [r.id, r])),
      leavesByFramework,
      controls,
      controlByCode: new Map(controls.map((c) => [c.code, c])),
      mappingsByRequirement,
      mappingsByControl,
      coverage: { threshold: policy.threshold, jointSetsByRequirement },
    };
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
