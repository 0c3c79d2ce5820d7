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
 * The catalog changes only when policies are loaded, so coverage and applicability read it from memory instead of
 * joining four tables per request. PolicyLoader calls invalidate() after every load.
 */
@Injectable()
export class CatalogIndex {
  private snapshot?: Promise<CatalogSnapshot>;

  constructor(private readonly catalog: CatalogRepository) {}

  get(): Promise<CatalogSnapshot> {
    if (!this.snapshot) {
      this.snapshot = this.build();
      this.snapshot.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot;
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
