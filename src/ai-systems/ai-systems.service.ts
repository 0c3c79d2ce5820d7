import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../access-scope/access-scope.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { toSystemView } from './ai-system.view';
import { AiSystemsRepository } from './ai-systems.repository';
import { assertAiActFacts, normaliseAiActLists } from './ai-act-facts';
import { NULL_IS_NONE, reviewFactsAfter, soc2CategoriesAfter } from './applicability-facts';
import { AnswerableFact, APPLICABILITY_QUESTIONS } from './applicability-questions';
import { ApplicabilityService, factsOf } from './applicability.service';
import { CreateAiSystemDto, ListAiSystemsQueryDto, UpdateAiSystemDto } from './dto/ai-system.dto';
import { AiSystemEntity, Soc2Category } from './entities/ai-system.entity';
import { computeRiskTier } from './risk-tier';
import { SystemImplementationsPort } from './system-implementations.port';

@Injectable()
export class AiSystemsService {
  constructor(
    private readonly systems: AiSystemsRepository,
    private readonly implementations: SystemImplementationsPort,
    private readonly applicability: ApplicabilityService,
    private readonly index: CatalogIndex,
    private readonly scope: AccessScope,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: ListAiSystemsQueryDto) {
    const ids = await this.scope.visibleSystemIds(actor);
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    if (!query.framework) {
      const page = await this.systems.findPage({ ...query, ids, limit, offset });
      return { total: page.total, items: page.items.map(toSystemView) };
    }
    // Applicability comes from policy rules, not a column: filter every match first, then page, so total and items agree.
    const snapshot = await this.index.get();
    const applying: AiSystemEntity[] = [];
    for (const system of await this.systems.findMatching({ ...query, ids })) {
      if (
        (await this.applicability.evaluate(system, snapshot)).frameworks.some(
          (f) => f.framework === query.framework && f.applies,
        )
      )
        applying.push(system);
    }
    return { total: applying.length, items: applying.slice(offset, offset + limit).map(toSystemView) };
  }

  /** The system if the actor may see it; 404 otherwise (also for auditors outside their audits). */
  async getEntity(actor: Actor, id: string): Promise<AiSystemEntity> {
    const system = await this.systems.findById(id);
    if (!system) throw notFound('AI system', id);
    await this.scope.assertSystemVisible(actor, id);
    return system;
  }

  async get(actor: Actor, id: string) {
    return toSystemView(await this.getEntity(actor, id));
  }

  async create(actor: Actor, dto: CreateAiSystemDto) {
    this.assertOverride(dto.riskTierOverride, dto.riskTierOverrideJustification);
    const now = iso(this.clock.now());
    const system = Object.assign(new AiSystemEntity(), {
      id: randomUUID(),
      name: dto.name.trim(),
      purpose: dto.purpose.trim(),
      owner: dto.owner.trim(),
      lifecycleStage: dto.lifecycleStage,
      modelKind: dto.modelKind,
      useCaseDomain: dto.useCaseDomain,
      vendor: dto.vendor?.trim() ?? '',
      thirdPartyModels: dto.thirdPartyModels ?? [],
      autonomy: dto.autonomy,
      humanOversight: dto.humanOversight ?? '',
      significantDecisions: dto.significantDecisions ?? false,
      internetFacing: dto.internetFacing ?? false,
      usesRag: dto.usesRag ?? false,
      agentTools: dto.agentTools ?? false,
      personalData: dto.personalData ?? false,
      specialCategoryData: dto.specialCategoryData ?? false,
      phi: dto.phi ?? false,
      childrensData: dto.childrensData ?? false,
      jurisdictions: [...new Set(dto.jurisdictions ?? [])],
      hipaaRole: dto.hipaaRole ?? null,
      gdprEstablishment: dto.gdprEstablishment ?? null,
      gdprOffersToEu: dto.gdprOffersToEu ?? null,
      gdprMonitorsEu: dto.gdprMonitorsEu ?? null,
      gdprRole: dto.gdprRole ?? null,
      gdprConsentBasis: dto.gdprConsentBasis ?? null,
      gdprCriminalData: dto.gdprCriminalData ?? null,
      gdprPublicBody: dto.gdprPublicBody ?? null,
      gdprLargeScaleMonitoring: dto.gdprLargeScaleMonitoring ?? null,
      gdprLargeScaleSensitiveData: dto.gdprLargeScaleSensitiveData ?? null,
      gdprThirdCountryTransfers: dto.gdprThirdCountryTransfers ?? null,
      gdprArchivingOrResearch: dto.gdprArchivingOrResearch ?? null,
      soc2Categories: [] as Soc2Category[],
      aiActEuNexus: dto.aiActEuNexus ?? null,
      aiActRole: dto.aiActRole ?? null,
      aiActEstablishedInEu: dto.aiActEstablishedInEu ?? null,
      aiActPublicSector: dto.aiActPublicSector ?? null,
      prohibitedPractices: dto.prohibitedPractices ?? null,
      annexIProduct: dto.annexIProduct ?? null,
      annexIIIArea: dto.annexIIIArea ?? null,
      annexIIIPoint: dto.annexIIIPoint ?? null,
      art6Derogation: dto.art6Derogation ?? null,
      profilesPeople: dto.profilesPeople ?? null,
      transparencyTriggers: dto.transparencyTriggers ?? null,
      gpaiModel: dto.gpaiModel ?? null,
      applicabilityReviewFacts: [] as string[],
      riskTierOverride: dto.riskTierOverride ?? null,
      riskTierOverrideJustification: dto.riskTierOverride ? dto.riskTierOverrideJustification!.trim() : null,
      modelVersion: dto.modelVersion?.trim() ?? '',
      modelVersionChangedAt: null,
      trainingDataVersion: dto.trainingDataVersion?.trim() ?? '',
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    normaliseAiActLists(system);
    assertAiActFacts(system);
    const soc2 = soc2CategoriesAfter(dto, [], factsOf(system).personalData);
    if (soc2) system.soc2Categories = soc2.categories;
    system.applicabilityReviewFacts = reviewFactsAfter(system, soc2?.presumed ? ['soc2Categories'] : [], new Set());
    this.applyRisk(system);
    // Evaluated before the write queue's turn: the queue holds SQLite's one writer, and this needs no table.
    const needed = await this.implementations.neededControls(system);
    await this.tx.run(async (tx) => {
      await this.systems.insert(tx, system);
      const created = await this.implementations.createImplementations(tx, system, now, needed);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'system.create',
        entityType: 'ai_system',
        entityId: system.id,
        payload: { ...toSystemView(system), implementationsCreated: created },
      });
    });
    return toSystemView(system);
  }

