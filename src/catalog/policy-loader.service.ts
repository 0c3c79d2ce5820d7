import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { CatalogIndex } from './catalog-index';
import { CatalogRepository } from './catalog.repository';
import { ControlEntity, ControlMappingEntity, FrameworkEntity, RequirementEntity } from './entities/catalog.entities';
import { loadPolicySet, PolicySet } from './policy-files';

export interface PolicyLoadResult {
  changed: boolean;
  frameworks: number;
  requirements: number;
  controls: number;
  mappings: number;
}

const STATE_NAME = 'policies';

/**
 * Loads policies/ into the database. Idempotent: an unchanged policy set writes nothing. A changed set updates rows
 * in place, keyed by framework+ref and control code, so ids (and the evidence and implementations that point at
 * controls) survive; requirements or controls that disappear are marked retired, never deleted.
 */
@Injectable()
export class PolicyLoader {
  private readonly logger = new Logger('Policies');
  private current?: PolicySet;

  constructor(
    private readonly catalog: CatalogRepository,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    index.useCoveragePolicy(() => this.policies.coverage);
  }

  /** The validated policy set as last loaded (applicability rules are evaluated from it). */
  get policies(): PolicySet {
    if (!this.current) this.current = loadPolicySet();
    return this.current;
  }

  async load(policies: PolicySet = loadPolicySet()): Promise<PolicyLoadResult> {
    this.current = policies;
    const summary = {
      frameworks: policies.frameworks.length,
      requirements: policies.frameworks.reduce((n, f) => n + f.requirements.length, 0),
      controls: policies.controls.length,
      mappings: policies.controls.reduce((n, c) => n + c.mappings.length, 0),
    };
    const state = await this.catalog.findPolicyState(STATE_NAME);
    if (state?.contentHash === policies.contentHash) return { changed: false, ...summary };
    const now = iso(this.clock.now());
    await this.tx.run(async (tx) => {
      const requirementIds = await this.upsertFrameworks(tx, policies, now);
      await this.upsertControls(tx, policies, requirementIds, now);
      await this.catalog.savePolicyState(tx, { name: STATE_NAME, contentHash: policies.contentHash, loadedAt: now });
      await this.catalog.markCatalogChanged(tx, now);
      await this.auditLog.append(tx, {
        actor: 'system',
        action: 'policies.load',
        entityType: 'policies',
        entityId: STATE_NAME,
        payload: { contentHash: policies.contentHash, previousHash: state?.contentHash ?? null, ...summary },
      });
    });
    this.index.invalidate();
    this.logger.log(`loaded policies ${policies.contentHash.slice(0, 12)}: ${JSON.stringify(summary)}`);
    return { changed: true, ...summary };
  }

  private async upsertFrameworks(tx: Tx, policies: PolicySet, now: string): Promise<Map<string, string>> {
    const exclusions = new Map(policies.exclusions.map((e) => [`${e.framework}|${e.ref}`, e.reason]));
    const ids = new Map<string, string>();
    for (const def of policies.frameworks) {
      await this.catalog.saveFramework(
        tx,
        Object.assign(new FrameworkEntity(), {
          key: def.key,
          name: def.name,
          version: def.version,
          publisher: def.publisher,
          source: def.source,
          licence: def.licence,
          contentHash: def.contentHash,
          loadedAt: now,
        }),
      );
      const existing = new Map((await this.catalog.findRequirementsOf(def.key, tx)).map((r) => [r.ref, r]));
      const rows: RequirementEntity[] = def.requirements.map((r) =>
        Object.assign(existing.get(r.ref) ?? new RequirementEntity(), {
          id: existing.get(r.ref)?.id ?? randomUUID(),
          frameworkKey: def.key,
          ref: r.ref,
          parentRef: r.parent,
          level: r.level,
          title: r.title,
          description: r.description,
          // The API and the threat model tell a threat (an ATLAS technique) from a requirement by attributes.kind.
          attributes: r.kind === 'threat' ? { ...r.attributes, kind: 'threat' } : r.attributes,
          isLeaf: r.isLeaf,
          position: r.position,
          organisationalReason: exclusions.get(`${def.key}|${r.ref}`) ?? null,
          retiredAt: null,
        }),
      );
      const listed = new Set(def.requirements.map((r) => r.ref));
      for (const old of existing.values()) {
        if (!listed.has(old.ref) && !old.retiredAt) rows.push(Object.assign(old, { retiredAt: now }));
      }
      await this.catalog.saveRequirements(tx, rows);
      // The ids as stored: mappings must point at the rows the database holds, whatever the objects in memory say.
      for (const row of await this.catalog.findRequirementsOf(def.key, tx)) ids.set(`${def.key}|${row.ref}`, row.id);
    }
    return ids;
  }

  private async upsertControls(
    tx: Tx,
    policies: PolicySet,
    requirementIds: Map<string, string>,
    now: string,
  ): Promise<void> {
    const existing = new Map((await this.catalog.findControls(tx)).map((c) => [c.code, c]));
    const rows: ControlEntity[] = policies.controls.map((c) =>
      Object.assign(existing.get(c.code) ?? new ControlEntity(), {
        code: c.code,
        title: c.title,
        objective: c.objective,
        domain: c.domain,
        ownerRole: c.ownerRole,
        typicalEvidence: c.typicalEvidence,
        testProcedure: c.testProcedure,
        reviewFrequency: c.reviewFrequency,
        position: c.position,
        retiredAt: null,
      }),
    );
    const listed = new Set(policies.controls.map((c) => c.code));
    for (const old of existing.values())
      if (!listed.has(old.code) && !old.retiredAt) rows.push(Object.assign(old, { retiredAt: now }));
    await this.catalog.saveControls(tx, rows);

    const current = new Map(
      (await this.catalog.findMappingEntities(tx)).map((m) => [`${m.controlCode}|${m.requirementId}`, m]),
    );
    const wanted: ControlMappingEntity[] = [];
    for (const control of policies.controls) {
      for (const mapping of control.mappings) {
        const requirementId = requirementIds.get(`${mapping.framework}|${mapping.ref}`)!;
        const key = `${control.code}|${requirementId}`;
        const row =
          current.get(key) ??
          Object.assign(new ControlMappingEntity(), { id: randomUUID(), controlCode: control.code, requirementId });
        current.delete(key);
        wanted.push(
          Object.assign(row, {
            relationship: mapping.relationship,
            strength: mapping.strength,
            rationale: mapping.rationale,
          }),
        );
      }
    }
    await this.catalog.saveMappings(tx, wanted);
    await this.catalog.deleteMappings(
      tx,
      [...current.values()].map((m) => m.id),
    );
  }
}
