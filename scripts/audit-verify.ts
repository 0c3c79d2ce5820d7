// Verifies the whole audit-log chain from entry 1 (pack assembly only walks on from the last signed checkpoint):
// `npm run audit:verify`. Exit 0 when valid, 1 naming the first bad entry.
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { AuditLogService } from '../src/audit-log/audit-log.service';

async function main(): Promise<number> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.init();
    const result = await app.get(AuditLogService).verify();
    console.log(
      result.valid
        ? `audit log: ${result.entries} entries, valid (head ${result.headSeq} ${result.headHash})`
        : `audit log INVALID at entry ${result.firstBadSeq}: ${result.problem}`,
    );
    return result.valid ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
