import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { EventsModule } from '../events/events.module';
import { ThreatsModule } from '../threats/threats.module';
import { UsersModule } from '../users/users.module';
import { EvidenceExpiringEvents } from './evidence-expiring.events';
import { GeneratedTasks } from './generated-tasks';
import { TaskSweepScheduler } from './task-sweep.scheduler';
import { TaskSweepService } from './task-sweep.service';
import { TaskSweepStatesRepository } from './task-sweep-states.repository';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [
    ScheduleModule.forRoot(),
    AiSystemsModule,
    CatalogModule,
    ControlsModule,
    EvidenceModule,
    ThreatsModule,
    EventsModule,
    UsersModule,
  ],
  controllers: [TasksController],
  providers: [
    TasksRepository,
    TasksService,
    TaskSweepService,
    TaskSweepScheduler,
    TaskSweepStatesRepository,
    EvidenceExpiringEvents,
    GeneratedTasks,
  ],
  exports: [GeneratedTasks, TasksService, TaskSweepService],
})
export class TasksModule {}
