import { Inject, Injectable, Logger } from '@nestjs/common';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { CatalogIndex } from '../catalog/catalog-index';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { evidenceState } from '../evidence/staleness';
import { computeCoverage } from './coverage';
import { CoverageService } from './coverage.service';
import { CoverageSummariesRepository, DashboardSummary } from './coverage-summaries.repository';
import { CoverageSummaryEntity, CoverageSummaryStateEntity } from './entities/coverage-summary.entity';
import { policiesFingerprint, recheckAfter } from './input-changes';
import { InputChangesService } from './input-changes.service';

// Systems computed per read of their inputs: a few indexed queries for all of them together.
const BATCH = 50;
// How long a dashboard page read is reused while the audit-log head and this instance's summaries stay the same:
// the bound on showing another instance's newer summaries late (the refresh job itself runs every 15 s).
const PAGE_REUSE_MS = 5_000;
// Pages kept at most (each about 50 systems' rows).
const PAGES_KEPT = 200;

export interface RefreshResult {
  systems: number;
  recomputed: number;
  unchanged: number;
  /** Summaries a newer computation (another instance, a later head) had already written. */
  superseded: number;
}

export interface DashboardRow {
  system: { id: string; name: string; riskTier: string };
  frameworks: Array<{
    framework: string;
    name: string;
    applicable: number;
    covered: number;
    partial: number;
    gap: number;
    percent: number | null;
  }>;
  gaps: number;
  staleEvidence: number;
  computedAt: string;
}

export interface DashboardPage {
  rows: DashboardRow[];
  /** Active systems. */
  total: number;
  /** Active systems per effective risk tier, every tier listed. */
  tiers: Array<{ tier: string; count: number }>;
}

/**
 * Coverage summaries per system and framework, kept in the database for the dashboard (issue 18.2). Recomputed by a
 * job (CoverageSummaryScheduler, and for systems with none yet when the dashboard is read), not in the transaction of
 * each change: coverage also changes with time alone (evidence expires with no write to hook into), so a job is
 * needed anyway, and one job covers every kind of change (control status, evidence, decisions, facts, policies)
 * without each writer having to know the summaries. The job recomputes only systems the audit log shows changed
 * since their summary (InputChangesService), or whose recheck instant or policies moved. Multi-instance safe: a
 * summary records the audit-log head read before its inputs, and a writer never replaces a newer one.
 */
@Injectable()
export class CoverageSummaryService {
  private readonly logger = new Logger('CoverageSummaries');
  private running?: Promise<RefreshResult>;
  /** Bumped whenever this instance writes a summary: a page read before then is not reused. */
  private written = 0;
  private readonly pages = new Map<string, { version: string; until: number; page: DashboardPage }>();

