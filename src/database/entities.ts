import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditAuditorEntity, AuditEntity, AuditSystemEntity } from '../audits/entities/audit.entity';
import { AuditCheckpointEntity } from '../audit-log/entities/audit-checkpoint.entity';
import { AuditLogEntryEntity, AuditLogHeadEntity } from '../audit-log/entities/audit-log-entry.entity';
import { SessionEntity } from '../auth/entities/session.entity';
import { ApiTokenEntity } from '../tokens/entities/api-token.entity';
import {
  ControlEntity,
  ControlMappingEntity,
  FrameworkEntity,
  PolicyStateEntity,
  RequirementEntity,
} from '../catalog/entities/catalog.entities';
import { CatalogVersionEntity } from '../catalog/entities/catalog-version.entity';
import {
  ExternalCrosswalkLinkEntity,
  ExternalCrosswalkSourceEntity,
} from '../catalog/entities/external-crosswalk.entity';
import { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import { ControlStatusChangeEntity } from '../controls/entities/control-status-change.entity';
import { ControlTestEntity, ControlTestEvidenceEntity } from '../controls/entities/control-test.entity';
import { CoverageSnapshotEntity } from '../controls/entities/coverage-snapshot.entity';
import { CoverageSummaryEntity, CoverageSummaryStateEntity } from '../controls/entities/coverage-summary.entity';
import { RequirementDecisionEntity } from '../controls/entities/requirement-decision.entity';
import { EvidenceControlEntity, EvidenceEntity, EvidenceRequirementEntity } from '../evidence/entities/evidence.entity';
import { EvaluationMetricEntity } from '../controls/entities/evaluation-metric.entity';
import { EvidencePackEntity } from '../evidence-packs/entities/evidence-pack.entity';
import { IdempotencyKeyEntity } from '../evidence-push/entities/idempotency-key.entity';
import {
  IncidentEntity,
  IncidentEventEntity,
  IncidentEvidenceEntity,
  IncidentNotificationEntity,
  IncidentObligationEntity,
  IncidentSystemEntity,
} from '../incidents/entities/incident.entity';
import { TaskEntity, TaskEventEntity } from '../tasks/entities/task.entity';
import { TaskSweepStateEntity } from '../tasks/entities/task-sweep-state.entity';
import { UserEntity } from '../users/entities/user.entity';
import { SigningKeyEntity } from '../signing/entities/signing-key.entity';
import { DomainEventEntity } from '../events/entities/domain-event.entity';
import { UserNotificationEntity } from '../events/entities/user-notification.entity';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity, WebhookEntity } from '../events/entities/webhook.entity';

export const ENTITIES = [
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  AuditLogEntryEntity,
  AuditLogHeadEntity,
  FrameworkEntity,
  RequirementEntity,
  ControlEntity,
  ControlMappingEntity,
  PolicyStateEntity,
  CatalogVersionEntity,
  ExternalCrosswalkSourceEntity,
  ExternalCrosswalkLinkEntity,
  AiSystemEntity,
  ControlImplementationEntity,
  ControlStatusChangeEntity,
  EvidenceEntity,
  EvidenceControlEntity,
  EvidenceRequirementEntity,
  IdempotencyKeyEntity,
  RequirementDecisionEntity,
  ControlTestEntity,
  ControlTestEvidenceEntity,
  EvaluationMetricEntity,
  TaskEntity,
  TaskEventEntity,
  TaskSweepStateEntity,
  CoverageSummaryEntity,
  CoverageSnapshotEntity,
  CoverageSummaryStateEntity,
  AuditEntity,
  AuditSystemEntity,
  AuditAuditorEntity,
  EvidencePackEntity,
  IncidentEntity,
  IncidentSystemEntity,
  IncidentEvidenceEntity,
  IncidentObligationEntity,
  IncidentNotificationEntity,
  IncidentEventEntity,
  SigningKeyEntity,
  AuditCheckpointEntity,
  DomainEventEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  UserNotificationEntity,
];
