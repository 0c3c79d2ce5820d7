import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../common/domain-errors';
import { Tx } from '../database/transaction-runner';
import { CatalogRepository } from './catalog.repository';
import { deriveCrosswalk } from './crosswalk';
import { ExternalCrosswalkDto } from './dto/external-crosswalk.dto';
import { ExternalCrosswalkRepository } from './external-crosswalk.repository';
import { ControlEntity, FrameworkEntity, PolicyStateEntity, RequirementEntity } from './entities/catalog.entities';
import { ExternalCrosswalkLinkEntity, ExternalCrosswalkSourceEntity } from './entities/external-crosswalk.entity';

export interface RequirementNode {
  ref: string;
  title: string;
  description: string;
  level: string;
  attributes: Record<string, string>;
  isLeaf: boolean;
  organisationalReason: string | null;
  children: RequirementNode[];
}

function frameworkView(framework: FrameworkEntity, requirements: RequirementEntity[]) {
  const own = requirements.filter((r) => r.frameworkKey === framework.key);
  return {
    key: framework.key,
    name: framework.name,
    version: framework.version,
    publisher: framework.publisher,
    source: framework.source,
    licence: framework.licence,
    requirementCount: own.length,
    leafCount: own.filter((r) => r.isLeaf).length,
    loadedAt: framework.loadedAt,
  };
}

function controlView(control: ControlEntity) {
  return {
    code: control.code,
    title: control.title,
    objective: control.objective,
    domain: control.domain,
    ownerRole: control.ownerRole,
    typicalEvidence: control.typicalEvidence,
    testProcedure: control.testProcedure,
    reviewFrequency: control.reviewFrequency,
  };
}

@Injectable()
export class CatalogService {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly external: ExternalCrosswalkRepository,
  ) {}

  /** A framework's record (OSCAL's catalog export). */
  findFramework(key: string): Promise<FrameworkEntity | null> {
    return this.catalog.findFramework(key);
  }

  /** A framework's requirements, retired ones included (OSCAL's catalog export leaves those out). */
  findRequirementsOf(frameworkKey: string): Promise<RequirementEntity[]> {
    return this.catalog.findRequirementsOf(frameworkKey);
  }

  /** The record of the last load of policies/ (what OSCAL documents are stamped with). */
  findPolicyState(name: string): Promise<PolicyStateEntity | null> {
    return this.catalog.findPolicyState(name);
  }

  /**
   * Stores an imported catalog as a framework with its requirements and marks the catalog changed, in the caller's
   * transaction: OSCAL's import has checked the document and writes the audit entry in that transaction.
   */
  async insertImportedFramework(tx: Tx, framework: FrameworkEntity, requirements: RequirementEntity[], at: string) {
    await this.catalog.insertFramework(tx, framework);
    await this.catalog.saveRequirements(tx, requirements);
    await this.catalog.markCatalogChanged(tx, at);
  }

  /** Stores an imported mapping collection and its links, in the caller's transaction (OSCAL's import audits it). */
  insertExternalCrosswalk(tx: Tx, source: ExternalCrosswalkSourceEntity, links: ExternalCrosswalkLinkEntity[]) {
    return this.external.insert(tx, source, links);
  }

  async frameworks() {
    const [frameworks, requirements] = await Promise.all([
      this.catalog.findFrameworks(),
      this.catalog.findActiveRequirements(),
    ]);
    return frameworks.map((f) => frameworkView(f, requirements));
  }

  async requirementsTree(key: string, flat = false) {
    const framework = await this.catalog.findFramework(key);
    if (!framework) throw notFound('Framework', key);
    const requirements = (await this.catalog.findRequirementsOf(key)).filter((r) => !r.retiredAt);
    const nodes = new Map<string, RequirementNode>();
    const roots: RequirementNode[] = [];
    for (const r of requirements) {
      const node: RequirementNode = {
        ref: r.ref,
        title: r.title,
        description: r.description,
        level: r.level,
        attributes: r.attributes,
        isLeaf: r.isLeaf,
        organisationalReason: r.organisationalReason,
        children: [],
      };
      nodes.set(r.ref, node);
      const parent = r.parentRef ? nodes.get(r.parentRef) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    if (flat) {
      return {
        framework: frameworkView(framework, requirements),
        requirements: requirements.map((r) => ({ ...nodes.get(r.ref)!, children: undefined, parentRef: r.parentRef })),
      };
    }
    return { framework: frameworkView(framework, requirements), requirements: roots };
  }

  async controls(filter: { domain?: string; framework?: string } = {}) {
    const [controls, mappings] = await Promise.all([this.catalog.findActiveControls(), this.catalog.findMappingRows()]);
    const counts = new Map<string, Record<string, number>>();
    for (const m of mappings) {
      const perFramework = counts.get(m.controlCode) ?? {};
      perFramework[m.frameworkKey] = (perFramework[m.frameworkKey] ?? 0) + 1;
      counts.set(m.controlCode, perFramework);
    }
    return controls
      .filter((c) => !filter.domain || c.domain === filter.domain)
      .filter((c) => !filter.framework || (counts.get(c.code) ?? {})[filter.framework])
      .map((c) => ({ ...controlView(c), mappingCounts: counts.get(c.code) ?? {} }));
  }

  async control(code: string) {
    const control = await this.catalog.findControl(code);
    if (!control || control.retiredAt) throw notFound('Control', code);
    const mappings = await this.catalog.findMappingRows({ controlCode: code });
    return {
      ...controlView(control),
      mappings: mappings.map((m) => ({
        framework: m.frameworkKey,
        ref: m.ref,
        relationship: m.relationship,
        strength: m.strength,
        rationale: m.rationale,
      })),
    };
  }

  async crosswalk(from: string, to: string) {
    if (from === to) throw invalid('from and to must name two different frameworks');
    const frameworks = new Set((await this.catalog.findFrameworks()).map((f) => f.key));
    for (const key of [from, to]) if (!frameworks.has(key)) throw notFound('Framework', key);
    const [source, target] = await Promise.all([
      this.catalog.findMappingRows({ frameworkKey: from }),
      this.catalog.findMappingRows({ frameworkKey: to }),
    ]);
    const links = deriveCrosswalk(source, target);
    return { from, to, linkCount: links.length, links, external: await this.externalCrosswalks(from, to) };
  }

  /** Imported crosswalks (OSCAL mapping collections) from -> to, each with its links, shown beside the derived one. */
  private async externalCrosswalks(from: string, to: string): Promise<ExternalCrosswalkDto[]> {
    const { sources, links } = await this.external.linksBetween(from, to);
    return sources.map((s) => ({
      id: s.id,
      title: s.title,
      collectionUuid: s.collectionUuid,
      method: s.method,
      matchingRationale: s.matchingRationale,
      importedAt: s.importedAt,
      importedBy: s.importedBy,
      links: links
        .filter((l) => l.sourceId === s.id)
        .map((l) => ({
          fromRef: l.fromRef,
          toRef: l.toRef,
          relationship: l.relationship,
          strength: l.strength,
          remarks: l.remarks,
        })),
    }));
  }
}
