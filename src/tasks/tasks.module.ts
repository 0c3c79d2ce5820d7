import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { EventsModule } from '../events/events.module';
import { TaskSweepScheduler } from './task-sweep.scheduler';
import { TaskSweepService } from './task-sweep.service';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [ScheduleModule.forRoot(), EventsModule],
  controllers: [TasksController],
  providers: [TasksRepository, TasksService, TaskSweepService, TaskSweepScheduler],
  exports: [TasksRepository, TasksService, TaskSweepService],
})
export class TasksModule {}