  constructor(
    private readonly systems: AiSystemsQueries,
    private readonly coverage: CoverageService,
    private readonly summaries: CoverageSummariesRepository,
    private readonly changes: InputChangesService,
    private readonly index: CatalogIndex,
    private readonly policies: PolicyLoader,
    private readonly tx: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One refresh at a time per instance; a caller during a refresh waits for it. */
  refresh(): Promise<RefreshResult> {
    this.running ??= this.refreshAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refreshAll(): Promise<RefreshResult> {
    const systems = await this.systems.findAllActive();
    const result = await this.refreshSystems(systems, false);
    if (result.recomputed > 0) this.logger.log({ msg: 'coverage summaries refreshed', ...result });
    return result;
  }

  /**
   * Recomputes the summaries of these systems that changed (or all of them when `force`), and records the others
   * as still valid at the head read now.
   */
  async refreshSystems(systems: AiSystemEntity[], force: boolean): Promise<RefreshResult> {
    const at = iso(this.clock.now());
    const catalog = await this.index.get();
    const policiesHash = policiesFingerprint(this.policies.policies.contentHash, catalog);
    const states = await this.summaries.findStates(systems.map((s) => s.id));
    const oldest = Math.min(...[...states.values()].map((s) => s.inputsSeq));
    // The head is read before any input: a change landing during the refresh shows as changed next time.
    const changes = await this.changes.since(Number.isFinite(oldest) ? oldest : null);
    const stale: AiSystemEntity[] = [];
    const unchanged: string[] = [];
    for (const system of systems) {
      const state = states.get(system.id);
      const valid =
        !force &&
        state &&
        state.policiesHash === policiesHash &&
        at < state.recheckAfter &&
        !changes.changedSince(system.id, state.inputsSeq);
      if (valid) unchanged.push(system.id);
      else stale.push(system);
    }
    const result: RefreshResult = {
      systems: systems.length,
      recomputed: 0,
      unchanged: unchanged.length,
      superseded: 0,
    };
    for (let i = 0; i < stale.length; i += BATCH) {
      const batch = stale.slice(i, i + BATCH);
      const inputs = await this.coverage.inputsAsOf(batch, at);
      const validUntil = await this.changes.validUntilBySystems(batch.map((s) => s.id));
      const computed = batch.map((system) => {
        const input = inputs.get(system.id)!;
        const frameworks = computeCoverage(input).filter((f) => f.applies);
        const state = Object.assign(new CoverageSummaryStateEntity(), {
          systemId: system.id,
          inputsSeq: changes.head,
          policiesHash,
          computedAt: at,
          recheckAfter: recheckAfter(at, validUntil.get(system.id) ?? []),
          gaps: frameworks.reduce((sum, f) => sum + f.gap, 0),
          staleEvidence: input.evidence.filter(
            (e) => !e.supersededById && evidenceState(e, system, at, e.supersededAt).stale,
          ).length,
        });
        const rows = frameworks.map((f) =>
          Object.assign(new CoverageSummaryEntity(), {
            systemId: system.id,
            framework: f.framework,
            name: f.name,
            applicable: f.applicable,
            covered: f.covered,
            partial: f.partial,
            gap: f.gap,
            notApplicable: f.notApplicable,
          }),
        );
        return { state, rows };
      });
      await this.tx.run(async (tx) => {
        for (const { state, rows } of computed) {
          if (await this.summaries.replaceIfNewer(tx, state, rows)) result.recomputed++;
          else result.superseded++;
        }
      });
      this.written++;
    }
    if (unchanged.length > 0) await this.tx.run((tx) => this.summaries.advance(tx, unchanged, changes.head));
    return result;
  }

  /**
   * One page of the dashboard from the stored summaries, highest risk tier first, then most gaps, with the active
   * systems counted per risk tier. Systems with no summary yet (created since the last refresh) are computed first,
   * so every active system is on some page. Three queries when every system has a summary; none but the head's when
   * the same page was read within PAGE_REUSE_MS at the same audit-log head with no summary written here since (a
   * page's figures change only with a system's change, which moves the head, or with a summary written, here or, at
   * most PAGE_REUSE_MS late, by another instance).
   */
  async page(page: number, size: number): Promise<DashboardPage> {
    const version = `${await this.summaries.findAuditHead()}/${this.written}`;
    const key = `${page}/${size}`;
    const kept = this.pages.get(key);
    const now = performance.now();
    if (kept && kept.version === version && now < kept.until) return kept.page;
    const read = await this.readPage(page, size);
    if (this.pages.size >= PAGES_KEPT) this.pages.clear();
    this.pages.set(key, { version, until: now + PAGE_REUSE_MS, page: read });
    return read;
  }

  private async readPage(page: number, size: number): Promise<DashboardPage> {
    let tally = await this.summaries.tally();
    if (tally.withoutSummary > 0) {
      const missing = await this.summaries.findSystemIdsWithoutSummary();
      if (missing.length > 0) await this.refreshSystems(await this.systems.findByIds(missing), true);
      tally = await this.summaries.tally();
    }
    const rows = await this.summaries.findPage(size, (page - 1) * size);
    const byId = new Map<string, DashboardSummary[]>(rows.map((r) => [r.id, []]));
    for (const summary of await this.summaries.findSummaries(rows.map((r) => r.id)))
      byId.get(summary.systemId)?.push(summary);
    return {
      total: tally.total,
      tiers: tally.tiers,
      rows: rows.map((r) => ({
        system: { id: r.id, name: r.name, riskTier: r.riskTier },
        frameworks: (byId.get(r.id) ?? []).map((f) => ({
          framework: f.framework,
          name: f.name,
          applicable: f.applicable,
          covered: f.covered,
          partial: f.partial,
          gap: f.gap,
          percent: f.applicable > 0 ? Math.round((f.covered / f.applicable) * 1000) / 10 : null,
        })),
        gaps: r.gaps === null ? 0 : Number(r.gaps),
        staleEvidence: r.staleEvidence === null ? 0 : Number(r.staleEvidence),
        computedAt: r.computedAt ?? '',
      })),
    };
  }
}
