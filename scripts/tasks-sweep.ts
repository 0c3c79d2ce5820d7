// Opens the tasks that coverage gaps and stale or expiring evidence call for, once, and prints what it created.
// Safe to run beside a running server or twice in a row: generated tasks are idempotent. `npm run tasks:sweep`
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { TaskSweepService } from '../src/tasks/task-sweep.service';

async function main(): Promise<void> {
  // A full application that never listens: WebModule configures the HTTP adapter while it starts, which a bare
  // application context (createApplicationContext) does not have.
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.init();
    const result = await app.get(TaskSweepService).run();
    console.log(
      `task sweep: ${result.systems} systems checked, ${result.created} tasks created (${result.remediation} remediation, ${result.evidenceRequests} evidence requests, ${result.threatGaps} threat gaps, ${result.obligations} AI Act obligations)`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
