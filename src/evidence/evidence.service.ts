import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../access-scope/access-scope.service';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, DomainError, forbidden, invalid, notFound } from '../common/domain-errors';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { evidenceRejected } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { contradictsClaim, detectType, safeFileName } from './content-type';
import { ReviewEvidenceDto, UploadEvidenceDto } from './dto/evidence.dto';
import { EvidenceResponseDto } from './dto/evidence-response.dto';
import { EvidenceEntity } from './entities/evidence.entity';
import { EVIDENCE_STORAGE, EvidenceStorage, StagedFile } from './evidence-storage';
import { EvidenceRepository, EvidenceWithControls } from './evidence.repository';
import { reviewStatusMachine } from './review-status';
import { requirementRef, resolveRequirementRefs } from './requirement-refs';
import { evidenceState } from './staleness';
import { SystemControlsPort } from './system-controls.port';
import { StructuredEvidenceService } from './kinds/structured-evidence.service';
import { validityBasisText } from './kinds/structured-evidence';
import { storedProvenance } from './provenance';

export interface UploadedEvidenceFile {
  staged: StagedFile;
  originalName: string;
  claimedMediaType?: string;
}

/** The evidence an upload is about to store, as the coverage rule reads it, and the view the upload answers with. */
export interface UploadedEvidence {
  evidence: EvidenceWithControls;
  view: EvidenceResponseDto;
}

export interface UploadOptions {
  /** Runs first in the upload's transaction: a throw rolls the whole upload back (evidence row and audit entry). */
  inTransaction?: (tx: Tx, uploaded: UploadedEvidence) => Promise<void>;
}

/** The decisions a reviewer takes (the targets of the review status machine). */
const REVIEW_DECISIONS = ['accepted', 'rejected'] as const;
type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface EvidenceReviewMove {
  decision: ReviewDecision;
  allowed: boolean;
  /** Why the decision is refused for this actor now; null when it is allowed. */
  refusal: string | null;
}

// Clocks differ a little between a collector and the server; a collected-at further ahead than this is a mistake.
const FUTURE_SKEW_MS = 5 * 60 * 1000;

