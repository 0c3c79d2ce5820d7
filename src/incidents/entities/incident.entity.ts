import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AI_ACT_ROLES, AiActRole, AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { EvidenceEntity } from '../../evidence/entities/evidence.entity';

export const INCIDENT_CATEGORIES = ['personal_data_breach', 'ephi_breach', 'ai_act_serious_incident'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
/** The kinds of serious incident of EU AI Act Art. 3(49)(a)-(d), with (c) split as Art. 73(3) treats it. */
export const AI_ACT_KINDS = [
  'death_or_serious_harm_to_health',
  'critical_infrastructure_disruption',
  'fundamental_rights_infringement',
  'property_or_environment_harm',
  'widespread_infringement',
] as const;
export type AiActKind = (typeof AI_ACT_KINDS)[number];
/** The organisation's AI Act role as the incident records it, used while the system's own answer is missing. */
export { AI_ACT_ROLES };
export type { AiActRole };
/** The controller's risk assessment of a personal data breach (GDPR Art. 33(1), 34(1)). */
export const GDPR_RISKS = ['unlikely', 'risk', 'high'] as const;
export type GdprRisk = (typeof GDPR_RISKS)[number];
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_STATUSES = ['open', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const NOTIFICATION_CHANNELS = [
  'email',
  'portal',
  'letter',
  'phone',
  'press_release',
  'website_notice',
  'other',
] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** An incident is never deleted: it moves to closed, and every change is in the audit log. */
@Entity('incidents')
@Index('IDX_incidents_status', ['status', 'becameAwareAt'])
export class IncidentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column(TIMESTAMP_COLUMN)
  detectedAt: string;

  /** When the organisation became aware: every regulator's clock starts here. */
  @Column(TIMESTAMP_COLUMN)
  becameAwareAt: string;

  @Column({ type: 'varchar', length: 200 })
  reporter: string;

  @Column({ type: 'varchar', length: 16 })
  severity: IncidentSeverity;

  @Column({ type: 'varchar', length: 16 })
  status: IncidentStatus;

  @Column({ type: 'simple-json' })
  categories: IncidentCategory[];

  @Column({ type: 'varchar', length: 40, nullable: true })
  aiActKind: AiActKind | null;

  /** A person died (Art. 73(4)); only with the kind death_or_serious_harm_to_health. */
  @Column({ type: 'boolean', default: false })
  aiActDeath: boolean;

  /** Used when the system itself does not record its AI Act role. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  aiActRole: AiActRole | null;

  /** null: not assessed yet (the GDPR duties are then assumed to apply). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  gdprRisk: GdprRisk | null;

  /** null: not known yet. */
  @Column({ type: 'integer', nullable: true })
  affectedCount: number | null;

  /** Residents affected per US State or jurisdiction (two-letter USPS codes), for 164.406. */
  @Column({ type: 'simple-json' })
  affectedByState: Record<string, number>;

  @Column({ type: 'simple-json' })
  atlasTechniques: string[];

  @Column({ type: 'text', nullable: true })
  reviewSummary: string | null;

  /** Control codes the post-incident review changed; closing needs at least one. */
  @Column({ type: 'simple-json', nullable: true })
  reviewControlsChanged: string[] | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  reviewedBy: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  reviewedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  containedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  resolvedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  closedAt: string | null;

  /** Incremented by every write; writes are compare-and-set on it, so two edits decided on one read cannot both win. */
  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}

@Entity('incident_systems')
@Index('IDX_incident_systems_system', ['systemId'])
export class IncidentSystemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  incidentId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incidentId' })
  incident?: IncidentEntity;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;
}

@Entity('incident_evidence')
export class IncidentEvidenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  incidentId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  evidenceId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incidentId' })
  incident?: IncidentEntity;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;
}

/**
 * A duty computed from the incident's facts and its systems' roles (policies/incidents.yaml). Kept, not deleted,
 * when a fact changes: it becomes not required with the reason, so notifications recorded against it stay attached.
 */
@Entity('incident_obligations')
@Index('UQ_incident_obligations_key', ['incidentId', 'key'], { unique: true })
export class IncidentObligationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  incidentId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incidentId' })
  incident?: IncidentEntity;

  /** The rule id, with ":<state>" for an obligation per US State. */
  @Column({ type: 'varchar', length: 80 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  ruleId: string;

  @Column({ type: 'varchar', length: 16 })
  regime: string;

  @Column({ type: 'varchar', length: 200 })
  legalBasis: string;

  @Column({ type: 'varchar', length: 400 })
  title: string;

  @Column({ type: 'varchar', length: 400 })
  recipient: string;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'text', nullable: true })
  notRequiredReason: string | null;

  /** null when the provision sets no period ("without undue delay", "immediately"). */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  dueAt: string | null;

  @Column({ type: 'text' })
  timing: string;

  /** How the due time was counted, in words ("72 hours after becoming aware at ..."). */
  @Column({ type: 'text' })
  counting: string;

  @Column({ type: 'simple-json' })
  assumptions: string[];

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}

@Entity('incident_notifications')
@Index('IDX_incident_notifications_incident', ['incidentId', 'sentAt'])
export class IncidentNotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  incidentId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incidentId' })
  incident?: IncidentEntity;

  @Column({ type: 'varchar', length: 36 })
  obligationId: string;

  @ManyToOne(() => IncidentObligationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'obligationId' })
  obligation?: IncidentObligationEntity;

  @Column({ type: 'varchar', length: 400 })
  recipient: string;

  @Column(TIMESTAMP_COLUMN)
  sentAt: string;

  @Column({ type: 'varchar', length: 24 })
  channel: NotificationChannel;

  @Column({ type: 'varchar', length: 200, default: '' })
  reference: string;

  /** Who sent it (a person's name); recordedBy is the user who recorded it here. */
  @Column({ type: 'varchar', length: 200 })
  sender: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  evidenceId: string | null;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;

  /** Sent after the obligation's due time; lateReason then says why. */
  @Column({ type: 'boolean' })
  late: boolean;

  @Column({ type: 'text', nullable: true })
  lateReason: string | null;

  @Column({ type: 'varchar', length: 36 })
  recordedBy: string;

  @Column(TIMESTAMP_COLUMN)
  recordedAt: string;
}

/** The incident's timeline: what happened to the record and when (the audit log holds the full payloads). */
@Entity('incident_events')
@Index('IDX_incident_events_incident', ['incidentId', 'at'])
export class IncidentEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  incidentId: string;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incidentId' })
  incident?: IncidentEntity;

  @Column(TIMESTAMP_COLUMN)
  at: string;

  @Column({ type: 'varchar', length: 254 })
  actor: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'text' })
  summary: string;
}
