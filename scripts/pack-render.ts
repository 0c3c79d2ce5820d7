// Renders an evidence pack without the HTTP server:
//   npm run pack:render -- --system <id or exact name> --out pack.pdf [--frameworks gdpr,hipaa-security] [--as-of ISO]
// Uses the configured database (WORKBENCH_* / DATABASE_URL) and records nothing: no pack row, no audit-log entry.
// The app is initialised but never listens; a bare application context cannot host the web module's middleware.
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppModule } from '../src/app.module';
import { sha256Hex } from '../src/common/canonical-json';
import { EvidencePackAssembler } from '../src/evidence-packs/evidence-pack-assembler';
import { EvidencePackRenderer } from '../src/evidence-packs/evidence-pack-renderer';
import { PackSourcesRepository } from '../src/evidence-packs/pack-sources.repository';

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['system', 'out']) if (!args[required]) throw new Error(`--${required} is required`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.init();
  try {
    const system = await app.get(PackSourcesRepository).findSystemByIdOrName(args.system);
    if (!system) throw new Error(`no AI system has the id or the exact (unique) name "${args.system}"`);
    const now = new Date();
    const asOf = args['as-of'] ? new Date(args['as-of']) : now;
    if (Number.isNaN(asOf.getTime()) || asOf > now)
      throw new Error('--as-of must be an ISO timestamp, not in the future');
    const assembler = app.get(EvidencePackAssembler);
    const frameworks = args.frameworks
      ? args.frameworks
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : await assembler.defaultFrameworks({ systemId: system.id, auditId: null });
    await assembler.assertFrameworksKnown(frameworks);
    const rendered = await app.get(EvidencePackRenderer).render({
      packId: randomUUID(),
      systemId: system.id,
      auditId: null,
      frameworks,
      asOf: asOf.toISOString(),
      generatedAt: now.toISOString(),
      requestedBy: 'pack-render CLI',
    });
    const out = path.resolve(args.out);
    fs.writeFileSync(out, rendered.pdf);
    console.log(`path: ${out}\npages: ${rendered.pages}\nsha256: ${sha256Hex(rendered.pdf)}\nms: ${rendered.ms}`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
