import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { CatalogService } from '../catalog/catalog.service';
import { FrameworkEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import {
  ExternalCrosswalkLinkEntity,
  ExternalCrosswalkSourceEntity,
} from '../catalog/entities/external-crosswalk.entity';
import { FRAMEWORK_KEYS } from '../catalog/policy-files';
import { Actor } from '../common/auth.decorators';
import { canonicalJson, sha256Hex } from '../common/canonical-json';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import { computeCoverage } from '../controls/coverage';
import { CoverageService } from '../controls/coverage.service';
import { TransactionRunner } from '../database/transaction-runner';
import { FRAMEWORK_KEY_PATTERN, SystemDocument } from './dto/oscal.dto';
import { parseOscalCatalog } from './oscal-catalog-import';
import { controlLibraryCatalog, frameworkCatalog } from './oscal-catalog-export';
import { controlLibraryMappingCollection, crosswalkMappingCollection } from './oscal-mapping-export';
import { parseMappingCollection } from './oscal-mapping-import';
import { latest } from './oscal-document';
import { oscalTokens } from './oscal-ids';
import { systemSecurityPlan } from './oscal-ssp-export';
import { assessmentResults, componentDefinition, planOfActionAndMilestones } from './oscal-system-export';
import { OscalRepository } from './oscal.repository';

/** PolicyLoader's state row: its loadedAt dates the control library and its mappings. */
const POLICY_STATE = 'policies';

/**
 * OSCAL 1.2.1 exports and the catalog import. Every export is a function of the stored data only: UUIDs are derived
 * from ids and last-modified from the data's own timestamps, so exporting unchanged data twice gives identical JSON.
 */
@Injectable()
export class OscalService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly implementations: ControlImplementationsQueries,
    private readonly coverage: CoverageService,
    private readonly oscal: OscalRepository,
    private readonly catalog: CatalogService,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async systemDocument(actor: Actor, systemId: string, document: SystemDocument) {
    const system = await this.systems.getEntity(actor, systemId);
    if (document === 'component-definition') return this.componentDefinition(system);
    if (document === 'assessment-results') return this.assessmentResults(system);
    return this.poam(system);
  }

  async frameworkCatalog(key: string) {
    const framework = await this.catalog.findFramework(key);
    if (!framework) throw notFound('Framework', key);
    const requirements = (await this.catalog.findRequirementsOf(key)).filter((r) => !r.retiredAt);
    return frameworkCatalog(framework, requirements);
  }

  async controlLibrary() {
    const [snapshot, state] = await Promise.all([this.index.get(), this.catalog.findPolicyState(POLICY_STATE)]);
    if (!state) throw notFound('Control library', POLICY_STATE);
    return controlLibraryCatalog({
      controls: snapshot.controls,
      requirements: snapshot.requirements,
      mappingsByControl: snapshot.mappingsByControl,
      lastModified: state.loadedAt,
      version: `policies ${state.contentHash.slice(0, 12)}`,
    });
  }

  /** Every control -> requirement mapping of the library as an OSCAL 1.2 mapping collection. */
  async controlLibraryMappings() {
    const [snapshot, state] = await Promise.all([this.index.get(), this.catalog.findPolicyState(POLICY_STATE)]);
    if (!state) throw notFound('Control library', POLICY_STATE);
    return controlLibraryMappingCollection({
      controls: snapshot.controls,
      frameworks: snapshot.frameworks,
      requirements: snapshot.requirements,
      mappings: [...snapshot.mappingsByControl.values()].flat(),
      lastModified: state.loadedAt,
      version: `policies ${state.contentHash.slice(0, 12)}`,
    });
  }

  /** The derived crosswalk from -> to as an OSCAL 1.2 mapping collection (409 when no link has an OSCAL relationship). */
  async crosswalkMappings(from: string, to: string) {
    const { links } = await this.catalog.crosswalk(from, to);
    const [snapshot, state] = await Promise.all([this.index.get(), this.catalog.findPolicyState(POLICY_STATE)]);
    if (!state) throw notFound('Control library', POLICY_STATE);
    const framework = (key: string) => snapshot.frameworks.find((f) => f.key === key)!;
    if (!links.some((l) => l.oscalRelationship))
      throw conflict(
        `No derived link from ${from} to ${to} has an OSCAL relationship, and an OSCAL mapping needs at least one map`,
      );
    return crosswalkMappingCollection({
      from: framework(from),
      to: framework(to),
      links,
      requirements: snapshot.requirements,
      lastModified: latest(state.loadedAt, framework(from).loadedAt, framework(to).loadedAt),
      version: `policies ${state.contentHash.slice(0, 12)}; ${from} ${framework(from).contentHash.slice(0, 12)}; ${to} ${framework(to).contentHash.slice(0, 12)}`,
    });
  }

  /**
   * Stores an OSCAL mapping collection between loaded catalogs as an external crosswalk source, shown beside the
   * derived crosswalk (GET /crosswalk). Everything is checked before anything is written; the import is audited.
   */
  async importMappingCollection(actor: Actor, document: unknown, pair: { from?: string; to?: string } = {}) {
    const snapshot = await this.index.get();
    const parsed = parseMappingCollection(document, {
      frameworks: snapshot.frameworks,
      requirements: snapshot.requirements,
      ...pair,
    });
    const now = iso(this.clock.now());
    const contentHash = sha256Hex(canonicalJson(document));
    const source = Object.assign(new ExternalCrosswalkSourceEntity(), {
      id: randomUUID(),
      collectionUuid: parsed.uuid,
      title: parsed.title,
      method: parsed.method,
      matchingRationale: parsed.matchingRationale,
      contentHash,
      linkCount: parsed.links.length,
      importedBy: actor.email,
      importedAt: now,
    });
    const links = parsed.links.map((link, position) =>
      Object.assign(new ExternalCrosswalkLinkEntity(), { id: randomUUID(), sourceId: source.id, ...link, position }),
    );
    const pairs = [...new Set(parsed.links.map((l) => `${l.fromFramework} -> ${l.toFramework}`))].sort();
    await this.tx.run(async (tx) => {
      await this.catalog.insertExternalCrosswalk(tx, source, links);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'crosswalk.import',
        entityType: 'external_crosswalk',
        entityId: source.id,
        payload: {
          collectionUuid: parsed.uuid,
          title: parsed.title,
          method: parsed.method,
          contentHash,
          links: links.length,
          pairs,
        },
      });
    });
    return { id: source.id, title: source.title, linkCount: links.length, pairs };
  }

  /**
   * Stores an OSCAL catalog as a framework of its own. Built-in keys are refused: PolicyLoader only writes the
   * frameworks listed in policies/, so an imported framework is never retired or overwritten by a later policy load.
   */
  async importCatalog(actor: Actor, document: unknown, requestedKey?: string) {
    const parsed = await parseOscalCatalog(document);
    if (requestedKey !== undefined && !FRAMEWORK_KEY_PATTERN.test(requestedKey))
      throw invalid('key must be 1-64 lower-case letters, digits, dots or dashes');
    const key = requestedKey ?? deriveKey(parsed.name);
    if ((FRAMEWORK_KEYS as readonly string[]).includes(key))
      throw conflict(`${key} is a built-in framework; import under another key`);
    const now = iso(this.clock.now());
    const contentHash = sha256Hex(canonicalJson(document));
    const framework = Object.assign(new FrameworkEntity(), {
      key,
      name: parsed.name,
      version: parsed.version,
      publisher: parsed.publisher,
      source: parsed.source,
      licence: parsed.licence,
      contentHash,
      loadedAt: now,
    });
    const requirements = parsed.requirements.map((r) =>
      Object.assign(new RequirementEntity(), {
        id: randomUUID(),
        frameworkKey: key,
        ...r,
        organisationalReason: null,
        retiredAt: null,
      }),
    );
    const leafCount = requirements.filter((r) => r.isLeaf).length;
    await this.tx.run(async (tx) => {
      await this.catalog.insertImportedFramework(tx, framework, requirements, now);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'framework.import',
        entityType: 'framework',
        entityId: key,
        payload: {
          key,
          name: parsed.name,
          version: parsed.version,
          catalogUuid: parsed.uuid,
          contentHash,
          requirements: requirements.length,
          leaves: leafCount,
        },
      });
    });
    this.index.invalidate();
    return { key, name: framework.name, version: framework.version, requirementCount: requirements.length, leafCount };
  }

  private async componentDefinition(system: AiSystemEntity) {
    const [snapshot, implementations, state] = await Promise.all([
      this.index.get(),
      this.implementations.findBySystem(system.id),
      this.catalog.findPolicyState(POLICY_STATE),
    ]);
    return componentDefinition({
      system,
      implementations,
      controls: snapshot.controlByCode,
      lastModified: latest(system.updatedAt, state?.loadedAt, ...implementations.map((i) => i.updatedAt)),
    });
  }

  /** The system's assessment-results document, for evidence-pack bundles (no access check: the pack did it). */
  assessmentResultsOf(system: AiSystemEntity) {
    return this.assessmentResults(system);
  }

  /**
   * Coverage as of the latest change to anything it depends on, counting evidence expiries already passed as
   * changes: nothing changes between that instant and now, so the result is the current one and reproducible.
   */
  private async coverageAsOf(system: AiSystemEntity) {
    const now = iso(this.clock.now());
    const inputs = await this.coverage.inputsFor(system);
    const { catalog, evidence } = inputs;
    const applying = new Set(inputs.frameworks.filter((f) => f.applies).map((f) => f.framework));
    const asOf = latest(
      system.updatedAt,
      ...catalog.frameworks.filter((f) => applying.has(f.key)).map((f) => f.loadedAt),
      ...inputs.implementations.map((i) => i.updatedAt),
      ...inputs.decisions.map((d) => d.decidedAt),
      ...evidence.flatMap((e) => [
        e.uploadedAt,
        e.reviewedAt,
        e.validUntil && e.validUntil <= now ? e.validUntil : null,
      ]),
    );
    const coverage = computeCoverage({ ...inputs, at: asOf });
    const requirementTokens = new Map(
      [...applying].map((key) => [
        key,
        oscalTokens(catalog.requirements.filter((r) => r.frameworkKey === key).map((r) => r.ref)),
      ]),
    );
    return { inputs, coverage, asOf, requirementTokens };
  }

  private async assessmentResults(system: AiSystemEntity) {
    const { inputs, coverage, asOf, requirementTokens } = await this.coverageAsOf(system);
    return assessmentResults({ system, coverage, evidence: inputs.evidence, requirementTokens, asOf });
  }

  /**
   * The SSP of one applicable framework (the framework catalog is its baseline). Without a framework, the system's
   * only applicable framework; with several, the caller names one (400 listing them).
   */
  async systemSecurityPlan(actor: Actor, systemId: string, frameworkKey?: string) {
    const system = await this.systems.getEntity(actor, systemId);
    const { inputs, coverage, asOf, requirementTokens } = await this.coverageAsOf(system);
    const applying = coverage.filter((f) => f.applies);
    if (frameworkKey !== undefined && !inputs.catalog.frameworks.some((f) => f.key === frameworkKey))
      throw notFound('Framework', frameworkKey);
    if (applying.length === 0) throw conflict(`No framework applies to AI system ${system.id}, so there is no SSP`);
    const key = frameworkKey ?? (applying.length === 1 ? applying[0].framework : undefined);
    if (key === undefined)
      throw invalid(
        `framework is required: several frameworks apply to this system (${applying.map((f) => f.framework).join(', ')})`,
      );
    const framework = applying.find((f) => f.framework === key);
    if (!framework)
      throw invalid(
        `framework ${key} does not apply to this system; applicable: ${applying.map((f) => f.framework).join(', ')}`,
      );
    const ownerIds = [...new Set(inputs.implementations.map((i) => i.ownerUserId).filter((id): id is string => !!id))];
    const owners = new Map((await this.oscal.findUsers(ownerIds)).map((u) => [u.id, u]));
    return systemSecurityPlan({
      system,
      owners,
      framework: inputs.catalog.frameworks.find((f) => f.key === key)!,
      coverage: framework,
      implementations: inputs.implementations,
      controls: inputs.catalog.controlByCode,
      evidence: inputs.evidence,
      requirementTokens: requirementTokens.get(key)!,
      asOf,
    });
  }

  private async poam(system: AiSystemEntity) {
    const tasks = await this.oscal.findOpenRemediationTasks(system.id);
    if (tasks.length === 0) {
      throw conflict(
        `AI system ${system.id} has no open remediation tasks, and an OSCAL POA&M needs at least one item`,
      );
    }
    return planOfActionAndMilestones({
      system,
      tasks,
      lastModified: latest(system.updatedAt, ...tasks.map((t) => t.updatedAt)),
    });
  }
}

/** "NIST SP 800-53 Rev 5" -> "nist-sp-800-53-rev-5". */
function deriveKey(title: string): string {
  const key = title
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .slice(0, 64)
    .replace(/^[.-]+|[.-]+$/g, '');
  if (!FRAMEWORK_KEY_PATTERN.test(key))
    throw invalid('No framework key can be derived from /catalog/metadata/title; pass ?key=');
  return key;
}
