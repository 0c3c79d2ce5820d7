import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { effectiveRiskTier } from '../ai-systems/applicability.service';
import { ObligationsService } from '../controls/obligations.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { appendTo } from '../common/multimap';
import { CLOCK, Clock, iso } from '../common/time';
import { CoverageService } from '../controls/coverage.service';
import { policiesFingerprint, recheckAfter } from '../controls/input-changes';
import { InputChangesService } from '../controls/input-changes.service';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { EVIDENCE_KIND_POLICY, EvidenceKindPolicy } from '../evidence/kinds/evidence-kind-policy';
import { validityBasisText } from '../evidence/kinds/structured-evidence';
import { evidenceState } from '../evidence/staleness';
import { ThreatModelService } from '../threats/threat-model.service';
import { TaskEntity } from './entities/task.entity';
import { EvidenceExpiringEvents } from './evidence-expiring.events';
import { TaskSweepStateEntity } from './entities/task-sweep-state.entity';
import { TaskSweepStatesRepository } from './task-sweep-states.repository';
import { TasksRepository } from './tasks.repository';

const DAY_MS = 86_400_000;
const HORIZON_DAYS = 30;
const SWEEP_ACTOR = 'task-sweep';
const DONE_CONTROL_STATUSES = new Set(['implemented', 'not_applicable']);

export interface SweepResult {
  systems: number;
  /** Systems not looked at again: nothing they are judged from changed since their last sweep (TaskSweepStateEntity). */
  unchanged: number;
  remediation: number;
  evidenceRequests: number;
  /** Remediation tasks for relevant threats (ATLAS techniques, OWASP LLM risks) with no implemented mitigating control. */
  threatGaps: number;
  /** Review tasks for AI Act obligations no implemented control meets, and for prohibited practices. */
  obligations: number;
  created: number;
}

/**
 * Opens the tasks the data calls for: a remediation task per unimplemented control behind a coverage gap, and an
 * evidence request per accepted piece of evidence that is stale or expires soon. Idempotent through openSourceKey:
 * keys already held by an unfinished task are skipped, and the unique index stops a concurrent sweep on another
 * instance from opening a duplicate.
 *
 * A system nothing has changed for since its last sweep is skipped: the same inputs call for the same tasks, and
 * those are held. "Changed" reads the audit log (InputChangesService): any entry after the seq the last sweep read
 * that reaches the system (its facts, controls, evidence, decisions, tasks) or every system (policies, catalog), a
 * policy set other than the one it judged with, or time passing its recheck instant (an expiry, the next day) makes
 * the next sweep look again.
 */
@Injectable()
export class TaskSweepService {
  private readonly logger = new Logger('TaskSweep');

