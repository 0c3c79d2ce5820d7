import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { EventsModule } from '../events/events.module';
import { PdfModule } from '../pdf/pdf.module';
import { TasksModule } from '../tasks/tasks.module';
import { IncidentReportRenderer } from './incident-report';
import { loadIncidentRules } from './incident-rules';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { INCIDENT_RULES, IncidentsService } from './incidents.service';
import { ObligationDueRepository } from './obligation-due.repository';
import { ObligationDueSweep } from './obligation-due.sweep';

/**
 * The incident register: facts, computed obligations, notifications, tasks, the incident report, and the sweep that
 * records obligation.due events.
 */
@Module({
  imports: [AiSystemsModule, AccessScopeModule, CatalogModule, EvidenceModule, EventsModule, PdfModule, TasksModule],
  controllers: [IncidentsController],
  providers: [
    // Validated once at start-up: a problem in policies/incidents.yaml stops the app naming file, entry and field.
    { provide: INCIDENT_RULES, useFactory: () => loadIncidentRules() },
    IncidentsRepository,
    IncidentReportRenderer,
    IncidentsService,
    ObligationDueRepository,
    ObligationDueSweep,
  ],
  exports: [IncidentsService],
})
export class IncidentsModule {}
