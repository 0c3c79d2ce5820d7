import { Injectable } from '@nestjs/common';
import { CatalogRepository, MappingRow } from './catalog.repository';
import { ControlEntity, FrameworkEntity, RequirementEntity } from './entities/catalog.entities';

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
}

/**
 * The catalog changes only when policies are loaded or a catalog is imported, so coverage and applicability read it
 * from memory instead of joining four tables per request. Each read compares the catalog version row (one
 * primary-key lookup) with the version the snapshot was built from, so a write on any instance is seen by every
 * instance on its next read; invalidate() drops this process's snapshot at once.
 */
@Injectable()
export class CatalogIndex {
  private snapshot?: { version: number; built: Promise<CatalogSnapshot> };

  constructor(private readonly catalog: CatalogRepository) {}

  async get(): Promise<CatalogSnapshot> {
    // Read before building: a write that lands during the build carries a newer version, so the next read rebuilds.
    const version = await this.catalog.findCatalogVersion();
    if (!this.snapshot || this.snapshot.version !== version) {
      const entry = { version, built: this.build() };
      this.snapshot = entry;
      entry.built.catch(() => {
        if (this.snapshot === entry) this.snapshot = undefined;
      });
    }
    return this.snapshot.built;
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
      if (r.isLeaf) leavesByFramework.set(r.frameworkKey, [...(leavesByFramework.get(r.frameworkKey) ?? []), r]);
    }
    const mappingsByRequirement = new Map<string, MappingRow[]>();
    const mappingsByControl = new Map<string, MappingRow[]>();
    for (const m of mappings) {
      mappingsByRequirement.set(m.requirementId, [...(mappingsByRequirement.get(m.requirementId) ?? []), m]);
      mappingsByControl.set(m.controlCode, [...(mappingsByControl.get(m.controlCode) ?? []), m]);
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
    };
  }
}