  constructor(
    private readonly systems: AiSystemsQueries,
    private readonly coverage: CoverageService,
    private readonly evidence: EvidenceQueries,
    private readonly tasks: TasksRepository,
    private readonly states: TaskSweepStatesRepository,
    private readonly changes: InputChangesService,
    private readonly policies: PolicyLoader,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly threats: ThreatModelService,
    private readonly obligations: ObligationsService,
    private readonly expiring: EvidenceExpiringEvents,
    @Inject(EVIDENCE_KIND_POLICY) private readonly kindPolicy: EvidenceKindPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<SweepResult> {
    const result: SweepResult = {
      systems: 0,
      unchanged: 0,
      remediation: 0,
      evidenceRequests: 0,
      threatGaps: 0,
      obligations: 0,
      created: 0,
    };
    const catalog = await this.index.get();
    const systems = await this.systems.findAllActive();
    const ids = systems.map((s) => s.id);
    const at = iso(this.clock.now());
    const policiesHash = policiesFingerprint(this.policies.policies.contentHash, catalog);
    const states = await this.states.findBySystems(ids);
    const oldest = Math.min(...[...states.values()].map((s) => s.inputsSeq));
    // The head is read before any input: a change landing during this sweep counts as a change next time.
    const changes = await this.changes.since(Number.isFinite(oldest) ? oldest : null);
    const looked: TaskSweepStateEntity[] = [];
    const unchanged: string[] = [];
    for (const system of systems) {
      const last = states.get(system.id);
      if (
        last &&
        last.policiesHash === policiesHash &&
        at < last.recheckAfter &&
        !changes.changedSince(system.id, last.inputsSeq)
      ) {
        result.unchanged++;
        unchanged.push(system.id);
        continue;
      }
      const now = this.clock.now();
      const candidates = [
        ...(await this.gapTasks(system, catalog, now)),
        ...(await this.evidenceTasks(system, now)),
        ...(await this.threatTasks(system, now)),
        ...(await this.obligationTasks(system, catalog, now)),
      ];
      const created = await this.open(system, candidates);
      // null: another sweep raced this one for the system; it is looked at again next time.
      if (created !== null)
        looked.push(
          Object.assign(new TaskSweepStateEntity(), {
            systemId: system.id,
            inputsSeq: changes.head,
            policiesHash,
            recheckAfter: at,
            sweptAt: iso(now),
          }),
        );
      result.systems++;
      const opened = created ?? [];
      result.remediation += opened.filter(
        (t) => t.kind === 'remediation' && !t.openSourceKey!.startsWith('threat:'),
      ).length;
      result.threatGaps += opened.filter((t) => t.openSourceKey!.startsWith('threat:')).length;
      result.evidenceRequests += opened.filter((t) => t.kind === 'evidence_request').length;
      result.obligations += opened.filter((t) => t.openSourceKey!.startsWith('obligation:')).length;
      result.created += created?.length ?? 0;
    }
    const validUntil = await this.changes.validUntilBySystems(looked.map((s) => s.systemId));
    for (const state of looked) state.recheckAfter = recheckAfter(at, validUntil.get(state.systemId) ?? []);
    if (looked.length > 0 || unchanged.length > 0)
      await this.tx.run(async (tx) => {
        await this.states.save(tx, looked);
        await this.states.advance(tx, unchanged, changes.head);
      });
    if (result.created > 0) this.logger.log({ msg: 'task sweep', ...result });
    return result;
  }

  private async gapTasks(system: AiSystemEntity, catalog: CatalogSnapshot, now: Date): Promise<TaskEntity[]> {
    const gapsByControl = new Map<string, string[]>();
    for (const framework of await this.coverage.forSystem(system, iso(now))) {
      for (const requirement of framework.requirements) {
        if (requirement.status !== 'gap') continue;
        for (const control of requirement.controls) {
          if (DONE_CONTROL_STATUSES.has(control.status)) continue;
          appendTo(gapsByControl, control.code, `${framework.name} ${requirement.ref}`);
        }
      }
    }
    const priority = ['high', 'prohibited'].includes(effectiveRiskTier(system)) ? 'high' : 'medium';
    return [...gapsByControl.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, refs]) => {
        const control = catalog.controlByCode.get(code);
        return this.task(system, now, {
          openSourceKey: `gap:${system.id}:${code}`,
          kind: 'remediation',
          controlCode: code,
          title: `Implement ${code}: ${control?.title ?? code}`,
          description: `Coverage gaps this control would close: ${refs.join('; ')}`,
          assigneeRole: control?.ownerRole ?? 'governance_specialist',
          priority,
          dueDate: iso(new Date(now.getTime() + HORIZON_DAYS * DAY_MS)),
        });
      });
  }

  /** One remediation task per relevant threat whose mitigations no implemented control covers (status gap). */
  private async threatTasks(system: AiSystemEntity, now: Date): Promise<TaskEntity[]> {
    const model = await this.threats.forSystem(system);
    const priority = ['high', 'prohibited'].includes(effectiveRiskTier(system)) ? 'high' : 'medium';
    return model.threats
      .filter((threat) => threat.status === 'gap')
      .map((threat) => {
        const candidates = [
          ...new Set(threat.mitigations.flatMap((m) => m.controls.filter((c) => c.sufficient).map((c) => c.code))),
        ];
        const owner = candidates.length > 0 ? 'engineer' : 'governance_specialist';
        return this.task(system, now, {
          openSourceKey: `threat:${system.id}:${threat.framework}:${threat.ref}`,
          kind: 'remediation',
          controlCode: null,
          title: `Mitigate ${threat.ref}: ${threat.title}`.slice(0, 200),
          description:
            `Threat model: ${threat.framework} ${threat.ref} is relevant (${threat.rules.map((r) => r.id).join(', ')}) and no mitigating control is implemented. ` +
            (candidates.length > 0
              ? `Controls that would mitigate it: ${candidates.join(', ')}.`
              : 'No control of the library maps its mitigations yet.'),
          assigneeRole: owner,
          priority,
          dueDate: iso(new Date(now.getTime() + HORIZON_DAYS * DAY_MS)),
        });
      });
  }

  /**
   * A review task per AI Act obligation that no implemented control meets yet (status open), and per prohibited
   * practice of a system not retired: the article, its date and the rule in words, due before it applies.
   */
  private async obligationTasks(system: AiSystemEntity, catalog: CatalogSnapshot, now: Date): Promise<TaskEntity[]> {
    const { obligations } = await this.obligations.forSystem(system, catalog, now);
    const inDays = (days: number) => iso(new Date(now.getTime() + days * DAY_MS));
    return obligations
      .filter((o) => o.status === 'open' || (o.status === 'prohibited' && system.lifecycleStage !== 'retired'))
      .map((o) => {
        const prohibited = o.status === 'prohibited';
        const controls = o.controls.map((c) => c.code).join(', ');
        return this.task(system, now, {
          openSourceKey: `obligation:${system.id}:${o.article}`,
          kind: 'review',
          controlCode: null,
          title: prohibited
            ? `Stop or redesign: ${o.article} bans what this system does`
            : `AI Act ${o.article}: ${o.title}`,
          description:
            `${o.rule.reason} (${o.rule.basis}). ${prohibited ? 'Banned' : 'Applies'} from ${o.appliesFrom}${o.appliesToday ? '' : ' (upcoming)'}.` +
            (prohibited
              ? ' The system must not be placed on the market, put into service or used until the screening shows no banned practice.'
              : ` No control meeting it is implemented yet; controls with a sufficient path: ${controls || 'none'}.`),
          assigneeRole: 'governance_specialist',
          priority: prohibited || o.appliesToday ? 'high' : 'medium',
          // Due before the obligation applies; one that already applies (or a banned practice) is due soon.
          dueDate: prohibited ? inDays(7) : o.appliesToday ? inDays(HORIZON_DAYS) : `${o.appliesFrom}T00:00:00.000Z`,
        });
      });
  }

  private async evidenceTasks(system: AiSystemEntity, now: Date): Promise<TaskEntity[]> {
    const at = iso(now);
    const horizon = iso(new Date(now.getTime() + HORIZON_DAYS * DAY_MS));
    // Asked for this many days before the valid-until (policies/evidence-kinds/kinds.yaml expiryNoticeDays).
    const notice = iso(new Date(now.getTime() + this.kindPolicy.expiryNoticeDays * DAY_MS));
    const tasks: TaskEntity[] = [];
    // Superseded evidence already has its replacement; only the latest of a line can call for a refresh.
    for (const e of (await this.evidence.findBySystems([system.id])).filter(
      (e) => e.reviewStatus === 'accepted' && !e.supersededById,
    )) {
      const state = evidenceState(e, system, at);
      const expiresSoon = e.validUntil !== null && e.validUntil <= notice;
      const basis = validityBasisText(e.validUntilBasis);
      if (!state.stale && !expiresSoon) continue;
      tasks.push(
        this.task(system, now, {
          openSourceKey: `evidence:${e.id}`,
          kind: 'evidence_request',
          controlCode: e.controlCodes[0] ?? null,
          title: `Refresh evidence: ${e.title}`.slice(0, 200),
          description: state.stale
            ? `The evidence is stale: ${state.staleReason}.`
            : `The evidence expires on ${e.validUntil!.slice(0, 10)}${basis ? ` (valid-until from ${basis})` : ''}.`,
          assigneeRole: 'engineer',
          priority: state.stale ? 'high' : 'medium',
          // Due before the old evidence lapses, when it still can be.
          dueDate: !state.stale && e.validUntil ? e.validUntil : horizon,
        }),
      );
    }
    return tasks;
  }

  /** The tasks opened; null when a concurrent sweep opened some of them first. */
  private async open(system: AiSystemEntity, candidates: TaskEntity[]): Promise<TaskEntity[] | null> {
    if (candidates.length === 0) return [];
    return this.tx.run(async (tx) => {
      const held = await this.tasks.findHeldSourceKeys(
        candidates.map((t) => t.openSourceKey!),
        tx,
      );
      const fresh = candidates.filter((t) => !held.has(t.openSourceKey!));
      if (fresh.length === 0) return [];
      if (!(await this.tasks.insertGenerated(tx, fresh))) {
        this.logger.warn(`another sweep opened tasks for system ${system.id} meanwhile; they are picked up next time`);
        return null;
      }
      await this.auditLog.append(tx, {
        actor: SWEEP_ACTOR,
        action: 'task.generate',
        entityType: 'ai_system',
        entityId: system.id,
        payload: {
          tasks: fresh.map((t) => ({
            id: t.id,
            kind: t.kind,
            openSourceKey: t.openSourceKey,
            assigneeRole: t.assigneeRole,
          })),
        },
      });
      await this.expiring.record(tx, fresh, SWEEP_ACTOR);
      return fresh;
    });
  }

  private task(
    system: AiSystemEntity,
    now: Date,
    fields: Pick<
      TaskEntity,
      'openSourceKey' | 'kind' | 'controlCode' | 'title' | 'description' | 'assigneeRole' | 'priority' | 'dueDate'
    >,
  ): TaskEntity {
    return Object.assign(new TaskEntity(), {
      id: randomUUID(),
      systemId: system.id,
      assigneeUserId: null,
      status: 'open',
      createdBy: SWEEP_ACTOR,
      createdAt: iso(now),
      updatedAt: iso(now),
      ...fields,
      title: fields.title.slice(0, 200),
    });
  }
}