@Injectable()
export class EvidenceService {
  private readonly logger = new Logger('Evidence');

  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly systems: AiSystemsQueries,
    private readonly controls: SystemControlsPort,
    private readonly scope: AccessScope,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly structured: StructuredEvidenceService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly permissions: RolePermissionsProvider,
    private readonly events: EventsService,
  ) {}

  /**
   * Checks everything about an upload before anything is stored; only then moves the file to its content address
   * and commits the row (with its audit entry). A failure at any step leaves no row, and no file but a temp one
   * that is removed here or by the start-up sweep.
   */
  async upload(
    actor: Actor,
    systemId: string,
    dto: UploadEvidenceDto,
    file: UploadedEvidenceFile | undefined,
    options: UploadOptions = {},
  ): Promise<EvidenceResponseDto> {
    if (!file) throw invalid('Attach the evidence file in the multipart field "file"');
    try {
      const system = await this.systems.findById(systemId);
      if (!system) throw notFound('AI system', systemId);
      await this.scope.assertSystemVisible(actor, systemId);
      if (system.archivedAt) throw conflict('This AI system is archived; evidence cannot be added');
      if (file.staged.sizeBytes === 0) throw invalid('The file is empty');
      const type = detectType(file.staged.head, file.staged.sizeBytes <= file.staged.head.length, file.originalName);
      if (!type) {
        throw new DomainError(
          'unsupported_type',
          'This file type is not accepted as evidence: upload PDF, PNG, JPEG, GIF, ZIP (e.g. Office documents) or UTF-8 text/CSV/JSON',
        );
      }
      const mismatch = contradictsClaim(type, file.claimedMediaType, file.originalName);
      if (mismatch) throw new DomainError('unsupported_type', `The file was refused: ${mismatch}`);
      const codes = [...new Set(dto.controlCodes)].sort();
      const known = await this.controls.controlCodesOf(systemId);
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length)
        throw invalid(`These controls do not apply to this system: ${unknown.join(', ')}`, {
          unknownControls: unknown,
        });
      const catalog = await this.index.get();
      const requirementIds = resolveRequirementRefs(dto.requirementRefs ?? [], codes, catalog);
      const requirementRefs = requirementIds.map((id) => requirementRef(catalog.requirementById.get(id)!));
      const provenance = storedProvenance(dto.provenance);
      const now = this.clock.now();
      if (Date.parse(dto.collectedAt) > now.getTime() + FUTURE_SKEW_MS) throw invalid('collectedAt lies in the future');
      const collectedAt = iso(new Date(dto.collectedAt));
      const validUntil = dto.validUntil ? iso(new Date(dto.validUntil)) : null;
      if (validUntil && validUntil <= collectedAt) throw invalid('validUntil must be after collectedAt');
      // The kind's schema (400 with the JSON path), red-team fields, a policy valid-until when none was given.
      const structured = await this.structured.prepare({
        dto,
        staged: file.staged,
        mediaType: type.mediaType,
        controlCodes: codes,
        collectedAt,
        validUntil,
        catalog,
      });
      const redTeam = structured.redTeam;
      let superseded: EvidenceEntity | null = null;
      if (dto.supersedesId) {
        superseded = await this.evidence.findById(dto.supersedesId);
        if (!superseded || superseded.systemId !== systemId)
          throw invalid('supersedesId must name earlier evidence of the same system');
        if (superseded.supersededById) throw conflict('That evidence has already been superseded');
      }
      const row = Object.assign(new EvidenceEntity(), {
        id: randomUUID(),
        systemId,
        kind: dto.kind,
        title: dto.title.trim(),
        sha256: file.staged.sha256,
        sizeBytes: file.staged.sizeBytes,
        mediaType: type.mediaType,
        fileName: safeFileName(file.originalName, type.extension),
        collectedAt,
        uploadedAt: iso(now),
        uploadedBy: actor.id,
        validUntil: structured.validUntil,
        validUntilBasis: structured.validUntilBasis,
        modelVersion: dto.modelVersion?.trim() ?? provenance?.modelVersion ?? system.modelVersion,
        reviewStatus: 'submitted',
        reviewedBy: null,
        reviewedAt: null,
        reviewComment: null,
        supersedesId: superseded?.id ?? null,
        supersededById: null,
        ...redTeam,
        provenance,
      });
      const view = this.view(actor, { ...row, controlCodes: codes, requirementRefs }, system, null);
      await this.storage.commit(file.staged);
      await this.tx.run(async (tx) => {
        const uploaded = { ...row, controlCodes: codes, requirementIds, supersededAt: null };
        if (options.inTransaction) await options.inTransaction(tx, { evidence: uploaded, view });
        await this.evidence.insert(tx, row, codes, requirementIds);
        // Conditional on the row still being current: of two uploads superseding one item, the second gets 409.
        if (superseded) await this.evidence.markSuperseded(tx, superseded.id, row.id);
        await this.auditLog.append(tx, {
          actor: actor.email,
          action: 'evidence.upload',
          entityType: 'evidence',
          entityId: row.id,
          payload: {
            systemId,
            sha256: row.sha256,
            sizeBytes: row.sizeBytes,
            mediaType: row.mediaType,
            title: row.title,
            controlCodes: codes,
            requirementRefs,
            supersedes: row.supersedesId,
            ...redTeam,
            ...(provenance ? { provenance } : {}),
            ...(structured.validUntilBasis ? { validUntil: row.validUntil, validUntilBasis: row.validUntilBasis } : {}),
          },
        });
        await this.structured.record(tx, actor, row, codes, structured);
      });
      return view;
    } catch (error) {
      await this.storage.discard(file.staged);
      throw error;
    }
  }

  /** Accepted current evidence of the systems the actor sees whose validity ends within `days`, soonest first. */
  async expiringSoon(actor: Actor, days: number, limit = 50) {
    const now = this.clock.now();
    const until = new Date(now.getTime() + days * 86_400_000);
    return this.evidence.findExpiring(iso(now), iso(until), await this.scope.visibleSystemIds(actor), limit);
  }

  async listForSystem(actor: Actor, systemId: string) {
    const system = await this.systems.findById(systemId);
    if (!system) throw notFound('AI system', systemId);
    await this.scope.assertSystemVisible(actor, systemId);
    const [items, catalog] = await Promise.all([this.evidence.findBySystems([systemId]), this.index.get()]);
    return items
      .reverse()
      .map((e) =>
        this.view(actor, { ...e, requirementRefs: refsOf(e.requirementIds, catalog) }, system, e.supersededAt),
      );
  }

  async get(actor: Actor, id: string) {
    const { evidence, system } = await this.load(actor, id);
    const supersededAt = evidence.supersededById
      ? ((await this.evidence.findById(evidence.supersededById))?.uploadedAt ?? null)
      : null;
    return this.view(actor, { ...evidence, ...(await this.links(id)) }, system, supersededAt);
  }

  /** The stored file, re-hashed before it is sent, so an altered file is never served as evidence. */
  async content(actor: Actor, id: string) {
    const { evidence } = await this.load(actor, id);
    if (!(await this.storage.verify(evidence.sha256))) {
      this.logger.error(`evidence ${id}: stored file ${evidence.sha256} is missing or altered`);
      throw conflict(
        'The stored file failed its integrity check (missing or altered); it is not served. Tell your administrator.',
        undefined,
        'integrity_check_failed',
      );
    }
    return { stream: this.storage.open(evidence.sha256), evidence };
  }

  async review(actor: Actor, id: string, dto: ReviewEvidenceDto) {
    const { evidence, system } = await this.load(actor, id);
    const refusal = this.reviewRefusal(actor, evidence, dto.decision);
    if (refusal) throw refusal;
    if (dto.decision === 'rejected' && !dto.comment?.trim())
      throw invalid('Say why the evidence is rejected (comment)');
    const changes = {
      reviewStatus: dto.decision,
      reviewedBy: actor.id,
      reviewedAt: iso(this.clock.now()),
      reviewComment: dto.comment?.trim() ?? null,
    };
    await this.tx.run(async (tx) => {
      // Decided on the status read above: a review committed meanwhile makes this one a 409, not a second winner.
      await this.evidence.review(tx, id, evidence.reviewStatus, dto.decision, changes);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: `evidence.${dto.decision === 'accepted' ? 'accept' : 'reject'}`,
        entityType: 'evidence',
        entityId: id,
        payload: { from: evidence.reviewStatus, to: dto.decision, comment: changes.reviewComment },
      });
      if (dto.decision === 'rejected')
        await this.events.record(tx, evidenceRejected(evidence, changes.reviewComment, actor.id));
    });
    return this.view(actor, { ...evidence, ...changes, ...(await this.links(id)) }, system, null);
  }

  /** Start-up: remove temp files and stored files no evidence row refers to (left by a crash between steps). */
  async sweepOrphans(): Promise<{ tempFiles: number; orphanFiles: number }> {
    // On SQLite this process is the only writer, so every temp file is from a dead upload; with several instances
    // on PostgreSQL another one may be mid-upload, so only old files go.
    const graceMs = this.config.database.kind === 'sqlite' ? 0 : 60 * 60 * 1000;
    const tempFiles = await this.storage.sweepTemp(graceMs);
    const referenced = new Set(await this.evidence.findAllHashes());
    let orphanFiles = 0;
    if (this.config.database.kind === 'sqlite') {
      for (const sha256 of await this.storage.list()) {
        if (!referenced.has(sha256)) {
          await this.storage.remove(sha256);
          orphanFiles++;
        }
      }
    }
    if (tempFiles + orphanFiles > 0)
      this.logger.warn(`swept ${tempFiles} temp and ${orphanFiles} orphan evidence file(s)`);
    return { tempFiles, orphanFiles };
  }

  private async load(actor: Actor, id: string): Promise<{ evidence: EvidenceEntity; system: AiSystemEntity }> {
    const evidence = await this.evidence.findById(id);
    if (!evidence) throw notFound('Evidence', id);
    await this.scope.assertSystemVisible(actor, evidence.systemId, 'Evidence', id);
    const system = (await this.systems.findById(evidence.systemId))!;
    return { evidence, system };
  }

  private async links(id: string): Promise<{ controlCodes: string[]; requirementRefs: string[] }> {
    const [controlCodes, requirementIds, catalog] = await Promise.all([
      this.evidence.findControlCodes(id),
      this.evidence.findRequirementIds(id),
      this.index.get(),
    ]);
    return { controlCodes, requirementRefs: refsOf(requirementIds, catalog) };
  }

  /**
   * The review decisions the actor is offered on an item, each allowed or refused with the reason: the checks of
   * review() itself, so a view offers exactly what the API would accept (STYLE 15).
   */
  reviewMoves(actor: Actor, evidence: EvidenceEntity): EvidenceReviewMove[] {
    return REVIEW_DECISIONS.filter((decision) => decision !== evidence.reviewStatus).map((decision) => {
      const refusal = this.reviewRefusal(actor, evidence, decision);
      return { decision, allowed: refusal === null, refusal: refusal?.message ?? null };
    });
  }

  private reviewRefusal(actor: Actor, evidence: EvidenceEntity, decision: ReviewDecision): DomainError | null {
    if (!this.permissions.allows(actor.role, 'evidence:review'))
      return forbidden('Your role may not review evidence (evidence:review)');
    const move = reviewStatusMachine.refusal(evidence.reviewStatus, decision);
    if (move) return move;
    if (evidence.uploadedBy === actor.id)
      return conflict('Evidence must be reviewed by someone other than the person who uploaded it');
    return null;
  }

  private view(
    actor: Actor,
    e: EvidenceEntity & { controlCodes: string[]; requirementRefs: string[] },
    system: AiSystemEntity,
    supersededAt: string | null,
  ) {
    const state = evidenceState(e, system, iso(this.clock.now()), supersededAt);
    return {
      id: e.id,
      systemId: e.systemId,
      controlCodes: e.controlCodes,
      /** Empty: the evidence supports every requirement its controls map to. */
      requirementRefs: e.requirementRefs,
      kind: e.kind,
      title: e.title,
      sha256: e.sha256,
      sizeBytes: e.sizeBytes,
      mediaType: e.mediaType,
      fileName: e.fileName,
      collectedAt: e.collectedAt,
      uploadedAt: e.uploadedAt,
      uploadedBy: e.uploadedBy,
      validUntil: e.validUntil,
      /** Where a valid-until the uploader did not give came from: "policy: evaluation evidence 90 days". */
      validUntilBasis: validityBasisText(e.validUntilBasis ?? null),
      modelVersion: e.modelVersion,
      reviewStatus: e.reviewStatus,
      reviewedBy: e.reviewedBy,
      reviewedAt: e.reviewedAt,
      reviewComment: e.reviewComment,
      supersedesId: e.supersedesId,
      supersededById: e.supersededById,
      atlasTechniqueIds: e.atlasTechniqueIds ?? [],
      redTeamOutcome: e.redTeamOutcome ?? null,
      provenance: e.provenance ?? null,
      stale: state.stale,
      staleReason: state.staleReason,
      current: state.current,
      allowedMoves: this.reviewMoves(actor, e),
    };
  }
}

/** Named requirements as framework:ref; a requirement retired from the catalog keeps its id but is no longer listed. */
function refsOf(requirementIds: string[], catalog: CatalogSnapshot): string[] {
  return requirementIds.flatMap((id) => {
    const requirement = catalog.requirementById.get(id);
    return requirement ? [requirementRef(requirement)] : [];
  });
}