  async update(actor: Actor, id: string, dto: UpdateAiSystemDto) {
    const { archived, soc2InScope, soc2Categories, ...fields } = dto;
    assertSomethingToChange(dto);
    return this.tx.run(async (tx) => {
      const current = await this.systems.findById(id, tx);
      if (!current) throw notFound('AI system', id);
      if (current.archivedAt && archived !== false)
        throw conflict('This AI system is archived; restore it (archived: false) before changing it');
      const now = iso(this.clock.now());
      const next = Object.assign(new AiSystemEntity(), current);
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        (next as unknown as Record<string, unknown>)[key] = typeof value === 'string' ? value.trim() : value;
      }
      if (fields.jurisdictions) next.jurisdictions = [...new Set(fields.jurisdictions)];
      if (fields.riskTierOverride === null) next.riskTierOverrideJustification = null;
      this.assertOverride(next.riskTierOverride, next.riskTierOverrideJustification ?? undefined);
      if (fields.modelVersion !== undefined && fields.modelVersion.trim() !== current.modelVersion)
        next.modelVersionChangedAt = now;
      normaliseAiActLists(next);
      // Judged on the facts as they will stand, so a PATCH of the point alone is checked against the stored area.
      assertAiActFacts(next);
      const soc2 = soc2CategoriesAfter(
        { soc2Categories, soc2InScope },
        current.soc2Categories,
        factsOf(next).personalData,
      );
      if (soc2) next.soc2Categories = soc2.categories;
      const answered = new Set(
        Object.entries(fields)
          .filter(([key, value]) => value !== undefined && (value !== null || NULL_IS_NONE.has(key)))
          .map(([key]) => key),
      );
      if (soc2 && !soc2.presumed) answered.add('soc2Categories');
      next.applicabilityReviewFacts = reviewFactsAfter(
        next,
        soc2?.presumed ? [...current.applicabilityReviewFacts, 'soc2Categories'] : current.applicabilityReviewFacts,
        answered,
      );
      if (archived !== undefined) next.archivedAt = archived ? (current.archivedAt ?? now) : null;
      this.applyRisk(next);
      next.updatedAt = now;
      const changes = diff(current, next);
      await this.systems.update(tx, id, changes);
      const created = next.archivedAt ? 0 : await this.implementations.syncImplementations(tx, next, now);
      const action =
        archived === true && !current.archivedAt
          ? 'system.archive'
          : archived === false && current.archivedAt
            ? 'system.restore'
            : 'system.update';
      await this.auditLog.append(tx, {
        actor: actor.email,
        action,
        entityType: 'ai_system',
        entityId: id,
        payload: { changes, implementationsCreated: created },
      });
      return toSystemView(next);
    });
  }

  async applicabilityOf(actor: Actor, id: string) {
    const system = await this.getEntity(actor, id);
    const result = await this.applicability.evaluate(system);
    return {
      systemId: id,
      riskTier: system.riskTierOverride ?? system.computedRiskTier,
      applicabilityNeedsReview: system.applicabilityReviewFacts.length > 0,
      reviewFacts: system.applicabilityReviewFacts.map((fact) => ({
        fact,
        ...APPLICABILITY_QUESTIONS[fact as AnswerableFact],
      })),
      frameworks: result.frameworks,
      requirements: result.requirements.filter((r) => r.applies),
      notApplicable: result.requirements.filter(
        (r) => !r.applies && !r.reason.endsWith('does not apply to this system'),
      ),
    };
  }

  private applyRisk(system: AiSystemEntity): void {
    const { tier, reason } = computeRiskTier(system);
    system.computedRiskTier = tier;
    system.riskTierReason = reason;
  }

  private assertOverride(override: string | null | undefined, justification: string | undefined): void {
    if (override && (!justification || justification.trim().length < 10)) {
      throw invalid('A risk tier override needs a justification of at least 10 characters', [
        'riskTierOverrideJustification must explain the override (at least 10 characters)',
      ]);
    }
  }
}

function diff(before: AiSystemEntity, after: AiSystemEntity): Partial<AiSystemEntity> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof AiSystemEntity>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes;
}
