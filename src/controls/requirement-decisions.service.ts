import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import type { RequirementEntity } from '../catalog/entities/catalog.entities';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { RequirementDecisionDto, RequirementDecisionViewDto } from './dto/requirement-decision.dto';
import { RequirementDecisionEntity } from './entities/requirement-decision.entity';
import { decisionRuleViolation } from './requirement-decision-rules';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';

/**
 * Per-system decisions on single requirements: a recorded exclusion (not HIPAA), or for a HIPAA addressable
 * specification a documented equivalent alternative measure or a documented "not reasonable and appropriate"
 * (45 CFR 164.306(d)(3)). The coverage rule reads them (coverage.ts); the rules that forbid a decision
 * (requirement-decision-rules.ts) refuse it here with 400 and nothing stored.
 */
@Injectable()
export class RequirementDecisionsService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly decisions: RequirementDecisionsRepository,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, systemId: string): Promise<RequirementDecisionViewDto[]> {
    await this.systems.getEntity(actor, systemId);
    const [catalog, rows] = await Promise.all([this.index.get(), this.decisions.findBySystem(systemId)]);
    return rows.flatMap((row) => {
      const requirement = catalog.requirementById.get(row.requirementId);
      return requirement ? [view(row, requirement)] : [];
    });
  }

  async decide(actor: Actor, systemId: string, dto: RequirementDecisionDto): Promise<RequirementDecisionViewDto> {
    const system = await this.systems.getEntity(actor, systemId);
    if (system.archivedAt) throw conflict('This AI system is archived; restore it before deciding on its requirements');
    const requirement = (await this.index.get()).requirements.find(
      (r) => r.frameworkKey === dto.framework && r.ref === dto.ref,
    );
    if (!requirement)
      throw invalid(`Unknown requirement: ${dto.framework} ${dto.ref}`, { framework: dto.framework, ref: dto.ref });
    if (!requirement.isLeaf)
      throw invalid(
        `${dto.framework} ${dto.ref} is not a leaf requirement; coverage counts leaves, so decide on each of its leaves`,
      );
    const decision = dto.decision === 'not_applicable' ? 'excluded' : dto.decision;
    if (decision !== 'none') {
      const violation = decisionRuleViolation(requirement, decision);
      if (violation)
        throw invalid(violation.message, {
          rule: violation.rule,
          framework: dto.framework,
          ref: dto.ref,
          decision: dto.decision,
        });
    }
    const rationale = dto.rationale.trim();
    const now = iso(this.clock.now());
    return this.tx.run(async (tx) => {
      const existing = await this.decisions.findOne(tx, systemId, requirement.id);
      // Read before the row is updated in place below, so the entry names the decision it replaced.
      const previous = existing?.decision ?? null;
      const audit = (action: string, entityId: string) =>
        this.auditLog.append(tx, {
          actor: actor.email,
          action,
          entityType: 'requirement_decision',
          entityId,
          payload: {
            systemId,
            framework: dto.framework,
            ref: dto.ref,
            requirementId: requirement.id,
            decision,
            rationale,
            previous,
          },
        });
      if (decision === 'none') {
        // Nothing recorded, nothing to withdraw: the answer is the same as after a withdrawal, and nothing changes.
        if (existing) {
          await this.decisions.remove(tx, existing.id);
          await audit('requirement.decision.withdraw', existing.id);
        }
        return {
          systemId,
          framework: dto.framework,
          ref: dto.ref,
          requirementId: requirement.id,
          decision: 'none',
          rationale,
          decidedBy: actor.id,
          decidedAt: now,
        };
      }
      const changes = { decision, rationale, decidedBy: actor.id, decidedAt: now };
      const row = existing
        ? Object.assign(existing, changes)
        : Object.assign(new RequirementDecisionEntity(), {
            id: randomUUID(),
            systemId,
            requirementId: requirement.id,
            ...changes,
          });
      if (existing) await this.decisions.update(tx, row.id, changes);
      else await this.decisions.insert(tx, row);
      await audit('requirement.decide', row.id);
      return view(row, requirement);
    });
  }
}

function view(row: RequirementDecisionEntity, requirement: RequirementEntity): RequirementDecisionViewDto {
  return {
    systemId: row.systemId,
    framework: requirement.frameworkKey,
    ref: requirement.ref,
    requirementId: row.requirementId,
    decision: row.decision,
    rationale: row.rationale,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
  };
}
